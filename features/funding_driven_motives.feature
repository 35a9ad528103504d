Feature: Funding-driven motives
  Respondents who see funding or a requirement as the main reason partners take part (Participate barrier h).
  How the partnership began (for a bid, say) is context and fires nothing: funders
  often ask for partnership bids. Every scenario starts from the healthy partnership
  and changes only the answers listed.

  Background:
    Given a healthy partnership

  Scenario: Some partners joined mainly for the funding
    Given the lead answers
      | question             | answer |
      | funding.motive_money | 4      |
    When the partnership is assessed
    Then the finding "funding.money-first" is reported
    And the finding "funding.money-first" prescribes "agree-shared-priorities"
    And the finding "funding.money-first" has evidence on "funding.motive_money"

  Scenario: Near miss: motives are mixed
    Given the lead answers
      | question             | answer |
      | funding.motive_money | 3      |
    When the partnership is assessed
    Then the finding "funding.money-first" is not reported

  Scenario: Near miss: in an agreed secondment the delivering partner is paid to deliver
    Given the lead answers
      | question                    | answer     |
      | governance.partnership_type | secondment |
      | governance.type_signed_up   | secondment |
      | funding.motive_money        | 4          |
    When the partnership is assessed
    Then the finding "funding.money-first" is not reported

  Scenario: Some partners are there mainly because a funder requires it
    Given the lead answers
      | question                   | answer |
      | funding.motive_requirement | 4      |
    When the partnership is assessed
    Then the finding "funding.requirement-only" is reported
    And the finding "funding.requirement-only" prescribes "agree-shared-priorities"
    And the finding "funding.requirement-only" has evidence on "funding.motive_requirement"

  Scenario: Near miss: a requirement played some part
    Given the lead answers
      | question                   | answer |
      | funding.motive_requirement | 3      |
    When the partnership is assessed
    Then the finding "funding.requirement-only" is not reported

  Scenario: A partnership put together for a bid, with a clear purpose, raises nothing
    Given the lead answers
      | question       | answer |
      | funding.origin | bid    |
    When the partnership is assessed
    Then no finding is reported
