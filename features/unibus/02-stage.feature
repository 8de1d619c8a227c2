@section:stage
Feature: Stage the nodes
  What deploy-cluster.sh leaves on each node: the unit, its settings, the routes to the other two
  nodes with no userinfo, and secrets readable by their owner only.

  @runbook:stage.1
  Scenario: The unit and its settings are staged on every node
    Then every node has the unit with enforce, ACL, TLS, the KV store, the password file and Restart=always
    And every node's cluster.env names the node itself

  @runbook:stage.5
  Scenario: membershipd is the same static linux/amd64 build on every node
    Then every node's service runs a linux/amd64 build with CGO_ENABLED=0 that needs no C library, the same binary on every node

  @runbook:stage.2
  Scenario: Every node routes to the other two over the mesh, with no userinfo
    Then every node's routes name exactly the other two nodes, with no userinfo
    And every node's topology file is the same, and where the environment declares the mesh, it routes over it
    And where the routes run over the WireGuard mesh, every node has a recent handshake with each of the other two
    And every node's server dialled or accepted a route from each of the other two

  @runbook:stage.3
  Scenario: Secrets are readable by their owner only
    Then on every node the private keys and the route secret are 0600, owned by root, and unreadable by another user
    And every secret on every host, found by what it is, is unreadable by an unprivileged user
