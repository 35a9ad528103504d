Feature: No internal buy-in
  Partners whose own boards or colleagues do not back the partnership (WRC, AVA).
  Every scenario starts from the healthy partnership and changes only the
  answers listed.

  Background:
    Given a healthy partnership

  Scenario: A core partner's board does not back the partnership
    Given a core partner from "Northside Youth Trust" answers
      | question                | answer |
      | authority.board_support | 2      |
    When the partnership is assessed
    Then the finding "buyin.board-not-supportive" is reported
    And the finding "buyin.board-not-supportive" prescribes "secure-internal-agreement"
    And the finding "buyin.board-not-supportive" has evidence on "authority.board_support"

  Scenario: Near miss: the core partner's board is lukewarm
    Given a core partner from "Northside Youth Trust" answers
      | question                | answer |
      | authority.board_support | 3      |
    When the partnership is assessed
    Then the finding "buyin.board-not-supportive" is not reported

  Scenario: Colleagues do not agree with the partnership
    Given the lead answers
      | question                   | answer |
      | authority.colleagues_agree | 2      |
    When the partnership is assessed
    Then the finding "buyin.colleagues-not-on-board" is reported
    And the finding "buyin.colleagues-not-on-board" prescribes "secure-internal-agreement"
    And the finding "buyin.colleagues-not-on-board" has evidence on "authority.colleagues_agree"

  Scenario: Near miss: colleagues are undecided
    Given the lead answers
      | question                   | answer |
      | authority.colleagues_agree | 3      |
    When the partnership is assessed
    Then the finding "buyin.colleagues-not-on-board" is not reported
