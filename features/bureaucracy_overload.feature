Feature: Partnership and bureaucracy overload
  Too many partnerships, meetings or priorities (Participate barrier d, WRC).
  The lead convenes the meetings, so its own hours do not count; a core or wider
  partner's long hours count only when they also cost it (staff pulled from core
  work, or more cost than benefit). Every scenario starts from the healthy
  partnership and changes only the answers listed.

  Background:
    Given a healthy partnership

  Scenario: A core partner spends 20 hours a month in meetings and it pulls staff off core work
    Given a core partner from "Eastfield Youth Service" answers
      | question                     | answer |
      | delivery.meeting_hours_month | 20     |
      | delivery.core_work_diverted  | 4      |
    When the partnership is assessed
    Then the finding "overload.meeting-hours" is reported
    And the finding "overload.meeting-hours" prescribes "streamline-meetings"
    And the finding "overload.meeting-hours" has evidence on "delivery.meeting_hours_month"

  Scenario: A wider partner's 16 hours a month are not worth it to them
    Given a wider partner from "Riverside Food Bank" answers
      | question                     | answer |
      | delivery.meeting_hours_month | 16     |
      | funding.cost_benefit         | 2      |
    When the partnership is assessed
    Then the finding "overload.meeting-hours" is reported

  Scenario: Near miss: a core partner's long hours cost it nothing it minds
    Given a core partner from "Eastfield Youth Service" answers
      | question                     | answer |
      | delivery.meeting_hours_month | 20     |
    When the partnership is assessed
    Then the finding "overload.meeting-hours" is not reported

  Scenario: Near miss: the lead, who convenes, spends 30 hours a month in meetings
    Given the lead answers
      | question                     | answer |
      | delivery.meeting_hours_month | 30     |
      | delivery.core_work_diverted  | 4      |
    When the partnership is assessed
    Then the finding "overload.meeting-hours" is not reported

  Scenario: Near miss: 12 hours a month that pull staff off core work
    Given a core partner from "Eastfield Youth Service" answers
      | question                     | answer |
      | delivery.meeting_hours_month | 12     |
      | delivery.core_work_diverted  | 4      |
    When the partnership is assessed
    Then the finding "overload.meeting-hours" is not reported

  Scenario: A partner says it is in more partnerships than it can give time to
    Given a core partner from "Riverside College" answers
      | question                      | answer |
      | delivery.partnership_overload | 4      |
    When the partnership is assessed
    Then the finding "overload.too-many-partnerships" is reported
    And the finding "overload.too-many-partnerships" prescribes "focus-on-five-priorities"
    And the finding "overload.too-many-partnerships" has evidence on "delivery.partnership_overload"

  Scenario: Near miss: a council service in many partnerships that copes with them
    Given a core partner from "Riverside Council Youth Service" answers
      | question                      | answer |
      | delivery.partnership_overload | 2      |
    When the partnership is assessed
    Then the finding "overload.too-many-partnerships" is not reported

  Scenario: Near miss: unsure whether it is stretched
    Given a core partner from "Riverside College" answers
      | question                      | answer |
      | delivery.partnership_overload | 3      |
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

  Scenario: Core partners meet every week and it pulls staff off core work
    Given the lead answers
      | question                         | answer |
      | communication.core_meeting_weeks | 1      |
      | delivery.core_work_diverted      | 4      |
    When the partnership is assessed
    Then the finding "overload.meetings-too-frequent" is reported
    And the finding "overload.meetings-too-frequent" prescribes "streamline-meetings"
    And the finding "overload.meetings-too-frequent" has evidence on "communication.core_meeting_weeks"

  Scenario: Near miss: a shared hub meets every week and the time costs nobody
    Given the lead answers
      | question                         | answer |
      | communication.core_meeting_weeks | 1      |
    When the partnership is assessed
    Then the finding "overload.meetings-too-frequent" is not reported

  Scenario: Near miss: core partners meet fortnightly
    Given the lead answers
      | question                         | answer |
      | communication.core_meeting_weeks | 2      |
      | delivery.core_work_diverted      | 4      |
    When the partnership is assessed
    Then the finding "overload.meetings-too-frequent" is not reported
