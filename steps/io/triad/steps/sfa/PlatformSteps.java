package io.triad.steps.sfa;

import io.cucumber.java.en.Then;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.tech.kube.Kube;
import io.triad.profile.sfa.Emqx;
import io.triad.profile.sfa.Mongo;
import io.triad.profile.sfa.Settings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * k8s.1, k8s.2, k8s.4, mongo.1, mongo.2, emqx.1: the platform's parts beside the data tier the harness
 * simulates (RKE2, the MongoDB replica set, the EMQX cluster). Read on a live zone with the
 * runbook's own tools (kubectl, mongosh, the EMQX API) from the host the environment names;
 * credentials stay in files on that host, named by path. The simulated zone declares them not
 * applicable (its environment says why), and their parsing is unit-tested on the tools' output.
 */
public class PlatformSteps extends SfaSupport {
    public PlatformSteps(io.triad.run.Run run) {
        super(run);
    }

    @Then("kubectl lists the runbook's control-plane nodes and workers, every node Ready")
    public void nodesReady() {
        Settings.Kubernetes k = kube();
        List<String> problems = new ArrayList<>();
        Host h = zone.supportHost(k.host());
        parsed(h, "kubectl get nodes", problems, () -> Kube.nodes(kubectl("get nodes -o json"))).ifPresent(nodes -> {
            zone.evidence().figure("RKE2 nodes", nodes.size() + " (" + nodes.stream().filter(Kube.Node::controlPlane).count() + " control plane)");
            long planes = nodes.stream().filter(Kube.Node::controlPlane).count();
            if (planes != k.controlPlanes()) {
                problems.add(planes + " control-plane nodes, not " + k.controlPlanes());
            }
            if (nodes.size() - planes < k.minWorkers()) {
                problems.add((nodes.size() - planes) + " workers, fewer than " + k.minWorkers());
            }
            nodes.stream().filter(n -> !n.ready()).forEach(n -> problems.add(n.name() + " not Ready (" + n.readyReason() + ")"));
        });
        none(problems, "the RKE2 cluster's nodes");
    }

    @Then("every pod in every namespace is running with its containers ready or has completed, and every persistent volume and claim is bound")
    public void podsAndVolumes() {
        List<String> problems = new ArrayList<>();
        Host h = kubeHost();
        parsed(h, "kubectl get pods", problems, () -> Kube.pods(kubectl("get pods --all-namespaces -o json"))).ifPresent(pods -> {
            zone.evidence().figure("pods", pods.size() + " (" + pods.stream().mapToInt(Kube.Pod::restarts).sum() + " container restarts)");
            pods.stream().filter(p -> !p.healthy()).forEach(p -> problems.add(p.toString()));
        });
        parsed(h, "kubectl get pv,pvc", problems, () -> Kube.claims(kubectl("get pv,pvc --all-namespaces -o json"))).ifPresent(claims -> {
            zone.evidence().figure("persistent volumes and claims", String.valueOf(claims.size()));
            for (Kube.Claim c : claims) {
                boolean fine = c.phase().equals("Bound") || (c.kind().equals("PersistentVolume") && c.phase().equals("Available"));
                if (!fine) {
                    problems.add(c.toString());
                }
            }
        });
        none(problems, "not running, not ready or not bound");
    }

