Feature: An agreed secondment is not a power imbalance
  In a secondment one organisation commissions another to deliver work it has
  already planned (AVA): the commissioner decides, the delivering partners do most
  of the work and are paid for it. When the lead and core partners agree that is the
  partnership they are in, the power, workload and funding-motive rules do not apply.
  The scenarios start from examples/secondment.yaml.

  Scenario: The agreed secondment raises nothing serious
    Given the example "secondment.yaml"
    When the partnership is assessed
    Then no high or critical finding is reported
    And the partnership type is reported as "secondment"
    And the finding "comms.short-notice-cancellations" is reported
    And the finding "power.decisions-concentrated" is not reported
    And the finding "power.lead-core-gap" is not reported
    And the finding "workload.carrying-the-load" is not reported
    And the finding "workload.unfair-share" is not reported
    And the finding "funding.money-first" is not reported

  Scenario: A delivering partner that thinks it is in a co-ordinated partnership
    Given the example "secondment.yaml"
    And a core partner from "Riverside Arts Trust" answers
      | question                    | answer      |
      | governance.partnership_type | coordinated |
      | authority.decisions_shared  | 1           |
      | roles.own_share_of_work     | 5           |
    When the partnership is assessed
    Then the finding "type.different-types-chosen" is reported
    And the finding "power.decisions-concentrated" is reported
    And the finding "workload.carrying-the-load" is reported

  Scenario: Even in a secondment, a commissioner who thinks decisions are shared while its partners do not is worth hearing
    Given the example "secondment.yaml"
    And the lead answers
      | question                   | answer |
      | authority.decisions_shared | 5      |
    When the partnership is assessed
    Then the finding "power.lead-core-gap" is not reported
    And a perception gap is reported on "authority.decisions_shared"
