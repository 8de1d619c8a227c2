@section:V
Feature: V. Disaster Recovery Drill (Quarterly)
  The checklist's two drills, run for real: an application instance killed while the site is
  asked through the ingress from outside the zone, and the newest backup restored into a test
  database that the application, pointed at it, logs in to. Every fault is healed after the
  scenario, also when a step fails.

  @runbook:V.1 @disruptive @drill @drill:kill-app @fault:kill-app
  Scenario: The Kill Test: the site stays up through the other instances, and a replacement joins the ingress within 2 minutes
    Given within 60 seconds the zone is steady
    When the application's instance on phoenix-b is killed, the site asked through the ingress from outside the zone throughout
    Then every request to the site was answered while the instance was away, each other instance serving some
    And a replacement instance on phoenix-b served through the ingress within the replacement window, measured

  @runbook:V.2 @disruptive @drill @drill:restore-test @fault:restore-test
  Scenario: The Restore Test: the newest backup restored into a test database, log in, see the latest repositories
    Given within 60 seconds the zone is steady
    When a repository is created through the site and the daily backup job runs
    And the newest backup is restored into a test database on the repository's host
    Then the application pointed at the test database logs in and lists the latest repositories
