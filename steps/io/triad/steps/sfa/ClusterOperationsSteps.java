package io.triad.steps.sfa;

import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.tech.kube.Kube;
import io.triad.tech.kube.Serving;
import io.triad.profile.sfa.Settings;
import io.triad.zone.Faults;
import io.triad.zone.Nemesis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * node.2, deploy.1 and deploy.7: the runbook's procedures that change the RKE2 cluster, run with kubectl as
 * it writes them on the host the environment names, judged from the API's own objects. Each is a
 * fault of the profile's catalogue (drain-node, rollout-undo), applied only where drills.allowed
 * names it, and registered with its undo before anything changes: the node uncordoned, the
 * service put back on the revision it had, whatever the scenario's end.
 */
public class ClusterOperationsSteps extends SfaSupport {
    public ClusterOperationsSteps(io.triad.run.Run run) {
        super(run);
    }

    private List<Kube.Placed> servicePods() {
        return Kube.placed(kubeJson("get pods" + kubeNs() + "-l " + q("app=" + kube().deployment()))).stream()
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
        List<Kube.Node> workers = Kube.nodes(kubeJson("get nodes")).stream().filter(n -> !n.controlPlane() && n.ready()).toList();
        node = workers.stream().map(Kube.Node::name).filter(perNode::containsKey).findFirst().orElse(null);
        check(node != null || planning(), "no Ready worker runs a pod of " + kube().deployment() + " (its pods: " + perNode + ")");
        zone.evidence().figure("node chosen for maintenance", node + " (service pods per node: " + perNode + ")");
    }

    @When("it is drained as the runbook says, within {int} seconds")
    public void drain(int seconds) {
        new Nemesis(zone).requireAllowed("drain-node");
        Host h = kubeHost();
        zone.faults().applied("drain-node", node, Instant.now(), Faults.Impact.NONE, () -> {
            h.exec(h.asRoot(kube().kubectl().command() + " uncordon " + q(node)));
            if (pinned != null) {
                h.exec(h.asRoot(kube().kubectl().deletePod(pinned, kube().namespace())));
            }
        });
        Instant t = Instant.now();
        CommandResult r = kubectlRun("drain " + q(node) + " --ignore-daemonsets --delete-emptydir-data --timeout=" + seconds + "s",
                Duration.ofSeconds(seconds + 30));
        zone.evidence().figure("drain of " + node, Duration.between(t, Instant.now()).toMillis() + " ms, exit " + r.exitCode());
        check(r.ok(), "the drain of " + node + " did not complete within " + seconds + " s (exit " + r.exitCode() + "): "
                + lastLines(r.stderr().isBlank() ? r.stdout() : r.stderr()));
    }

    @Then("it is cordoned and no pod but a DaemonSet's is left on it")
    public void cordonedAndEmpty() {
        check(Kube.cordoned(kubeJson("get node " + q(node))), node + " is not cordoned after its drain");
        List<String> left = Kube.placed(kubeJson("get pods --all-namespaces --field-selector " + q("spec.nodeName=" + node))).stream()
                .filter(p -> !p.owner().equals("DaemonSet") && !p.deleting() && !p.phase().equals("Succeeded") && !p.phase().equals("Failed"))
                .map(Kube.Placed::toString).toList();
        none(left, "pods left on the drained node " + node);
    }

