Feature: Time pressures
  Results slower than expected: no timeline, no time to build, slow decisions (Participate barrier f).
  Every scenario starts from the healthy partnership and changes only the
  answers listed.

  Background:
    Given a healthy partnership

  Scenario: No timetable has been agreed
    Given the lead answers
      | question              | answer |
      | goals.timeline_agreed | no     |
    When the partnership is assessed
    Then the finding "time.no-timeline" is reported
    And the finding "time.no-timeline" prescribes "agree-timeline"
    And the finding "time.no-timeline" has evidence on "goals.timeline_agreed"

  Scenario: Near miss: a cooperative network, which plans separately, has no joint timetable
    Given the lead answers
      | question                    | answer      |
      | governance.partnership_type | cooperative |
      | governance.type_signed_up   | cooperative |
      | goals.timeline_agreed       | no          |
    When the partnership is assessed
    Then the finding "time.no-timeline" is not reported

  Scenario: The agreed timetable is unrealistic
    Given the lead answers
      | question                 | answer |
      | goals.timeline_realistic | 2      |
    When the partnership is assessed
    Then the finding "time.unrealistic-timeline" is reported
    And the finding "time.unrealistic-timeline" prescribes "agree-timeline"
    And the finding "time.unrealistic-timeline" has evidence on "goals.timeline_realistic"

  Scenario: Near miss: the timetable is tight but possible
    Given the lead answers
      | question                 | answer |
      | goals.timeline_realistic | 3      |
    When the partnership is assessed
    Then the finding "time.unrealistic-timeline" is not reported

  Scenario: Joint work started without time to build the partnership
    Given the lead answers
      | question               | answer |
      | delivery.time_to_build | 2      |
    When the partnership is assessed
    Then the finding "time.no-time-to-build" is reported
    And the finding "time.no-time-to-build" prescribes "agree-timeline"
    And the finding "time.no-time-to-build" has evidence on "delivery.time_to_build"

  Scenario: Near miss: some time was set aside
    Given the lead answers
      | question               | answer |
      | delivery.time_to_build | 3      |
    When the partnership is assessed
    Then the finding "time.no-time-to-build" is not reported

  Scenario: Urgent decisions cannot be made quickly
    Given the lead answers
      | question                 | answer |
      | delivery.quick_decisions | 2      |
    When the partnership is assessed
    Then the finding "time.slow-decisions" is reported
    And the finding "time.slow-decisions" prescribes "fast-decision-structures"
    And the finding "time.slow-decisions" has evidence on "delivery.quick_decisions"

  Scenario: Near miss: urgent decisions are sometimes quick
    Given the lead answers
      | question                 | answer |
      | delivery.quick_decisions | 3      |
    When the partnership is assessed
    Then the finding "time.slow-decisions" is not reported

  Scenario: Decisions are not quick and representatives cannot commit
    Given the lead answers
      | question                  | answer |
      | delivery.quick_decisions  | 3      |
      | authority.reps_can_decide | 2      |
    When the partnership is assessed
    Then the finding "time.authority-bottleneck" is reported
    And the finding "time.authority-bottleneck" prescribes "delegate-authority"
    And the finding "time.authority-bottleneck" has evidence on "delivery.quick_decisions"

  Scenario: Decisions are not quick and wait for sign-off back home
    Given the lead answers
      | question                     | answer |
      | delivery.quick_decisions     | 3      |
      | authority.decisions_deferred | 4      |
    When the partnership is assessed
    Then the finding "time.authority-bottleneck" is reported
    And the finding "time.authority-bottleneck" prescribes "fast-decision-structures"

  Scenario: Near miss: representatives cannot commit but urgent decisions still get made
    Given the lead answers
      | question                  | answer |
      | delivery.quick_decisions  | 4      |
      | authority.reps_can_decide | 2      |
    When the partnership is assessed
    Then the finding "time.authority-bottleneck" is not reported
