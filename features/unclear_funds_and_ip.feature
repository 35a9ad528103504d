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

  Scenario: Partners compete for the same funding and keep their bids to themselves
    Given the lead answers
      | question                    | answer |
      | funding.compete_for_funding | yes    |
      | funding.bids_shared         | 2      |
    When the partnership is assessed
    Then the finding "funds.bids-not-shared" is reported
    And the finding "funds.bids-not-shared" prescribes "agree-funds-and-ip"
    And the finding "funds.bids-not-shared" has evidence on "funding.bids_shared"

  Scenario: Near miss: partners compete for funding and tell each other about their bids
    Given the lead answers
      | question                    | answer |
      | funding.compete_for_funding | yes    |
      | funding.bids_shared         | 4      |
    When the partnership is assessed
    Then the finding "funds.bids-not-shared" is not reported

  Scenario: Near miss: bids are not shared but partners have not competed
    Given the lead answers
      | question                    | answer |
      | funding.compete_for_funding | no     |
      | funding.bids_shared         | 2      |
    When the partnership is assessed
    Then the finding "funds.bids-not-shared" is not reported

  Scenario: Near miss: a cooperative network keeps its money separate and has nothing to divide
    Given the lead answers
      | question                    | answer      |
      | governance.partnership_type | cooperative |
      | governance.type_signed_up   | cooperative |
      | funding.distribution_clear  | dont_know   |
      | funding.ip_clear            | 2           |
    When the partnership is assessed
    Then the finding "funds.distribution-unclear" is not reported
    And the finding "funds.ip-unclear" is not reported
