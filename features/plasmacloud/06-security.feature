@section:10
Feature: Security best practices
  The runbook's section 10 carried out where its outcome is the zone's: the provisioning key's
  rotation (10.1), tried from the zone's workstation with ssh as the runbook's operator would.
  The netboot image that carries the key is NixOS's (not the zone's).

  @runbook:10.1 @disruptive @fault:key-rotation
  Scenario: The provisioning key is rotated: the new key reaches every node, the old one is refused by every node
    When a current provisioning key, laid in every node's authorized_keys as the netboot image lays it, reaches every node from the workstation
    And the key is rotated as the runbook writes it: a new key copied to every node with ssh-copy-id, the old one removed from authorized_keys
    Then the new key reaches every node and the old key is refused by every node, each tried from the workstation
