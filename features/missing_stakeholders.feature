Feature: Missing stakeholders
  Needed organisations not involved, membership not reviewed (WRC, Citizens Advice).
  Every scenario starts from the healthy partnership and changes only the
  answers listed.

  Background:
    Given a healthy partnership

  Scenario: Key organisations are missing
    Given the lead answers
      | question                        | answer |
      | roles.key_organisations_missing | 4      |
    When the partnership is assessed
    Then the finding "stakeholders.key-organisations-missing" is reported
    And the finding "stakeholders.key-organisations-missing" prescribes "define-partner-roles"
    And the finding "stakeholders.key-organisations-missing" has evidence on "roles.key_organisations_missing"

  Scenario: Near miss: respondents are unsure anyone is missing
    Given the lead answers
      | question                        | answer |
      | roles.key_organisations_missing | 3      |
    When the partnership is assessed
    Then the finding "stakeholders.key-organisations-missing" is not reported

  Scenario: Stakeholders were never mapped and partners suspect gaps
    Given the lead answers
      | question                        | answer |
      | roles.stakeholders_mapped       | no     |
      | roles.key_organisations_missing | 3      |
    When the partnership is assessed
    Then the finding "stakeholders.never-mapped" is reported
    And the finding "stakeholders.never-mapped" prescribes "map-stakeholders"
    And the finding "stakeholders.never-mapped" has evidence on "roles.stakeholders_mapped"

  Scenario: Near miss: never mapped, but partners are confident nobody is missing
    Given the lead answers
      | question                        | answer |
      | roles.stakeholders_mapped       | no     |
      | roles.key_organisations_missing | 2      |
    When the partnership is assessed
    Then the finding "stakeholders.never-mapped" is not reported
