Feature: No internal buy-in
  A partner's own trustees, chief executive or colleagues not behind it (WRC initial
  key questions, AVA getting started). Every scenario starts from the healthy
  partnership and changes only the answers listed.

  Background:
    Given a healthy partnership

  Scenario Outline: A core partner's <who> does not back the partnership
    Given a core partner from "Northside Youth Trust" answers
      | question   | answer |
      | <question> | 2      |
    When the partnership is assessed
    Then the finding "buyin.board-not-supportive" is reported
    And the finding "buyin.board-not-supportive" prescribes "secure-internal-agreement"
    And the finding "buyin.board-not-supportive" has evidence on "<question>"

    Examples:
      | who             | question                     |
      | board           | authority.trustees_support   |
      | chief executive | authority.chief_exec_support |

  Scenario: Near miss: the core partner's board is lukewarm
    Given a core partner from "Northside Youth Trust" answers
      | question                     | answer |
      | authority.trustees_support   | 3      |
      | authority.chief_exec_support | 3      |
    When the partnership is assessed
    Then the finding "buyin.board-not-supportive" is not reported

  Scenario: Near miss: a council service has no trustees and says so
    Given a core partner from "Riverside Council Youth Service" answers
      | question                   | answer    |
      | authority.trustees_support | dont_know |
    When the partnership is assessed
    Then the finding "buyin.board-not-supportive" is not reported

  Scenario Outline: Colleagues do not agree with <what>
    Given the lead answers
      | question   | answer |
      | <question> | 2      |
    When the partnership is assessed
    Then the finding "buyin.colleagues-not-on-board" is reported
    And the finding "buyin.colleagues-not-on-board" prescribes "secure-internal-agreement"
    And the finding "buyin.colleagues-not-on-board" has evidence on "<question>"

    Examples:
      | what                      | question                           |
      | the choice of partners    | authority.colleagues_back_partners |
      | how the partnership works | authority.colleagues_back_approach |

  Scenario: Near miss: colleagues are undecided
    Given the lead answers
      | question                           | answer |
      | authority.colleagues_back_partners | 3      |
      | authority.colleagues_back_approach | 3      |
    When the partnership is assessed
    Then the finding "buyin.colleagues-not-on-board" is not reported
