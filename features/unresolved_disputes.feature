Feature: Unresolved disputes
  Disagreements that drag on without an agreed way to settle them (Citizens Advice, Participate).
  Every scenario starts from the healthy partnership and changes only the
  answers listed.

  Background:
    Given a healthy partnership

  Scenario: No dispute procedure has been agreed
    Given the lead answers
      | question                     | answer |
      | governance.dispute_procedure | no     |
    When the partnership is assessed
    Then the finding "disputes.no-procedure" is reported
    And the finding "disputes.no-procedure" prescribes "agree-dispute-procedure"
    And the finding "disputes.no-procedure" has evidence on "governance.dispute_procedure"

  Scenario: Near miss: half the respondents know of a procedure
    Given a core partner from "Northside Youth Trust" answers
      | question                     | answer |
      | governance.dispute_procedure | no     |
    When the partnership is assessed
    Then the finding "disputes.no-procedure" is not reported

  Scenario: A disagreement has dragged on for months
    Given the lead answers
      | question                           | answer |
      | relationships.long_running_dispute | 4      |
    When the partnership is assessed
    Then the finding "disputes.long-running" is reported
    And the finding "disputes.long-running" prescribes "agree-dispute-procedure"
    And the finding "disputes.long-running" has evidence on "relationships.long_running_dispute"

  Scenario: Near miss: respondents are unsure about a long dispute
    Given the lead answers
      | question                           | answer |
      | relationships.long_running_dispute | 3      |
    When the partnership is assessed
    Then the finding "disputes.long-running" is not reported

  Scenario: A core partner sees a dispute the lead does not
    Given a core partner from "Northside Youth Trust" answers
      | question                           | answer |
      | relationships.long_running_dispute | 4      |
    When the partnership is assessed
    Then the finding "disputes.simmering" is reported
    And the finding "disputes.simmering" prescribes "review-communication"
    And the finding "disputes.simmering" has evidence on "relationships.long_running_dispute"

  Scenario: Near miss: the core partner is unsure about a dispute
    Given a core partner from "Northside Youth Trust" answers
      | question                           | answer |
      | relationships.long_running_dispute | 3      |
    When the partnership is assessed
    Then the finding "disputes.simmering" is not reported
