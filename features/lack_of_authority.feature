Feature: Lack of authority
  Representatives who cannot commit their organisations (Participate barrier g, WRC).
  Every scenario starts from the healthy partnership and changes only the
  answers listed.

  Background:
    Given a healthy partnership

  Scenario: Representatives cannot take decisions
    Given the lead answers
      | question                  | answer |
      | authority.reps_can_decide | 2      |
    When the partnership is assessed
    Then the finding "authority.reps-cannot-decide" is reported
    And the finding "authority.reps-cannot-decide" prescribes "delegate-authority"
    And the finding "authority.reps-cannot-decide" has evidence on "authority.reps_can_decide"

  Scenario: Near miss: representatives can take some decisions
    Given the lead answers
      | question                  | answer |
      | authority.reps_can_decide | 3      |
    When the partnership is assessed
    Then the finding "authority.reps-cannot-decide" is not reported

  Scenario: Decisions wait for sign-off back home
    Given the lead answers
      | question                     | answer |
      | authority.decisions_deferred | 4      |
    When the partnership is assessed
    Then the finding "authority.decisions-held-up" is reported
    And the finding "authority.decisions-held-up" prescribes "involve-senior-managers"
    And the finding "authority.decisions-held-up" has evidence on "authority.decisions_deferred"

  Scenario: Near miss: decisions are sometimes checked back home
    Given the lead answers
      | question                     | answer |
      | authority.decisions_deferred | 3      |
    When the partnership is assessed
    Then the finding "authority.decisions-held-up" is not reported
