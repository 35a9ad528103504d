Feature: Topics questionnaire 2.1 added
  The questions 2.1 added on topics the guides treat (README: "What 2.1 added, and
  what it left out") and the number of partners and face-to-face working, each read
  by a rule where a guide calls the situation a problem. Every scenario starts from
  the healthy partnership and changes only the answers listed.

  Background:
    Given a healthy partnership

  Scenario: The lead and core doubt the type suits the work
    Given the lead answers
      | question                   | answer |
      | governance.type_suits_work | 2      |
    When the partnership is assessed
    Then the finding "type.type-does-not-suit-work" is reported
    And the finding "type.type-does-not-suit-work" prescribes "agree-partnership-type"
    And the finding "type.type-does-not-suit-work" has evidence on "governance.type_suits_work"

  Scenario: Near miss: unsure whether the type suits the work
    Given the lead answers
      | question                   | answer |
      | governance.type_suits_work | 3      |
    When the partnership is assessed
    Then the finding "type.type-does-not-suit-work" is not reported

  Scenario: No ground rules for how partners behave
    Given the lead answers
      | question                | answer |
      | governance.ground_rules | 2      |
    When the partnership is assessed
    Then the finding "agreement.no-ground-rules" is reported
    And the finding "agreement.no-ground-rules" prescribes "agree-governance-structure"
    And the finding "agreement.no-ground-rules" has evidence on "governance.ground_rules"

  Scenario: Near miss: ground rules half agreed
    Given the lead answers
      | question                | answer |
      | governance.ground_rules | 3      |
    When the partnership is assessed
    Then the finding "agreement.no-ground-rules" is not reported

  Scenario: Nobody has settled who pays for running the partnership
    Given the lead answers
      | question                     | answer |
      | funding.running_costs_agreed | 2      |
    When the partnership is assessed
    Then the finding "funds.running-costs-unsettled" is reported
    And the finding "funds.running-costs-unsettled" prescribes "agree-funds-and-ip"
    And the finding "funds.running-costs-unsettled" has evidence on "funding.running_costs_agreed"

  Scenario: Near miss: the running costs are unsettled in a cooperative network, which has none to share
    Given the lead answers
      | question                     | answer      |
      | funding.running_costs_agreed | 2           |
      | governance.partnership_type  | cooperative |
      | governance.type_signed_up    | cooperative |
    When the partnership is assessed
    Then the finding "funds.running-costs-unsettled" is not reported

  Scenario: Mistakes in joint work are not owned up to and put right
    Given the lead answers
      | question                | answer |
      | risk.mistakes_put_right | 2      |
    When the partnership is assessed
    Then the finding "reputation.mistakes-not-put-right" is reported
    And the finding "reputation.mistakes-not-put-right" prescribes "agree-publicity-and-mistakes-protocol"
    And the finding "reputation.mistakes-not-put-right" has evidence on "risk.mistakes_put_right"

  Scenario: Near miss: mistakes are handled well enough
    Given the lead answers
      | question                | answer |
      | risk.mistakes_put_right | 3      |
    When the partnership is assessed
    Then the finding "reputation.mistakes-not-put-right" is not reported

  Scenario: The partnership's own running is not in place
    Given the lead answers
      | question                    | answer |
      | governance.running_in_place | 2      |
    When the partnership is assessed
    Then the finding "roles.running-not-in-place" is reported
    And the finding "roles.running-not-in-place" prescribes "agree-governance-structure"
    And the finding "roles.running-not-in-place" has evidence on "governance.running_in_place"

  Scenario: Near miss: its running mostly works
    Given the lead answers
      | question                    | answer |
      | governance.running_in_place | 3      |
    When the partnership is assessed
    Then the finding "roles.running-not-in-place" is not reported

  Scenario: Partners often leave their seats empty
    Given the lead answers
      | question                 | answer |
      | relationships.attendance | 2      |
    When the partnership is assessed
    Then the finding "commitment.seats-left-empty" is reported
    And the finding "commitment.seats-left-empty" prescribes "clarify-contributions-and-gains"
    And the finding "commitment.seats-left-empty" has evidence on "relationships.attendance"

  Scenario: Near miss: attendance is patchy but not poor
    Given the lead answers
      | question                 | answer |
      | relationships.attendance | 3      |
    When the partnership is assessed
    Then the finding "commitment.seats-left-empty" is not reported

  Scenario: Representatives keep changing
    Given the lead answers
      | question                             | answer |
      | relationships.representatives_change | 4      |
    When the partnership is assessed
    Then the finding "turnover.representatives-keep-changing" is reported
    And the finding "turnover.representatives-keep-changing" prescribes "brief-newcomers"
    And the finding "turnover.representatives-keep-changing" has evidence on "relationships.representatives_change"

  Scenario: Near miss: some change of representatives
    Given the lead answers
      | question                             | answer |
      | relationships.representatives_change | 3      |
    When the partnership is assessed
    Then the finding "turnover.representatives-keep-changing" is not reported

  Scenario: Most representatives are new in an established partnership
    Given the lead answers
      | question           | answer         |
      | roles.time_in_post | under_6_months |
    When the partnership is assessed
    Then the finding "turnover.mostly-new-representatives" is reported
    And the finding "turnover.mostly-new-representatives" prescribes "brief-newcomers"
    And the finding "turnover.mostly-new-representatives" has evidence on "roles.time_in_post"

  Scenario: Near miss: new representatives in a partnership under a year old
    Given the lead answers
      | question                   | answer         |
      | roles.time_in_post         | under_6_months |
      | governance.partnership_age | under_1_year   |
    When the partnership is assessed
    Then the finding "turnover.mostly-new-representatives" is not reported

  Scenario: A partner's resources for the work are running out
    Given the lead answers
      | question                      | answer |
      | funding.resources_running_out | 4      |
    When the partnership is assessed
    Then the finding "turnover.resources-running-out" is reported
    And the finding "turnover.resources-running-out" prescribes "review-responsibilities"
    And the finding "turnover.resources-running-out" has evidence on "funding.resources_running_out"

  Scenario: Near miss: resources are tight but not running out
    Given the lead answers
      | question                      | answer |
      | funding.resources_running_out | 3      |
    When the partnership is assessed
    Then the finding "turnover.resources-running-out" is not reported

  Scenario: Sub-groups do not report back
    Given the lead answers
      | question                       | answer |
      | communication.subgroups_report | 2      |
    When the partnership is assessed
    Then the finding "comms.subgroups-do-not-report" is reported
    And the finding "comms.subgroups-do-not-report" prescribes "review-communication"
    And the finding "comms.subgroups-do-not-report" has evidence on "communication.subgroups_report"

  Scenario: Near miss: a partnership with no sub-groups
    Given the lead answers
      | question                       | answer    |
      | communication.subgroups_report | dont_know |
    When the partnership is assessed
    Then the finding "comms.subgroups-do-not-report" is not reported

  Scenario: No face-to-face working, and decisions are slow
    Given the lead answers
      | question                   | answer |
      | communication.face_to_face | no     |
      | delivery.quick_decisions   | 2      |
    When the partnership is assessed
    Then the finding "comms.no-face-to-face" is reported
    And the finding "comms.no-face-to-face" prescribes "build-trust-informally"
    And the finding "comms.no-face-to-face" has evidence on "communication.face_to_face"

  Scenario: Near miss: partners work face to face, though decisions are slow
    Given the lead answers
      | question                   | answer |
      | communication.face_to_face | yes    |
      | delivery.quick_decisions   | 2      |
    When the partnership is assessed
    Then the finding "comms.no-face-to-face" is not reported

  Scenario: Many partners, and the partnership cannot decide quickly
    Given the lead answers
      | question                 | answer |
      | governance.partner_count | 20     |
      | delivery.quick_decisions | 2      |
    When the partnership is assessed
    Then the finding "overload.too-many-partners" is reported
    And the finding "overload.too-many-partners" prescribes "define-partner-roles"
    And the finding "overload.too-many-partners" has evidence on "governance.partner_count"

  Scenario: Near miss: a dozen partners and slow decisions
    Given the lead answers
      | question                 | answer |
      | governance.partner_count | 12     |
      | delivery.quick_decisions | 2      |
    When the partnership is assessed
    Then the finding "overload.too-many-partners" is not reported

  Scenario: Partners see none of the benefits of working together
    Given the lead answers
      | question                 | answer |
      | funding.reach_gained     | 2      |
      | funding.expertise_gained | 2      |
      | funding.less_duplication | 2      |
    When the partnership is assessed
    Then the finding "diversion.benefits-not-seen" is reported
    And the finding "diversion.benefits-not-seen" prescribes "cost-benefit-review"
    And the finding "diversion.benefits-not-seen" has evidence on "funding.reach_gained"

  Scenario: Near miss: a partnership under six months old has not seen the benefits yet
    Given the lead answers
      | question                   | answer         |
      | funding.reach_gained       | 2              |
      | funding.expertise_gained   | 2              |
      | funding.less_duplication   | 2              |
      | governance.partnership_age | under_6_months |
    When the partnership is assessed
    Then the finding "diversion.benefits-not-seen" is not reported
