Feature: Partner turnover
  Partners leaving or changing without the partnership adapting (Help through Crisis, WRC).
  Losing partners is not itself the problem: Rossendale went from twelve partners to
  ten and adapted. Every scenario starts from the healthy partnership and changes
  only the answers listed.

  Background:
    Given a healthy partnership

  Scenario: Newcomers are not briefed
    Given the lead answers
      | question                | answer |
      | roles.newcomers_briefed | 2      |
    When the partnership is assessed
    Then the finding "turnover.newcomers-not-briefed" is reported
    And the finding "turnover.newcomers-not-briefed" prescribes "brief-newcomers"
    And the finding "turnover.newcomers-not-briefed" has evidence on "roles.newcomers_briefed"

  Scenario: Near miss: newcomers get some briefing
    Given the lead answers
      | question                | answer |
      | roles.newcomers_briefed | 3      |
    When the partnership is assessed
    Then the finding "turnover.newcomers-not-briefed" is not reported

  Scenario: A partner left and there is no way of handling change
    Given the lead answers
      | question                        | answer |
      | relationships.partners_departed | 1      |
      | governance.changes_process      | 2      |
    When the partnership is assessed
    Then the finding "turnover.unmanaged-change" is reported
    And the finding "turnover.unmanaged-change" prescribes "plan-for-partner-changes"
    And the finding "turnover.unmanaged-change" has evidence on "relationships.partners_departed"

  Scenario: A partner was restructured and there is no way of handling change
    Given the lead answers
      | question                           | answer |
      | relationships.partner_restructured | yes    |
      | governance.changes_process         | 2      |
    When the partnership is assessed
    Then the finding "turnover.unmanaged-change" is reported
    And the finding "turnover.unmanaged-change" has evidence on "relationships.partner_restructured"

  Scenario: Near miss: a partner left and change is handled informally
    Given the lead answers
      | question                        | answer |
      | relationships.partners_departed | 1      |
      | governance.changes_process      | 3      |
    When the partnership is assessed
    Then the finding "turnover.unmanaged-change" is not reported

  Scenario: A partner left and the work is no longer shared fairly
    Given the lead answers
      | question                        | answer |
      | relationships.partners_departed | 1      |
      | roles.workload_fair             | 2      |
    When the partnership is assessed
    Then the finding "turnover.losses-not-absorbed" is reported
    And the finding "turnover.losses-not-absorbed" prescribes "review-responsibilities"
    And the finding "turnover.losses-not-absorbed" has evidence on "relationships.partners_departed"

  Scenario: Near miss: two partners left and the rest adapted, as in Rossendale
    Given the lead answers
      | question                        | answer |
      | relationships.partners_departed | 2      |
    When the partnership is assessed
    Then the finding "turnover.losses-not-absorbed" is not reported
    And the finding "turnover.unmanaged-change" is not reported
