Feature: Poor evaluation
  No measurement or review of how the partnership is doing (Citizens Advice).
  Every scenario starts from the healthy partnership and changes only the
  answers listed.

  Background:
    Given a healthy partnership

  Scenario: Progress is not tracked
    Given the lead answers
      | question                    | answer |
      | evaluation.progress_tracked | 2      |
    When the partnership is assessed
    Then the finding "evaluation.progress-not-tracked" is reported
    And the finding "evaluation.progress-not-tracked" prescribes "evaluate-and-review"
    And the finding "evaluation.progress-not-tracked" has evidence on "evaluation.progress_tracked"

  Scenario: Near miss: progress is tracked now and then
    Given the lead answers
      | question                    | answer |
      | evaluation.progress_tracked | 3      |
    When the partnership is assessed
    Then the finding "evaluation.progress-not-tracked" is not reported

  Scenario: The partnership has not been reviewed this year
    Given the lead answers
      | question                 | answer |
      | evaluation.reviewed_year | no     |
    When the partnership is assessed
    Then the finding "evaluation.no-review" is reported
    And the finding "evaluation.no-review" prescribes "evaluate-and-review"
    And the finding "evaluation.no-review" has evidence on "evaluation.reviewed_year"

  Scenario: Near miss: half the respondents say a review took place
    Given a core partner from "Northside Youth Trust" answers
      | question                 | answer |
      | evaluation.reviewed_year | no     |
    When the partnership is assessed
    Then the finding "evaluation.no-review" is not reported

  Scenario: Nothing is measured and nothing reviewed
    Given the lead answers
      | question                        | answer |
      | evaluation.progress_tracked     | 2      |
      | evaluation.outcomes_agreed      | 2      |
      | evaluation.successes_celebrated | 2      |
      | evaluation.reviewed_year        | no     |
    When the partnership is assessed
    Then the finding "evaluation.flying-blind" is reported
    And the finding "evaluation.flying-blind" prescribes "evaluate-and-review"
    And the finding "evaluation.flying-blind" has evidence on "evaluation.reviewed_year"

  Scenario: Near miss: some measurement but no review
    Given the lead answers
      | question                    | answer |
      | evaluation.progress_tracked | 3      |
      | evaluation.outcomes_agreed  | 3      |
      | evaluation.reviewed_year    | no     |
    When the partnership is assessed
    Then the finding "evaluation.flying-blind" is not reported

  Scenario: Successes are neither marked nor reported
    Given the lead answers
      | question                        | answer |
      | evaluation.successes_celebrated | 2      |
      | evaluation.successes_reported   | no     |
    When the partnership is assessed
    Then the finding "evaluation.successes-untold" is reported
    And the finding "evaluation.successes-untold" prescribes "evaluate-and-review"
    And the finding "evaluation.successes-untold" has evidence on "evaluation.successes_reported"

  Scenario: Near miss: successes are reported though seldom celebrated
    Given the lead answers
      | question                        | answer |
      | evaluation.successes_celebrated | 2      |
      | evaluation.successes_reported   | yes    |
    When the partnership is assessed
    Then the finding "evaluation.successes-untold" is not reported
