@section:pre
Feature: Prerequisites
  What the runbook asks the operator to have before staging: the topology filled in, the client
  CA, the cluster's own route CA and certificates, the route secret kept out of argv, root SSH.

  @runbook:pre.1
  Scenario: nodes.env is filled in: no placeholder left
    Then no node's nodes.env holds a placeholder, and every node row has its addresses

  @runbook:pre.2
  Scenario: The client CA exists and signs every node's data-plane certificate
    Then every node has the same client CA, and its data-plane certificate chains to it

  @runbook:pre.3
  Scenario: The cluster TLS is minted with a separate route CA
    Then every node's route certificate is issued by a route CA that is not the client CA
    And every node's route certificate is for serverAuth and clientAuth, with its address and hostname as SANs

  @runbook:pre.4
  Scenario: The route secret is present, 0600, and in no process's command line nor unit file
    Then every node has the same route secret, owned by root with mode 0600
    And the route secret appears in no process's command line and in no unit file on any node

  @runbook:pre.5
  Scenario: Root SSH to each node works
    Then a command runs as root on every node
