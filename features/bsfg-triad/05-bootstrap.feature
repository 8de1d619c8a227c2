@section:5 @zone-up
Feature: 5 Bootstrap sequence
  The zone as it comes up: JetStream running on all three nodes and formed into one cluster,
  keepalived active on Alpha and Beta, exactly one VIP holder (Alpha), and the controller active
  on the VIP holder only, healthy through the VIP, never on Gamma. Deadlines are in the
  sentences; the time each took is recorded.

  @runbook:5.1
  Scenario: JetStream runs on all three nodes
    Then within 30 seconds the jetstream unit is active on every node that runs it
    And within 30 seconds JetStream listens on its client port on every node

  @runbook:5.2
  Scenario: JetStream reports three peers, a leader, the zone's identity and no route errors
    Then within 30 seconds JetStream on every node reports a cluster of 3 peers with the same leader
    And the JetStream cluster is named after the zone
    And within 30 seconds every node has a route to each of the other nodes

  @runbook:5.3
  Scenario: Keepalived is active on Alpha and Beta
    Then within 30 seconds the keepalived unit is active on every node that runs it

  @runbook:5.4
  Scenario: Exactly one node holds the VIP, and it is Alpha
    Then within 15 seconds exactly one node holds the VIP
    # Beta may win the first election while Alpha's JetStream is still starting (its track
    # script keeps Alpha in FAULT); Alpha, of higher priority, then preempts.
    And within 15 seconds alpha holds the VIP

  @runbook:5.5
  Scenario: The controller runs on the VIP holder only
    Then within 30 seconds the controller is active on the VIP holder
    And the controller is inactive on every node that does not hold the VIP

  @runbook:5.5
  Scenario: The health endpoint answers through the VIP
    Then within 30 seconds the health endpoint answers 200 through the VIP

  @runbook:5.5
  Scenario: Gamma runs no controller
    Then no node without a VIP role runs the controller
