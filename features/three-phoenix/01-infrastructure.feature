@section:I
Feature: I. Infrastructure Integrity
  The nodes, the application's distribution over them, and the storage's replicas. Where the
  zone runs on Kubernetes and Longhorn (the seed's zone) the objects are read with kubectl as the
  checklist says; where the application's instances are systemd units (the simulated zone), they
  are read on the nodes themselves. An environment declares which of the two it has not
  (not_applicable: kubernetes, longhorn, application-units).

  @runbook:I.1 @needs:kubernetes
  Scenario: Node Health: all 3 nodes report Ready
    Then kubectl get nodes lists exactly 3 nodes, each Ready
    And each of them is a control-plane node
    And the API server reports its etcd healthy

  @runbook:I.2 @needs:kubernetes
  Scenario: Distribution: the application's pods run on 3 different nodes
    Then kubectl get pods lists 3 running and ready application pods, on 3 different nodes

  # "Anti-Affinity is working": tried, not read. A pod with the application's labels (an image
  # that never runs, deleted at the end) must find no node. It writes to the cluster: a drill.
  @runbook:I.2 @needs:kubernetes @disruptive @fault:scheduling-probe
  Scenario: Distribution: the anti-affinity keeps a fourth application pod off every node
    Then within 30 seconds a fourth pod with the application's labels is left Pending by the scheduler for the anti-affinity, on every node

  @runbook:I.2 @needs:application-units
  Scenario: Distribution: the application's instances run on 3 different nodes
    Then every database node runs an instance of the application that answers as itself, 3 instances on 3 different nodes

  @runbook:I.3 @needs:longhorn
  Scenario: Storage Sync: every volume Healthy with 3 replicas
    Then every Longhorn volume is healthy with 3 running replicas, none degraded
