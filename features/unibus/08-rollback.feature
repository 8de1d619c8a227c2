@section:rollback
Feature: Rollback
  "membershipd does not delete data": a node reverted to standalone (no KV store, no cluster)
  and then brought back leaves every bucket and key as it was.

  @runbook:rollback.1 @disruptive @drill @drill:rollback @fault:stop-one @fault:scale-to-r3
  Scenario: A node restarted without --store kv deletes nothing
    Given within 60 seconds the cluster is steady
    And the control plane is replicated on every node, raised to R3 as the runbook says where it is not
    And the control plane's state is read
    When a node's unit is stopped and membershipd runs on it without --store kv or --cluster-name, then the unit starts again
    Then within 60 seconds the cluster is steady and every bucket and key remains, read through every node
