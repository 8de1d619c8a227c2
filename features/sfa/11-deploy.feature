@section:deploy
Feature: Service function deployment: a release rolled out, switched blue-green, and rolled back
  The runbook's deployment procedures as it writes them (kubectl set image and rollout status, the
  blue-green switch by the Service's version label, kubectl rollout undo), judged from the API's own
  state: the Deployment's revision and template, its pods' images and readiness as a watch sees them
  change, the Service's endpoints as the control plane keeps them. Each writes to the cluster: a
  drill, allowed by name, the service put back whatever happens. The smoke tests the runbook runs
  through a port-forward need a running container (the simulated control plane runs none: said in
  the evidence).

  @runbook:deploy.7 @needs:rke2 @disruptive @fault:rollout-undo
  Scenario: Manual rollback: a new release rolled out, then kubectl rollout undo back to the previous revision
    Given the runbook's service is rolled out completely, its revision and images noted
    When a new release of it is rolled out, within 60 seconds
    And it is rolled back with kubectl rollout undo, within 60 seconds
    Then the service's template is the noted revision's again and every pod of it runs the noted images, ready, none of the undone release left

  @runbook:deploy.1 @needs:rke2 @disruptive @fault:rollout
  Scenario: Standard deployment: a new release rolled out, every pod on it and ready, never fewer pods ready than the disruption budget allows while it rolled
    Given the runbook's service is rolled out completely, its revision and images noted
    When a new release of it is rolled out while its pods are watched, within 60 seconds
    Then every pod of the service runs the release's images and is ready, and no pod of an older release is left
    And while the release rolled out, never fewer of the service's pods were ready than its disruption budget allows

  @runbook:deploy.2 @needs:rke2 @disruptive @fault:blue-green
  Scenario: Blue-green deployment: green beside blue with its own service, the traffic switched to green and back, the service's endpoints one colour at a time
    Given the runbook's blue-green service serves blue's pods only
    When the green version is deployed beside blue, with its own service, within 60 seconds
    Then green's service has green's pods only, and the service still blue's only
    When the service is switched to green as the runbook says
    Then within 30 seconds the service's endpoints are green's pods only, none of blue's
    When it is switched back to blue
    Then within 30 seconds the service's endpoints are blue's pods only, none of green's
