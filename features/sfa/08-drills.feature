@section:drill
Feature: Drills from a recorded history
  Patroni's promises proven from a recorded history: a ledger client writes through HAProxy's
  write port (each write's node named by the session's server address) and reads its own writes
  back; every database node is sampled for what it says of itself (writable, timeline, WAL
  receiver). At no sampled instant may two nodes accept writes.

  @runbook:pg.5 @disruptive @fault:switchover
  Scenario: A switchover completes, loses no confirmed write, and the old leader streams again
    Given within 60 seconds the zone is steady
    And the ledger client writes through HAProxy's write port and reads its own writes back, every database node sampled
    When the operator switches the leader over to a replica with patronictl switchover
    Then within 60 seconds another node leads on the next timeline and every other running node streams from it on that timeline
    And within 60 seconds the old leader streams from the new leader on the new timeline, as Patroni rejoined it, and Patroni's table says so
    And the history shows no instant with two nodes accepting writes
    And no confirmed write was lost

  @runbook:drill.1 @drill @disruptive @fault:crash-node
  Scenario: Kill the Patroni leader: a new leader within the window, never two writable, the old leader rejoins
    Given within 60 seconds the zone is steady
    And the ledger client writes through HAProxy's write port and reads its own writes back, every database node sampled
    When the leader's node crashes with its WAL past what its replicas received
    Then another node confirms writes within the failover window, measured
    And within 60 seconds another node leads on the next timeline and every other running node streams from it on that timeline
    When the crashed node is started again
    Then within 90 seconds the old leader streams from the new leader on the new timeline, as Patroni rejoined it, and Patroni's table says so
    And the history shows no instant with two nodes accepting writes
    And confirmed writes lost are counted against the lag bound, none lost from before it or after the failover

  @runbook:drill.2 @drill @disruptive @fault:dcs-majority
  Scenario: Lose the DCS majority: the leader demotes itself, nothing is writable until the majority is back
    Given within 60 seconds the zone is steady
    And the ledger client writes through HAProxy's write port and reads its own writes back, every database node sampled
    When etcd is stopped on the two nodes that do not lead
    Then within 45 seconds no node accepts writes: the leader demoted itself without the DCS, failsafe mode being off
    And for 15 seconds no node accepts writes and no write is confirmed
    When etcd is started again on both nodes
    Then within 90 seconds one node leads and a write is confirmed again
    And the history shows no instant with two nodes accepting writes
    And confirmed writes lost are counted against the lag bound, none lost from before it or after the failover

  @runbook:drill.3 @drill @disruptive @fault:kill-redis-master @needs:redis
  Scenario: One Redis master down: the cluster promotes its replica, writes resume, the instance returns as a replica
    Given within 60 seconds the zone is steady
    When the Redis master that serves the drill's key goes down, its instance stopped until the heal
    Then within 30 seconds its replica is promoted, every slot is served again and a write to the key is acknowledged, measured
    And 20 keys written through the cluster after the promotion are read back through every instance that runs
    When the stopped instance is started again
    Then within 60 seconds it has rejoined as a replica and every instance answers cluster_state ok
