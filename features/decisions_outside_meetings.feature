Feature: Decisions made outside meetings
  Real decisions taken in side conversations (WRC).
  Every scenario starts from the healthy partnership and changes only the
  answers listed.

  Background:
    Given a healthy partnership

  Scenario: Real decisions are made outside meetings
    Given the lead answers
      | question                    | answer |
      | authority.decisions_outside | 4      |
    When the partnership is assessed
    Then the finding "decisions.made-outside" is reported
    And the finding "decisions.made-outside" prescribes "agree-governance-structure"
    And the finding "decisions.made-outside" has evidence on "authority.decisions_outside"

  Scenario: Near miss: respondents are unsure where decisions are made
    Given the lead answers
      | question                    | answer |
      | authority.decisions_outside | 3      |
    When the partnership is assessed
    Then the finding "decisions.made-outside" is not reported

  Scenario: A core partner sees real decisions taken outside meetings; the lead does not
    Given a core partner from "Northside Youth Trust" answers
      | question                    | answer |
      | authority.decisions_outside | 4      |
    When the partnership is assessed
    Then the finding "decisions.core-see-side-deals" is reported
    And the finding "decisions.core-see-side-deals" prescribes "agree-governance-structure"
    And the finding "decisions.core-see-side-deals" has evidence on "authority.decisions_outside"

  Scenario: Near miss: the core partner is unsure whether decisions are taken outside meetings
    Given a core partner from "Northside Youth Trust" answers
      | question                    | answer |
      | authority.decisions_outside | 3      |
    When the partnership is assessed
    Then the finding "decisions.core-see-side-deals" is not reported

  Scenario Outline: It is unclear <what>
    Given the lead answers
      | question   | answer |
      | <question> | 2      |
    When the partnership is assessed
    Then the finding "decisions.structure-unclear" is reported
    And the finding "decisions.structure-unclear" prescribes "agree-governance-structure"
    And the finding "decisions.structure-unclear" has evidence on "<question>"

    Examples:
      | what                         | question                         |
      | which group decides          | governance.final_decisions_clear |
      | who runs the work day to day | governance.day_to_day_clear      |

  Scenario: Near miss: the structure is partly clear
    Given the lead answers
      | question                         | answer |
      | governance.final_decisions_clear | 3      |
      | governance.day_to_day_clear      | 3      |
    When the partnership is assessed
    Then the finding "decisions.structure-unclear" is not reported

  Scenario: Near miss: a wider partner, who is not asked, leaves decisions outside meetings unanswered
    Given a wider partner from "Riverside Food Bank" answers
      | question                    | answer |
      | authority.decisions_outside | -      |
    When the partnership is assessed
    Then the finding "decisions.made-outside" is not reported
