Feature: Partner turnover
  Partners leaving or changing without the partnership adapting (Help through Crisis, WRC).
  Every scenario starts from the healthy partnership and changes only the
  answers listed.

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
      | question                    | answer |
      | relationships.partners_left | 1      |
      | governance.changes_process  | 2      |
    When the partnership is assessed
    Then the finding "turnover.unmanaged-change" is reported
    And the finding "turnover.unmanaged-change" prescribes "plan-for-partner-changes"
    And the finding "turnover.unmanaged-change" has evidence on "relationships.partners_left"

  Scenario: Near miss: a partner left and change is handled informally
    Given the lead answers
      | question                    | answer |
      | relationships.partners_left | 1      |
      | governance.changes_process  | 3      |
    When the partnership is assessed
    Then the finding "turnover.unmanaged-change" is not reported

  Scenario: Three partners left this year
    Given the lead answers
      | question                    | answer |
      | relationships.partners_left | 3      |
    When the partnership is assessed
    Then the finding "turnover.heavy-losses" is reported
    And the finding "turnover.heavy-losses" prescribes "plan-for-partner-changes"
    And the finding "turnover.heavy-losses" has evidence on "relationships.partners_left"

  Scenario: Near miss: two partners left this year
    Given the lead answers
      | question                    | answer |
      | relationships.partners_left | 2      |
    When the partnership is assessed
    Then the finding "turnover.heavy-losses" is not reported
