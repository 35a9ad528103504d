Feature: Culture clash
  Different working styles and language causing friction (Participate barrier e, WRC, Help through Crisis).
  Every scenario starts from the healthy partnership and changes only the
  answers listed.

  Background:
    Given a healthy partnership

  Scenario: Working styles regularly cause friction
    Given the lead answers
      | question         | answer |
      | culture.friction | 4      |
    When the partnership is assessed
    Then the finding "culture.working-styles-clash" is reported
    And the finding "culture.working-styles-clash" prescribes "joint-training-and-visits"
    And the finding "culture.working-styles-clash" has evidence on "culture.friction"

  Scenario: Near miss: some friction, as is normal early on
    Given the lead answers
      | question         | answer |
      | culture.friction | 3      |
    When the partnership is assessed
    Then the finding "culture.working-styles-clash" is not reported

  Scenario: Jargon leaves partners confused
    Given the lead answers
      | question       | answer |
      | culture.jargon | 4      |
    When the partnership is assessed
    Then the finding "culture.jargon-barrier" is reported
    And the finding "culture.jargon-barrier" prescribes "build-shared-language"
    And the finding "culture.jargon-barrier" has evidence on "culture.jargon"

  Scenario: Near miss: jargon is an occasional nuisance
    Given the lead answers
      | question       | answer |
      | culture.jargon | 3      |
    When the partnership is assessed
    Then the finding "culture.jargon-barrier" is not reported

  Scenario: Partners do not understand each other and have never trained together
    Given the lead answers
      | question                      | answer |
      | culture.understand_each_other | 2      |
      | culture.joint_training        | no     |
    When the partnership is assessed
    Then the finding "culture.no-mutual-understanding" is reported
    And the finding "culture.no-mutual-understanding" prescribes "joint-training-and-visits"
    And the finding "culture.no-mutual-understanding" has evidence on "culture.understand_each_other"

  Scenario: Near miss: poor understanding, but joint training is already under way
    Given the lead answers
      | question                      | answer |
      | culture.understand_each_other | 2      |
    When the partnership is assessed
    Then the finding "culture.no-mutual-understanding" is not reported
