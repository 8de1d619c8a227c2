@section:redis
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
