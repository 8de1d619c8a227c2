@section:6 @zone-up
Feature: 6 Promotion and demotion
  The promotion flow: one VIP owner, no controller on the backup, a controlled demotion that
  moves the VIP and the controller to Beta within the failover window with no sampled instant of
  two active nodes and Beta's controller started only after its health gate, the controller bound
  to the VIP only, and the original layout restored without flapping. Each scenario starts from
  the steady zone and leaves it so.

  @runbook:6.1
  Scenario: The active node holds the VIP, the backup does not
    Given within 30 seconds the zone is steady with alpha active
    Then exactly one node holds the VIP and it runs the controller

  @runbook:6.2
  Scenario: The backup node runs no controller
    Given within 30 seconds the zone is steady with alpha active
    Then the controller is inactive on every node that does not hold the VIP

  @runbook:6.3 @disruptive @fault:controlled-demotion
  Scenario: Demotion stops the controller and Beta takes over within the failover window
    Given within 30 seconds the zone is steady with alpha active
    And the VIP nodes are sampled in the background
    When keepalived is stopped on the VIP holder
    Then within 5 seconds the VIP has left the demoted node and its controller is stopped
    And within the failover window another node holds the VIP
    And within 30 seconds the controller is active on the VIP holder
    And the new VIP holder started its controller only after its health gate passed
    And within 30 seconds the health endpoint answers 200 through the VIP
    And no sampled instant showed two VIP holders or two active controllers

  @runbook:6.4
  Scenario: The promoted node's controller listens on the VIP only
    Given within 30 seconds the zone is steady with alpha active
    Then the controller on the VIP holder listens on the VIP and on no other address

  @runbook:6.5 @disruptive @fault:controlled-demotion
  Scenario: Restoring the original layout causes no flapping and no dual-active
    Given within 30 seconds the zone is steady with alpha active
    And keepalived is stopped on the VIP holder
    And within the failover window another node holds the VIP
    And within 30 seconds the controller is active on the VIP holder
    And the VIP nodes are sampled in the background
    When keepalived is started again on every node where it was stopped
    Then within 15 seconds alpha holds the VIP
    And within 5 seconds the node that gave the VIP back had its controller stopped by its demotion
    And for 5 seconds alpha keeps the VIP and no other node runs the controller
    And no sampled instant showed two VIP holders or two active controllers
