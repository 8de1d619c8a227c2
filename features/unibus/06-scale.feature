@section:scale
Feature: Scale to R3
  The control plane starts at R1 (the runbook's rollout) and is raised to R3 in place. The
  runbook's command is run as written; what it must keep is read back through every node.

  @runbook:scale.2 @disruptive @drill @drill:r1-single-point @fault:stop-one @fault:scale-to-r3
  Scenario: At R1 the seed is a single point of failure; after the scale-up it is not
    Given within 60 seconds the cluster is steady
    And the control plane is at R1 on the seed, as the runbook's rollout leaves it
    And the drill's client is recording: authorizations, grants, and every node's leadership
    When the seed's service is stopped
    Then after a grace of 5 seconds no authorization is allowed while the quorum is lost, and at least 10 are explicitly denied
    When the seed's service is started again and the cluster is steady
    And every control-plane bucket is raised to R3 as the runbook says
    Then within 60 seconds every control-plane bucket has 3 replicas, every replica current
    When the seed's service is stopped
    Then an authorization is allowed within the failover window with the seed stopped

  @runbook:scale.1 @disruptive @drill @drill:scale-to-r3 @fault:scale-to-r3
  Scenario: Every control-plane bucket is raised to R3 in place, nothing lost
    Given within 60 seconds the cluster is steady
    When every control-plane bucket is raised to R3 as the runbook says
    Then within 60 seconds every control-plane bucket has 3 replicas, every replica current
    And every bucket's messages, last sequence and every key's value and revision are as before the scale-up
    And a probe written to every control-plane bucket after the scale-up is acknowledged, and within 30 seconds every replica is current with it

  @runbook:scale.3 @disruptive @drill @drill:seed-stopped-at-r3 @fault:stop-one @fault:scale-to-r3
  Scenario: At R3 the old R1 holder can stop, every key stays readable, and R3 holds after its restart
    Given within 60 seconds the cluster is steady
    And the control plane is replicated on every node, raised to R3 as the runbook says where it is not
    And the control plane's state is read
    When the seed's service is stopped
    Then within 60 seconds every key of every control-plane bucket is readable through each other node, as before
    When the seed's service is started again and the cluster is steady
    Then within 30 seconds every control-plane bucket has 3 replicas, every replica current
