@section:beyond
Feature: Beyond the runbook
  What the control plane promises that the runbook does not test: durability of acknowledged
  writes against the zone's policy, and the anti-replay guard its nonce bucket exists for.

  @runbook:beyond.1
  Scenario: JetStream's durability posture is what the zone's policy asks
    Then every node's JetStream syncs to disk as the zone's policy asks

  @runbook:beyond.2
  Scenario: A replayed nonce is refused on every node
    Then a nonce allowed on any node is denied when replayed on every node, at once and for 5 seconds after, and the nonce bucket forgets none
