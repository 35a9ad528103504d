Feature: A quiet partner is seen without being named
  One partner of five that has stopped engaging moves no whole-partnership mean past a
  threshold: its guarded answers are averaged away by four healthy ones. Each partner
  organisation's answers are compared with the others' (rules/partners.yaml), and the
  finding says how many partners show the signs, never which.
  The scenarios start from examples/quiet-partner.yaml.

  Scenario: A partner quietly withdrawing is diagnosed without naming it
    Given the example "quiet-partner.yaml"
    When the partnership is assessed
    Then the finding "commitment.partner-withdrawing" is reported
    And a perception gap is reported on "authority.decisions_shared"
    And no finding names "Westbank Housing"

  Scenario: Near miss: a newcomer answering neutral throughout is not withdrawing
    Given a healthy partnership
    And a core partner from "Northside Youth Trust" answers
      | question            | answer |
      | goals.purpose_clear | 4      |
    And a core partner from "Riverside College" answers
      | question          | answer |
      | roles.roles_clear | 4      |
    And a core partner from "Westbank Housing" answers neutral throughout
    When the partnership is assessed
    Then the finding "commitment.partner-withdrawing" is not reported

  Scenario: Near miss: the same partner with its board and its commitment firm
    Given the example "quiet-partner.yaml"
    And the core partner from "Westbank Housing" answers
      | question                           | answer |
      | authority.trustees_support         | 4      |
      | relationships.sustained_commitment | 4      |
    When the partnership is assessed
    Then the finding "commitment.partner-withdrawing" is not reported
