Feature: Unmanaged risk
  Risks not identified, managed or fairly shared (WRC).
  Every scenario starts from the healthy partnership and changes only the
  answers listed.

  Background:
    Given a healthy partnership

  Scenario Outline: Risks are not <what>
    Given the lead answers
      | question   | answer |
      | <question> | 2      |
    When the partnership is assessed
    Then the finding "risk.no-risk-process" is reported
    And the finding "risk.no-risk-process" prescribes "set-up-risk-process"
    And the finding "risk.no-risk-process" has evidence on "<question>"

    Examples:
      | what    | question           |
      | named   | risk.risks_named   |
      | managed | risk.risks_managed |

  Scenario: Near miss: some risks are named and managed
    Given the lead answers
      | question           | answer |
      | risk.risks_named   | 3      |
      | risk.risks_managed | 3      |
    When the partnership is assessed
    Then the finding "risk.no-risk-process" is not reported

  Scenario: Near miss: a cooperative network, which keeps resources and risk separate, has no joint risk process
    Given the lead answers
      | question                    | answer      |
      | governance.partnership_type | cooperative |
      | governance.type_signed_up   | cooperative |
      | risk.risks_named            | 2           |
      | risk.risks_managed          | 2           |
      | risk.risk_shared_fairly     | 2           |
    When the partnership is assessed
    Then the finding "risk.no-risk-process" is not reported
    And the finding "risk.uneven-risk" is not reported

  Scenario: Risk falls on one or two partners
    Given the lead answers
      | question                | answer |
      | risk.risk_shared_fairly | 2      |
    When the partnership is assessed
    Then the finding "risk.uneven-risk" is reported
    And the finding "risk.uneven-risk" prescribes "set-up-risk-process"
    And the finding "risk.uneven-risk" has evidence on "risk.risk_shared_fairly"

  Scenario: Near miss: risk is shared fairly enough
    Given the lead answers
      | question                | answer |
      | risk.risk_shared_fairly | 3      |
    When the partnership is assessed
    Then the finding "risk.uneven-risk" is not reported
