@section:chaos
Feature: Chaos test, from a recorded history
  A client outside the cluster that knows all three nodes asks for authorizations with fresh
  nonces every 100 ms and grants a new member every 150 ms; every node is sampled four times a
  second for the meta leader and the leader of KV_UNIBUS_members. Faults are the runbook's own
  (systemctl stop membershipd-cluster); every fault is healed after the scenario, also when a step
  fails.

  @runbook:chaos.1 @disruptive @drill @drill:stop-one @fault:stop-one @fault:scale-to-r3
  Scenario: Kill one node, each in turn (the meta leader first): the cluster keeps serving
    Given within 60 seconds the cluster is steady
    And the control plane is replicated on every node, raised to R3 as the runbook says where it is not
    And the drill's client is recording: authorizations, grants, and every node's leadership
    When each node in turn is stopped, then started again once serving is seen without it
    Then after each stop an authorization was allowed within the failover window
    And every node rejoined and every replica was current after its restart
    And every acknowledged grant is readable after the drill
    And the history shows no instant with two meta leaders or two leaders of KV_UNIBUS_members

  @runbook:chaos.2 @disruptive @drill @drill:stop-two @fault:stop-two @fault:scale-to-r3
  Scenario: Kill two nodes: the control plane fails closed, and serves again when one returns
    Given within 60 seconds the cluster is steady
    And the control plane is replicated on every node, raised to R3 as the runbook says where it is not
    And the drill's client is recording: authorizations, grants, and every node's leadership
    When two nodes are stopped, the meta leader among them
    Then after a grace of 5 seconds no authorization is allowed while the quorum is lost, and at least 10 are explicitly denied
    When one of the two is started again
    Then an authorization is allowed again within 30 seconds of its start
    And every acknowledged grant is readable after the drill

  # A KV get is served by any replica, a stale one included (NATS ADR-8, allow_direct): a node cut
  # off from the leader of KV_UNIBUS_members keeps answering reads from its own copy. The nonce
  # bucket is led elsewhere, so the cut-off node can still record nonces: only the membership read
  # stands between a revoked member and an allowed request there. A get is answered by one replica
  # picked at random (the node's own, or one over a route): hence many requests, not a few seconds.
  @runbook:chaos.3 @disruptive @drill @drill:cut-from-members-leader @fault:partition-node @fault:scale-to-r3
  Scenario: A node cut off from the members leader never authorizes a member revoked meanwhile
    Given within 60 seconds the cluster is steady
    And the control plane is replicated on every node, raised to R3 as the runbook says where it is not
    And the drill's client is recording: authorizations, grants, and every node's leadership
    And a member is granted and every node authorizes it
    When one node is cut off from the leader of KV_UNIBUS_members only, the nonce bucket led elsewhere
    And that member is revoked through the leader of KV_UNIBUS_members
    Then asked 20 times within 60 seconds, the cut-off node never authorizes the revoked member
    And no node authorized the revoked member after its revocation was acknowledged
    And every acknowledged grant is readable after the drill

  # The runbook's partition: one node cut off from both others (nftables, as the BSFG partition). The
  # node cut off is the leader of KV_UNIBUS_members: a former leader keeps its copy and, for a while,
  # its claim to lead; it must still allow nothing, the majority must serve and never authorize a
  # member revoked meanwhile.
  @runbook:chaos.3 @disruptive @drill @drill:isolate-members-leader @fault:partition-node @fault:scale-to-r3
  Scenario: The node isolated from both others denies, the majority serves, and no stale authorization
    Given within 60 seconds the cluster is steady
    And the control plane is replicated on every node, raised to R3 as the runbook says where it is not
    And the drill's client is recording: authorizations, grants, and every node's leadership
    And a member is granted and every node authorizes it
    When the leader of KV_UNIBUS_members is cut off from both other nodes
    And that member is revoked through the majority
    Then within 30 seconds of the cut each node of the majority allows an authorization
    And after a grace of 5 seconds the isolated node allows no authorization, asked 20 times
    And no node authorized the revoked member after its revocation was acknowledged
    And the history shows no instant with two meta leaders or two leaders of KV_UNIBUS_members
    And every acknowledged grant is readable after the drill
