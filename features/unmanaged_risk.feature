Feature: Unmanaged risk
  Risks not identified, managed or fairly shared (WRC).
  Every scenario starts from the healthy partnership and changes only the
  answers listed.

  Background:
    Given a healthy partnership

  Scenario: Risks are not identified or managed
    Given the lead answers
      | question              | answer |
      | risk.risks_identified | 2      |
    When the partnership is assessed
    Then the finding "risk.no-risk-process" is reported
    And the finding "risk.no-risk-process" prescribes "set-up-risk-process"
    And the finding "risk.no-risk-process" has evidence on "risk.risks_identified"

  Scenario: Near miss: some risks are identified
    Given the lead answers
      | question              | answer |
      | risk.risks_identified | 3      |
    When the partnership is assessed
    Then the finding "risk.no-risk-process" is not reported

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
