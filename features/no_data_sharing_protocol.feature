Feature: No data-sharing protocol
  Sharing information about people without an agreed protocol (Help through Crisis).
  Every scenario starts from the healthy partnership and changes only the
  answers listed.

  Background:
    Given a healthy partnership

  Scenario: No data-sharing protocol is in place
    Given the lead answers
      | question                          | answer |
      | governance.data_sharing_protocol  | no     |
      | governance.data_protocol_followed | -      |
    When the partnership is assessed
    Then the finding "data.no-protocol" is reported
    And the finding "data.no-protocol" prescribes "agree-data-sharing-protocol"
    And the finding "data.no-protocol" has evidence on "governance.data_sharing_protocol"

  Scenario: Near miss: the partnership shares no personal data and leaves the questions blank
    Given the lead answers
      | question                          | answer |
      | governance.data_sharing_protocol  | -      |
      | governance.data_protocol_followed | -      |
    When the partnership is assessed
    Then the finding "data.no-protocol" is not reported

  Scenario: The protocol exists but is not kept to
    Given the lead answers
      | question                          | answer |
      | governance.data_protocol_followed | 2      |
    When the partnership is assessed
    Then the finding "data.protocol-not-kept" is reported
    And the finding "data.protocol-not-kept" prescribes "agree-data-sharing-protocol"
    And the finding "data.protocol-not-kept" has evidence on "governance.data_protocol_followed"

  Scenario: Near miss: the protocol is mostly kept to
    Given the lead answers
      | question                          | answer |
      | governance.data_protocol_followed | 3      |
    When the partnership is assessed
    Then the finding "data.protocol-not-kept" is not reported
