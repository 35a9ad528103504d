Feature: Funding-driven motives
  Partners in it mainly for the money (Participate barrier h, WRC initial key questions).
  Every scenario starts from the healthy partnership and changes only the
  answers listed.

  Background:
    Given a healthy partnership

  Scenario: Some partners joined mainly for the funding
    Given the lead answers
      | question                    | answer |
      | funding.motive_funding_only | 4      |
    When the partnership is assessed
    Then the finding "funding.money-first" is reported
    And the finding "funding.money-first" prescribes "agree-shared-priorities"
    And the finding "funding.money-first" has evidence on "funding.motive_funding_only"

  Scenario: Near miss: motives are mixed
    Given the lead answers
      | question                    | answer |
      | funding.motive_funding_only | 3      |
    When the partnership is assessed
    Then the finding "funding.money-first" is not reported

  Scenario: Formed to win a grant and the purpose is still hazy
    Given the lead answers
      | question                  | answer |
      | funding.bid_driven_origin | 4      |
      | goals.purpose_clear       | 3      |
    When the partnership is assessed
    Then the finding "funding.bid-driven-without-purpose" is reported
    And the finding "funding.bid-driven-without-purpose" prescribes "cost-benefit-review"
    And the finding "funding.bid-driven-without-purpose" has evidence on "funding.bid_driven_origin"

  Scenario: Near miss: formed to win a grant, but the purpose is now clear
    Given the lead answers
      | question                  | answer |
      | funding.bid_driven_origin | 4      |
      | goals.purpose_clear       | 4      |
    When the partnership is assessed
    Then the finding "funding.bid-driven-without-purpose" is not reported
