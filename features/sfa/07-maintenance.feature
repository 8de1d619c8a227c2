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
