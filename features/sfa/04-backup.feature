@section:backup @needs:backups
Feature: Backup and recovery
  The runbook's PostgreSQL backup schedule and its objectives: RPO 15 minutes for critical data,
  RTO 30 minutes for database recovery. Each is read where the backups are (the backup host), not
  from the database's own account of them: pg_stat_archiver counts what archive_command reported,
  not what arrived.

  @runbook:backup.1
  Scenario: The backup schedule: daily full, hourly WAL, weekly verification, each script in place
    Then the backup host's cron table runs "0 2 * * *" full backups, "0 * * * *" WAL jobs and "0 3 * * 0" verifications, each by a script that is there and executable

  @runbook:backup.2
  Scenario: The newest base backup and archived WAL are within the RPO, read on the backup host
    Then the newest base backup on the backup host is younger than the full-backup interval and holds the base and WAL archives
    And the leader's pg_stat_archiver shows no failure since its last archived segment, archived within the RPO
    And the leader's archive_timeout switches a quiet segment within the RPO
    And every replica would archive as the leader does once promoted: archive_mode, archive_command, archive_timeout and the program it runs alike

  @runbook:backup.2 @disruptive @fault:test-writes
  Scenario: A WAL segment switched now arrives in the archive on the backup host within the RPO
    Then a WAL segment switched on the leader now arrives whole in the backup host's WAL archive within the RPO, the time it took recorded

  @runbook:backup.4
  Scenario: The weekly verification passes on the newest base backup
    Then the weekly verification script passes on the backup host, naming the newest base backup

  @runbook:backup.4 @disruptive @fault:damaged-backup
  Scenario: The weekly verification fails on a newest backup with one file changed
    When a copy of the newest base backup, one file of its base archive changed, is laid as the newest on the backup host
    Then the weekly verification script fails on it

  @runbook:backup.3 @disruptive @fault:pitr-test
  Scenario: A point-in-time recovery into a scratch instance has the rows before the target and none after, within the RTO
    Given within 60 seconds the zone is steady
    When 50 rows are written on the leader before a target time and 50 after it, and the WAL holding them is archived
    And the newest base backup is restored into a scratch instance on the backup host, recovering to the target time from the WAL archive
    Then every row written before the target time is there and none written after it, the recovery within the RTO
