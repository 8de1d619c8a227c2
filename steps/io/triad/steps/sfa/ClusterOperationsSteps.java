package io.triad.steps.sfa;

import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.tech.kube.Kube;
import io.triad.profile.sfa.Settings;
import io.triad.zone.Faults;
import io.triad.zone.Nemesis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * node.2 and deploy.7: the runbook's procedures that change the RKE2 cluster, run with kubectl as
 * it writes them on the host the environment names, judged from the API's own objects. Each is a
 * fault of the profile's catalogue (drain-node, rollout-undo), applied only where drills.allowed
 * names it, and registered with its undo before anything changes: the node uncordoned, the
 * service put back on the revision it had, whatever the scenario's end.
 */
public class ClusterOperationsSteps extends SfaSupport {
    public ClusterOperationsSteps(io.triad.run.Run run) {
        super(run);
    }


    private Settings.Kubernetes k() {
        check(settings.kubernetes() != null, "sfa.kubernetes is not set in the environment (the host with kubectl for the RKE2 cluster)");
        return settings.kubernetes();
    }

    private Host host() {
        return zone.supportHost(k().host());
    }

    private String kubectlCommand() {
        return k().kubectl().command();
    }

    private CommandResult run(String args, Duration timeout) {
        Host h = host();
        return h.exec(h.asRoot(kubectlCommand() + " " + args), timeout);
    }

    private String json(String args) {
        return output(host(), "kubectl " + args, host().asRoot(kubectlCommand() + " " + args + " -o json"));
    }

    private String ns() {
        return " -n " + q(k().namespace()) + " ";
    }

    private List<Kube.Placed> servicePods() {
        return Kube.placed(json("get pods" + ns() + "-l " + q("app=" + k().deployment()))).stream()
                .filter(p -> !p.deleting()).toList();
    }

    // ---- node.2: drain, uncordon ----------------------------------------------------------------

    private String node;
    private String pinned;

    @Given("a worker node running pods of the runbook's service is chosen for maintenance")
    public void chooseNode() {
        Map<String, Integer> perNode = new TreeMap<>();
        for (Kube.Placed p : servicePods()) {
            if (p.owner().equals("ReplicaSet") && !p.node().isEmpty()) {
                perNode.merge(p.node(), 1, Integer::sum);
            }
        }
        List<Kube.Node> workers = Kube.nodes(json("get nodes")).stream().filter(n -> !n.controlPlane() && n.ready()).toList();
        node = workers.stream().map(Kube.Node::name).filter(perNode::containsKey).findFirst().orElse(null);
        check(node != null || planning(), "no Ready worker runs a pod of " + k().deployment() + " (its pods: " + perNode + ")");
        zone.evidence().figure("node chosen for maintenance", node + " (service pods per node: " + perNode + ")");
    }

    @When("it is drained as the runbook says, within {int} seconds")
    public void drain(int seconds) {
        new Nemesis(zone).requireAllowed("drain-node");
        Host h = host();
        zone.faults().applied("drain-node", node, Instant.now(), Faults.Impact.NONE, () -> {
            h.exec(h.asRoot(kubectlCommand() + " uncordon " + q(node)));
            if (pinned != null) {
                h.exec(h.asRoot(k().kubectl().deletePod(pinned, k().namespace())));
            }
        });
        Instant t = Instant.now();
        CommandResult r = run("drain " + q(node) + " --ignore-daemonsets --delete-emptydir-data --timeout=" + seconds + "s",
                Duration.ofSeconds(seconds + 30));
        zone.evidence().figure("drain of " + node, Duration.between(t, Instant.now()).toMillis() + " ms, exit " + r.exitCode());
        check(r.ok(), "the drain of " + node + " did not complete within " + seconds + " s (exit " + r.exitCode() + "): "
                + lastLines(r.stderr().isBlank() ? r.stdout() : r.stderr()));
    }

