Feature: Competition for leadership
  Partners contesting the lead, or an unsettled lead role (WRC).
  Every scenario starts from the healthy partnership and changes only the
  answers listed.

  Background:
    Given a healthy partnership

  Scenario: Partners compete over who leads
    Given the lead answers
      | question                         | answer |
      | authority.competition_leadership | 4      |
    When the partnership is assessed
    Then the finding "leadership.competing-for-lead" is reported
    And the finding "leadership.competing-for-lead" prescribes "review-lead-partner-role"
    And the finding "leadership.competing-for-lead" has evidence on "authority.competition_leadership"

  Scenario: Near miss: some jostling for the lead
    Given the lead answers
      | question                         | answer |
      | authority.competition_leadership | 3      |
    When the partnership is assessed
    Then the finding "leadership.competing-for-lead" is not reported

  Scenario: Partners do not agree what the lead partner does
    Given the lead answers
      | question              | answer |
      | roles.lead_role_clear | 2      |
    When the partnership is assessed
    Then the finding "leadership.lead-role-unclear" is reported
    And the finding "leadership.lead-role-unclear" prescribes "review-lead-partner-role"
    And the finding "leadership.lead-role-unclear" has evidence on "roles.lead_role_clear"

  Scenario: Near miss: the lead role is partly agreed
    Given the lead answers
      | question              | answer |
      | roles.lead_role_clear | 3      |
    When the partnership is assessed
    Then the finding "leadership.lead-role-unclear" is not reported
