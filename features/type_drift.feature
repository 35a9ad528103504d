Feature: Type drift
  A partner organisation that sees a different type of partnership today from the one
  it signed up for (AVA, four main types: different ideas of how the partnership works
  breed resentment). Counted per organisation (`partners: type_drift`), so a change the
  whole partnership drifted into together is seen even when everyone agrees on today's
  type; the finding never says which organisation.

  Scenario: Three partners drifted together from a cooperative network to a co-ordinated partnership
    Given the example "type-drift.yaml"
    When the partnership is assessed
    Then the finding "type.drifted-from-signed-up" is reported
    And the finding "type.drifted-from-signed-up" prescribes "agree-partnership-type"
    And the finding "type.different-types-chosen" is not reported
    And the finding "type.signed-up-for-different-types" is not reported
    And no finding names "Northfield Advice Centre"

  Scenario: Near miss: every partner still sees the cooperative network it signed up for
    Given the example "type-drift.yaml"
    And everyone answers
      | question                    | answer      |
      | governance.partnership_type | cooperative |
    When the partnership is assessed
    Then the finding "type.drifted-from-signed-up" is not reported

  Scenario: One core partner signed up for less than it sees today
    Given a healthy partnership
    And a core partner from "Northside Youth Trust" answers
      | question                  | answer      |
      | governance.type_signed_up | coordinated |
    When the partnership is assessed
    Then the finding "type.drifted-from-signed-up" is reported
    And the finding "type.signed-up-for-different-types" is reported
