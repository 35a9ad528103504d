Feature: A newcomer who answers neutral is not a disagreement
  Someone new to the partnership neither agrees nor disagrees with most statements,
  and does not know the history or the figures. Neutral and "don't know" answers are
  not disagreement: they raise no finding and no perception gap, and they are never
  scored as a problem. A question is disputed only when a real share agrees while a
  real share disagrees, or when groups of partners sit on opposite sides of neutral.
  Every scenario starts from the healthy partnership.

  Background:
    Given a healthy partnership

  Scenario: A partnership of seven with one neutral newcomer
    Given a core partner from "Northside Youth Trust" answers
      | question            | answer |
      | goals.purpose_clear | 4      |
    And a core partner from "Riverside College" answers
      | question          | answer |
      | roles.roles_clear | 4      |
    And a core partner from "Eastfield Youth Service" answers
      | question            | answer |
      | relationships.trust | 4      |
    And a wider partner from "Riverside Food Bank" answers
      | question                   | answer |
      | culture.adapts_to_partners | 4      |
    And a wider partner from "Riverside Jobcentre" answers
      | question            | answer |
      | goals.shared_values | 4      |
    And a core partner from "Westbank Housing" answers neutral throughout
    When the partnership is assessed
    Then no finding is reported
    And no perception gap is reported

  Scenario: The lead and one neutral newcomer
    Given a core partner from "Westbank Housing" answers neutral throughout
    When the partnership is assessed
    Then no finding is reported
    And no perception gap is reported
    And the finding "vision.divergent-views" is not reported
    And the finding "roles.roles-seen-differently" is not reported

  Scenario: Near miss: a core partner who actively disagrees about the purpose
    Given a core partner from "Westbank Housing" answers neutral throughout
    And a core partner from "Northside Youth Trust" answers
      | question            | answer |
      | goals.purpose_clear | 1      |
    When the partnership is assessed
    Then the finding "vision.divergent-views" is reported
    And a perception gap is reported on "goals.purpose_clear"
