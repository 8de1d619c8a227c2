@section:alert @needs:monitoring
Feature: Monitoring and alerting
  The runbook's alert rules, on the backup host's Prometheus and Alertmanager: the rule files
  load and pass their unit tests, every metric a rule reads exists (a rule on a metric nobody
  exports can never fire), and the critical path is proven end to end.

  @runbook:alert.1
  Scenario: The alert rules load with the runbook's for and severity, every metric they read has a series, critical alerts page
    Then promtool check rules accepts every rule file on the monitoring host and promtool test rules passes the harness's tests of the runbook's alerts
    And Prometheus has loaded NodeDown, DatabaseDown, HighErrorRate, HighMemoryUsage and CertificateExpiring with the runbook's for and severity, every rule healthy
    And every metric the alert rules read has at least one series in Prometheus
    And NodeDown and DatabaseDown each read a series of every database node
    And Alertmanager routes an alert of severity critical to the page receiver, and one of severity warning to another

  @runbook:alert.5
  Scenario: Prometheus keeps 15 days of samples at full resolution
    Then Prometheus keeps every sample at least 15 days, bounded by age alone

  @runbook:alert.2 @disruptive @fault:stop-postgres
  Scenario: DatabaseDown fires when PostgreSQL stops on a replica, pages, and resolves after the heal
    Given within 60 seconds the zone is steady
    When Patroni and its PostgreSQL are stopped on a replica
    Then within the rule's for plus the alert margin, Alertmanager holds DatabaseDown firing for that node and the page receiver has received it
    When Patroni is started again on that node
    Then within 90 seconds DatabaseDown is resolved in Alertmanager and the page receiver has received the resolution

  @runbook:alert.3 @disruptive @fault:expiring-certificate
  Scenario: A certificate under 30 days makes CertificateExpiring pending, one over 30 days does not
    Given within 60 seconds the zone is steady
    When certificates that expire in 29 and in 31 days are laid beside the zone's on a node
    Then within 60 seconds Prometheus holds CertificateExpiring pending or firing for the first and not for the second, whose expiry it has scraped
