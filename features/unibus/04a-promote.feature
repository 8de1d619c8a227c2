@section:promote
Feature: Promote an existing single-node (SQLite) deployment
  The promotion's promise that the allowlist never travels in cleartext: migrate-to-kv refuses a
  remote target given no --ca, before it sends anything. Tried against a scratch listener on
  another node (never a real server: a broken migrate-to-kv writes nothing into the zone's KV).

  @runbook:promote.2 @disruptive @fault:scratch-bootstrap
  Scenario: migrate-to-kv refuses a remote target without --ca before anything is sent
    Then migrate-to-kv with no --ca, pointed at another node's address, exits non-zero before it connects: a listener there sees no connection
