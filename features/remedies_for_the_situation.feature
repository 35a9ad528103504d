Feature: Remedies chosen for the situation
  A plan that asks the partners to consider ending the partnership (Citizens Advice,
  End the partnership and move on) does not also ask them to build trust through
  informal contact, nor to manage one partner's exit: the remedies `build-trust-
  informally` and `manage-a-partner-leaving` are `not_with: [end-partnership-well]`.
  A finding whose every remedy is left out points to the ending remedy instead. Where
  one partner may leave and the partnership is not ending, that partner's exit is a
  remedy of its own (Citizens Advice; WRC, Agreeing how you will operate).
  Every scenario starts from the healthy partnership, whose lead says all four
  reviews were done this year.

  Background:
    Given a healthy partnership

  Scenario: Ending is offered, so trust-building and one partner's exit are not
    Given the lead answers
      | question                           | answer |
      | relationships.long_running_dispute | 4      |
      | relationships.trust                | 2      |
    And a core partner from "Northside Youth Trust" answers
      | question                           | answer |
      | relationships.long_running_dispute | 4      |
      | relationships.trust                | 2      |
      | relationships.sustained_commitment | 1      |
    When the partnership is assessed
    Then the finding "ending.several-serious-breakdowns" prescribes "end-partnership-well"
    And the finding "trust.low-trust" is reported
    And the finding "trust.low-trust" does not prescribe "build-trust-informally"
    And the finding "trust.low-trust" prescribes "end-partnership-well"
    And the finding "commitment.partner-may-leave" does not prescribe "manage-a-partner-leaving"
    And no finding prescribes "build-trust-informally"
    And no finding prescribes "manage-a-partner-leaving"

  Scenario: Low trust without thought of ending: build trust informally
    Given the lead answers
      | question            | answer |
      | relationships.trust | 2      |
    When the partnership is assessed
    Then the finding "trust.low-trust" prescribes "build-trust-informally"
    And no finding prescribes "end-partnership-well"

  Scenario: One partner may leave, and the partnership carries on: manage its exit
    Given a core partner from "Northside Youth Trust" answers
      | question                           | answer |
      | relationships.sustained_commitment | 1      |
    When the partnership is assessed
    Then the finding "commitment.partner-may-leave" prescribes "manage-a-partner-leaving"
    And no finding prescribes "end-partnership-well"
