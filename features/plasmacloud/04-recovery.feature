@section:9
Feature: Rollback & recovery
  The runbook's section 9 carried out on the zone: a single node's failure (9.3) and the backup
  tarballs of 9.4 restored into the cluster. Keys written before are read back with the revision
  they were written at. The backups are kept on each node under /var/backups (the runbook streams
  them to the provisioning server, which the simulated zone does not have) and removed after.

  @runbook:9.3 @disruptive @fault:crash-node @fault:test-writes
  Scenario: A single node fails: quorum holds; it is removed, and replaced under the same name with every key intact
    Given within 60 seconds the zone is steady
    And 20 Chainfire keys written, their revisions noted
    When the inventory's first member node fails (its node crashes)
    Then within 20 seconds both others list 2 healthy members on Chainfire and on FlareDB, and a write is acknowledged
    When it is removed from Chainfire and FlareDB with DELETE /admin/member/<name>
    Then both others list 2 members on each store, both healthy
    When its replacement is provisioned under the same name: the node started with empty stores, its first-boot joins run again
    Then within 120 seconds the zone is steady again, the replacement a member of both stores
    And the replacement reads every key written before, each at the revision it was written at

  @runbook:9.4 @disruptive @fault:restore-test @fault:test-writes
  Scenario: The backup tarballs restore the cluster: every key back as it was at the backup
    Given within 60 seconds the zone is steady
    And 20 Chainfire keys written, their revisions noted
    When backup tarballs of every node's Chainfire and FlareDB data are taken as the runbook's backup script takes them
    Then 5 more keys are written after the backup
    When the tarballs are restored into the cluster as the runbook's restore script restores them
    Then within 120 seconds the zone is steady again
    And every key written before the backup is back on every node at its revision, and none written after it
