@zone-up
Feature: Guard rails
  Faults the harness must refuse: each stops the run with the refused fault not applied and the
  faults before it healed. Run one scenario at a time (the first safety stop ends a run).

  @disruptive @fault:stop-jetstream @guard:two-jetstream
  Scenario: Two JetStream nodes down outside the quorum-loss drill
    Given within 60 seconds the zone is steady with alpha active and every JetStream replica current
    When JetStream is stopped on gamma
    And JetStream is stopped on beta
    Then the scenario fails here on purpose

  @disruptive @fault:controlled-demotion @fault:partition-node @guard:alpha-and-beta
  Scenario: Alpha and Beta faulted at once
    Given within 60 seconds the zone is steady with alpha active and every JetStream replica current
    When keepalived is stopped on the active node
    And beta is partitioned from the other nodes
    Then the scenario fails here on purpose

  @disruptive @fault:controlled-demotion @guard:undeclared
  Scenario: A fault the scenario does not declare
    Given within 60 seconds the zone is steady with alpha active and every JetStream replica current
    When gamma is partitioned from the other nodes
    Then the scenario fails here on purpose

  @disruptive @fault:stop-jetstream @guard:unsteady
  Scenario: A fault on a zone that is not steady
    Given within 60 seconds the zone is steady with alpha active and every JetStream replica current
    And health through the VIP is blocked on the active node, outside the harness's faults
    When JetStream is stopped on gamma
    Then the scenario fails here on purpose

  @guard:after-stop
  Scenario: A scenario after a safety stop
    Then the scenario fails here on purpose