    @Then("within {int} seconds the service's pods are all running and ready again, none on the drained node")
    public void evictedRunElsewhere(int seconds) {
        Kube.Rollout wanted = Kube.rollout(kubeJson("get deployment" + kubeNs() + q(kube().deployment())));
        Duration took = within(seconds, kube().deployment() + "'s pods running and ready off " + node, () -> {
            List<Kube.Placed> pods = servicePods();
            List<Kube.Placed> fine = pods.stream().filter(p -> p.phase().equals("Running") && p.ready() && !p.node().equals(node)).toList();
            check(fine.size() >= wanted.replicas(), fine.size() + " of " + wanted.replicas() + " pods of " + kube().deployment()
                    + " running and ready off " + node + ": " + pods);
            check(pods.stream().noneMatch(p -> p.node().equals(node)), "a pod of " + kube().deployment() + " is on the drained node: " + pods);
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
        Host h = kubeHost();
        CommandResult r = h.exec(h.asRoot(kube().kubectl().createProbePod(pinned, kube().namespace(), Map.of("triad-acceptance", "pinned-probe"),
                Map.of("kubernetes.io/hostname", node))));
        check(r.ok(), "the pinned probe pod could not be created: " + lastLines(r.stderr()));
        Duration took = within(30, "the scheduler's verdict on the pod pinned to " + node, () -> {
            Kube.Scheduling s = Kube.scheduling(kubeJson("get pod" + kubeNs() + q(pinned)));
            if (!s.node().isEmpty() && !planning()) {
                throw new io.triad.zone.Within.Decided("a pod pinned to the cordoned node " + node + " was bound to " + s.node());
            }
            check(s.unschedulable(), "not yet judged: " + s);
        });
        zone.evidence().figure("pinned pod left Pending on the cordoned node", "after " + took.toMillis() + " ms: "
                + Kube.scheduling(kubeJson("get pod" + kubeNs() + q(pinned))));
    }

    @When("it is uncordoned")
    public void uncordon() {
        CommandResult r = kubectlRun("uncordon " + q(node), Duration.ofSeconds(30));
        check(r.ok(), "kubectl uncordon " + node + " failed: " + lastLines(r.stderr()));
    }

    @Then("within {int} seconds it is schedulable and the pod pinned to it is running there")
    public void schedulingAgain(int seconds) {
        Duration took = within(seconds, "the pod pinned to " + node + " running there", () -> {
            check(!Kube.cordoned(kubeJson("get node " + q(node))), node + " is still cordoned");
            Kube.Placed p = Kube.placed("{\"items\": [" + kubeJson("get pod" + kubeNs() + q(pinned)) + "]}").get(0);
            check(p.node().equals(node) && p.phase().equals("Running"), "the pinned pod is " + p);
        });
        zone.evidence().figure("scheduling on the uncordoned node again", "after " + took.toMillis() + " ms");
        zone.faults().heal("drain-node", node, zone.evidence());
    }

    // ---- deploy.7: rollout undo -----------------------------------------------------------------

    private Kube.Rollout noted;

    @Given("the runbook's service is rolled out completely, its revision and images noted")
    public void noteRevision() {
        Duration took = within(60, kube().deployment() + " rolled out completely", () -> {
            noted = Kube.rollout(kubeJson("get deployment" + kubeNs() + q(kube().deployment())));
            check(noted.complete(), kube().deployment() + " is not rolled out completely: " + noted);
        });
        zone.evidence().figure("the service before the release", noted + " (complete after " + took.toMillis() + " ms)");
    }

    @When("a new release of it is rolled out, within {int} seconds")
    public void release(int seconds) {
        releaseAs("rollout-undo", seconds);
    }

    /** The released rollout (deploy.1, deploy.7). */
    private Kube.Rollout released;

    /**
     * The new release, as a fault of the catalogue named {@code fault} whose undo puts the service
     * back on the noted revision: every container of the template on a new tag (what a release
     * changes), rolled out (kubectl rollout status) within {@code seconds}.
     */
    private void releaseAs(String fault, int seconds) {
        new Nemesis(zone).requireAllowed(fault);
        String d = q("deployment/" + kube().deployment());
        String back = noted.revision();
        Host h = kubeHost();
        zone.faults().applied(fault, kube().deployment(), Instant.now(), Faults.Impact.NONE, () -> {
            Kube.Rollout now = Kube.rollout(output(h, "kubectl get deployment", h.asRoot(kube().kubectl().command() + kubeNs() + "get " + d + " -o json")));
            if (!now.images().equals(noted.images())) {
                h.exec(h.asRoot(kube().kubectl().command() + kubeNs() + "rollout undo " + d + " --to-revision=" + back));
            }
        });
        List<String> containers = containerNames();
        StringBuilder set = new StringBuilder("set image " + d);
        for (int i = 0; i < containers.size(); i++) {
            set.append(' ').append(q(containers.get(i) + "=" + noted.images().get(i) + "-triad-release"));
        }
        CommandResult r = kubectlRun(kubeNs() + set, Duration.ofSeconds(30));
        check(r.ok(), "kubectl set image failed: " + lastLines(r.stderr()));
        rolledOut(seconds, "the new release");
        released = Kube.rollout(kubeJson("get deployment" + kubeNs() + q(kube().deployment())));
        check(!released.revision().equals(noted.revision()), "the release made no new revision: " + released);
        zone.evidence().figure("the service after the release", released.toString());
    }

    // ---- deploy.1: the standard deployment -------------------------------------------------------

    private Serving.Watched watched;

    /**
     * As the release above, with the service's pods watched through the API from before the new
     * template is set until its rollout is complete ({@code kubectl get pods --watch}, every change
     * in order, no sampling gap): the history the floor below is judged on.
     */
    @When("a new release of it is rolled out while its pods are watched, within {int} seconds")
    public void releaseWatched(int seconds) {
        Host h = kubeHost();
        String selector = q("app=" + kube().deployment());
        int initial = Kube.placed(kubeJson("get pods" + kubeNs() + "-l " + selector)).size();
        String start = h.asRoot("f=$(mktemp /tmp/triad-watch.XXXXXX) && { setsid " + kube().kubectl().command() + kubeNs() + "get pods -l " + selector
                + " --watch --output-watch-events -o json > \"$f\" 2> \"$f.err\" < /dev/null & echo \"$f $!\"; }");
        String[] started = output(h, "kubectl get pods --watch", start).strip().split(" ");
        check(started.length == 2, "the watch did not start: " + String.join(" ", started));
        String file = started[0];
        String pid = started[1];
        String stop = h.asRoot("kill " + pid + " 2>/dev/null; cat " + q(file) + "; rm -f " + q(file) + " " + q(file + ".err"));
        String events;
        try {
            Duration listed = within(20, "the watch's first list of the " + initial + " pods", () -> {
                CommandResult c = h.exec(h.asRoot("grep -o '\"type\": *\"ADDED\"' " + q(file) + " | wc -l; cat " + q(file + ".err")));
                int n = c.stdout().lines().findFirst().map(String::strip).filter(t -> t.matches("\\d+")).map(Integer::parseInt).orElse(0);
                check(n >= initial, n + " of " + initial + " pods listed by the watch" + (c.stdout().lines().count() > 1
                        ? ": " + lastLines(c.stdout()) : ""));
            });
            zone.evidence().figure("pods watched", initial + " listed after " + listed.toMillis() + " ms");
            releaseAs("rollout", seconds);
        } finally {
            events = h.exec(stop).stdout();
        }
        watched = Serving.watched(events, initial);
        zone.evidence().figure("the service's pods ready through the rollout", watched.toString());
    }

    @Then("every pod of the service runs the release's images and is ready, and no pod of an older release is left")
    public void allOnTheRelease() {
        List<Kube.Placed> pods = servicePods();
        List<String> wrong = pods.stream().filter(p -> !p.images().equals(released.images()) || !p.ready()).map(p -> p + " " + p.images()).toList();
        none(wrong, "pods of " + kube().deployment() + " not on the release's images " + released.images() + " or not ready");
        check(pods.size() == released.replicas(), pods.size() + " pods of " + kube().deployment() + " after the release, not "
                + released.replicas() + ": " + pods);
    }

    @Then("while the release rolled out, never fewer of the service's pods were ready than its disruption budget allows")
    public void neverBelowTheFloor() {
        Serving.Floor floor = Serving.floor(kubeJson("get pdb" + kubeNs()), java.util.Map.of("app", kube().deployment()), released.replicas());
        zone.evidence().figure("the service's floor", floor.pods() + " ready (" + floor.from() + ")");
        check(watched.initiallyReady() >= floor.pods() || planning(), "only " + watched.initiallyReady() + " pods of " + kube().deployment()
                + " were ready before the release, fewer than " + floor.pods() + " (" + floor.from() + ")");
        check(watched.least() >= floor.pods() || planning(), "while the release rolled out, only " + watched.least() + " pods of "
                + kube().deployment() + " were ready, fewer than " + floor.pods() + " (" + floor.from() + "): " + watched.atLeast());
        zone.faults().heal("rollout", kube().deployment(), zone.evidence());
    }

    @When("it is rolled back with kubectl rollout undo, within {int} seconds")
    public void undo(int seconds) {
        CommandResult r = kubectlRun(kubeNs() + "rollout undo " + q("deployment/" + kube().deployment()), Duration.ofSeconds(30));
        check(r.ok(), "kubectl rollout undo deployment/" + kube().deployment() + " failed: " + lastLines(r.stderr().isBlank() ? r.stdout() : r.stderr()));
        rolledOut(seconds, "the rollback");
    }

    @Then("the service's template is the noted revision's again and every pod of it runs the noted images, ready, none of the undone release left")
    public void backOnNoted() {
        Kube.Rollout now = Kube.rollout(kubeJson("get deployment" + kubeNs() + q(kube().deployment())));
        zone.evidence().figure("the service after the rollback", now.toString());
        check(now.images().equals(noted.images()), "after the rollback the template's images are " + now.images() + ", not the noted " + noted.images());
        check(now.complete(), "the rollback's rollout is not complete: " + now);
        List<Kube.Placed> pods = servicePods();
        List<String> wrong = pods.stream().filter(p -> !p.images().equals(noted.images()) || !p.ready()).map(p -> p + " " + p.images()).toList();
        none(wrong, "pods of " + kube().deployment() + " not on the noted images or not ready after the rollback");
        check(pods.size() == now.replicas(), pods.size() + " pods of " + kube().deployment() + " after the rollback, not " + now.replicas() + ": " + pods);
        zone.faults().heal("rollout-undo", kube().deployment(), zone.evidence());
    }

    private void rolledOut(int seconds, String what) {
        CommandResult r = kubectlRun(kubeNs() + "rollout status " + q("deployment/" + kube().deployment()) + " --timeout=" + seconds + "s",
                Duration.ofSeconds(seconds + 30));
        check(r.ok(), what + " of " + kube().deployment() + " did not complete within " + seconds + " s: "
                + lastLines(r.stderr().isBlank() ? r.stdout() : r.stderr()));
    }

    private List<String> containerNames() {
        String out = output(kubeHost(), "kubectl get deployment", kubeHost().asRoot(kube().kubectl().command() + kubeNs() + "get deployment " + q(kube().deployment())
                + " -o jsonpath='{.spec.template.spec.containers[*].name}'"));
        return List.of(out.strip().split("\\s+"));
    }

}
