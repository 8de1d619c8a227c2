@section:2
Feature: 2 Inputs required
  Every input the runbook needs is present and well formed: the zone name, the three
  hostnames, the VIP (in Alpha's and Beta's subnet, not a node's address), the peer endpoints,
  the certificate, configuration and artifact paths (absolute), and the alert endpoint.

  @runbook:2
  Scenario: Every required input is present and well formed
    Then every input of the runbook is present and well formed
