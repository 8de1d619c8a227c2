@section:4
Feature: 4 Service installation
  What the runbook places on the nodes before anything starts: the JetStream configuration,
  keepalived on Alpha and Beta, the controller's artifacts, and which units may start on their
  own. Read from the files themselves and from systemd.

  @runbook:4.1
  Scenario: The JetStream configuration names the zone, routes to all three nodes, with the zone's ports and data directory
    Then every node's JetStream configuration names the zone's cluster
    And every node's JetStream configuration routes to every node on the cluster port
    And every node's JetStream configuration has the zone's client, cluster and monitoring ports
    And every node's JetStream configuration keeps its data in the JetStream data directory

  @runbook:4.2
  Scenario: Keepalived is configured alike on Alpha and Beta, Alpha first
    Then the VIP nodes share one VRRP instance and router id
    And alpha's VRRP priority is higher than beta's
    And each VIP node speaks unicast from its own address to the other VIP nodes
    And the notify and track scripts keepalived names are present and executable on every VIP node
    And every VIP node is configured with the zone's VIP, by keepalived or under the zone's lease

  @runbook:4.3
  Scenario: The controller's artifacts are in place: certificates, manifest, approved image, bound to the VIP
    Then every VIP node has its certificate, key and CA, the key readable by its owner only
    And every secret on every host, found by what it is, is unreadable by an unprivileged user
    And the controller's manifest on every VIP node names an approved image
    And the controller's manifest on every VIP node binds it to the VIP, not a wildcard address

  @runbook:4.4
  Scenario: JetStream and keepalived are enabled; the controller is installed but not enabled
    Then the jetstream unit is enabled on every node that runs it
    And the keepalived unit is enabled on every node that runs it
    And the controller unit is installed on every node that may hold the VIP
    And the controller unit is not enabled on any node
