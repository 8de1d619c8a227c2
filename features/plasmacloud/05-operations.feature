@section:7
Feature: Common operations
  The runbook's section 7 carried out on the zone, where its outcome is the stores': a node drained
  for maintenance (7.5) while the cluster serves on the other two, back a healthy member of both
  stores with every key written before and during its maintenance. FiberLB's drain and
  PlasmaVMC's migrations are not the zone's: it runs neither (their items are 6.1's, declared).

  @runbook:7.5 @disruptive @fault:drain-node @fault:crash-node @fault:test-writes
  Scenario: A node drained for maintenance: the cluster serves on the other two, and the node comes back a healthy member with every key
    Given within 60 seconds the zone is steady
    And 20 Chainfire keys written, their revisions noted
    When the inventory's first member node is drained for maintenance: its Chainfire and FlareDB stopped
    Then within 20 seconds both others list 2 healthy members on Chainfire and on FlareDB, and a write is acknowledged
    And 20 Chainfire keys written, their revisions noted
    When it is rebooted, its services starting at boot
    Then within 60 seconds the zone is steady again, the drained node a healthy member of both stores
    And the drained node reads every key written before and during its maintenance, each at the revision it was written at
