@section:6
Feature: Verification & validation
  The runbook's section 6 on a provisioned zone: every service asked on every node over HTTPS, its
  certificate checked against the zone's CA, the answers judged as the runbook documents them.

  @runbook:6.1
  Scenario: Every service on every node answers its health as documented
    Then every node's Chainfire, FlareDB and IAM answer healthy as the runbook documents, verified against the zone's CA

  @runbook:6.2
  Scenario: Chainfire and FlareDB each have the three members of the inventory, every one healthy
    Then asked of every node, Chainfire and FlareDB each list the 3 nodes of the inventory, every one healthy, the same list everywhere

  @runbook:6.3
  Scenario: Exactly one leader per service, every node names it and reaches it
    Then every node names the same Chainfire leader and the same FlareDB leader, reaches it, and the members list agrees

  @runbook:6.4
  Scenario: Every service's certificate, and any other port's that speaks TLS, verifies against the zone's CA and outlives the horizon
    Then every service port of every node presents a certificate the zone's CA verifies for the node's name, expiring beyond the horizon

  # "TLS enabled" on the peers' ports too, tried: what must be refused is tried, from a peer, through its SSH.
  @runbook:6.4
  Scenario: The Raft ports speak TLS with the zone's CA and take only a peer holding one of its certificates
    Then every node's Raft ports take a peer's certificate of the zone CA and refuse a client without one or with another CA's

  # The runbook's 6.5 (nc -zv between every pair), and what must not answer: tried from every peer
  # and from outside the cluster subnet (a client of the internal network reaches SSH and IAM only).
  @runbook:6.5
  Scenario: The port matrix holds between every pair of nodes, and from outside the cluster subnet only SSH and IAM answer
    Then every port the matrix opens between the nodes answers from every peer
    And from outside the zone and from every peer, exactly the port matrix's ports answer on every node

  # The runbook's commands write test keys and a test metric: on a live zone only when
  # drills.allowed lists test-writes.
  @runbook:6.6 @disruptive @fault:test-writes
  Scenario: Performance smoke tests: 1000 writes on the Chainfire leader and a FlareDB query, measured against the runbook's bounds
    Then 1000 writes one after the other on the Chainfire leader, over one client connection, are acknowledged within the environment's bound
    And a FlareDB query for a metric just written answers with its sample, the median of 5 within the environment's bound
