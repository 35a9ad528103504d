Feature: Power imbalance
  Decision power and benefits concentrated in one partner (WRC, Help through Crisis co-operation).
  Every scenario starts from the healthy partnership and changes only the
  answers listed.

  Background:
    Given a healthy partnership

  Scenario: Decisions are not shared
    Given the lead answers
      | question                   | answer |
      | authority.decisions_shared | 2      |
    When the partnership is assessed
    Then the finding "power.decisions-concentrated" is reported
    And the finding "power.decisions-concentrated" prescribes "share-decision-making"
    And the finding "power.decisions-concentrated" has evidence on "authority.decisions_shared"

  Scenario: Near miss: decisions are partly shared
    Given the lead answers
      | question                   | answer |
      | authority.decisions_shared | 3      |
    When the partnership is assessed
    Then the finding "power.decisions-concentrated" is not reported

  Scenario: The lead sees shared decisions but a core partner does not
    Given a core partner from "Northside Youth Trust" answers
      | question                   | answer |
      | authority.decisions_shared | 2      |
    When the partnership is assessed
    Then the finding "power.lead-core-gap" is reported
    And the finding "power.lead-core-gap" prescribes "share-decision-making"
    And the finding "power.lead-core-gap" has evidence on "authority.decisions_shared"

  Scenario: Two core partners average 2.5 against the lead's 5
    Given a core partner from "Northside Youth Trust" answers
      | question                   | answer |
      | authority.decisions_shared | 2      |
    And a core partner from "Riverside College" answers
      | question                   | answer |
      | authority.decisions_shared | 3      |
    When the partnership is assessed
    Then the finding "power.lead-core-gap" is reported
    And the finding "power.lead-core-gap" prescribes "review-lead-partner-role"

  Scenario: Near miss: the core partner is neutral about shared decisions
    Given a core partner from "Northside Youth Trust" answers
      | question                   | answer |
      | authority.decisions_shared | 3      |
    When the partnership is assessed
    Then the finding "power.lead-core-gap" is not reported

  Scenario: Near miss: the lead itself does not claim decisions are shared
    Given the lead answers
      | question                   | answer |
      | authority.decisions_shared | 3      |
    And a core partner from "Northside Youth Trust" answers
      | question                   | answer |
      | authority.decisions_shared | 2      |
    When the partnership is assessed
    Then the finding "power.lead-core-gap" is not reported

  Scenario: The lead gains much more than a core partner
    Given a core partner from "Northside Youth Trust" answers
      | question             | answer |
      | funding.cost_benefit | 2      |
    When the partnership is assessed
    Then the finding "power.benefits-flow-to-lead" is reported
    And the finding "power.benefits-flow-to-lead" prescribes "clarify-contributions-and-gains"
    And the finding "power.benefits-flow-to-lead" has evidence on "funding.cost_benefit"

  Scenario: Near miss: the core partner's benefits roughly match its costs
    Given a core partner from "Northside Youth Trust" answers
      | question             | answer |
      | funding.cost_benefit | 3      |
    When the partnership is assessed
    Then the finding "power.benefits-flow-to-lead" is not reported
