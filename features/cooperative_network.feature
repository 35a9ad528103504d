Feature: A cooperative network is not held to a joint project's standards
  AVA and Participate count all four types of partnership as valid. A cooperative
  network shares information but plans and resources separately, so it needs no
  written agreement, pooled funds, ownership of joint work, joint risk process, joint
  plan or timetable, and quarterly meetings suit it. The rules that need those apply
  only when the lead and core partners agree on a type that shares resources.
  The scenarios start from examples/cooperative-network.yaml.

  Scenario: The cooperative network raises nothing serious
    Given the example "cooperative-network.yaml"
    When the partnership is assessed
    Then no high or critical finding is reported
    And the partnership type is reported as "cooperative"
    And the finding "comms.tools-exclude-partners" is reported
    And the finding "agreement.none" is not reported
    And the finding "funds.distribution-unclear" is not reported
    And the finding "funds.ip-unclear" is not reported
    And the finding "risk.no-risk-process" is not reported
    And the finding "comms.core-meetings-too-rare" is not reported
    And the finding "power.decisions-concentrated" is not reported
    And the finding "all-talk.resources-not-decided" is not reported
    And the finding "all-talk.outside-mainstream" is not reported
    And the finding "time.no-timeline" is not reported
    And the finding "disputes.no-procedure" is not reported
    And the finding "funds.bids-not-shared" is not reported

  Scenario: The same answers from a partnership that calls itself co-ordinated are a different story
    Given the example "cooperative-network.yaml"
    And the lead answers
      | question                    | answer      |
      | governance.partnership_type | coordinated |
    And the core partners all say the partnership is "coordinated"
    When the partnership is assessed
    Then the finding "agreement.none" is reported
    And the finding "risk.no-risk-process" is reported
    And the finding "comms.core-meetings-too-rare" is reported
    And the finding "power.decisions-concentrated" is reported
    And the finding "time.no-timeline" is reported
    And the finding "disputes.no-procedure" is reported

  Scenario: A cooperative network whose members disagree about the type loses the benefit of the doubt
    Given the example "cooperative-network.yaml"
    And the lead answers
      | question                    | answer      |
      | governance.partnership_type | coordinated |
    When the partnership is assessed
    Then the finding "type.different-types-chosen" is reported
    And the finding "agreement.none" is reported
    And the finding "risk.no-risk-process" is reported
    And the finding "comms.core-meetings-too-rare" is reported
