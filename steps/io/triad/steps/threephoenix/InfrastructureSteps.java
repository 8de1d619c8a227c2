package io.triad.steps.threephoenix;

import io.triad.tech.postgres.Db;
import io.cucumber.java.en.Then;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.tech.kube.Kube;
import io.triad.profile.threephoenix.Settings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** I. Infrastructure Integrity: nodes, the application's distribution, storage replicas. */
public class InfrastructureSteps extends PhoenixSupport {
    public InfrastructureSteps(io.triad.run.Run run) {
        super(run);
    }

    /** The architecture's 2.1 on the nodes themselves: three of them, each /etc/os-release naming Ubuntu (ID=ubuntu). */
    @Then("the zone has exactly 3 database nodes, each running Ubuntu by its \\/etc\\/os-release")
    public void ubuntuNodes() {
        check(zone.hosts().size() == 3, "the zone has " + zone.hosts().size() + " database nodes, not the architecture's 3");
        List<String> problems = onEachHost(zone.hosts(), (h, found) -> {
            String text = read(h, "/etc/os-release");
            parsed(h, "/etc/os-release", found, () -> io.triad.probe.parse.OsRelease.parse(text)).ifPresent(os -> {
                zone.evidence().note(h.name() + "'s operating system", os.prettyName() + " (ID=" + os.id() + ")");
                io.triad.profile.threephoenix.UbuntuNodes.problem(h.name(), os).ifPresent(found::add);
            });
        });
        none(problems, "2.1: nodes not on Ubuntu");
    }

    @Then("kubectl get nodes lists exactly 3 nodes, each Ready")
    public void nodesReady() {
        List<Kube.Node> nodes = Kube.nodes(kubectl("get nodes"));
        zone.evidence().figure("nodes", nodes.toString());
        List<String> notReady = nodes.stream().filter(n -> !n.ready()).map(n -> n.name() + " (" + n.readyReason() + ")").toList();
        check(nodes.size() == 3, "kubectl get nodes lists " + nodes.size() + " nodes, not 3");
        check(notReady.isEmpty(), "not Ready: " + String.join(", ", notReady));
    }

    @Then("each of them is a control-plane node")
    public void controlPlaneNodes() {
        List<Kube.Node> nodes = Kube.nodes(kubectl("get nodes"));
        List<String> workers = nodes.stream().filter(n -> !n.controlPlane()).map(Kube.Node::name).toList();
        check(!nodes.isEmpty() && workers.isEmpty(), "not control-plane nodes (no control-plane or master role): " + workers);
    }

    /** The API server's own check of its store (K3s's embedded etcd): {@code /readyz/etcd} answers "ok". */
    @Then("the API server reports its etcd healthy")
    public void etcdHealthy() {
        String answer = kubectlText("get --raw /readyz/etcd").strip();
        zone.evidence().figure("/readyz/etcd", answer);
        check(answer.equals("ok"), "the API server's /readyz/etcd answered '" + answer + "', not ok");
    }

    private static final java.time.Duration PROBE_HOLD = java.time.Duration.ofSeconds(5);

    /**
     * Required anti-affinity tried, not read: a pod carrying the application's labels (an image that
     * cannot run, deleted at the end whatever happens) must find no node while the three
     * application pods hold one each, the scheduler saying so. Where the anti-affinity is only
     * preferred, or missing, the scheduler places it, and the step fails naming the node. The pod
     * must stay unscheduled for {@code PROBE_HOLD}, the scheduler's first verdict being read.
     */
    @Then("within {int} seconds a fourth pod with the application's labels is left Pending by the scheduler for the anti-affinity, on every node")
    public void fourthPodPending(int seconds) {
        Settings.Kubernetes k = settings.kubernetes();
        new io.triad.zone.Nemesis(zone).requireAllowed("scheduling-probe");
        String[] label = k.appSelector().split("=", 2);
        check(label.length == 2, "phoenix.kubernetes.app_selector '" + k.appSelector() + "' is not one key=value label: the probe pod cannot carry it");
        String name = "triad-acceptance-probe-" + Long.toHexString(System.nanoTime() & 0xffffffL);
        Host h = zone.supportHost(k.host());
        String ns = " -n " + q(k.namespace()) + " ";
        java.time.Instant at = java.time.Instant.now();
        zone.faults().applied("scheduling-probe", h.name(), at, io.triad.zone.Faults.Impact.NONE, () ->
                h.exec(h.asRoot(k.kubectl().deletePod(name, k.namespace()))));
        try {
            io.triad.host.CommandResult created = h.exec(h.asRoot(k.kubectl().createProbePod(name, k.namespace(),
                    java.util.Map.of(label[0], label[1], "triad-acceptance", "scheduling-probe"), java.util.Map.of())));
            check(created.ok(), "the probe pod could not be created on " + h.name() + ": " + Db.firstLine(created.stderr()));
            String[] seen = new String[1];
            Duration took = within(seconds, "the scheduler's verdict on the probe pod " + name, () -> {
                Kube.Scheduling s = Kube.scheduling(kubectl("get pod" + ns + q(name)));
                seen[0] = s.toString();
                if (!s.node().isEmpty() && !planning()) { // a pod once bound stays bound: decided
                    throw new io.triad.zone.Within.Decided("the scheduler placed a fourth pod with the application's labels on " + s.node()
                            + ": the three application pods do not keep it off their nodes (required anti-affinity missing or only preferred)");
                }
                check(s.unschedulable(), "the scheduler has not yet judged the probe pod: " + s);
            });
            // held: a verdict that the scheduler would revise (a node still coming) is not the zone's
            io.triad.zone.Within.holds(zone.evidence(), "the probe pod stays unscheduled", PROBE_HOLD, () -> {
                Kube.Scheduling s = Kube.scheduling(kubectl("get pod" + ns + q(name)));
                check(s.node().isEmpty(), "the scheduler placed the probe pod on " + s.node() + " after first leaving it Pending");
            });
            zone.evidence().figure("probe pod left Pending", "after " + took.toMillis() + " ms: " + seen[0]);
            check(seen[0].contains("anti-affinity"), "the probe pod is Pending, but not for the anti-affinity: " + seen[0]);
        } finally {
            zone.faults().heal("scheduling-probe", h.name(), zone.evidence());
        }
    }

