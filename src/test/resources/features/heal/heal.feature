@zone-up
Feature: Heal
  Scenarios that fail in the middle of their faults: every fault must be healed anyway.

  Scenario: A scenario fails during slow routes, a partition, a stopped JetStream and a freeze
    Given within 60 seconds the zone is steady with alpha active and every JetStream replica current
    When every JetStream route is slowed by 50 ms of latency each way, jitter 0 ms
    And beta is partitioned from the other nodes
    And JetStream is stopped on gamma
    And the active node is frozen
    Then the scenario fails here on purpose

  Scenario: A scenario fails while the active node is down
    Given within 60 seconds the zone is steady with alpha active and every JetStream replica current
    When the active node crashes
    Then the scenario fails here on purpose
