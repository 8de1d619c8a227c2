@section:node
Feature: RKE2 node maintenance: the procedure, run against the cluster
  The runbook's node maintenance as it writes it, judged from the API's own state (the node, the
  pods with their controllers), never from kubectl's table. It writes to the cluster: a drill,
  allowed by name, the node uncordoned whatever happens.

  @runbook:node.2 @needs:rke2 @disruptive @fault:drain-node
  Scenario: Node maintenance: a worker drained, nothing but DaemonSets left on it, the evicted pods running elsewhere, uncordoned and scheduling again
    Given a worker node running pods of the runbook's service is chosen for maintenance
    When it is drained as the runbook says, within 60 seconds
    Then it is cordoned and no pod but a DaemonSet's is left on it
    And within 60 seconds the service's pods are all running and ready again, none on the drained node
    And a pod pinned to the drained node is left Pending while it is cordoned
    When it is uncordoned
    Then within 30 seconds it is schedulable and the pod pinned to it is running there