    @Then("kubectl get pods lists 3 running and ready application pods, on 3 different nodes")
    public void podsSpread() {
        Settings.Kubernetes k = settings.kubernetes();
        List<Kube.Pod> pods = Kube.pods(kubectl("get pods -n " + q(k.namespace()) + " -l " + q(k.appSelector())));
        zone.evidence().figure("application pods", pods.toString());
        List<Kube.Pod> running = pods.stream().filter(p -> p.phase().equals("Running") && p.ready()).toList();
        Set<String> on = new TreeSet<>(running.stream().map(Kube.Pod::node).toList());
        check(running.size() == 3, running.size() + " application pods running and ready (" + k.appSelector() + "), not 3: " + pods);
        check(on.size() == 3, "the 3 application pods run on " + on.size() + " node(s) " + on + ": anti-affinity is not working");
    }

    @Then("every Longhorn volume is healthy with 3 running replicas, none degraded")
    public void volumesHealthy() {
        List<Kube.Volume> volumes = Kube.volumes(kubectl("get volumes.longhorn.io -n longhorn-system"),
                kubectl("get replicas.longhorn.io -n longhorn-system"));
        zone.evidence().figure("Longhorn volumes", volumes.toString());
        List<String> problems = new ArrayList<>();
        for (Kube.Volume v : volumes) {
            if (!v.robustness().equals("healthy")) {
                problems.add(v.name() + " is " + (v.robustness().isEmpty() ? "of unknown robustness" : v.robustness()));
            }
            if (v.replicas() != 3 || v.healthyReplicas() != 3) {
                problems.add(v.name() + " has " + v.healthyReplicas() + " healthy replicas running of " + v.replicas() + " configured, not 3");
            }
        }
        check(!volumes.isEmpty(), "Longhorn lists no volume");
        none(problems, "Longhorn volumes");
    }

    @Then("every database node runs an instance of the application that answers as itself, 3 instances on 3 different nodes")
    public void instancesSpread() {
        List<String> problems = new ArrayList<>();
        Set<String> answering = new TreeSet<>();
        List<String> found = onEachHost(nodes(), (h, out) -> {
            CommandResult r = h.exec(h.asRoot("systemctl is-active " + q(settings.appUnit()) + "; curl -s -D - -o /dev/null --max-time 3"
                    + " http://127.0.0.1:" + settings.appPort() + "/healthz | tr -d '\\r'"));
            List<String> lines = r.stdout().lines().toList();
            String instance = lines.stream().filter(l -> l.toLowerCase().startsWith("x-forge-instance:")).map(l -> l.substring(17).strip())
                    .findFirst().orElse("");
            if (lines.isEmpty() || !lines.get(0).equals("active")) {
                out.add(h.name() + "'s " + settings.appUnit() + " is " + (lines.isEmpty() ? "unknown" : lines.get(0)));
            } else if (lines.stream().noneMatch(l -> l.startsWith("HTTP/") && l.contains(" 200"))) {
                out.add(h.name() + "'s instance does not answer its health 200");
            } else if (!instance.equals(h.name())) {
                out.add(h.name() + "'s port " + settings.appPort() + " is answered by the instance '" + instance + "'");
            } else {
                out.add("ok " + instance);
            }
        });
        for (String f : found) {
            if (f.startsWith("ok ")) {
                answering.add(f.substring(3));
            } else {
                problems.add(f);
            }
        }
        zone.evidence().figure("instances answering on their own node", answering.toString());
        none(problems, "the application's distribution");
        check(answering.size() == 3, answering.size() + " instances on different nodes, not 3: " + answering);
    }
}
