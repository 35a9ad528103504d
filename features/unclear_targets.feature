Feature: Unclear targets
  No measurable targets, or goals that do not serve every partner (Participate barrier c, Citizens Advice).
  Every scenario starts from the healthy partnership and changes only the
  answers listed.

  Background:
    Given a healthy partnership

  Scenario: No targets have been set
    Given the lead answers
      | question          | answer |
      | goals.targets_set | 2      |
    When the partnership is assessed
    Then the finding "targets.no-targets" is reported
    And the finding "targets.no-targets" prescribes "agree-shared-outcomes"
    And the finding "targets.no-targets" has evidence on "goals.targets_set"

  Scenario: Near miss: some targets exist
    Given the lead answers
      | question          | answer |
      | goals.targets_set | 3      |
    When the partnership is assessed
    Then the finding "targets.no-targets" is not reported

  Scenario: No shared outcomes have been agreed
    Given the lead answers
      | question                   | answer |
      | evaluation.outcomes_agreed | 2      |
    When the partnership is assessed
    Then the finding "targets.no-shared-outcomes" is reported
    And the finding "targets.no-shared-outcomes" prescribes "agree-shared-outcomes"
    And the finding "targets.no-shared-outcomes" has evidence on "evaluation.outcomes_agreed"

  Scenario: Near miss: outcomes are partly agreed
    Given the lead answers
      | question                   | answer |
      | evaluation.outcomes_agreed | 3      |
    When the partnership is assessed
    Then the finding "targets.no-shared-outcomes" is not reported

  Scenario: The goals serve only some partners
    Given the lead answers
      | question          | answer |
      | goals.benefit_all | 2      |
    When the partnership is assessed
    Then the finding "targets.goals-not-for-all" is reported
    And the finding "targets.goals-not-for-all" prescribes "review-goals"
    And the finding "targets.goals-not-for-all" has evidence on "goals.benefit_all"

  Scenario: Near miss: the goals are neutral for some partners
    Given the lead answers
      | question          | answer |
      | goals.benefit_all | 3      |
    When the partnership is assessed
    Then the finding "targets.goals-not-for-all" is not reported
