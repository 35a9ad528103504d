Feature: Lack of shared vision and values
  Partners without a common purpose or shared values (Participate barrier b, AVA, WRC).
  Every scenario starts from the healthy partnership and changes only the
  answers listed.

  Background:
    Given a healthy partnership

  Scenario: The lead cannot say what the partnership is for
    Given the lead answers
      | question            | answer |
      | goals.purpose_clear | 2      |
    When the partnership is assessed
    Then the finding "vision.purpose-unclear" is reported
    And the finding "vision.purpose-unclear" prescribes "joint-planning-session"
    And the finding "vision.purpose-unclear" has evidence on "goals.purpose_clear"

  Scenario: Near miss: the purpose is only somewhat clear
    Given the lead answers
      | question            | answer |
      | goals.purpose_clear | 3      |
    When the partnership is assessed
    Then the finding "vision.purpose-unclear" is not reported

  Scenario: A core partner cannot say what the purpose is that the lead finds obvious
    Given a core partner from "Northside Youth Trust" answers
      | question            | answer |
      | goals.purpose_clear | 2      |
    When the partnership is assessed
    Then the finding "vision.divergent-views" is reported
    And the finding "vision.divergent-views" prescribes "review-goals"
    And the finding "vision.divergent-views" has evidence on "goals.purpose_clear"

  Scenario: Near miss: a newcomer answers neutral beside the lead's strong agreement
    Given a core partner from "Northside Youth Trust" answers
      | question            | answer |
      | goals.purpose_clear | 3      |
    When the partnership is assessed
    Then the finding "vision.divergent-views" is not reported

  Scenario: Near miss: views of the purpose differ by one point only
    Given a core partner from "Northside Youth Trust" answers
      | question            | answer |
      | goals.purpose_clear | 4      |
    When the partnership is assessed
    Then the finding "vision.divergent-views" is not reported

  Scenario: Partners do not share values about the work
    Given the lead answers
      | question            | answer |
      | goals.shared_values | 2      |
    When the partnership is assessed
    Then the finding "vision.values-mismatch" is reported
    And the finding "vision.values-mismatch" prescribes "joint-planning-session"
    And the finding "vision.values-mismatch" has evidence on "goals.shared_values"

  Scenario: Near miss: partners are unsure whether values are shared
    Given the lead answers
      | question            | answer |
      | goals.shared_values | 3      |
    When the partnership is assessed
    Then the finding "vision.values-mismatch" is not reported

  Scenario: Respondents see partners pursuing separate agendas
    Given the lead answers
      | question                       | answer |
      | relationships.separate_agendas | 4      |
    When the partnership is assessed
    Then the finding "vision.separate-agendas" is reported
    And the finding "vision.separate-agendas" prescribes "agree-shared-priorities"
    And the finding "vision.separate-agendas" has evidence on "relationships.separate_agendas"

  Scenario: Near miss: unsure whether anyone has a separate agenda
    Given the lead answers
      | question                       | answer |
      | relationships.separate_agendas | 3      |
    When the partnership is assessed
    Then the finding "vision.separate-agendas" is not reported

  Scenario: Partners disagree which goal matters most
    Given the lead answers
      | question              | answer |
      | goals.top_goal_agreed | 2      |
    When the partnership is assessed
    Then the finding "vision.top-goal-contested" is reported
    And the finding "vision.top-goal-contested" prescribes "review-goals"
    And the finding "vision.top-goal-contested" has evidence on "goals.top_goal_agreed"

  Scenario: Near miss: unsure which goal partners put first
    Given the lead answers
      | question              | answer |
      | goals.top_goal_agreed | 3      |
    When the partnership is assessed
    Then the finding "vision.top-goal-contested" is not reported
