Feature: A type mismatch does not silence the findings on money, ownership, risk and the agreement
  Unclear funds and intellectual property, unmanaged risk and a missing agreement
  (WRC, Potential Challenges; Agreeing how you will operate; Participate, Appendix 2)
  matter in any partnership that does work together. Those rules stand aside only
  when the lead and core partners AGREE on a type where they do not apply: a
  cooperative network, which plans and resources separately (AVA, Participate), and,
  for the fair sharing of risk, a secondment, whose commissioning partner carries the
  risk of work it planned. When partners disagree on the type, the rules apply.

  Scenario: Partners disagree on the type, and money, ownership and risk are unclear
    Given the example "type-mismatch-money.yaml"
    When the partnership is assessed
    Then the finding "type.different-types-chosen" is reported
    And the finding "funds.ip-unclear" is reported
    And the finding "funds.ip-unclear" has evidence on "funding.ip_clear"
    And the finding "funds.distribution-unclear" is reported
    And the finding "risk.no-risk-process" is reported
    And the finding "agreement.none" is reported

  Scenario: The same partners agree they are a cooperative network
    Given the example "type-mismatch-money.yaml"
    And everyone answers
      | question                    | answer      |
      | governance.partnership_type | cooperative |
    When the partnership is assessed
    Then the finding "type.different-types-chosen" is not reported
    And the finding "funds.ip-unclear" is not reported
    And the finding "funds.distribution-unclear" is not reported
    And the finding "risk.no-risk-process" is not reported
    And the finding "agreement.none" is not reported

  Scenario: The same partners agree the partnership is a secondment
    Given the example "type-mismatch-money.yaml"
    And everyone answers
      | question                    | answer     |
      | governance.partnership_type | secondment |
    When the partnership is assessed
    Then the finding "funds.ip-unclear" is reported
    And the finding "risk.no-risk-process" is reported
    And the finding "agreement.none" is reported

  Scenario: In an agreed secondment, risk falling on one partner is not a finding
    Given a healthy partnership
    And the lead answers
      | question                    | answer     |
      | governance.partnership_type | secondment |
      | risk.risk_shared_fairly     | 2          |
    When the partnership is assessed
    Then the finding "risk.uneven-risk" is not reported

  Scenario: Partners disagree on the type, and risk falls on one partner
    Given a healthy partnership
    And the lead answers
      | question                | answer |
      | risk.risk_shared_fairly | 2      |
    And a core partner from "Northside Youth Trust" answers
      | question                    | answer      |
      | governance.partnership_type | cooperative |
      | risk.risk_shared_fairly     | 2           |
    When the partnership is assessed
    Then the finding "risk.uneven-risk" is reported
