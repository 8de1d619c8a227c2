@section:4
Feature: Pre-deployment checklists
  The runbook's section 4 on the zone as deployed. The rows only people can check (racking,
  cabling, BMC, BIOS, switches, DHCP) are attestations in the environment file: who, when, the
  reference, until when. Each row with a technical half is read or tried on the nodes: the
  inventory against the nodes' interfaces, DNS, time, the firewall, ping, bandwidth, the nodes'
  cluster configuration, the certificates and their keys. The PXE server (4.3) and the
  provisioning workstation (4.6) serve the installation, not the zone: they are not checked here.

  @runbook:4.1
  Scenario: The hardware checklist is on record and the inventory is the nodes'
    Then the attestation "hardware" is on record and current
    And the inventory records every node and no other, each with its MAC, its hostname and its role
    And every node's MAC address, on the interface that carries its address, is the one the inventory records
    And every node's serial number is the one the inventory records, unless the environment says why none is recorded

  @runbook:4.2
  Scenario: The network checklist is on record, DNS answers forward and reverse, and time is synchronised
    Then the attestation "network" is on record and current
    And asked on every node, every node's name resolves to its address and its address back to its name, and nothing else
    And within 60 seconds every node's clock is synchronised with an offset within the threshold

  # "Firewall rules configured": read, and tried from inside and outside the cluster subnet (6.5).
  @runbook:4.2
  Scenario: Every node's firewall drops by default and accepts only the runbook's port matrix
    Then every node's firewall drops what the port matrix does not allow
    And every node's firewall accepts only what the port matrix allows

  @runbook:4.2
  Scenario: The nodes reach each other: ping within the latency the runbook accepts, bandwidth above the floor
    Then every node answers ping from every other node, the round trip under 5 ms
    And the bandwidth from each node to the next, measured with iperf3, is at least the floor

  @runbook:4.4
  Scenario: Every node's cluster configuration is present and says what the inventory says
    Then every node's cluster configuration names the node, its role and the cluster, and the three nodes of the inventory as its peers

  @runbook:4.5
  Scenario: The zone's CA and every node's certificate are in place, the keys readable by root only
    Then every node holds the zone's CA and its own certificate, issued by that CA for its name, the expiry recorded
    And every node's private key is mode 0400, owned by root, matches its certificate, and another user's attempt to read it fails
    And every secret on every host, found by what it is, is unreadable by an unprivileged user
    And the attestation "certificate-rotation" is on record and current
