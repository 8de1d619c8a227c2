@section:drill
Feature: Drills from a recorded history
  Beyond the runbook's checks: what a Raft control plane promises when nodes fail, proven from a
  recorded history. A client on a node that does not lead writes Chainfire keys through every
  node's API in turn, each key once, and after each write reads the newest acknowledged key
  through the next node; every node is sampled on itself (its health, a linearizable read served
  or refused, whether it leads). Every fault is healed after the scenario, also when a step fails.

  @runbook:drill.1 @disruptive @drill @drill:kill-leader @fault:crash-node
  Scenario: Kill the Chainfire leader's node: a new leader within the window, no acknowledged write lost, no stale read
    Given within 60 seconds the zone is steady
    And the client writes and reads Chainfire keys through every node from a node that is not its leader, every node sampled
    When the Chainfire leader's node crashes
    Then within the failover window another node leads Chainfire and a write sent after the crash is acknowledged, measured
    When the crashed node is started again
    Then within 90 seconds the zone is steady again
    And no acknowledged write is lost: every one is on every node at the end
    And no read answered an older value than a write acknowledged before it
    And the history shows no instant with two Chainfire leaders

  @runbook:drill.2 @disruptive @drill @drill:kill-two @fault:stop-two
  Scenario: Stop two nodes' stores: the last node refuses (503), acknowledges no write and serves no read
    Given within 60 seconds the zone is steady
    And the client writes and reads Chainfire keys through every node from a node that is not its leader, every node sampled
    When Chainfire and FlareDB are stopped on two nodes, the client's own node spared
    Then within 10 seconds the remaining node's health answers 503, and it keeps refusing for 10 seconds
    And the remaining node's FlareDB refuses too: its health is not 200 and a query is refused
    When the two nodes' stores are started again
    Then while quorum was lost no write was acknowledged and the health answered 503, and no read was served
    And within 90 seconds the zone is steady again
    And no acknowledged write is lost: every one is on every node at the end
    And no read answered an older value than a write acknowledged before it

  @runbook:drill.3 @disruptive @drill @drill:partition-leader @fault:partition-node
  Scenario: Cut the Chainfire leader off from its peers: the majority goes on, the cut-off node serves nothing
    Given within 60 seconds the zone is steady
    And the client writes and reads Chainfire keys through every node from a node that is not its leader, every node sampled
    When the Chainfire leader is cut off from both its peers
    Then within the failover window the majority acknowledges a write sent after the cut, measured
    And within 10 seconds the cut-off node refuses linearizable reads, and for 10 seconds it serves none, acknowledges no write and answers no healthy health
    And the cut-off node's FlareDB refuses too: its health is not 200 and a query is refused
    When the cut is healed
    Then within 90 seconds the zone is steady again
    And no acknowledged write is lost: every one is on every node at the end
    And no read answered an older value than a write acknowledged before it
