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

  Scenario: A core partner finds roles unclear while the lead finds them very clear
    Given a core partner from "Northside Youth Trust" answers
      | question          | answer |
      | roles.roles_clear | 2      |
    When the partnership is assessed
    Then the finding "roles.roles-seen-differently" is reported
    And the finding "roles.roles-seen-differently" prescribes "review-responsibilities"
    And the finding "roles.roles-seen-differently" has evidence on "roles.roles_clear"

  Scenario: Near miss: a newcomer is neutral about roles the lead finds very clear
    Given a core partner from "Northside Youth Trust" answers
      | question          | answer |
      | roles.roles_clear | 3      |
    When the partnership is assessed
    Then the finding "roles.roles-seen-differently" is not reported

  Scenario: Near miss: the core partner finds roles nearly as clear
    Given a core partner from "Northside Youth Trust" answers
      | question          | answer |
      | roles.roles_clear | 4      |
    When the partnership is assessed
    Then the finding "roles.roles-seen-differently" is not reported

  Scenario: Organisations do not know whether they decide, are consulted or are kept informed
    Given the lead answers
      | question                  | answer |
      | roles.partner_roles_known | 2      |
    When the partnership is assessed
    Then the finding "roles.involvement-unclear" is reported
    And the finding "roles.involvement-unclear" prescribes "define-partner-roles"
    And the finding "roles.involvement-unclear" has evidence on "roles.partner_roles_known"

  Scenario: Near miss: organisations partly know how they are involved
    Given the lead answers
      | question                  | answer |
      | roles.partner_roles_known | 3      |
    When the partnership is assessed
    Then the finding "roles.involvement-unclear" is not reported
