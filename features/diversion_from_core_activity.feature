Feature: Diversion from core activity
  Partnership work pulling partners away from their core activities (WRC).
  Every scenario starts from the healthy partnership and changes only the
  answers listed.

  Background:
    Given a healthy partnership

  Scenario: Partnership work pulls staff off core activities
    Given the lead answers
      | question                    | answer |
      | delivery.core_work_diverted | 4      |
    When the partnership is assessed
    Then the finding "diversion.core-work-suffers" is reported
    And the finding "diversion.core-work-suffers" prescribes "cost-benefit-review"
    And the finding "diversion.core-work-suffers" has evidence on "delivery.core_work_diverted"

  Scenario: Near miss: some pull on staff time
    Given the lead answers
      | question                    | answer |
      | delivery.core_work_diverted | 3      |
    When the partnership is assessed
    Then the finding "diversion.core-work-suffers" is not reported

  Scenario: For the wider partner the costs outweigh the benefits
    Given a wider partner from "Riverside Jobcentre" answers
      | question             | answer |
      | funding.cost_benefit | 2      |
    When the partnership is assessed
    Then the finding "diversion.costs-outweigh-benefits" is reported
    And the finding "diversion.costs-outweigh-benefits" prescribes "cost-benefit-review"
    And the finding "diversion.costs-outweigh-benefits" has evidence on "funding.cost_benefit"

  Scenario: Near miss: the wider partner breaks even
    Given a wider partner from "Riverside Jobcentre" answers
      | question             | answer |
      | funding.cost_benefit | 3      |
    When the partnership is assessed
    Then the finding "diversion.costs-outweigh-benefits" is not reported

  Scenario Outline: The partnership does not fit a core partner's <what>
    Given a core partner from "Riverside College" answers
      | question   | answer |
      | <question> | 2      |
    When the partnership is assessed
    Then the finding "diversion.poor-fit" is reported
    And the finding "diversion.poor-fit" prescribes "secure-internal-agreement"
    And the finding "diversion.poor-fit" has evidence on "<question>"

    Examples:
      | what                        | question                |
      | strategy and priorities     | authority.fits_strategy |
      | charitable objects or remit | authority.fits_objects  |

  Scenario: Near miss: the fit with a core partner's strategy is loose
    Given a core partner from "Riverside College" answers
      | question                | answer |
      | authority.fits_strategy | 3      |
      | authority.fits_objects  | 3      |
    When the partnership is assessed
    Then the finding "diversion.poor-fit" is not reported
