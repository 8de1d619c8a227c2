@section:drill
Feature: Drills from a recorded history
  Beyond Appendix A: what the zone's database layer promises when a node fails, proven from a
  recorded history. A client on Pgpool's host writes a ledger of rows through Pgpool, one fresh
  session each, and reads back through Pgpool the newest of its writes confirmed at least the lag
  bound ago; every database node is sampled for what it says of itself (accepts writes or not,
  timeline, WAL receiver). Replication is asynchronous: a crashed primary may take its last
  moment's writes with it, never more than the lag bound allows, and the count is reported. Every
  fault is healed after the scenario, also when a step fails.

  @runbook:drill.1 @disruptive @drill @drill:primary-crash @fault:crash-node
  Scenario: Crash of the primary: repmgrd fails over, Pgpool follows, the old primary returns fenced and rejoins as a standby
    Given within 60 seconds the zone is steady
    And the ledger client writes through Pgpool and reads its own writes back, every database node sampled
    When the primary crashes
    Then another node confirms writes within the failover window, measured
    And within 30 seconds Pgpool names the new primary, one timeline above the old, and the other standby streams from it on that timeline
    When the crashed node is started again
    Then once its boot is over it does not accept writes, nor once its unit's own restart has been tried: fenced, not a second primary
    When it is rejoined as a standby of the new primary with repmgr node rejoin --force-rewind
    Then within 90 seconds the zone is steady again, every standby streaming from the new primary on its timeline
    And the client's reads through Pgpool found its own writes once the zone was steady again
    And the history shows no instant with two nodes accepting writes
    And confirmed writes lost are counted against the lag bound, none lost from before it or after the failover

  # The seed's "Phoenix" rotation (a 3-week cycle: week 1 re-clone the first standby, week 2 the
  # second, week 3 switch over to the first standby and re-clone the old primary), its three weeks
  # run now, one after the other, by the zone's own job.
  @runbook:drill.2 @disruptive @drill @drill:phoenix-rotation @fault:phoenix-rotation
  Scenario: The phoenix rotation, three weeks in a row: no two writers, no confirmed write lost, one timeline up at the switchover
    Given within 60 seconds the zone is steady
    And the ledger client writes through Pgpool and reads its own writes back, every database node sampled
    When the phoenix rotation's three weeks run one after the other, the zone steady again after each
    Then each week's job Completed and replaced the database instance it names, and every instance was made again in the three weeks
    And the timeline rose by exactly 1, at the switchover, and every standby streams from the new primary on it
    And after each week the client's reads through Pgpool found its own writes
    And the history shows no instant with two nodes accepting writes
    And no confirmed write was lost
