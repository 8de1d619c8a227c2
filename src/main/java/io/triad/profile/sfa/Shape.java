package io.triad.profile.sfa;

import io.triad.env.Environment;
import io.triad.env.FaultCatalogue;
import io.triad.env.Profile;
import io.triad.history.History;
import io.triad.host.Host;
import io.triad.tech.postgres.Db;
import io.triad.zone.SteadyPart;
import io.triad.zone.SteadyState;
import io.triad.zone.Zone;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The SFA platform's data tier (seed 002): three database nodes, each an etcd member (Patroni's
 * DCS), a Patroni-managed PostgreSQL 15 and two Redis Cluster instances; a support host with
 * HAProxy (writes to the primary, reads to the replicas, by Patroni's REST health checks),
 * Prometheus with the runbook's alert rules, Alertmanager, and the backup repository (base backups
 * and the WAL archive). The exclusive resource is "accepts writes": at no instant two nodes do.
 */
public final class Shape implements Supplier<Profile> {

    public static final String PATRONI = "patroni";
    public static final String ETCD = "etcd";
    /** The Redis instances by their place on a node (the first and second port of {@code sfa.redis.ports}). */
    public static final List<String> REDIS_INSTANCES = List.of("redis-first", "redis-second");
    static final Set<String> ROLES = Set.of("node-1", "node-2", "node-3");

    @Override
    public Profile get() {
        return new Profile(
                "sfa",
                List.of("node-1", "node-2", "node-3"),
                Set.of(),
                Profile.services(PATRONI, new Environment.ServiceSpec("patroni.service", ROLES),
                        ETCD, new Environment.ServiceSpec("etcd.service", ROLES),
                        REDIS_INSTANCES.get(0), new Environment.ServiceSpec("redis-server@6379.service", ROLES),
                        REDIS_INSTANCES.get(1), new Environment.ServiceSpec("redis-server@6380.service", ROLES)),
                List.of(), // the runbook gives no port matrix for this tier
                new FaultCatalogue(
                        // switchover: pg.5; stop-postgres: alert.2; expiring-certificate: alert.3; test-writes: the
                        // checks that write rows or keys; dcs-majority: drill.2; kill-redis-master: drill.3;
                        // damaged-backup: backup.4's damaged copy laid as the newest base backup
                        // drain-node, rollout, blue-green, rollout-undo: the runbook's node maintenance, standard and blue-green
                        // deployments and manual rollback, run on the RKE2 cluster
                        Set.of("crash-node", "switchover", "stop-postgres", "expiring-certificate", "test-writes", "pitr-test", "drain-node", "rollout-undo",
                                "rollout", "blue-green",
                                "dcs-majority", "kill-redis-master", "damaged-backup", "redis-scale"),
                        // redis-scale: redis.3-5, a scratch instance added to the cluster and slots resharded to it and back
                        Set.of("dcs-majority", "redis-scale"),
                        List.of(new FaultCatalogue.GuardRail("database", ROLES, Set.of(PATRONI), 1, Set.of(),
                                        "never more than one database node down (and never all)"),
                                new FaultCatalogue.GuardRail("dcs", ROLES, Set.of(ETCD), 1, Set.of("dcs-majority"),
                                        "never more than one etcd member down, but in the DCS-majority drill"),
                                new FaultCatalogue.GuardRail("redis", ROLES, Set.copyOf(REDIS_INSTANCES), 1, Set.of(),
                                        "never more than one Redis instance down"))),
                List.of(new History.Resource("writable", "accepts writes", "accepts writes", "two nodes accepting writes")),
                new History.Serving("write", "takes writes", "takes a confirmed write", "writes: none confirmed", "no write confirmed"),
                List.of(SteadyState.HOSTS_ANSWER, KUBERNETES_REACHABLE, REPLICATION, REDIS, MONITORING, KUBERNETES_UP),
                Set.of("sfa"),
                Settings::read,
                new Recipe());
    }

    /** The database nodes, in the order of the profile's roles. */
    public static List<Host> nodes(Zone zone) {
        return zone.hosts();
    }

    /** {@code patronictl list --format json} with the environment's configuration (run as root: it holds the passwords). */
    public static String patroniListCommand(Settings s) {
        return "patronictl -c " + io.triad.host.Shell.quote(s.patroniConfig()) + " list --format json";
    }

    /** The rows of {@code patronictl list --format json}'s output on a node; output that is no list an AssertionError naming it. */
    public static List<com.fasterxml.jackson.databind.JsonNode> patroniRows(Host h, String out) {
        com.fasterxml.jackson.databind.JsonNode n = Monitoring.tree(out, h.name() + "'s patronictl list --format json");
        if (!n.isArray()) {
            throw new AssertionError(h.name() + ": patronictl list --format json is not a list: " + Db.firstLine(out));
        }
        List<com.fasterxml.jackson.databind.JsonNode> rows = new java.util.ArrayList<>();
        n.forEach(rows::add);
        return rows;
    }

