Feature: Mistakes and reputational harm
  Partners acting alone in public or fearing for their reputation (Citizens Advice, WRC).
  Every scenario starts from the healthy partnership and changes only the
  answers listed.

  Background:
    Given a healthy partnership

  Scenario: A core partner reports unagreed publicity
    Given a core partner from "Northside Youth Trust" answers
      | question                  | answer |
      | risk.unapproved_publicity | yes    |
    When the partnership is assessed
    Then the finding "reputation.unagreed-publicity" is reported
    And the finding "reputation.unagreed-publicity" prescribes "agree-publicity-and-mistakes-protocol"
    And the finding "reputation.unagreed-publicity" has evidence on "risk.unapproved_publicity"

  Scenario: Near miss: the core partner does not know, and the lead says no
    Given a core partner from "Northside Youth Trust" answers
      | question                  | answer |
      | risk.unapproved_publicity | -      |
    When the partnership is assessed
    Then the finding "reputation.unagreed-publicity" is not reported

  Scenario: The wider partner fears for its reputation
    Given a wider partner from "Riverside Jobcentre" answers
      | question               | answer |
      | risk.reputation_threat | 4      |
    When the partnership is assessed
    Then the finding "reputation.brand-at-risk" is reported
    And the finding "reputation.brand-at-risk" prescribes "agree-publicity-and-mistakes-protocol"
    And the finding "reputation.brand-at-risk" has evidence on "risk.reputation_threat"

  Scenario: Near miss: the wider partner is unsure about reputational harm
    Given a wider partner from "Riverside Jobcentre" answers
      | question               | answer |
      | risk.reputation_threat | 3      |
    When the partnership is assessed
    Then the finding "reputation.brand-at-risk" is not reported
