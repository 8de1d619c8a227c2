@zone-up
Feature: Heal
  Scenarios that fail in the middle of their faults: every fault must be healed anyway. One kind
  of fault after another, as the guard rails allow (never Alpha and Beta at once, never two
  JetStream nodes down outside the quorum-loss drill).

  @disruptive @fault:slow-routes @fault:stop-jetstream
  Scenario: A scenario fails during slow routes and a stopped JetStream
    Given within 60 seconds the zone is steady with alpha active and every JetStream replica current
    When every JetStream route is slowed by 50 ms of latency each way, jitter 0 ms
    And JetStream is stopped on gamma
    Then the scenario fails here on purpose

  @disruptive @fault:partition-node
  Scenario: A scenario fails while a node is partitioned
    Given within 60 seconds the zone is steady with alpha active and every JetStream replica current
    When beta is partitioned from the other nodes
    Then the scenario fails here on purpose

  @disruptive @fault:freeze-node
  Scenario: A scenario fails while the active node is frozen
    Given within 60 seconds the zone is steady with alpha active and every JetStream replica current
    When the active node is frozen
    Then the scenario fails here on purpose

  @disruptive @fault:crash-node
  Scenario: A scenario fails while the active node is down
    Given within 60 seconds the zone is steady with alpha active and every JetStream replica current
    When the active node crashes
    Then the scenario fails here on purpose
