Feature: Poor communication
  Irregular or cancelled meetings, excluding tools, unclear responsibilities (Citizens Advice, Help through Crisis).
  Every scenario starts from the healthy partnership and changes only the
  answers listed.

  Background:
    Given a healthy partnership

  Scenario: Meetings are often cancelled at short notice
    Given the lead answers
      | question                                 | answer |
      | communication.short_notice_cancellations | 4      |
    When the partnership is assessed
    Then the finding "comms.short-notice-cancellations" is reported
    And the finding "comms.short-notice-cancellations" prescribes "review-communication"
    And the finding "comms.short-notice-cancellations" has evidence on "communication.short_notice_cancellations"

  Scenario: Near miss: occasional late changes
    Given the lead answers
      | question                                 | answer |
      | communication.short_notice_cancellations | 3      |
    When the partnership is assessed
    Then the finding "comms.short-notice-cancellations" is not reported

  Scenario: The wider partner cannot use the partnership's software
    Given a wider partner from "Riverside Jobcentre" answers
      | question                       | answer |
      | communication.tools_accessible | 2      |
    When the partnership is assessed
    Then the finding "comms.tools-exclude-partners" is reported
    And the finding "comms.tools-exclude-partners" prescribes "review-communication"
    And the finding "comms.tools-exclude-partners" has evidence on "communication.tools_accessible"

  Scenario: Near miss: the wider partner manages with the software
    Given a wider partner from "Riverside Jobcentre" answers
      | question                       | answer |
      | communication.tools_accessible | 3      |
    When the partnership is assessed
    Then the finding "comms.tools-exclude-partners" is not reported

  Scenario: Core partners meet every twelve weeks
    Given the lead answers
      | question                         | answer |
      | communication.core_meeting_weeks | 12     |
    When the partnership is assessed
    Then the finding "comms.core-meetings-too-rare" is reported
    And the finding "comms.core-meetings-too-rare" prescribes "set-meeting-rhythm"
    And the finding "comms.core-meetings-too-rare" has evidence on "communication.core_meeting_weeks"

  Scenario: Near miss: core partners meet every eight weeks
    Given the lead answers
      | question                         | answer |
      | communication.core_meeting_weeks | 8      |
    When the partnership is assessed
    Then the finding "comms.core-meetings-too-rare" is not reported

  Scenario: Wider partners meet twice a year
    Given the lead answers
      | question                          | answer |
      | communication.wider_meeting_weeks | 26     |
    When the partnership is assessed
    Then the finding "comms.wider-partners-out-of-loop" is reported
    And the finding "comms.wider-partners-out-of-loop" prescribes "set-meeting-rhythm"
    And the finding "comms.wider-partners-out-of-loop" has evidence on "communication.wider_meeting_weeks"

  Scenario: Near miss: wider partners meet about every four months
    Given the lead answers
      | question                          | answer |
      | communication.wider_meeting_weeks | 16     |
    When the partnership is assessed
    Then the finding "comms.wider-partners-out-of-loop" is not reported

  Scenario: Meetings lack a purpose and agenda
    Given the lead answers
      | question                            | answer |
      | communication.meetings_have_purpose | 2      |
    When the partnership is assessed
    Then the finding "comms.meetings-without-purpose" is reported
    And the finding "comms.meetings-without-purpose" prescribes "set-meeting-rhythm"
    And the finding "comms.meetings-without-purpose" has evidence on "communication.meetings_have_purpose"

  Scenario: Near miss: meetings sometimes have an agenda
    Given the lead answers
      | question                            | answer |
      | communication.meetings_have_purpose | 3      |
    When the partnership is assessed
    Then the finding "comms.meetings-without-purpose" is not reported

  Scenario: Nobody is sure who passes on what
    Given the lead answers
      | question                             | answer |
      | communication.who_communicates_clear | 2      |
    When the partnership is assessed
    Then the finding "comms.unclear-who-tells-whom" is reported
    And the finding "comms.unclear-who-tells-whom" prescribes "review-communication"
    And the finding "comms.unclear-who-tells-whom" has evidence on "communication.who_communicates_clear"

  Scenario: Near miss: responsibilities for passing on news are partly clear
    Given the lead answers
      | question                             | answer |
      | communication.who_communicates_clear | 3      |
    When the partnership is assessed
    Then the finding "comms.unclear-who-tells-whom" is not reported

  Scenario: Communication is middling and has not been reviewed for a year
    Given the lead answers
      | question                             | answer |
      | communication.channels_reviewed      | no     |
      | communication.meetings_have_purpose  | 3      |
      | communication.who_communicates_clear | 3      |
      | communication.tools_accessible       | 3      |
      | communication.can_raise_problems     | 3      |
      | communication.frank_and_honest       | 3      |
    When the partnership is assessed
    Then the finding "comms.never-reviewed" is reported
    And the finding "comms.never-reviewed" prescribes "review-communication"
    And the finding "comms.never-reviewed" has evidence on "communication.channels_reviewed"

  Scenario: Near miss: the same middling communication, but reviewed this year
    Given the lead answers
      | question                             | answer |
      | communication.meetings_have_purpose  | 3      |
      | communication.who_communicates_clear | 3      |
      | communication.tools_accessible       | 3      |
      | communication.can_raise_problems     | 3      |
      | communication.frank_and_honest       | 3      |
    When the partnership is assessed
    Then the finding "comms.never-reviewed" is not reported

  Scenario: Near miss: not reviewed, but communication is strong
    Given the lead answers
      | question                        | answer |
      | communication.channels_reviewed | no     |
    When the partnership is assessed
    Then the finding "comms.never-reviewed" is not reported

  Scenario: Communication scores poorly across the board
    Given the lead answers
      | question                                 | answer |
      | communication.meetings_have_purpose      | 2      |
      | communication.short_notice_cancellations | 4      |
      | communication.tools_accessible           | 2      |
      | communication.who_communicates_clear     | 2      |
      | communication.can_raise_problems         | 2      |
      | communication.frank_and_honest           | 2      |
      | communication.subgroups_report           | 2      |
    When the partnership is assessed
    Then the finding "comms.breakdown" is reported
    And the finding "comms.breakdown" prescribes "review-communication"

  Scenario: Near miss: communication is mediocre across the board
    Given the lead answers
      | question                                 | answer |
      | communication.meetings_have_purpose      | 3      |
      | communication.short_notice_cancellations | 3      |
      | communication.tools_accessible           | 3      |
      | communication.who_communicates_clear     | 3      |
    When the partnership is assessed
    Then the finding "comms.breakdown" is not reported

  Scenario: A core partner does not feel able to raise problems
    Given a core partner from "Northside Youth Trust" answers
      | question                         | answer |
      | communication.can_raise_problems | 2      |
    When the partnership is assessed
    Then the finding "comms.problems-not-raised" is reported
    And the finding "comms.problems-not-raised" prescribes "hold-one-to-one-partner-conversations"
    And the finding "comms.problems-not-raised" has evidence on "communication.can_raise_problems"

  Scenario: Near miss: a core partner is unsure it could raise a problem
    Given a core partner from "Northside Youth Trust" answers
      | question                         | answer |
      | communication.can_raise_problems | 3      |
    When the partnership is assessed
    Then the finding "comms.problems-not-raised" is not reported

  Scenario: Partners are not frank with each other
    Given the lead answers
      | question                       | answer |
      | communication.frank_and_honest | 2      |
    When the partnership is assessed
    Then the finding "comms.not-frank" is reported
    And the finding "comms.not-frank" prescribes "hold-one-to-one-partner-conversations"
    And the finding "comms.not-frank" has evidence on "communication.frank_and_honest"

  Scenario: Near miss: partners are fairly frank
    Given the lead answers
      | question                       | answer |
      | communication.frank_and_honest | 3      |
    When the partnership is assessed
    Then the finding "comms.not-frank" is not reported
