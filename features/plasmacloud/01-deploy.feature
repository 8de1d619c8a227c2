@section:5
Feature: Deployment workflow, its outcome on the nodes
  What the runbook's deployment phases leave behind and check themselves: the first-boot
  automation's cluster joins (phase 4, steps 4.4 and 4.5) and replication validated by a write on
  the leader read on the followers (phase 5, step 5.4).

  @runbook:5.4
  Scenario: Every node's first-boot joins completed, as their logs say
    Then every node's chainfire and flaredb cluster joins logged their local service healthy, then the cluster join complete

  # a write of test keys: on a live zone only when drills.allowed lists test-writes
  @runbook:5.5 @disruptive @fault:test-writes
  Scenario: A write on the leader is read on every follower at once
    Then 20 values written one after the other on the Chainfire leader are each read back on every follower right after the write is acknowledged, none missing or older
