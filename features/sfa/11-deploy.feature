@section:deploy
Feature: Service function deployment: a release rolled out and rolled back
  The runbook's manual rollback as it writes it (kubectl rollout undo), judged from the API's own
  state: the Deployment's revision and template, its pods' images and readiness. It writes to the
  cluster: a drill, allowed by name, the service put back on its revision whatever happens.

  @runbook:deploy.7 @needs:rke2 @disruptive @fault:rollout-undo
  Scenario: Manual rollback: a new release rolled out, then kubectl rollout undo back to the previous revision
    Given the runbook's service is rolled out completely, its revision and images noted
    When a new release of it is rolled out, within 60 seconds
    And it is rolled back with kubectl rollout undo, within 60 seconds
    Then the service's template is the noted revision's again and every pod of it runs the noted images, ready, none of the undone release left
