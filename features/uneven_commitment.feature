Feature: Uneven commitment
  Different levels of effort, or partners not staying the course (WRC, AVA).
  Every scenario starts from the healthy partnership and changes only the
  answers listed.

  Background:
    Given a healthy partnership

  Scenario: Partners are not equally committed
    Given the lead answers
      | question                      | answer |
      | relationships.commitment_even | 2      |
    When the partnership is assessed
    Then the finding "commitment.uneven" is reported
    And the finding "commitment.uneven" prescribes "clarify-contributions-and-gains"
    And the finding "commitment.uneven" has evidence on "relationships.commitment_even"

  Scenario: Near miss: commitment varies a little
    Given the lead answers
      | question                      | answer |
      | relationships.commitment_even | 3      |
    When the partnership is assessed
    Then the finding "commitment.uneven" is not reported

  Scenario: A core partner does not intend to stay
    Given a core partner from "Northside Youth Trust" answers
      | question                           | answer |
      | relationships.sustained_commitment | 2      |
    When the partnership is assessed
    Then the finding "commitment.partner-may-leave" is reported
    And the finding "commitment.partner-may-leave" prescribes "work-with-the-willing"
    And the finding "commitment.partner-may-leave" has evidence on "relationships.sustained_commitment"

  Scenario: Near miss: the core partner is undecided about staying
    Given a core partner from "Northside Youth Trust" answers
      | question                           | answer |
      | relationships.sustained_commitment | 3      |
    When the partnership is assessed
    Then the finding "commitment.partner-may-leave" is not reported

  Scenario: A core respondent sees the partnership as marginal to their organisation's work
    Given a core partner from "Riverside College" answers
      | question                    | answer |
      | funding.partnership_central | 2      |
    When the partnership is assessed
    Then the finding "commitment.partnership-marginal" is reported
    And the finding "commitment.partnership-marginal" prescribes "clarify-contributions-and-gains"
    And the finding "commitment.partnership-marginal" has evidence on "funding.partnership_central"

  Scenario: Near miss: the partnership is marginal for a wider partner, as the wider role implies
    Given a wider partner from "Riverside Jobcentre" answers
      | question                    | answer |
      | funding.partnership_central | 1      |
    When the partnership is assessed
    Then the finding "commitment.partnership-marginal" is not reported
