@section:pg
Feature: Database operations: PostgreSQL (Patroni)
  The runbook's Patroni checks (patronictl list, the replicas' lag, the switchover), each
  cross-checked on the nodes themselves: Patroni's table is what Patroni believes; what PostgreSQL
  says on each node is what is. (Patroni 3.0 lists a replica as "running" whatever its WAL
  receiver does: only the node itself says whether it streams, and from where, on which timeline.)

  @runbook:pg.1
  Scenario: Patroni shows one leader and the replicas streaming, and every node's own state agrees
    Then patronictl list shows one Leader and every other member a Replica, running or streaming
    And on every node PostgreSQL's own state agrees with Patroni: the leader out of recovery, each replica's WAL receiver streaming from the leader on the leader's timeline

  @runbook:pg.2
  Scenario: Every replica's lag is under the threshold in Patroni's view and in the leader's
    Then every replica's lag in patronictl list is within the lag threshold
    And the leader's pg_stat_replication shows every replica streaming, its replay within the lag threshold of the leader's position
    And Patroni promotes no replica lagging beyond the threshold: maximum_lag_on_failover, read from every node's REST API, within it

  @runbook:pg.2 @disruptive @fault:test-writes
  Scenario: A row written on the leader is replayed on every replica within the bound
    Then a marker row written on the leader is read on every replica within the environment's lag bound

  @runbook:pg.3
  Scenario: Patroni's REST API answers as documented for each member's role
    Then on every node Patroni's REST API answers /primary 200 only on the leader, /replica 200 only on the replicas and /health 200 everywhere

  @runbook:pg.4 @disruptive @fault:test-writes
  Scenario: HAProxy sends every write session to the primary and every read session to a replica, and nothing else
    Then 20 sessions through HAProxy's write port all reach the leader, and a write through it is accepted
    And 20 sessions through HAProxy's read port all reach replicas, every replica among them, and a write through it is refused
    And no other port HAProxy listens on reaches PostgreSQL

  @runbook:pg.6
  Scenario: Disk space and connection counts: every node's data directory has room, and its connections leave room for a client
    Then every node reports the free space of its data directory and its connections by state, with room left for an ordinary client

  @runbook:pg.9
  Scenario: Database sizes: every database of the cluster with its size, largest first
    Then the runbook's query of the database sizes answers on the leader with a size for every database of the cluster, largest first, beside its data directory's free space

  @runbook:pg.7
  Scenario: Slow queries: the ten slowest from pg_stat_statements, and a slow statement logged for the review
    Then the runbook's query of pg_stat_statements answers on the leader with its slowest statements
    And every node logs statements slower than its threshold, and one run that slow on the leader is in the leader's log and in pg_stat_statements
