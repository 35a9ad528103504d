Feature: No working partnership agreement
  No written agreement, disagreement about it, or no review (Citizens Advice, Participate, WRC).
  Every scenario starts from the healthy partnership and changes only the
  answers listed.

  Background:
    Given a healthy partnership

  Scenario: There is no written agreement
    Given the lead answers
      | question                      | answer |
      | governance.agreement_exists   | no     |
      | governance.agreement_reviewed | -      |
    When the partnership is assessed
    Then the finding "agreement.none" is reported
    And the finding "agreement.none" prescribes "write-partnership-agreement"
    And the finding "agreement.none" has evidence on "governance.agreement_exists"

  Scenario: Near miss: one of two respondents knows of an agreement
    Given a core partner from "Northside Youth Trust" answers
      | question                      | answer |
      | governance.agreement_exists   | no     |
      | governance.agreement_reviewed | -      |
    When the partnership is assessed
    Then the finding "agreement.none" is not reported

  Scenario: A core partner does not know the agreement exists
    Given a core partner from "Northside Youth Trust" answers
      | question                      | answer |
      | governance.agreement_exists   | no     |
      | governance.agreement_reviewed | -      |
    When the partnership is assessed
    Then the finding "agreement.partners-unsure" is reported
    And the finding "agreement.partners-unsure" prescribes "review-partnership-agreement"
    And the finding "agreement.partners-unsure" has evidence on "governance.agreement_exists"

  Scenario: Near miss: the core partner leaves the question blank
    Given a core partner from "Northside Youth Trust" answers
      | question                      | answer |
      | governance.agreement_exists   | -      |
      | governance.agreement_reviewed | -      |
    When the partnership is assessed
    Then the finding "agreement.partners-unsure" is not reported

  Scenario: The agreement has not been reviewed this year
    Given the lead answers
      | question                      | answer |
      | governance.agreement_reviewed | no     |
    When the partnership is assessed
    Then the finding "agreement.not-reviewed" is reported
    And the finding "agreement.not-reviewed" prescribes "review-partnership-agreement"
    And the finding "agreement.not-reviewed" has evidence on "governance.agreement_reviewed"

  Scenario: Near miss: half the respondents say it was reviewed
    Given the lead answers
      | question                      | answer |
      | governance.agreement_reviewed | no     |
    And a core partner from "Northside Youth Trust" answers
      | question                      | answer |
      | governance.agreement_reviewed | yes    |
    When the partnership is assessed
    Then the finding "agreement.not-reviewed" is not reported

  Scenario: No dispute procedure has been agreed, in a partnership with no conflict
    Given the lead answers
      | question                     | answer |
      | governance.dispute_procedure | no     |
    When the partnership is assessed
    Then the finding "disputes.no-procedure" is reported
    And the finding "disputes.no-procedure" is filed under "no_partnership_agreement" at "low"
    And the finding "disputes.no-procedure" prescribes "agree-dispute-procedure"
    And the finding "disputes.no-procedure" has evidence on "governance.dispute_procedure"

  Scenario: Near miss: half the respondents know of a procedure
    Given a core partner from "Northside Youth Trust" answers
      | question                     | answer |
      | governance.dispute_procedure | no     |
    When the partnership is assessed
    Then the finding "disputes.no-procedure" is not reported
