@section:redis @needs:redis
Feature: Database operations: Redis cluster
  The runbook's Redis cluster checks (redis-cli --cluster check, cluster info, cluster nodes,
  info memory), asked of every instance of the inventory: an instance that is not in the cluster
  says so only when asked itself.

  @runbook:redis.1
  Scenario: The cluster is ok, every slot covered, three masters each replicated on another node
    Then redis-cli --cluster check finds every slot covered and every node agreeing
    And every instance of the inventory answers cluster_state ok and sees exactly the inventory's instances, 3 masters covering every slot, each with a replica on another node

  @runbook:redis.2
  Scenario: Every instance reports its memory use
    Then every instance of the inventory reports used_memory and maxmemory in info memory

  @runbook:redis.2 @disruptive @fault:test-writes
  Scenario: A key written through the cluster is read back through every instance
    Then a probe key written through one instance is read back through every instance of the inventory

  @runbook:redis.6 @disruptive @fault:test-writes
  Scenario: Redis persistence: every instance saves on BGSAVE, LASTSAVE advances, no failed save or rewrite
    Then every instance of the inventory saves on BGSAVE: LASTSAVE advances past it and info persistence reports no failed save or rewrite

  @runbook:redis.7 @needs:backups
  Scenario: Redis backup: a copy of the day of every instance's RDB file on the backup host, each read whole
    Then the backup host holds a copy of the day of every instance's RDB file, each read whole by redis-check-rdb

  # redis.3-5, the runbook's scaling as it writes it (add-node, reshard, del-node), on a scratch
  # instance of the first node (the runbook's redis-4 is a new machine the zone does not have).
  # redis-scale reshards live slots: a live zone must name it; the keys expire within the hour.
  @runbook:redis.3 @runbook:redis.4 @runbook:redis.5 @disruptive @fault:redis-scale @fault:test-writes
  Scenario: The cluster scaled out and back: a node added, 1000 slots resharded to it with their keys, then removed
    Given within 60 seconds the zone is steady
    When a new Redis instance is started on the first node and added to the cluster with redis-cli --cluster add-node
    Then within 30 seconds every instance sees the new one as a master with no slots, and the cluster is ok with every slot covered
    When 2000 keys are written through the cluster and 1000 slots resharded from a master of the first node to the new instance
    Then within 30 seconds the new instance holds 1000 slots on every instance's view, none left migrating or importing, every slot covered, and every key written is read back through the cluster
    When its slots are resharded back to that master and it is removed with redis-cli --cluster del-node
    Then within 30 seconds no instance of the inventory knows the removed one, the cluster is ok with every slot covered and every master replicated on another node, and every key is still read back