    @Then("it is cordoned and no pod but a DaemonSet's is left on it")
    public void cordonedAndEmpty() {
        check(Kube.cordoned(json("get node " + q(node))), node + " is not cordoned after its drain");
        List<String> left = Kube.placed(json("get pods --all-namespaces --field-selector " + q("spec.nodeName=" + node))).stream()
                .filter(p -> !p.owner().equals("DaemonSet") && !p.deleting() && !p.phase().equals("Succeeded") && !p.phase().equals("Failed"))
                .map(Kube.Placed::toString).toList();
        none(left, "pods left on the drained node " + node);
    }

    @Then("within {int} seconds the service's pods are all running and ready again, none on the drained node")
    public void evictedRunElsewhere(int seconds) {
        Kube.Rollout wanted = Kube.rollout(json("get deployment" + ns() + q(k().deployment())));
        Duration took = within(seconds, k().deployment() + "'s pods running and ready off " + node, () -> {
            List<Kube.Placed> pods = servicePods();
            List<Kube.Placed> fine = pods.stream().filter(p -> p.phase().equals("Running") && p.ready() && !p.node().equals(node)).toList();
            check(fine.size() >= wanted.replicas(), fine.size() + " of " + wanted.replicas() + " pods of " + k().deployment()
                    + " running and ready off " + node + ": " + pods);
            check(pods.stream().noneMatch(p -> p.node().equals(node)), "a pod of " + k().deployment() + " is on the drained node: " + pods);
        });
        zone.evidence().figure("evicted pods running elsewhere", "after " + took.toMillis() + " ms");
    }

    /**
     * Cordoned is tried, not read: a pod pinned to the node by its hostname (an image that never
     * runs, deleted at the end) must find it unschedulable; after the uncordon it must be bound there.
     */
    @Then("a pod pinned to the drained node is left Pending while it is cordoned")
    public void pinnedPending() {
        pinned = "triad-acceptance-pinned-" + Long.toHexString(System.nanoTime() & 0xffffffL);
        Host h = host();
        CommandResult r = h.exec(h.asRoot(k().kubectl().createProbePod(pinned, k().namespace(), Map.of("triad-acceptance", "pinned-probe"),
                Map.of("kubernetes.io/hostname", node))));
        check(r.ok(), "the pinned probe pod could not be created: " + lastLines(r.stderr()));
        Duration took = within(30, "the scheduler's verdict on the pod pinned to " + node, () -> {
            Kube.Scheduling s = Kube.scheduling(json("get pod" + ns() + q(pinned)));
            if (!s.node().isEmpty() && !planning()) {
                throw new io.triad.zone.Within.Decided("a pod pinned to the cordoned node " + node + " was bound to " + s.node());
            }
            check(s.unschedulable(), "not yet judged: " + s);
        });
        zone.evidence().figure("pinned pod left Pending on the cordoned node", "after " + took.toMillis() + " ms: "
                + Kube.scheduling(json("get pod" + ns() + q(pinned))));
    }

    @When("it is uncordoned")
    public void uncordon() {
        CommandResult r = run("uncordon " + q(node), Duration.ofSeconds(30));
        check(r.ok(), "kubectl uncordon " + node + " failed: " + lastLines(r.stderr()));
    }

    @Then("within {int} seconds it is schedulable and the pod pinned to it is running there")
    public void schedulingAgain(int seconds) {
        Duration took = within(seconds, "the pod pinned to " + node + " running there", () -> {
            check(!Kube.cordoned(json("get node " + q(node))), node + " is still cordoned");
            Kube.Placed p = Kube.placed("{\"items\": [" + json("get pod" + ns() + q(pinned)) + "]}").get(0);
            check(p.node().equals(node) && p.phase().equals("Running"), "the pinned pod is " + p);
        });
        zone.evidence().figure("scheduling on the uncordoned node again", "after " + took.toMillis() + " ms");
        zone.faults().heal("drain-node", node, zone.evidence());
    }

    // ---- deploy.7: rollout undo -----------------------------------------------------------------

    private Kube.Rollout noted;

