@section:up
Feature: Bring up, staggered
  The seed first, then the replicas one at a time, each joining the cluster.

  @runbook:up.1
  Scenario: The seed started first, and each replica joined
    Then the seed's service started before either replica's
    And within 60 seconds every node routes to the other two and names one meta leader, every peer current

  @runbook:up.2
  Scenario: The unit enabled on every node: each node's service comes back by itself after a reboot
    Then the membershipd unit is enabled on every node that runs it
