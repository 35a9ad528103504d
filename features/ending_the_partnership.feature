Feature: Several serious breakdowns together
  Citizens Advice: review communication, responsibilities, goals and the agreement
  first; end the partnership, and end it well, only when those reviews have not
  helped. Ending is prescribed when at least three of four serious problems hold
  (clashing values, broken trust, lost commitment, a dispute that will not settle)
  and the reviews have been tried. Every scenario starts from the healthy partnership,
  whose lead says all four reviews were done this year, and changes only the answers
  listed.

  Background:
    Given a healthy partnership

  Scenario: Clashing values, broken trust and a long dispute, after the reviews were tried
    Given the lead answers
      | question                           | answer |
      | goals.shared_values                | 2      |
      | relationships.trust                | 2      |
      | relationships.long_running_dispute | 4      |
    When the partnership is assessed
    Then the finding "ending.several-serious-breakdowns" is reported
    And the finding "ending.several-serious-breakdowns" prescribes "end-partnership-well"
    And the finding "ending.several-serious-breakdowns" has evidence on "serious_values_mismatch"
    And the finding "ending.several-serious-breakdowns" has evidence on "goals.goals_reviewed"
    And the finding "ending.review-first" is not reported

  Scenario: Broken trust, a partner leaving and a long dispute, after the reviews were tried
    Given the lead answers
      | question                           | answer |
      | relationships.trust                | 2      |
      | relationships.long_running_dispute | 4      |
    And a core partner from "Northside Youth Trust" answers
      | question                           | answer |
      | relationships.trust                | 2      |
      | relationships.sustained_commitment | 2      |
      | relationships.long_running_dispute | 4      |
    When the partnership is assessed
    Then the finding "ending.several-serious-breakdowns" is reported
    And the finding "ending.several-serious-breakdowns" prescribes "end-partnership-well"

  Scenario: Clashing values, a chief executive who withdrew support and broken trust
    Given the lead answers
      | question            | answer |
      | goals.shared_values | 2      |
      | relationships.trust | 2      |
    And a core partner from "Northside Youth Trust" answers
      | question                     | answer |
      | goals.shared_values          | 2      |
      | relationships.trust          | 2      |
      | authority.chief_exec_support | 2      |
    When the partnership is assessed
    Then the finding "ending.several-serious-breakdowns" is reported

  Scenario: No written agreement to review, and the other three reviews were tried
    Given the lead answers
      | question                           | answer |
      | goals.shared_values                | 2      |
      | relationships.trust                | 2      |
      | relationships.long_running_dispute | 4      |
      | governance.agreement_exists        | no     |
      | governance.agreement_reviewed      | -      |
    When the partnership is assessed
    Then the finding "ending.several-serious-breakdowns" is reported

  Scenario Outline: Near miss: the same breakdowns, but one review has not been tried
    Given the lead answers
      | question                           | answer |
      | goals.shared_values                | 2      |
      | relationships.trust                | 2      |
      | relationships.long_running_dispute | 4      |
      | <review>                           | no     |
    When the partnership is assessed
    Then the finding "ending.several-serious-breakdowns" is not reported
    And the finding "ending.review-first" is reported
    And the finding "ending.review-first" prescribes "<remedy>"
    And the finding "ending.review-first" has evidence on "<review>"

    Examples:
      | review                          | remedy                       |
      | communication.channels_reviewed | review-communication         |
      | roles.responsibilities_reviewed | review-responsibilities      |
      | goals.goals_reviewed            | review-goals                 |
      | governance.agreement_reviewed   | review-partnership-agreement |

  Scenario: Near miss: two serious breakdowns only
    Given the lead answers
      | question                        | answer |
      | goals.shared_values             | 2      |
      | relationships.trust             | 2      |
      | communication.channels_reviewed | no     |
    When the partnership is assessed
    Then the finding "ending.several-serious-breakdowns" is not reported
    And the finding "ending.review-first" is not reported

  Scenario: Near miss: three problems, none of them serious
    Given the lead answers
      | question                           | answer |
      | goals.shared_values                | 3      |
      | relationships.trust                | 3      |
      | relationships.long_running_dispute | 3      |
    When the partnership is assessed
    Then the finding "ending.several-serious-breakdowns" is not reported