    /** The rows of patronictl list on a node; its failure an AssertionError naming the node and what it said. */
    public static List<com.fasterxml.jackson.databind.JsonNode> patroniList(Host h, Settings s) {
        io.triad.host.CommandResult r = h.exec(h.asRoot(patroniListCommand(s)));
        if (!r.ok()) {
            throw new AssertionError(h.name() + ": patronictl list failed (exit " + r.exitCode() + "): "
                    + Db.firstLine(r.stderr().isBlank() ? r.stdout() : r.stderr()));
        }
        return patroniRows(h, r.stdout());
    }

    /** The database nodes as Patroni's members are matched to them: inventory name, host name, address. */
    public static List<Patroni.Node> patroniNodes(Zone zone) {
        java.util.Map<String, String> hostnames = new java.util.HashMap<>();
        zone.env().hosts().forEach(h -> hostnames.put(h.name(), h.hostname()));
        return nodes(zone).stream().map(h -> new Patroni.Node(h.name(), hostnames.getOrDefault(h.name(), h.name()), h.address())).toList();
    }

    /** The name Patroni knows a node by, from the rows of patronictl list; a node no member is is an AssertionError naming the members. */
    public static String patroniMember(Zone zone, String node, List<com.fasterxml.jackson.databind.JsonNode> rows) {
        List<Patroni.Node> all = patroniNodes(zone);
        Patroni.Node me = all.stream().filter(n -> n.name().equals(node)).findFirst()
                .orElseThrow(() -> new AssertionError(node + " is no database node of the zone"));
        return Patroni.memberOf(rows, me, all).orElseThrow(() -> new AssertionError("no member of patronictl list is " + node + " (" + me.address()
                + "): " + String.join(", ", rows.stream().map(r -> r.path("Member").asText() + " at " + r.path("Host").asText()).toList())));
    }

    /**
     * A live zone's RKE2 cluster answers kubectl where sfa.kubernetes says (a gate: bad input, exit 2,
     * when it does not), unless the environment declares rke2 not applicable.
     */
    static final SteadyPart KUBERNETES_REACHABLE = io.triad.tech.kube.Kubectl.reachable(zone -> java.util.Optional.ofNullable(
            zone.env().settings(Settings.class).kubernetes()).filter(k -> zone.env().notApplicable("rke2").isEmpty())
            .map(Settings.Kubernetes::kubectl));

    /** A simulated zone's RKE2 stand-in control plane has come up (k8s.1 judges what it brought up). */
    static final SteadyPart KUBERNETES_UP = io.triad.tech.kube.SimulatedControlPlane.up(zone ->
            java.util.Optional.ofNullable(zone.env().settings(Settings.class).kubernetes()).filter(Settings.Kubernetes::simulate)
                    .map(Settings.Kubernetes::host));

    /** One primary, the replicas streaming from it on its timeline: read on each node (see {@link Db#replicationProblems}). */
    static final SteadyPart REPLICATION = new SteadyPart("replication-settled", false, zone -> Db.replicationProblems(zone, nodes(zone)));

    /** Every Redis instance of every node answers cluster_state:ok (not looked at in a zone that declares redis absent). */
    static final SteadyPart REDIS = SteadyPart.unlessAbsent("redis", new SteadyPart("redis-cluster-ok", false, zone -> {
        Settings s = zone.env().settings(Settings.class);
        List<String> problems = new ArrayList<>();
        zone.onEach(nodes(zone), h -> {
            List<String> mine = new ArrayList<>();
            for (int port : s.redisPorts()) {
                var r = h.exec(Redis.cli(port, "cluster info"));
                if (!r.ok() || !r.stdout().contains("cluster_state:ok")) {
                    mine.add(h.name() + ":" + port + " does not answer cluster_state:ok (" + Db.firstLine(r.ok() ? r.stdout() : r.stderr()) + ")");
                }
            }
            return mine;
        }).forEach(problems::addAll);
        return problems;
    }));

    /**
     * Prometheus ready with every target up, Alertmanager ready: the alert scenarios start from a
     * quiet zone (not looked at in a zone that declares monitoring absent).
     */
    static final SteadyPart MONITORING = SteadyPart.unlessAbsent("monitoring", new SteadyPart("monitoring-ready", false, zone -> {
        Settings s = zone.env().settings(Settings.class);
        Host mon = zone.supportHost(s.monitorHost());
        List<String> problems = new ArrayList<>();
        var targets = mon.exec("curl -fsS --max-time 3 http://127.0.0.1:" + s.prometheusPort() + "/api/v1/targets?state=active");
        if (!targets.ok()) {
            problems.add("Prometheus on " + mon.name() + " does not answer: " + Db.firstLine(targets.stderr()));
        } else {
            Monitoring.Targets.parse(targets.stdout()).down().forEach(t -> problems.add("Prometheus target " + t + " is not up"));
        }
        var am = mon.exec("curl -fsS --max-time 3 http://127.0.0.1:" + s.alertmanagerPort() + "/-/ready");
        if (!am.ok()) {
            problems.add("Alertmanager on " + mon.name() + " is not ready");
        }
        return problems;
    }));
}
