@section:4
Feature: Pre-deployment checklists
  The runbook's section 4 on the zone as deployed. The rows only people can check (racking,
  cabling, BMC, BIOS, switches) are attestations in the environment file: who, when, the
  reference, until when. Each row with a technical half is read or tried on the nodes: the
  inventory against the nodes' interfaces, DNS, time, the firewall, ping, bandwidth, the nodes'
  cluster configuration, the certificates and their keys; and on the provisioning network, the
  DHCP server (3.2) and the PXE server (4.3). The provisioning workstation (4.6) is not checked.

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

  # Section 3.2 and 4.3: the provisioning network's DHCP and the PXE server, asked from a host on
  # the provisioning network as a booting server asks (busybox's udhcpc with the firmware's options,
  # tftp, curl) and read on the PXE server itself.
  @runbook:3.2 @needs:pxe-server @fault:dhcp-probe
  Scenario: The PXE server's DHCP configuration passes its test and offers every client kind the runbook's next-server and boot file
    Then the PXE server's DHCP configuration passes dhcpd's syntax test
    And a DHCP request on the provisioning network from a BIOS, a UEFI and an iPXE client is each given an address of the pool, the router, the PXE server as next-server and the boot file for it
    And a DHCP request from each reserved node's MAC is given its fixed address and its host name

  @runbook:4.3 @needs:pxe-server
  Scenario: The PXE server's DHCP, TFTP and HTTP services run, its bootloaders and boot script are served, its health endpoint agrees
    Then on the PXE server the DHCP, TFTP and HTTP services are running
    And from the provisioning network both iPXE bootloaders are fetched over TFTP, each the PXE server's file byte for byte
    And from the provisioning network the boot script is fetched over HTTP, an iPXE script and the PXE server's file byte for byte
    And the PXE server's health endpoint answers healthy with DHCP, TFTP and HTTP running, as their units are

  # 3.4's provisioning server rules accept DHCP, TFTP, HTTP and SSH: each tried from the
  # provisioning network (udp 68, where nothing listens, must answer port unreachable, not nothing)
  @runbook:3.4 @needs:pxe-server
  Scenario: The provisioning server's firewall lets TFTP, HTTP and SSH through from the provisioning network
    Then from the provisioning network the PXE server's TFTP, HTTP on 80 and 8080 and SSH answer, and UDP 68 is let through

  @runbook:3.4 @needs:pxe-server @fault:dhcp-probe
  Scenario: The provisioning server's firewall lets DHCP through from the provisioning network
    Then a DHCP request on the provisioning network is answered by the PXE server
