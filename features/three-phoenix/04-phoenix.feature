@section:IV
Feature: IV. Phoenix Mechanics
  The rotation that keeps every database instance younger than three weeks: its last job, and the
  age of every instance as the instance itself shows it.

  @runbook:IV.1
  Scenario: Job History: the last phoenix-maintenance job completed
    Then the last phoenix-maintenance job in the job history is Completed, not Failed
    And the phoenix-maintenance job is scheduled weekly, on Sunday at 03:00 UTC, its next run within 7 days

  @runbook:IV.2
  Scenario: Pod Age: no database instance is older than 22 days
    Then every database instance's data directory was made less than 22 days ago, and its server started since
