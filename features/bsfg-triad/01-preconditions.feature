@section:1
Feature: 1 Preconditions
  Verified all before proceeding: the runbook halts if any precondition is not satisfied, so a
  failure here leaves every later section not run. The decisions people make (the approved
  inventory, the IP allocation) are attestations in the environment file: who, when, the ticket
  or evidence, and until when; where they have a technical half, the hosts are checked against
  them as well.

  @runbook:1.1
  Scenario: The host inventory is approved and the hosts answer as it says
    Then the attestation "inventory" is on record and current
    And the zone has one host for each role of its profile
    And every node answers with the hostname and address of the inventory

  @runbook:1.2
  Scenario: IP assignments are fixed and the VIP is reserved
    Then the attestation "ip-allocation" is on record and current
    And every node holds its inventory address
    And no node outside the VIP roles holds the VIP

  @runbook:1.3 @needs:storage-hardware
  Scenario: The required storage devices are present
    Then every node has the block devices its inventory lists

  @runbook:1.4
  Scenario: Certificates are issued, valid, and match the zone's identity policy
    Then every node's certificate is valid now, names the node and lists its addresses
    And every node's certificate is issued by the zone's CA

  @runbook:1.5
  Scenario: Time sync is healthy
    Then within 60 seconds every node's clock is synchronised with an offset within the threshold

  @runbook:1.6
  Scenario: The host firewall is in place
    Then every node's firewall drops what the port matrix does not allow
    And every node's firewall accepts only what the port matrix allows

  # "Required ports configured per Triad-HA pattern", and nothing else: tried, not only read.
  @runbook:1.6
  Scenario: Exactly the pattern's ports answer, tried from outside the zone and from every peer
    Then every port the matrix opens between the nodes answers from every peer
    And from outside the zone and from every peer, exactly the port matrix's ports answer on every node

  @runbook:1.7
  Scenario: Secrets and configs are rendered and match their manifest
    Then every node has its rendered configs and secrets
    And every rendered file on every node matches the checksum in its manifest

  @runbook:1.8
  Scenario: Operator access is established
    Then an SSH login with a verified host key succeeds on every node
