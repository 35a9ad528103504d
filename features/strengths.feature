Feature: Strengths
  The success factors of the guides that a partnership's answers show are in place
  (WRC critical success factors, Participate characteristics of effective
  partnerships, AVA respectful partnerships, Help through Crisis co-operation,
  flexibility and communication). The healthy partnership shows every strength.
  Every scenario starts from the healthy partnership and changes only the answers
  listed.

  Background:
    Given a healthy partnership

  # --- WRC critical success factors ---------------------------------------------------

  Scenario: A clear structure and leadership
    Given a core partner from "Northside Youth Trust" answers
      | question              | answer |
      | roles.lead_role_clear | 4      |
    When the partnership is assessed
    Then the strength "strength.clear-structure" is reported

  Scenario: Near miss: the lead is unsure where final decisions are taken
    Given the lead answers
      | question                         | answer |
      | governance.final_decisions_clear | 3      |
    When the partnership is assessed
    Then the strength "strength.clear-structure" is not reported

  Scenario: Everyone can say what the partnership is for
    Given a core partner from "Northside Youth Trust" answers
      | question            | answer |
      | goals.purpose_clear | 4      |
    When the partnership is assessed
    Then the strength "strength.shared-purpose" is reported

  Scenario: Near miss: the average is high but one partner is unsure of the purpose
    Given a core partner from "Northside Youth Trust" answers
      | question            | answer |
      | goals.purpose_clear | 5      |
    And a core partner from "Riverside College" answers
      | question            | answer |
      | goals.purpose_clear | 2      |
    When the partnership is assessed
    Then the strength "strength.shared-purpose" is not reported

  Scenario: Partners trust each other
    Given a core partner from "Northside Youth Trust" answers
      | question            | answer |
      | relationships.trust | 4      |
    When the partnership is assessed
    Then the strength "strength.trust" is reported

  Scenario: Near miss: trust averages 4 but one partner has lost it
    Given a core partner from "Northside Youth Trust" answers
      | question            | answer |
      | relationships.trust | 5      |
    And a core partner from "Riverside College" answers
      | question            | answer |
      | relationships.trust | 2      |
    When the partnership is assessed
    Then the strength "strength.trust" is not reported

  Scenario: Decisions and money are handled in the open
    When the partnership is assessed
    Then the strength "strength.transparency" is reported

  Scenario: Near miss: the division of funds is not quite clear
    Given the lead answers
      | question                   | answer |
      | funding.distribution_clear | 3      |
    When the partnership is assessed
    Then the strength "strength.transparency" is not reported

  Scenario: The partnership is worth it for every partner
    Given a core partner from "Northside Youth Trust" answers
      | question             | answer |
      | funding.cost_benefit | 4      |
    When the partnership is assessed
    Then the strength "strength.added-value-for-all" is reported

  Scenario: Near miss: a core partner gets too little back
    Given a core partner from "Northside Youth Trust" answers
      | question             | answer |
      | funding.cost_benefit | 2      |
    When the partnership is assessed
    Then the strength "strength.added-value-for-all" is not reported

  Scenario: Partners put in a similar effort
    Given a core partner from "Northside Youth Trust" answers
      | question                | answer |
      | roles.own_share_of_work | 3      |
    When the partnership is assessed
    Then the strength "strength.commitment" is reported

  Scenario: Near miss: a core partner says it puts in far more than the others
    Given a core partner from "Northside Youth Trust" answers
      | question                | answer |
      | roles.own_share_of_work | 4      |
    When the partnership is assessed
    Then the strength "strength.commitment" is not reported

  # --- Participate: characteristics of effective partnerships ------------------------

  Scenario: Roles are clear and the work is shared fairly
    When the partnership is assessed
    Then the strength "strength.clear-roles" is reported

  Scenario: Near miss: the work is not clearly shared fairly
    Given the lead answers
      | question            | answer |
      | roles.workload_fair | 3      |
    When the partnership is assessed
    Then the strength "strength.clear-roles" is not reported

  Scenario: Core partners meet every six weeks
    Given the lead answers
      | question                         | answer |
      | communication.core_meeting_weeks | 6      |
    When the partnership is assessed
    Then the strength "strength.regular-updates" is reported

  Scenario: Near miss: core partners meet every eight weeks
    Given the lead answers
      | question                         | answer |
      | communication.core_meeting_weeks | 8      |
    When the partnership is assessed
    Then the strength "strength.regular-updates" is not reported

  Scenario: The partnership measures what it achieves
    When the partnership is assessed
    Then the strength "strength.measuring-achievements" is reported

  Scenario: Near miss: progress is only sometimes checked against targets
    Given the lead answers
      | question                    | answer |
      | evaluation.progress_tracked | 3      |
    When the partnership is assessed
    Then the strength "strength.measuring-achievements" is not reported

  Scenario: Four in five partners know of the shared plan
    Given a core partner from "Northside Youth Trust" answers
      | question            | answer |
      | delivery.joint_plan | yes    |
    And a core partner from "Riverside College" answers
      | question            | answer |
      | delivery.joint_plan | yes    |
    And a core partner from "Eastfield Youth Service" answers
      | question            | answer |
      | delivery.joint_plan | yes    |
    And a wider partner from "Riverside Jobcentre" answers
      | question            | answer |
      | delivery.joint_plan | no     |
    When the partnership is assessed
    Then the strength "strength.realistic-plan" is reported

  Scenario: Near miss: half the partners know of no shared plan
    Given a core partner from "Northside Youth Trust" answers
      | question            | answer |
      | delivery.joint_plan | no     |
    When the partnership is assessed
    Then the strength "strength.realistic-plan" is not reported

  Scenario: Disagreements get dealt with
    Given a core partner from "Northside Youth Trust" answers
      | question                           | answer |
      | relationships.long_running_dispute | 2      |
    When the partnership is assessed
    Then the strength "strength.dealing-with-disagreement" is reported

  Scenario: Near miss: a core partner is not sure a disagreement has been settled
    Given a core partner from "Northside Youth Trust" answers
      | question                           | answer |
      | relationships.long_running_dispute | 3      |
    When the partnership is assessed
    Then the strength "strength.dealing-with-disagreement" is not reported

  Scenario: Partner organisations own the partnership
    When the partnership is assessed
    Then the strength "strength.whole-organisation-ownership" is reported

  Scenario: Near miss: partnership work is only partly in partners' own plans
    Given the lead answers
      | question                 | answer |
      | delivery.fits_mainstream | 3      |
    When the partnership is assessed
    Then the strength "strength.whole-organisation-ownership" is not reported

  # --- AVA: respectful and effective partnerships --------------------------------------

  Scenario: Partners value and understand each other's work
    Given a wider partner from "Riverside Jobcentre" answers
      | question                           | answer |
      | relationships.contributions_valued | 4      |
    When the partnership is assessed
    Then the strength "strength.valued-contributions" is reported

  Scenario: Near miss: the wider partner feels its contribution is not valued
    Given a wider partner from "Riverside Jobcentre" answers
      | question                           | answer |
      | relationships.contributions_valued | 2      |
    When the partnership is assessed
    Then the strength "strength.valued-contributions" is not reported

  Scenario: Partners share values about how the work is done
    When the partnership is assessed
    Then the strength "strength.shared-values" is reported

  Scenario: Near miss: the lead is neutral about shared values
    Given the lead answers
      | question            | answer |
      | goals.shared_values | 3      |
    When the partnership is assessed
    Then the strength "strength.shared-values" is not reported

  Scenario: Partners are in it for as long as the work needs
    Given a core partner from "Northside Youth Trust" answers
      | question                           | answer |
      | relationships.sustained_commitment | 4      |
    When the partnership is assessed
    Then the strength "strength.sustained-commitment" is reported

  Scenario: Near miss: a core partner is unsure it will stay the course
    Given a core partner from "Northside Youth Trust" answers
      | question                           | answer |
      | relationships.sustained_commitment | 3      |
    When the partnership is assessed
    Then the strength "strength.sustained-commitment" is not reported

  # --- Help through Crisis: co-operation, flexibility, communication ------------------

  Scenario: Decisions are genuinely shared
    Given a core partner from "Northside Youth Trust" answers
      | question                   | answer |
      | authority.decisions_shared | 4      |
    When the partnership is assessed
    Then the strength "strength.co-operation" is reported

  Scenario: Near miss: a core partner does not see decisions as shared
    Given a core partner from "Northside Youth Trust" answers
      | question                   | answer |
      | authority.decisions_shared | 2      |
    When the partnership is assessed
    Then the strength "strength.co-operation" is not reported

  Scenario: The partnership adapts to its partners
    When the partnership is assessed
    Then the strength "strength.flexibility" is reported

  Scenario: Near miss: differences in working style sometimes cause friction
    Given the lead answers
      | question         | answer |
      | culture.friction | 3      |
    When the partnership is assessed
    Then the strength "strength.flexibility" is not reported

  Scenario: Communication works for every partner
    Given a wider partner from "Riverside Jobcentre" answers
      | question                       | answer |
      | communication.tools_accessible | 4      |
    When the partnership is assessed
    Then the strength "strength.communication" is reported

  Scenario: Near miss: the wider partner cannot use every tool easily
    Given a wider partner from "Riverside Jobcentre" answers
      | question                       | answer |
      | communication.tools_accessible | 3      |
    When the partnership is assessed
    Then the strength "strength.communication" is not reported

  Scenario: Partners speak frankly and can raise problems
    Given a core partner from "Northside Youth Trust" answers
      | question                         | answer |
      | communication.can_raise_problems | 4      |
    When the partnership is assessed
    Then the strength "strength.frank-and-honest" is reported

  Scenario: Near miss: a core partner is unsure it could raise a problem
    Given a core partner from "Northside Youth Trust" answers
      | question                         | answer |
      | communication.can_raise_problems | 3      |
    When the partnership is assessed
    Then the strength "strength.frank-and-honest" is not reported

  Scenario: Partners build on a history of working together
    Given a core partner from "Northside Youth Trust" answers
      | question                             | answer |
      | relationships.worked_together_before | yes    |
    When the partnership is assessed
    Then the strength "strength.worked-together-before" is reported

  Scenario: Near miss: a new core partner had not worked with the others before
    Given a core partner from "Northside Youth Trust" answers
      | question                             | answer |
      | relationships.worked_together_before | no     |
    When the partnership is assessed
    Then the strength "strength.worked-together-before" is not reported
