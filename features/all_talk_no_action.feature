Feature: All talk, no action
  Meetings that do not turn into joint delivery (Participate, barrier a).
  Every scenario starts from the healthy partnership and changes only the
  answers listed.

  Background:
    Given a healthy partnership

  Scenario: Agreed actions have no named owner
    Given the lead answers
      | question                     | answer |
      | delivery.actions_have_owners | 2      |
    When the partnership is assessed
    Then the finding "all-talk.no-action-owners" is reported
    And the finding "all-talk.no-action-owners" prescribes "appoint-action-owners"
    And the finding "all-talk.no-action-owners" has evidence on "delivery.actions_have_owners"

  Scenario: Near miss: owners are named for some actions
    Given the lead answers
      | question                     | answer |
      | delivery.actions_have_owners | 3      |
    When the partnership is assessed
    Then the finding "all-talk.no-action-owners" is not reported

  Scenario: Decisions are not carried out and actions have no owners
    Given the lead answers
      | question                     | answer |
      | delivery.decisions_to_action | 2      |
      | delivery.actions_have_owners | 2      |
    When the partnership is assessed
    Then the finding "all-talk.talking-shop" is reported
    And the finding "all-talk.talking-shop" prescribes "appoint-action-owners"
    And the finding "all-talk.talking-shop" has evidence on "delivery.decisions_to_action"

  Scenario: Decisions are not carried out and there is no shared plan
    Given the lead answers
      | question                     | answer |
      | delivery.decisions_to_action | 2      |
      | delivery.joint_plan          | no     |
    When the partnership is assessed
    Then the finding "all-talk.talking-shop" is reported
    And the finding "all-talk.talking-shop" prescribes "draw-up-shared-project-plan"

  Scenario: Near miss: decisions stall but owners and a plan are in place
    Given the lead answers
      | question                     | answer |
      | delivery.decisions_to_action | 2      |
    When the partnership is assessed
    Then the finding "all-talk.talking-shop" is not reported

  Scenario: Nobody has decided who resources the activities
    Given the lead answers
      | question                 | answer |
      | funding.resources_agreed | 2      |
    When the partnership is assessed
    Then the finding "all-talk.resources-not-decided" is reported
    And the finding "all-talk.resources-not-decided" prescribes "draw-up-shared-project-plan"
    And the finding "all-talk.resources-not-decided" has evidence on "funding.resources_agreed"

  Scenario: Near miss: resources are settled for some activities
    Given the lead answers
      | question                 | answer |
      | funding.resources_agreed | 3      |
    When the partnership is assessed
    Then the finding "all-talk.resources-not-decided" is not reported

  Scenario: Partnership work sits outside partners' own plans
    Given the lead answers
      | question                 | answer |
      | delivery.fits_mainstream | 2      |
    When the partnership is assessed
    Then the finding "all-talk.outside-mainstream" is reported
    And the finding "all-talk.outside-mainstream" prescribes "draw-up-shared-project-plan"
    And the finding "all-talk.outside-mainstream" has evidence on "delivery.fits_mainstream"

  Scenario: Near miss: partly built into partners' plans
    Given the lead answers
      | question                 | answer |
      | delivery.fits_mainstream | 3      |
    When the partnership is assessed
    Then the finding "all-talk.outside-mainstream" is not reported
