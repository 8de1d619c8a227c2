@section:10 @zone-up @drill
Feature: 10 Drills: failover, fail-closed and no dual-active, from a recorded history
  Faults injected while a history is recorded: every node sampled twenty times a second (VIP,
  controller, keepalived, VRRP state), a health probe every 100 ms and one acknowledged write
  after another through the VIP, the faults' start and end, and a final read of the stream after
  the heal. Checkers judge the history: failover measured from the fault to the first healthy
  answer from another node; fail-closed while the quorum is lost; no instant with two VIP holders
  or two active controllers; no acknowledged write lost; no flapping after the restore. Every
  fault is healed after each scenario, also when a step fails.

  @runbook:6.3 @runbook:6.5 @disruptive @drill:controlled-demotion @fault:controlled-demotion
  Scenario: Controlled demotion and restore
    Given within 60 seconds the zone is steady with alpha active and every JetStream replica current
    And a history is recorded: every node sampled, health probes and writes through the VIP
    When keepalived is stopped on the active node
    Then another node answers healthy through the VIP within the failover window
    When the faults are healed
    Then within 30 seconds alpha holds the VIP
    And the VIP moved at most 1 time in the 10 seconds after the heal
    And the history shows no instant with two VIP holders or two active controllers
    And every acknowledged write is in the stream after the heal

  @beyond-runbook @disruptive @drill:crash @fault:crash-node
  Scenario: Crash of the active node
    Given within 60 seconds the zone is steady with alpha active and every JetStream replica current
    And a history is recorded: every node sampled, health probes and writes through the VIP
    When the active node crashes
    Then another node answers healthy through the VIP within the failover window
    When the faults are healed
    Then within 60 seconds alpha holds the VIP
    And the VIP moved at most 1 time in the 10 seconds after the heal
    And the history shows no instant with two VIP holders or two active controllers
    And every acknowledged write is in the stream after the heal

  @beyond-runbook @disruptive @drill:kill-keepalived @fault:kill-keepalived
  Scenario: keepalived killed with SIGKILL on the active node
    Given within 60 seconds the zone is steady with alpha active and every JetStream replica current
    And a history is recorded: every node sampled, health probes and writes through the VIP
    When keepalived is killed with SIGKILL on the active node
    Then another node answers healthy through the VIP within the failover window
    When the faults are healed
    Then within 30 seconds alpha holds the VIP
    And the history shows no instant with two VIP holders or two active controllers
    And every acknowledged write is in the stream after the heal

  @beyond-runbook @disruptive @drill:freeze @fault:freeze-node
  Scenario: Freeze and thaw of the active node: it must not come back as a second active node
    Given within 60 seconds the zone is steady with alpha active and every JetStream replica current
    And a controller started on a standby node, where no lease names it, refuses to serve and ends itself
    And a history is recorded: every node sampled, health probes and writes through the VIP
    When the active node is frozen
    Then another node answers healthy through the VIP within the failover window
    When the faults are healed
    And the history is recorded for 10 more seconds
    Then the history shows no instant with two VIP holders or two active controllers
    And every acknowledged write is in the stream after the heal

  @beyond-runbook @disruptive @drill:link-cut @fault:cut-link
  Scenario: The Alpha-Beta link is cut while both still reach Gamma
    Given within 60 seconds the zone is steady with alpha active and every JetStream replica current
    And a history is recorded: every node sampled, health probes and writes through the VIP
    When the link between alpha and beta is cut
    And the history is recorded for 10 more seconds
    When the faults are healed
    Then within 30 seconds alpha holds the VIP
    And the history shows no instant with two VIP holders or two active controllers
    And every acknowledged write is in the stream after the heal

  @beyond-runbook @disruptive @drill:lose-one-jetstream @fault:stop-jetstream
  Scenario: Loss of one JetStream node: the zone keeps serving
    Given within 60 seconds the zone is steady with alpha active and every JetStream replica current
    And a history is recorded: every node sampled, health probes and writes through the VIP
    When JetStream is stopped on gamma
    And the history is recorded for 10 more seconds
    Then the zone keeps serving: no 5 seconds pass without an acknowledged write
    When the faults are healed
    Then the history shows no instant with two VIP holders or two active controllers
    And every acknowledged write is in the stream after the heal

  @beyond-runbook @disruptive @drill:lose-quorum @fault:quorum-loss
  Scenario: Loss of two JetStream nodes: the zone fails closed, and recovers when one returns
    Given within 60 seconds the zone is steady with alpha active and every JetStream replica current
    And a history is recorded: every node sampled, health probes and writes through the VIP
    When JetStream is stopped on beta and gamma: the quorum is lost
    Then within 30 seconds the promotion's health gate refuses on every VIP node
    And the history is recorded for 20 more seconds
    When JetStream is started again on gamma
    Then while the quorum was lost no write was acknowledged and, from 10 seconds after the loss, health refused: 503 or no node on the VIP
    And writes are acknowledged again within 30 seconds of the quorum's return
    When the faults are healed
    Then the history shows no instant with two VIP holders or two active controllers
    And every acknowledged write is in the stream after the heal

  @beyond-runbook @disruptive @drill:slow-routes @fault:slow-routes
  Scenario: Slow JetStream routes: the zone keeps serving, single-active, and loses no write
    Given within 60 seconds the zone is steady with alpha active and every JetStream replica current
    And a history is recorded: every node sampled, health probes and writes through the VIP
    When every JetStream route is slowed by 100 ms of latency each way, jitter 20 ms
    And the history is recorded for 15 more seconds
    Then the zone keeps serving: no 5 seconds pass without an acknowledged write
    When the faults are healed
    Then the history shows no instant with two VIP holders or two active controllers
    And every acknowledged write is in the stream after the heal
