Feature: Strictness
  Scenario: A scenario with an undefined step
    Given the zone is reachable over SSH
    Then a step nobody has written yet

  Scenario: A scenario with a pending step
    Given the zone is reachable over SSH
    Then a step that is still pending
