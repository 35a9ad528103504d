Feature: Low trust and respect
  Partners who do not rely on or value each other (WRC, AVA, Participate).
  Every scenario starts from the healthy partnership and changes only the
  answers listed.

  Background:
    Given a healthy partnership

  Scenario: Partners do not trust each other
    Given the lead answers
      | question            | answer |
      | relationships.trust | 2      |
    When the partnership is assessed
    Then the finding "trust.low-trust" is reported
    And the finding "trust.low-trust" prescribes "build-trust-informally"
    And the finding "trust.low-trust" has evidence on "relationships.trust"

  Scenario: Near miss: trust is lukewarm
    Given the lead answers
      | question            | answer |
      | relationships.trust | 3      |
    When the partnership is assessed
    Then the finding "trust.low-trust" is not reported

  Scenario: Trust is low for one core respondent, though not overall
    Given a core partner from "Northside Youth Trust" answers
      | question            | answer |
      | relationships.trust | 2      |
    When the partnership is assessed
    Then the finding "trust.one-partner-distrusts" is reported
    And the finding "trust.one-partner-distrusts" prescribes "build-trust-informally"
    And the finding "trust.one-partner-distrusts" has evidence on "relationships.trust"

  Scenario: Near miss: the core partner's trust is lukewarm
    Given a core partner from "Northside Youth Trust" answers
      | question            | answer |
      | relationships.trust | 3      |
    When the partnership is assessed
    Then the finding "trust.one-partner-distrusts" is not reported

  Scenario: The wider partner feels undervalued
    Given a wider partner from "Riverside Jobcentre" answers
      | question                           | answer |
      | relationships.contributions_valued | 2      |
    When the partnership is assessed
    Then the finding "trust.contribution-undervalued" is reported
    And the finding "trust.contribution-undervalued" prescribes "clarify-contributions-and-gains"
    And the finding "trust.contribution-undervalued" has evidence on "relationships.contributions_valued"

  Scenario: Near miss: the wider partner is unsure how it is valued
    Given a wider partner from "Riverside Jobcentre" answers
      | question                           | answer |
      | relationships.contributions_valued | 3      |
    When the partnership is assessed
    Then the finding "trust.contribution-undervalued" is not reported
