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

  Scenario: The lead and a core partner signed up for different types
    Given a core partner from "Northside Youth Trust" answers
      | question                  | answer      |
      | governance.type_signed_up | coordinated |
    When the partnership is assessed
    Then the finding "type.signed-up-for-different-types" is reported
    And the finding "type.signed-up-for-different-types" prescribes "agree-partnership-type"
    And the finding "type.signed-up-for-different-types" has evidence on "governance.type_signed_up"

  Scenario: Near miss: a wider partner remembers signing up for something looser
    Given a wider partner from "Riverside Food Bank" answers
      | question                  | answer      |
      | governance.type_signed_up | cooperative |
    When the partnership is assessed
    Then the finding "type.signed-up-for-different-types" is not reported

  Scenario: Wider partners see the type differently from the lead and core
    Given a core partner from "Northside Youth Trust" answers
      | question                    | answer        |
      | governance.partnership_type | collaborative |
    And a wider partner from "Riverside Food Bank" answers
      | question                    | answer      |
      | governance.partnership_type | cooperative |
    When the partnership is assessed
    Then the finding "type.wider-partners-see-another-type" is reported
    And the finding "type.wider-partners-see-another-type" prescribes "define-partner-roles"
    And the finding "type.wider-partners-see-another-type" has evidence on "governance.partnership_type"
    And the finding "type.different-types-chosen" is not reported

  Scenario: Near miss: the wider partner sees the same type
    Given a wider partner from "Riverside Food Bank" answers
      | question                    | answer        |
      | governance.partnership_type | collaborative |
    When the partnership is assessed
    Then the finding "type.wider-partners-see-another-type" is not reported

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
