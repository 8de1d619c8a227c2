@zone-up
Feature: The zone is up
  A triad built as the runbook says answers its bootstrap checks: a JetStream cluster of three
  with one leader (5.2), exactly one VIP holder, Alpha (5.4), the controller installed but never
  enabled on its own (4.4), active on the VIP holder only, bound to the VIP only (5.5, 6.4),
  healthy through the VIP (5.5), absent from Gamma (5.5), and following the VIP when the active
  node is demoted (6.3). Deadlines are in the sentences; the time each took is recorded.

  Background:
    Given the zone is reachable over SSH

  @runbook:5.2
  Scenario: JetStream reports three peers and a leader
    Then within 30 seconds JetStream on every node reports a cluster of 3 peers with the same leader
    And the JetStream cluster is named after the zone

  @runbook:5.4
  Scenario: Exactly one node holds the VIP, and it is Alpha
    Then within 15 seconds exactly one node holds the VIP
    # Beta may win the first election while Alpha's JetStream is still starting (its track
    # script keeps Alpha in FAULT); Alpha, of higher priority, then preempts.
    And within 15 seconds alpha holds the VIP

  @runbook:4.4
  Scenario: The controller is installed but not enabled to start on its own
    Then the controller unit is installed on every node that may hold the VIP
    And the controller unit is not enabled on any node

  @runbook:5.5 @runbook:6.4
  Scenario: The controller runs on the VIP holder only, bound to the VIP only
    Then within 30 seconds the controller is active on the VIP holder
    And the controller is inactive on every node that does not hold the VIP
    And the controller on the VIP holder listens on the VIP and on no other address

  @runbook:5.5
  Scenario: The health endpoint answers through the VIP
    Then within 30 seconds the health endpoint answers 200 through the VIP

  @runbook:5.5
  Scenario: Gamma runs no controller
    Then no node without a VIP role runs the controller

  @runbook:6.3 @disruptive
  Scenario: The controller follows the VIP when the active node is demoted
    Given within 30 seconds the zone is steady with alpha active
    When keepalived is stopped on the VIP holder
    Then within the failover window another node holds the VIP
    And within 5 seconds the controller is inactive on every node that does not hold the VIP
    And within 30 seconds the health endpoint answers 200 through the VIP
    When keepalived is started again on every node where it was stopped
    Then within 15 seconds alpha holds the VIP
    And within 5 seconds the controller is inactive on every node that does not hold the VIP
