Feature: A hub whose wider partners see the type differently
  Help through Crisis: wider partners have no financial tie, take part on their own
  terms and may know much less about the work. They are not asked how core decisions,
  money, risk and work are shared, and their picture of the partnership's type is
  shown beside the lead and core partners' rather than counted as a mismatch. Every
  scenario starts from the healthy partnership (a lead who says collaborative) with
  two core partners who agree.

  Background:
    Given a healthy partnership
    And a core partner from "Northside Youth Trust" answers
      | question                    | answer        |
      | governance.partnership_type | collaborative |
    And a core partner from "Riverside College" answers
      | question                    | answer        |
      | governance.partnership_type | collaborative |

  Scenario: Three wider partners describe the type three ways
    Given a wider partner from "Riverside Food Bank" answers
      | question                    | answer      |
      | governance.partnership_type | cooperative |
      | governance.type_signed_up   | cooperative |
    And a wider partner from "Riverside Jobcentre" answers
      | question                    | answer      |
      | governance.partnership_type | coordinated |
      | governance.type_signed_up   | dont_know   |
    And a wider partner from "Riverside University" answers
      | question                    | answer      |
      | governance.partnership_type | cooperative |
      | governance.type_signed_up   | cooperative |
    When the partnership is assessed
    Then no high or critical finding is reported
    And the finding "type.different-types-chosen" is not reported
    And the finding "type.signed-up-for-different-types" is not reported
    And the finding "type.wider-partners-see-another-type" is reported
    And the partnership type is reported as "collaborative"

  Scenario: Wider partners who do not know the history say so, and nothing fires
    Given a wider partner from "Riverside Food Bank" answers
      | question                        | answer    |
      | governance.agreement_reviewed   | dont_know |
      | governance.dispute_procedure    | dont_know |
      | goals.goals_reviewed            | dont_know |
      | roles.stakeholders_mapped       | dont_know |
      | communication.channels_reviewed | dont_know |
      | evaluation.reviewed_year        | dont_know |
    When the partnership is assessed
    Then no finding is reported

  Scenario: Near miss: a core partner, not a wider one, describes another type
    Given a core partner from "Eastfield Youth Service" answers
      | question                    | answer      |
      | governance.partnership_type | cooperative |
    When the partnership is assessed
    Then the finding "type.different-types-chosen" is reported
    And the finding "type.wider-partners-see-another-type" is not reported
