@section:2
Feature: 2. Physical & Infrastructure Layer
  The architecture's physical layer as a running zone shows it: the nodes' operating system. The
  K3s cluster, its embedded etcd and Longhorn (2.2-2.6) are declared, with their reasons.

  @runbook:2.1 @needs:ubuntu-nodes
  Scenario: Three nodes, each running Ubuntu
    Then the zone has exactly 3 database nodes, each running Ubuntu by its /etc/os-release
