@section:3
Feature: 3 Host preparation
  The nodes' operating system, packages, storage, log shipping and clocks, read with the
  runbook's own methods (os-release, the tools' --version, findmnt, /proc/mdstat, the log
  agent's unit and configuration, chronyc). Each item halts the run when it fails.

  @runbook:3.1
  Scenario: The OS is within the supported matrix and no reboot is deferred
    Then every node runs an OS of the supported matrix
    And no node has a reboot pending

  @runbook:3.2
  Scenario Outline: <package> is installed within the supported baseline
    Then <package> is installed where the zone needs it, at its baseline version or later

    Examples: host tools
      | package     |
      | keepalived  |
      | openssl     |
      | nats-server |
      | rsyslog     |
      | rclone      |
      | smartctl    |
      | mdadm       |

    @needs:container-runtime
    Examples: container runtime
      | package        |
      | docker         |
      | docker-compose |

  @runbook:3.3
  Scenario: A dedicated filesystem is mounted at the JetStream data directory
    Then on every node the JetStream data directory is a filesystem of its own, of a type and with options the policy allows
    And the device behind it is recorded, and is the inventory's where the inventory names one

  @runbook:3.4 @needs:raid
  Scenario: RAID arrays are healthy on Alpha and Beta
    Then no node that may hold the VIP has a missing, degraded or rebuilding RAID array

  @runbook:3.4
  Scenario: The artifact storage is mounted on Alpha and Beta
    Then on every node that may hold the VIP the artifact mount is a filesystem of its own

  @runbook:3.5 @needs:persistent-mounts
  Scenario: The required mounts are persistent
    Then on every node the mount table validates
    And on every node the JetStream data and artifact mounts are declared in the mount table

  @runbook:3.6
  Scenario: The log agent is installed, enabled and forwarding to the aggregation target
    Then the log agent is installed, enabled and active on every node
    And the log agent's configuration on every node forwards to the aggregation target
    And within 30 seconds a marker line logged on every node arrives at the aggregation target

  @runbook:3.7
  Scenario: Clocks are synchronised within the approved offset
    Then within 60 seconds every node's clock is synchronised with an offset within the threshold
