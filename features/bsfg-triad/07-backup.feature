@section:7
Feature: 7 Backup setup
  The JetStream snapshot backup: its job and schedule on the backup node, the remote target
  reachable, authenticated and writable, the restore procedure where operators find it, and,
  beyond the runbook, a backup that actually restores.

  @runbook:7.1
  Scenario: The snapshot backup job is placed, executable and scheduled
    Then the backup script is present and executable on the backup node
    And the backup schedule on the backup node runs the backup script
    And the scheduler is active on the backup node

  @runbook:7.2
  Scenario: The remote backup target is reachable, authenticated and writable
    Then the backup node reaches and authenticates to the backup remote
    And the backup node can write to and delete from the zone's directory on the backup remote

  @runbook:7.3
  Scenario: The schedule has a valid time, the approved identity and the script's path
    Then the backup schedule has a valid time, runs as the backup user and names the backup script

  @runbook:7.4
  Scenario: The restore procedure is in the zone's operations directory
    Then the restore procedure is on every node and names the backup remote

  @runbook:7.4 @beyond-runbook
  Scenario: A backup restores into a scratch JetStream server with the same messages
    Given within 30 seconds 20 writes are acknowledged through the VIP
    When the backup job runs on the backup node
    Then the newest backup restored into a scratch JetStream server holds the stream's messages
