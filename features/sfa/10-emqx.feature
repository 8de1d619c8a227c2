@section:emqx
Feature: EMQX message broker operations: cluster health
  The runbook's EMQX health monitoring (curl of /api/v5/cluster and /api/v5/nodes), asked of
  every node: a node that left the cluster still answers its own API, only the others' view shows
  it gone.

  @runbook:emqx.1 @needs:emqx
  Scenario: One cluster of every node, each running, seen alike from every node
    Then asked node by node, the EMQX API shows one cluster of every node, each running, none over its memory bound
