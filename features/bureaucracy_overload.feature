Feature: Partnership and bureaucracy overload
  Too many partnerships, meetings or priorities (Participate barrier d, WRC).
  Every scenario starts from the healthy partnership and changes only the
  answers listed.

  Background:
    Given a healthy partnership

  Scenario: The lead spends 20 hours a month in partnership meetings
    Given the lead answers
      | question                     | answer |
      | delivery.meeting_hours_month | 20     |
    When the partnership is assessed
    Then the finding "overload.meeting-hours" is reported
    And the finding "overload.meeting-hours" prescribes "streamline-meetings"
    And the finding "overload.meeting-hours" has evidence on "delivery.meeting_hours_month"

  Scenario: One core partner spends 16 hours a month in meetings
    Given a core partner from "Eastfield Youth Service" answers
      | question                     | answer |
      | delivery.meeting_hours_month | 16     |
    When the partnership is assessed
    Then the finding "overload.meeting-hours" is reported

  Scenario: Near miss: 12 hours a month
    Given the lead answers
      | question                     | answer |
      | delivery.meeting_hours_month | 12     |
    When the partnership is assessed
    Then the finding "overload.meeting-hours" is not reported

  Scenario: The lead's organisation is in ten other partnerships
    Given the lead answers
      | question                   | answer |
      | delivery.partnership_count | 10     |
    When the partnership is assessed
    Then the finding "overload.too-many-partnerships" is reported
    And the finding "overload.too-many-partnerships" prescribes "focus-on-five-priorities"
    And the finding "overload.too-many-partnerships" has evidence on "delivery.partnership_count"

  Scenario: Near miss: seven other partnerships
    Given the lead answers
      | question                   | answer |
      | delivery.partnership_count | 7      |
    When the partnership is assessed
    Then the finding "overload.too-many-partnerships" is not reported

  Scenario: The partnership works on nine priorities
    Given the lead answers
      | question             | answer |
      | goals.priority_count | 9      |
    When the partnership is assessed
    Then the finding "overload.too-many-priorities" is reported
    And the finding "overload.too-many-priorities" prescribes "focus-on-five-priorities"
    And the finding "overload.too-many-priorities" has evidence on "goals.priority_count"

  Scenario: Near miss: six priorities are within the guide's five to six
    Given the lead answers
      | question             | answer |
      | goals.priority_count | 6      |
    When the partnership is assessed
    Then the finding "overload.too-many-priorities" is not reported

  Scenario: Core partners meet every week
    Given the lead answers
      | question                         | answer |
      | communication.core_meeting_weeks | 1      |
    When the partnership is assessed
    Then the finding "overload.meetings-too-frequent" is reported
    And the finding "overload.meetings-too-frequent" prescribes "streamline-meetings"
    And the finding "overload.meetings-too-frequent" has evidence on "communication.core_meeting_weeks"

  Scenario: Near miss: core partners meet fortnightly
    Given the lead answers
      | question                         | answer |
      | communication.core_meeting_weeks | 2      |
    When the partnership is assessed
    Then the finding "overload.meetings-too-frequent" is not reported
