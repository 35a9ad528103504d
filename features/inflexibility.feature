Feature: Inflexibility
  One fixed way of working that excludes some partners (Help through Crisis).
  Every scenario starts from the healthy partnership and changes only the
  answers listed.

  Background:
    Given a healthy partnership

  Scenario: The partnership does not adapt to its partners
    Given the lead answers
      | question                   | answer |
      | culture.adapts_to_partners | 2      |
    When the partnership is assessed
    Then the finding "flex.one-size-fits-all" is reported
    And the finding "flex.one-size-fits-all" prescribes "adapt-to-partners"
    And the finding "flex.one-size-fits-all" has evidence on "culture.adapts_to_partners"

  Scenario: Near miss: the partnership adapts a little
    Given the lead answers
      | question                   | answer |
      | culture.adapts_to_partners | 3      |
    When the partnership is assessed
    Then the finding "flex.one-size-fits-all" is not reported

  Scenario: The wider partner finds the partnership rigid
    Given a wider partner from "Riverside Jobcentre" answers
      | question                   | answer |
      | culture.adapts_to_partners | 2      |
    When the partnership is assessed
    Then the finding "flex.wider-partners-squeezed" is reported
    And the finding "flex.wider-partners-squeezed" prescribes "adapt-to-partners"
    And the finding "flex.wider-partners-squeezed" has evidence on "culture.adapts_to_partners"

  Scenario: Near miss: the wider partner finds it somewhat flexible
    Given a wider partner from "Riverside Jobcentre" answers
      | question                   | answer |
      | culture.adapts_to_partners | 3      |
    When the partnership is assessed
    Then the finding "flex.wider-partners-squeezed" is not reported

  Scenario: Near miss: only a core partner finds it rigid
    Given a core partner from "Northside Youth Trust" answers
      | question                   | answer |
      | culture.adapts_to_partners | 2      |
    When the partnership is assessed
    Then the finding "flex.wider-partners-squeezed" is not reported
