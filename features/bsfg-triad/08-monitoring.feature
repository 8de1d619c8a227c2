@section:8
Feature: 8 Monitoring bring-up
  What monitoring sees: health endpoints, the VRRP role and its transitions, JetStream's quorum,
  disk, RAID and device health, certificate expiry against its threshold, and backup freshness.
  Each check is also made to alert, to show it can.

  @runbook:8.1
  Scenario: The JetStream and controller health endpoints answer success
    Then within 30 seconds JetStream's health endpoint answers ok on every node
    And within 30 seconds the health endpoint answers 200 through the VIP

  @runbook:8.2
  Scenario: Keepalived's role is visible to monitoring and its transitions are logged centrally
    Then within 15 seconds every VIP node's role signal agrees with whether it holds the VIP
    And within 30 seconds keepalived's role transitions of every VIP node are at the aggregation target

  @runbook:8.3
  Scenario: JetStream's monitoring shows cluster size, leader, replicas and quorum
    Then within 30 seconds every node's JetStream monitoring shows the cluster size and the leader
    And within 30 seconds the leader's JetStream monitoring shows every replica current
    And every stream is replicated on every JetStream node

  @runbook:8.4 @needs:raid @needs:smart
  Scenario: RAID and device health are healthy
    Then no node that may hold the VIP has a missing, degraded or rebuilding RAID array
    And every device the inventory lists passes its SMART health check

  @runbook:8.4
  Scenario: The data and artifact filesystems report their usage, below 90 percent
    Then the JetStream data and artifact filesystems are below 90 percent full on every node

  @runbook:8.5
  Scenario: The certificate expiry check has the policy's threshold, passes, and alerts
    Then the certificate expiry check on every node has a threshold of at least the certificate horizon
    And the certificate expiry check passes on every node
    And the certificate expiry check alerts when asked for a horizon beyond the certificates' expiry

  # "Alerting threshold enforced": the check's alert reaches a real alerting system, the zone's
  # alert endpoint (an Alertmanager), is read back from it active, and is resolved. A real alert
  # may page someone: only where the environment allows the fault test-alert.
  @runbook:8.5 @disruptive @fault:test-alert @needs:alertmanager
  Scenario: The certificate expiry alert reaches the zone's alert endpoint and is resolved
    Then the certificate expiry check, asked for a horizon beyond the certificates' expiry, raises a critical alert the zone's Alertmanager shows as active
    And the certificate expiry check run as installed resolves it

  @runbook:8.6
  Scenario: A backup freshness signal exists and turns stale
    Given the backup job has run on the backup node
    Then the backup freshness check reports fresh
    And the backup freshness check reports stale when the newest backup is older than its limit
