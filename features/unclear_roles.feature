Feature: Unclear roles and responsibilities
  Partners unsure what is expected of them (WRC, Citizens Advice).
  Every scenario starts from the healthy partnership and changes only the
  answers listed.

  Background:
    Given a healthy partnership

  Scenario: Roles and responsibilities are unclear
    Given the lead answers
      | question          | answer |
      | roles.roles_clear | 2      |
    When the partnership is assessed
    Then the finding "roles.roles-unclear" is reported
    And the finding "roles.roles-unclear" prescribes "review-responsibilities"
    And the finding "roles.roles-unclear" has evidence on "roles.roles_clear"

  Scenario: Near miss: roles are partly clear
    Given the lead answers
      | question          | answer |
      | roles.roles_clear | 3      |
    When the partnership is assessed
    Then the finding "roles.roles-unclear" is not reported

  Scenario: A core partner finds roles much less clear than the lead does
    Given a core partner from "Northside Youth Trust" answers
      | question          | answer |
      | roles.roles_clear | 3      |
    When the partnership is assessed
    Then the finding "roles.roles-seen-differently" is reported
    And the finding "roles.roles-seen-differently" prescribes "review-responsibilities"
    And the finding "roles.roles-seen-differently" has evidence on "roles.roles_clear"

  Scenario: Near miss: the core partner finds roles nearly as clear
    Given a core partner from "Northside Youth Trust" answers
      | question          | answer |
      | roles.roles_clear | 4      |
    When the partnership is assessed
    Then the finding "roles.roles-seen-differently" is not reported