    @Given("the runbook's service is rolled out completely, its revision and images noted")
    public void noteRevision() {
        Duration took = within(60, k().deployment() + " rolled out completely", () -> {
            noted = Kube.rollout(json("get deployment" + ns() + q(k().deployment())));
            check(noted.complete(), k().deployment() + " is not rolled out completely: " + noted);
        });
        zone.evidence().figure("the service before the release", noted + " (complete after " + took.toMillis() + " ms)");
    }

    @When("a new release of it is rolled out, within {int} seconds")
    public void release(int seconds) {
        new Nemesis(zone).requireAllowed("rollout-undo");
        String d = q("deployment/" + k().deployment());
        String back = noted.revision();
        Host h = host();
        zone.faults().applied("rollout-undo", k().deployment(), Instant.now(), Faults.Impact.NONE, () -> {
            Kube.Rollout now = Kube.rollout(output(h, "kubectl get deployment", h.asRoot(kubectlCommand() + ns() + "get " + d + " -o json")));
            if (!now.images().equals(noted.images())) {
                h.exec(h.asRoot(kubectlCommand() + ns() + "rollout undo " + d + " --to-revision=" + back));
            }
        });
        // the new release: every container of the template on a new tag (what a release changes)
        List<String> containers = containerNames();
        StringBuilder set = new StringBuilder("set image " + d);
        for (int i = 0; i < containers.size(); i++) {
            set.append(' ').append(q(containers.get(i) + "=" + noted.images().get(i) + "-triad-release"));
        }
        CommandResult r = run(ns() + set, Duration.ofSeconds(30));
        check(r.ok(), "kubectl set image failed: " + lastLines(r.stderr()));
        rolledOut(seconds, "the new release");
        Kube.Rollout released = Kube.rollout(json("get deployment" + ns() + q(k().deployment())));
        check(!released.revision().equals(noted.revision()), "the release made no new revision: " + released);
        zone.evidence().figure("the service after the release", released.toString());
    }

    @When("it is rolled back with kubectl rollout undo, within {int} seconds")
    public void undo(int seconds) {
        CommandResult r = run(ns() + "rollout undo " + q("deployment/" + k().deployment()), Duration.ofSeconds(30));
        check(r.ok(), "kubectl rollout undo deployment/" + k().deployment() + " failed: " + lastLines(r.stderr().isBlank() ? r.stdout() : r.stderr()));
        rolledOut(seconds, "the rollback");
    }

    @Then("the service's template is the noted revision's again and every pod of it runs the noted images, ready, none of the undone release left")
    public void backOnNoted() {
        Kube.Rollout now = Kube.rollout(json("get deployment" + ns() + q(k().deployment())));
        zone.evidence().figure("the service after the rollback", now.toString());
        check(now.images().equals(noted.images()), "after the rollback the template's images are " + now.images() + ", not the noted " + noted.images());
        check(now.complete(), "the rollback's rollout is not complete: " + now);
        List<Kube.Placed> pods = servicePods();
        List<String> wrong = pods.stream().filter(p -> !p.images().equals(noted.images()) || !p.ready()).map(p -> p + " " + p.images()).toList();
        none(wrong, "pods of " + k().deployment() + " not on the noted images or not ready after the rollback");
        check(pods.size() == now.replicas(), pods.size() + " pods of " + k().deployment() + " after the rollback, not " + now.replicas() + ": " + pods);
        zone.faults().heal("rollout-undo", k().deployment(), zone.evidence());
    }

    private void rolledOut(int seconds, String what) {
        CommandResult r = run(ns() + "rollout status " + q("deployment/" + k().deployment()) + " --timeout=" + seconds + "s",
                Duration.ofSeconds(seconds + 30));
        check(r.ok(), what + " of " + k().deployment() + " did not complete within " + seconds + " s: "
                + lastLines(r.stderr().isBlank() ? r.stdout() : r.stderr()));
    }

    private List<String> containerNames() {
        String out = output(host(), "kubectl get deployment", host().asRoot(kubectlCommand() + ns() + "get deployment " + q(k().deployment())
                + " -o jsonpath='{.spec.template.spec.containers[*].name}'"));
        return List.of(out.strip().split("\\s+"));
    }

    private static String lastLines(String text) {
        List<String> lines = text.strip().lines().toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }
}
