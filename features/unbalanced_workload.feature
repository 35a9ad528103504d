Feature: Unbalanced workload
  One or a few partners carrying most of the work (WRC, Citizens Advice).
  Every scenario starts from the healthy partnership and changes only the
  answers listed.

  Background:
    Given a healthy partnership

  Scenario: The work is not shared fairly
    Given the lead answers
      | question            | answer |
      | roles.workload_fair | 2      |
    When the partnership is assessed
    Then the finding "workload.unfair-share" is reported
    And the finding "workload.unfair-share" prescribes "review-responsibilities"
    And the finding "workload.unfair-share" has evidence on "roles.workload_fair"

  Scenario: Near miss: the work is shared roughly fairly
    Given the lead answers
      | question            | answer |
      | roles.workload_fair | 3      |
    When the partnership is assessed
    Then the finding "workload.unfair-share" is not reported

  Scenario: A core partner puts in far more than the others
    Given a core partner from "Northside Youth Trust" answers
      | question                | answer |
      | roles.own_share_of_work | 4      |
    When the partnership is assessed
    Then the finding "workload.carrying-the-load" is reported
    And the finding "workload.carrying-the-load" prescribes "review-responsibilities"
    And the finding "workload.carrying-the-load" has evidence on "roles.own_share_of_work"

  Scenario: Near miss: the core partner is unsure it puts in more
    Given a core partner from "Northside Youth Trust" answers
      | question                | answer |
      | roles.own_share_of_work | 3      |
    When the partnership is assessed
    Then the finding "workload.carrying-the-load" is not reported

  Scenario: Near miss: the lead puts in far more, as a lead does
    Given the lead answers
      | question                | answer |
      | roles.own_share_of_work | 5      |
    When the partnership is assessed
    Then the finding "workload.carrying-the-load" is not reported

  Scenario Outline: The lead puts in far more and <cost>
    Given the lead answers
      | question                | answer  |
      | roles.own_share_of_work | 5       |
      | <question>              | <value> |
    When the partnership is assessed
    Then the finding "workload.carrying-the-load" is reported
    And the finding "workload.carrying-the-load" has evidence on "<question>"

    Examples:
      | cost                              | question                           | value |
      | finds it costs more than it gives | funding.cost_benefit               | 2     |
      | it pulls staff off core work      | delivery.core_work_diverted        | 4     |
      | may not stay the course           | relationships.sustained_commitment | 2     |

  Scenario: Near miss: in an agreed secondment the delivering partner does most of the work
    Given the lead answers
      | question                    | answer     |
      | governance.partnership_type | secondment |
      | governance.type_signed_up   | secondment |
    And a core partner from "Northside Youth Trust" answers
      | question                    | answer     |
      | governance.partnership_type | secondment |
      | governance.type_signed_up   | secondment |
      | roles.own_share_of_work     | 5          |
    When the partnership is assessed
    Then the finding "workload.carrying-the-load" is not reported