    /**
     * k8s.4: the certificates read from themselves (the runbook does not say what rke2 cert check
     * prints): the one the API server serves, from a TLS handshake with the server kubectl's context
     * names (what every client meets, whatever file it came from), and every certificate file found
     * under the certificate directory (all of them, whatever their names, each of a bundle: not a list of names the harness expects).
     */
    @Then("the API server's certificate as it serves it and every certificate in the control plane's certificate directory end beyond the certificate horizon")
    public void controlPlaneCertificates() {
        long horizon = zone.env().thresholds().certificateHorizon().toSeconds();
        long days = zone.env().thresholds().certificateHorizon().toDays();
        Host h = kubeHost();
        List<String> problems = new ArrayList<>();
        String server = kubectl("config view --minify -o jsonpath='{.clusters[0].cluster.server}'").strip();
        java.net.URI uri = java.net.URI.create(server.isEmpty() ? "https://127.0.0.1:6443" : server);
        String target = uri.getHost() + ":" + (uri.getPort() > 0 ? uri.getPort() : 443);
        // the served certificate: its end date and checkend's verdict, one line
        CommandResult served = h.exec(h.asRoot("c=$(openssl s_client -connect " + q(target) + " -servername " + q(uri.getHost())
                + " </dev/null 2>/dev/null | openssl x509 2>/dev/null) && [ -n \"$c\" ] || { echo none; exit 0; }; "
                + "end=$(printf '%s\\n' \"$c\" | openssl x509 -noout -enddate | cut -d= -f2); "
                + "if printf '%s\\n' \"$c\" | openssl x509 -noout -checkend " + horizon + " >/dev/null; then echo \"beyond|$end\"; else echo \"within|$end\"; fi"));
        String line = served.stdout().strip();
        if (!served.ok() || line.equals("none") || !line.contains("|")) {
            problems.add("the API server at " + target + " (kubectl's context) served no certificate: " + (line.isEmpty() ? said(served) : line));
        } else {
            zone.evidence().figure("the API server's certificate, as served at " + target, "ends " + line.substring(line.indexOf('|') + 1));
            if (line.startsWith("within")) {
                problems.add("the API server's certificate served at " + target + " ends " + line.substring(line.indexOf('|') + 1)
                        + ", within the horizon of " + days + " days");
            }
        }
        String dir = kube().certificateDir();
        // every certificate under it, found by what it is (any file, any depth, each of a bundle), not by its name
        CommandResult r = h.exec(h.asRoot(io.triad.probe.Certificates.command(List.of(dir), horizon, null)));
        try {
            io.triad.probe.Certificates.Search search = io.triad.probe.Certificates.parse(r.stdout());
            if (!search.missingDirectories().isEmpty()) {
                problems.add("no certificate directory " + dir + " on " + h.name() + " (sfa.kubernetes.certificate_dir)");
            } else if (search.found().isEmpty()) {
                problems.add("no certificate under " + dir + " on " + h.name());
            } else {
                zone.evidence().figure("the control plane's certificates under " + dir, search.found().size() + " read");
                for (io.triad.probe.Certificates.Found c : search.found()) {
                    if (!c.readable()) {
                        problems.add(c.where() + " is not a readable certificate");
                    } else if (!c.beyondHorizon()) {
                        problems.add(c.where() + " ends " + c.notAfter() + ", within the horizon of " + days + " days");
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            problems.add("the certificates under " + dir + " on " + h.name() + " could not be listed: " + e.getMessage() + " " + said(r));
        }
        none(problems, "the control plane's certificates");
    }

    @Then("the etcd of every control-plane node reports every endpoint of the cluster healthy")
    public void rke2Etcd() {
        Settings.Kubernetes k = kube();
        List<String> problems = new ArrayList<>();
        Host h = zone.supportHost(k.host());
        List<String> planes = parsed(h, "kubectl get nodes", problems, () -> Kube.nodes(kubectl("get nodes -o json"))).orElse(List.of())
                .stream().filter(Kube.Node::controlPlane).map(Kube.Node::name).toList();
        for (String plane : planes) {
            String exec = "-n kube-system exec " + q("etcd-" + plane) + " -- etcdctl --cacert " + q(k.etcdCaCert()) + " --cert " + q(k.etcdCert())
                    + " --key " + q(k.etcdKey()) + " endpoint health --cluster -w json";
            CommandResult r = h.exec(h.asRoot(k.kubectl().command() + " " + exec));
            // etcdctl exits non-zero when an endpoint is unhealthy, and still prints the list
            parsed(h, "etcdctl endpoint health in etcd-" + plane, problems, () -> HealthSteps.tree(r.stdout())).ifPresent(list -> {
                if (list.size() != k.controlPlanes()) {
                    problems.add("etcd-" + plane + " answered for " + list.size() + " endpoints, not " + k.controlPlanes());
                }
                list.forEach(e -> {
                    if (!e.path("health").asBoolean(false)) {
                        problems.add("etcd-" + plane + ": " + e.path("endpoint").asText() + " is not healthy (" + e.path("error").asText("no error given") + ")");
                    }
                });
            });
        }
        check(!planes.isEmpty() || !problems.isEmpty() || planning(), "kubectl lists no control-plane node to ask etcd on");
        none(problems, "RKE2's etcd");
    }

    private Settings.MongoDb mongodb() {
        check(settings.mongodb() != null, "sfa.mongodb is not set in the environment (the host with mongosh and the replica set's members), "
                + "and not_applicable.mongodb is not declared");
        return settings.mongodb();
    }

    /** mongosh on the MongoDB host against one member, the expression's value as relaxed Extended JSON. */
    private CommandResult mongosh(Settings.MongoDb m, String member, String expression) {
        Host h = zone.supportHost(m.host());
        String[] hp = member.split(":");
        return h.exec("mongosh --quiet --host " + q(hp[0]) + " --port " + hp[1] + " --authenticationDatabase admin -u " + q(m.user())
                + " -p \"$(cat " + q(m.passwordFile()) + ")\" --eval " + q("EJSON.stringify(" + expression + ")"));
    }

    @Then("asked member by member, the MongoDB replica set has one writable primary named alike by every member and every secondary on its term within the lag bound")
    public void replicaSet() {
        Settings.MongoDb m = mongodb();
        Host h = zone.supportHost(m.host());
        Map<String, Mongo.Status> status = new LinkedHashMap<>();
        Map<String, Mongo.Hello> hello = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        List<String> members = m.members();
        for (String member : members) {
            parsed(h, "rs.status() on " + member, problems, () -> Mongo.status(mongosh(m, member, "rs.status()").stdout()))
                    .ifPresent(s -> status.put(member, s));
            parsed(h, "db.hello() on " + member, problems, () -> Mongo.hello(mongosh(m, member, "db.hello()").stdout()))
                    .ifPresent(x -> hello.put(member, x));
            parsed(h, "db.getReplicationInfo() on " + member, problems, () -> Mongo.oplogWindow(mongosh(m, member, "db.getReplicationInfo()").stdout()))
                    .ifPresent(w -> {
                        zone.evidence().figure("oplog window on " + member, w.toHours() + " h");
                        if (w.compareTo(m.oplogWindow()) < 0) {
                            problems.add(member + "'s oplog holds " + w.toMinutes() + " min, less than " + m.oplogWindow().toHours()
                                    + " h: a member down that long needs a full resync");
                        }
                    });
        }
        problems.addAll(Mongo.problems(new LinkedHashSet<>(members), status, hello, m.lagBound()));
        none(problems, "the MongoDB replica set");
    }

    @Then("the MongoDB backup host's cron table runs {string} dumps and {string} verifications, each by a script that is there and executable, and the newest dump is younger than the dump interval")
    public void mongoBackups(String dump, String verify) {
        Settings.MongoDb m = mongodb();
        Host b = zone.supportHost(m.backupHost());
        List<io.triad.profile.sfa.Cron.Table> tables = cronTables(b);
        List<String> problems = new ArrayList<>();
        BackupSteps.job(b, tables, dump, "mongo-backup.sh", null, problems);
        BackupSteps.job(b, tables, verify, "mongo-backup-verify.sh", null, problems);
        CommandResult r = b.exec(b.asRoot("find " + q(m.dumps()) + " -maxdepth 1 -type d -name 'mongodb-*' -printf '%T@ %p\\n' | sort -n | tail -1"));
        String newest = r.stdout().strip();
        if (newest.isEmpty()) {
            problems.add("no mongodump directory (mongodb-*) in " + m.dumps() + " on " + b.name());
        } else {
            double age = System.currentTimeMillis() / 1000.0 - Double.parseDouble(newest.split(" ")[0]);
            zone.evidence().figure("newest MongoDB dump", newest.split(" ", 2)[1] + ", " + Math.round(age / 60) + " min old");
            if (age > m.dumpEvery().toSeconds()) {
                problems.add("the newest dump " + newest.split(" ", 2)[1] + " is " + Math.round(age / 3600) + " h old, older than " + m.dumpEvery().toHours() + " h");
            }
        }
        none(problems, "the MongoDB backup schedule on " + b.name());
    }

    private Settings.Emqx emqx() {
        check(settings.emqx() != null, "sfa.emqx is not set in the environment (the host with curl and the EMQX nodes' API hosts), "
                + "and not_applicable.emqx is not declared");
        return settings.emqx();
    }

    @Then("asked node by node, the EMQX API shows one cluster of every node, each running, none over its memory bound")
    public void emqxCluster() {
        Settings.Emqx e = emqx();
        Host h = zone.supportHost(e.host());
        Map<String, Emqx.Cluster> clusters = new LinkedHashMap<>();
        Map<String, List<Emqx.Node>> nodes = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String node : e.nodes()) {
            String base = "http://" + node + ":" + e.apiPort() + "/api/v5/";
            String curl = "curl -sS --max-time 5 --netrc-file " + q(e.netrcFile()) + " ";
            parsed(h, "GET /api/v5/cluster on " + node, problems, () -> Emqx.cluster(h.exec(curl + q(base + "cluster")).stdout()))
                    .ifPresent(c -> clusters.put(node, c));
            parsed(h, "GET /api/v5/nodes on " + node, problems, () -> Emqx.nodes(h.exec(curl + q(base + "nodes")).stdout()))
                    .ifPresent(n -> nodes.put(node, n));
        }
        nodes.values().stream().findFirst().ifPresent(list -> zone.evidence().figure("EMQX nodes",
                String.join(", ", list.stream().map(n -> n.node() + " " + n.status() + " " + Math.round(n.memoryShare() * 100) + "% memory, "
                        + n.connections() + " connections").toList())));
        problems.addAll(Emqx.problems(e.nodes(), clusters, nodes, e.memoryBound()));
        none(problems, "the EMQX cluster");
    }
}
