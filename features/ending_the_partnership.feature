Feature: Time to consider ending the partnership
  Several serious breakdowns together: time to consider ending the partnership well (Citizens Advice).
  Every scenario starts from the healthy partnership and changes only the
  answers listed.

  Background:
    Given a healthy partnership

  Scenario: Clashing values, broken trust and a long dispute
    Given the lead answers
      | question                           | answer |
      | goals.shared_values                | 2      |
      | relationships.trust                | 2      |
      | relationships.long_running_dispute | 4      |
    When the partnership is assessed
    Then the finding "ending.several-serious-breakdowns" is reported
    And the finding "ending.several-serious-breakdowns" prescribes "end-partnership-well"

  Scenario: Broken trust, a partner leaving and a long dispute
    Given the lead answers
      | question                           | answer |
      | relationships.trust                | 2      |
      | relationships.long_running_dispute | 4      |
    And a core partner from "Northside Youth Trust" answers
      | question                           | answer |
      | relationships.trust                | 2      |
      | relationships.sustained_commitment | 2      |
      | relationships.long_running_dispute | 4      |
    When the partnership is assessed
    Then the finding "ending.several-serious-breakdowns" is reported
    And the finding "ending.several-serious-breakdowns" prescribes "end-partnership-well"

  Scenario: Clashing values, a board that withdrew support and broken trust
    Given the lead answers
      | question            | answer |
      | goals.shared_values | 2      |
      | relationships.trust | 2      |
    And a core partner from "Northside Youth Trust" answers
      | question                | answer |
      | goals.shared_values     | 2      |
      | relationships.trust     | 2      |
      | authority.board_support | 2      |
    When the partnership is assessed
    Then the finding "ending.several-serious-breakdowns" is reported
    And the finding "ending.several-serious-breakdowns" prescribes "end-partnership-well"

  Scenario: Near miss: two serious breakdowns only
    Given the lead answers
      | question            | answer |
      | goals.shared_values | 2      |
      | relationships.trust | 2      |
    When the partnership is assessed
    Then the finding "ending.several-serious-breakdowns" is not reported

  Scenario: Near miss: three problems, none of them serious
    Given the lead answers
      | question                           | answer |
      | goals.shared_values                | 3      |
      | relationships.trust                | 3      |
      | relationships.long_running_dispute | 3      |
    When the partnership is assessed
    Then the finding "ending.several-serious-breakdowns" is not reported
