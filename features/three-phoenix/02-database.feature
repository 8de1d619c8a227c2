@section:II
Feature: II. Database & Persistence
  The database layer as the audit checklist asks it, read on every node itself: who accepts
  writes, who streams from whom on which timeline, how far behind; repmgr's and Pgpool's views
  held against that, never trusted alone.

  @runbook:II.1
  Scenario: Cluster State: exactly 1 primary and 2 standbys, and every node agrees
    Then repmgr cluster show on every node lists exactly 1 primary and 2 standbys, running, the same on every node
    And repmgr cluster crosscheck finds every node reachable from every other
    And the primary repmgr names is the only node not in recovery, and no server on any host is another writable copy of the database

  @runbook:II.2
  Scenario: Replication Lag: every standby streams from the primary on its timeline and replays within 1 second
    Then every standby's WAL receiver streams from the primary, on the primary's timeline
    And the primary's pg_stat_replication lists every standby streaming
    And every standby replays the primary's current position within the lag bound

  @runbook:II.3
  Scenario: Load Balancing: Pgpool routes plain SELECTs to the standbys, and writes to the primary only
    Then plain SELECTs through Pgpool, each in a fresh session, are answered by every standby
    And writes through Pgpool, each in a fresh session, are all taken by the primary

  @runbook:II.4
  Scenario: Backup Validation: a backup younger than 24 hours, whole, its size consistent with the previous one
    Then the newest backup in the repository finished less than 24 hours ago
    And the daily backup job is scheduled to run again within 24 hours
    And the newest backup verifies against its repository, every file whole
    And the newest backup's size is within the stated tolerance of the previous backup's
