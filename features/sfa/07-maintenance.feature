@section:maint
Feature: Maintenance checklist
  The checklist's rows a machine can check, derived from the evidence of this run's scenarios
  (which items, and how they ended, is attached), not asserted again.

  Scenario Outline: Maintenance check <item>: <criterion>
    Then handoff criterion <item> holds, derived from the evidence of this run

    @runbook:maint.1
    Examples: Pre-maintenance
      | item    | criterion                                 |
      | maint.1 | a backup completed before the window      |

    @runbook:maint.2
    Examples: Post-maintenance
      | item    | criterion                                 |
      | maint.2 | every service healthy after the window    |

  @runbook:maint.5 @needs:monitoring @disruptive @fault:switchover
  Scenario: Through a maintenance window (a switchover) Prometheus watches every target without a gap and every alert that fires is delivered
    Given within 60 seconds the zone is steady
    And the ledger client writes through HAProxy's write port and reads its own writes back, every database node sampled
    And a maintenance window opens
    When the operator switches the leader over to a replica with patronictl switchover
    Then within 60 seconds another node leads on the next timeline and every other running node streams from it on that timeline
    When the maintenance window closes, at least 30 seconds after it opened
    Then Prometheus scraped every target it knows through the window, none missed and none failed
    And every alert that fired in the window was delivered: each critical one paged, no notification failed or dropped
    And no confirmed write was lost
