Feature: Unclear funds, assets and intellectual property
  Unsettled division of funds, assets and intellectual property (WRC, Citizens Advice).
  Every scenario starts from the healthy partnership and changes only the
  answers listed.

  Background:
    Given a healthy partnership

  Scenario: It is unclear how funds and assets are divided
    Given the lead answers
      | question                   | answer |
      | funding.distribution_clear | 2      |
    When the partnership is assessed
    Then the finding "funds.distribution-unclear" is reported
    And the finding "funds.distribution-unclear" prescribes "agree-funds-and-ip"
    And the finding "funds.distribution-unclear" has evidence on "funding.distribution_clear"

  Scenario: Near miss: the division of funds is partly clear
    Given the lead answers
      | question                   | answer |
      | funding.distribution_clear | 3      |
    When the partnership is assessed
    Then the finding "funds.distribution-unclear" is not reported

  Scenario: Nobody has agreed who owns joint materials
    Given the lead answers
      | question         | answer |
      | funding.ip_clear | 2      |
    When the partnership is assessed
    Then the finding "funds.ip-unclear" is reported
    And the finding "funds.ip-unclear" prescribes "agree-funds-and-ip"
    And the finding "funds.ip-unclear" has evidence on "funding.ip_clear"

  Scenario: Near miss: ownership is partly agreed
    Given the lead answers
      | question         | answer |
      | funding.ip_clear | 3      |
    When the partnership is assessed
    Then the finding "funds.ip-unclear" is not reported

  Scenario: A bid-led partnership has no written agreement
    Given the lead answers
      | question                      | answer |
      | funding.bid_driven_origin     | 4      |
      | governance.agreement_exists   | no     |
      | governance.agreement_reviewed | -      |
    When the partnership is assessed
    Then the finding "funds.funded-without-agreement" is reported
    And the finding "funds.funded-without-agreement" prescribes "agree-funds-and-ip"
    And the finding "funds.funded-without-agreement" has evidence on "governance.agreement_exists"

  Scenario: Near miss: a bid-led partnership that did write an agreement
    Given the lead answers
      | question                  | answer |
      | funding.bid_driven_origin | 4      |
    When the partnership is assessed
    Then the finding "funds.funded-without-agreement" is not reported
