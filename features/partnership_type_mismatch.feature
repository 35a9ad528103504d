Feature: Partnership type mismatch
  Partners picturing different types of partnership (AVA four types, Participate).
  Every scenario starts from the healthy partnership and changes only the
  answers listed.

  Background:
    Given a healthy partnership

  Scenario Outline: A core partner describes a different type
    Given a core partner from "Northside Youth Trust" answers
      | question                    | answer |
      | governance.partnership_type | <type> |
    When the partnership is assessed
    Then the finding "type.different-types-chosen" is reported
    And the finding "type.different-types-chosen" prescribes "agree-partnership-type"
    And the finding "type.different-types-chosen" has evidence on "governance.partnership_type"

    Examples:
      | type        |
      | secondment  |
      | cooperative |
      | coordinated |

  Scenario: Near miss: the core partner also says collaborative
    Given a core partner from "Northside Youth Trust" answers
      | question                    | answer        |
      | governance.partnership_type | collaborative |
    When the partnership is assessed
    Then the finding "type.different-types-chosen" is not reported

  Scenario: Lead and core partner agree on everything
    Given a core partner from "Northside Youth Trust" answers
      | question                    | answer        |
      | governance.partnership_type | collaborative |
    When the partnership is assessed
    Then no finding is reported

  Scenario: Partners doubt they would describe the type the same way
    Given the lead answers
      | question               | answer |
      | governance.type_agreed | 2      |
    When the partnership is assessed
    Then the finding "type.type-not-agreed" is reported
    And the finding "type.type-not-agreed" prescribes "agree-partnership-type"
    And the finding "type.type-not-agreed" has evidence on "governance.type_agreed"

  Scenario: Near miss: partners are unsure
    Given the lead answers
      | question               | answer |
      | governance.type_agreed | 3      |
    When the partnership is assessed
    Then the finding "type.type-not-agreed" is not reported

  Scenario: A core partner picks a different type; most still say collaborative
    Given a core partner from "Northside Youth Trust" answers
      | question                    | answer      |
      | governance.partnership_type | coordinated |
    And a core partner from "Riverside College" answers
      | question                    | answer        |
      | governance.partnership_type | collaborative |
    When the partnership is assessed
    Then the finding "type.different-types-chosen" is reported
    And the partnership type is reported as "collaborative"

  Scenario: A tie goes to the type listed first among the choices
    Given a core partner from "Northside Youth Trust" answers
      | question                    | answer      |
      | governance.partnership_type | coordinated |
    When the partnership is assessed
    Then the partnership type is reported as "coordinated"
