Feature: A partnership with one dispute that has reviewed itself is not told to end
  Citizens Advice: a disagreement is worth settling, and ending a partnership is for
  when values clash, a partner can no longer commit, or the reviews of communication,
  responsibilities, goals and the agreement have not helped. One dispute, even with
  some loss of trust, in a partnership that has done those reviews is a dispute to
  settle, not a reason to end. Every scenario starts from the healthy partnership,
  whose lead says all four reviews were done this year.

  Background:
    Given a healthy partnership

  Scenario: One long-running dispute, after the reviews
    Given the lead answers
      | question                           | answer |
      | relationships.long_running_dispute | 4      |
    And a core partner from "Northside Youth Trust" answers
      | question                           | answer |
      | relationships.long_running_dispute | 4      |
    When the partnership is assessed
    Then the finding "disputes.long-running" is reported
    And the finding "disputes.long-running" prescribes "agree-dispute-procedure"
    And the finding "ending.several-serious-breakdowns" is not reported
    And the finding "ending.review-first" is not reported

  Scenario: A dispute and broken trust: two serious problems are not several
    Given the lead answers
      | question                           | answer |
      | relationships.long_running_dispute | 4      |
      | relationships.trust                | 2      |
    And a core partner from "Northside Youth Trust" answers
      | question                           | answer |
      | relationships.long_running_dispute | 4      |
      | relationships.trust                | 2      |
    When the partnership is assessed
    Then the finding "disputes.long-running" is reported
    And the finding "trust.low-trust" is reported
    And the finding "ending.several-serious-breakdowns" is not reported
    And the finding "ending.review-first" is not reported

  Scenario: Near miss: a third serious problem, and the reviews were tried
    Given the lead answers
      | question                           | answer |
      | relationships.long_running_dispute | 4      |
      | relationships.trust                | 2      |
    And a core partner from "Northside Youth Trust" answers
      | question                           | answer |
      | relationships.long_running_dispute | 4      |
      | relationships.trust                | 2      |
      | relationships.sustained_commitment | 1      |
    When the partnership is assessed
    Then the finding "ending.several-serious-breakdowns" is reported
