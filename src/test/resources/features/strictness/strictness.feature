Feature: Strictness
  @undefined
  Scenario: A scenario with an undefined step
    Given the zone is reachable over SSH
    Then a step nobody has written yet

  @pending
  Scenario: A scenario with a pending step
    Given the zone is reachable over SSH
    Then a step that is still pending

  @runbook:3.7 @failing-item
  Scenario: An item whose check fails
    Given the zone is reachable over SSH
    Then the scenario fails here on purpose
