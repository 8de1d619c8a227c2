@section:seed
Feature: Seed the first admin into the KV
  The loopback bootstrap's outcome: the first admin in the replicated KV, and nothing of the
  bootstrap left behind.

  @runbook:seed.1
  Scenario: The first admin is in KV_UNIBUS_users
    Then within 30 seconds the seeded admin is in KV_UNIBUS_users, read through the cluster

  @runbook:seed.2
  Scenario: No loopback bootstrap server is left, and seed.db is removed
    Then no node runs a membershipd with bus-auth off, and no node has a seed.db

  @runbook:seed.3 @disruptive @fault:scratch-bootstrap
  Scenario: The bootstrap server is loopback only: bus-auth off listens on 127.0.0.1 alone and is refused on the node's address
    Then the runbook's bootstrap listens on 127.0.0.1 only, and refuses to start with bus-auth off on the node's own address
