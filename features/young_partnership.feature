Feature: A young partnership is not told it has not reviewed itself yet
  WRC: building relationships takes time, and some friction between different working
  cultures is almost inevitable at first. Participate f): partnership working takes
  longer to show results than expected. A partnership under a year old cannot have
  done a yearly review. Rules marked `not_age: [young]` wait while the lead and core
  partners say the partnership is under a year old; when they do not say (answers
  migrated from questionnaire 2.0), the rules apply as before.

  Scenario: A ten-week-old partnership has no "not reviewed" finding
    Given the example "young-partnership.yaml"
    When the partnership is assessed
    Then the finding "agreement.not-reviewed" is not reported
    And the finding "comms.never-reviewed" is not reported
    And the finding "evaluation.no-review" is not reported
    And the finding "evaluation.successes-untold" is not reported
    And the finding "culture.working-styles-clash" is not reported
    And the finding "culture.no-mutual-understanding" is not reported
    And the finding "diversion.benefits-not-seen" is not reported
    And the finding "turnover.mostly-new-representatives" is not reported
    And the finding "time.no-timeline" is reported

  Scenario: The same answers from a partnership more than three years old
    Given the example "young-partnership.yaml"
    And everyone answers
      | question                   | answer       |
      | governance.partnership_age | over_3_years |
    When the partnership is assessed
    Then the finding "agreement.not-reviewed" is reported
    And the finding "comms.never-reviewed" is reported
    And the finding "evaluation.no-review" is reported
    And the finding "evaluation.successes-untold" is reported
    And the finding "culture.working-styles-clash" is reported
    And the finding "culture.no-mutual-understanding" is reported
    And the finding "diversion.benefits-not-seen" is reported
    And the finding "turnover.mostly-new-representatives" is reported

  Scenario: Nobody gave the age, as in answers migrated from 2.0: the rules apply
    Given the example "young-partnership.yaml"
    And everyone answers
      | question                   | answer |
      | governance.partnership_age | -      |
    When the partnership is assessed
    Then the finding "agreement.not-reviewed" is reported
    And the finding "evaluation.no-review" is reported

  Scenario: The lead and core split evenly on the age: it is unknown, and the rules apply
    Given the example "young-partnership.yaml"
    And the lead answers
      | question                   | answer         |
      | governance.partnership_age | one_to_3_years |
    And a core partner from "Eastfield Youth Club" answers
      | question                   | answer       |
      | governance.partnership_age | over_3_years |
    When the partnership is assessed
    Then the finding "agreement.not-reviewed" is reported

  Scenario: A wider partner's view of the age does not count
    Given the example "young-partnership.yaml"
    And a wider partner from "Eastfield Library" answers
      | question                   | answer       |
      | governance.partnership_age | over_3_years |
    When the partnership is assessed
    Then the finding "agreement.not-reviewed" is not reported

  Scenario: Six to twelve months is still young
    Given the example "young-partnership.yaml"
    And everyone answers
      | question                   | answer       |
      | governance.partnership_age | under_1_year |
    When the partnership is assessed
    Then the finding "evaluation.no-review" is not reported
    And the finding "culture.working-styles-clash" is not reported
