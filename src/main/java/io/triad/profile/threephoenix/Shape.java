package io.triad.profile.threephoenix;

import io.triad.tech.postgres.Db;
import io.triad.env.Environment;
import io.triad.env.FaultCatalogue;
import io.triad.env.Profile;
import io.triad.history.History;
import io.triad.host.Host;
import io.triad.zone.SteadyPart;
import io.triad.zone.SteadyState;
import io.triad.zone.Zone;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * RailianceThreePhoenix (seed 004): three database nodes (A the first primary, B and C
 * asynchronous standbys; PostgreSQL 15 with repmgr), Pgpool-II routing, the application tier on
 * the three nodes behind an nginx ingress, backups with pgBackRest to an external location, the
 * phoenix rotation. The exclusive resource is "accepts writes": at no instant two nodes do.
 */
public final class Shape implements Supplier<Profile> {

    public static final String POSTGRES = "postgresql";
    public static final String REPMGRD = "repmgrd";
    public static final String APP = "forge";
    static final Set<String> ROLES = Set.of("node-a", "node-b", "node-c");

    @Override
    public Profile get() {
        return new Profile(
                "three-phoenix",
                List.of("node-a", "node-b", "node-c"),
                Set.of(),
                Profile.services(POSTGRES, new Environment.ServiceSpec("postgresql@15-main.service", ROLES),
                        REPMGRD, new Environment.ServiceSpec("repmgrd.service", ROLES),
                        APP, new Environment.ServiceSpec("forge.service", ROLES)),
                List.of(), // the runbook's firewall is the public address's: only 80 and 443 (III.2, tried with nmap)
                new FaultCatalogue(
                        // scheduling-probe: a pod with the application's labels created and deleted (I.2's anti-affinity tried)
                        Set.of("crash-node", "kill-app", "phoenix-rotation", "restore-test", "scheduling-probe"),
                        Set.of(),
                        List.of(new FaultCatalogue.GuardRail("database", ROLES, Set.of(POSTGRES), 1, Set.of(),
                                        "never more than one database node down (and never all)"),
                                new FaultCatalogue.GuardRail("application", ROLES, Set.of(APP), 1, Set.of(),
                                        "never more than one application instance down"))),
                // At most one node accepts writes at any instant.
                List.of(new History.Resource("writable", "accepts writes", "accepts writes", "two nodes accepting writes")),
                // The ledger client's writes through Pgpool: which node took them, and when none did.
                new History.Serving("write", "takes writes", "takes a confirmed write", "writes: none confirmed",
                        "no write confirmed"),
                List.of(SteadyState.HOSTS_ANSWER, KUBERNETES_REACHABLE, DATABASE_REACHABLE, REPLICATION, POOL, SITE, NO_MAINTENANCE, KUBERNETES_UP),
                Set.of("phoenix"),
                Settings::read,
                new Recipe());
    }

    /** The database nodes' names by their addresses. */
    public static java.util.Map<String, String> names(Zone zone) {
        java.util.Map<String, String> names = new java.util.HashMap<>();
        nodes(zone).forEach(h -> names.put(h.address(), h.name()));
        return names;
    }

    /** The database nodes in the order of the profile's roles. */
    static List<Host> nodes(Zone zone) {
        return Recipe.nodesInOrder(zone.env()).stream().map(h -> zone.host(h.name())).toList();
    }

    /**
     * One primary, and every other node a standby streaming from it (its WAL receiver connected to
     * the primary's address, on the primary's timeline) and replayed to within 1 MiB of the
     * primary's position: read on each node itself, not from repmgr's or Pgpool's view.
     */
    static final SteadyPart REPLICATION = new SteadyPart("replication-settled", false, zone -> Db.replicationProblems(zone, nodes(zone)));

    /**
     * A gate: Pgpool answers, on its host, as its monitoring user and as the application's user
     * (their passwords in that host's .pgpass, never in a command or a report). On a live zone the
     * harness audits nothing without it (wrong credentials, Pgpool unreachable: exit 2).
     */
    static final SteadyPart DATABASE_REACHABLE = new SteadyPart("database-reachable", true, zone -> {
        Settings s = zone.env().settings(Settings.class);
        Host pool = zone.supportHost(s.poolHost());
        List<String> problems = new ArrayList<>();
        for (String user : List.of("pgpool", s.database())) {
            String db = user.equals("pgpool") ? "postgres" : s.database();
            // psql's own binary, not Debian's Perl wrapper (Db.FIND_PSQL): this runs at every look at the zone
            var r = pool.exec(pool.asRoot(Db.psqlTo(io.triad.host.Shell.quote("host=127.0.0.1 port=" + s.poolPort()
                    + " user=" + user + " dbname=" + db + " connect_timeout=3") + " -XAtc 'SELECT 1'")));
            if (!r.ok() || !r.stdout().strip().equals("1")) {
                problems.add("Pgpool on " + pool.name() + " (port " + s.poolPort() + ") refused or did not answer the user " + user + ": "
                        + Db.firstLine(r.stderr().isBlank() ? r.stdout() : r.stderr()));
            }
        }
        return problems;
    });

    /** Pgpool sees every node up, and the primary it names is the one that accepts writes. */
    static final SteadyPart POOL = new SteadyPart("pgpool-routes", false, zone -> {
        Settings s = zone.env().settings(Settings.class);
        try {
            PoolNodes pool = PoolNodes.read(zone.supportHost(s.poolHost()), s, names(zone));
            List<String> problems = new ArrayList<>();
            for (PoolNodes.Node n : pool.nodes()) {
                if (!n.status().equals("up")) {
                    problems.add("Pgpool has " + n.name() + " " + n.status());
                }
            }
            List<Db.NodeState> primaries = zone.onEach(nodes(zone), h -> Db.NodeState.read(h)).stream().filter(st -> !st.inRecovery()).toList();
            List<String> poolPrimaries = pool.nodes().stream().filter(n -> n.role().equals("primary")).map(PoolNodes.Node::name).toList();
            if (primaries.size() == 1 && !poolPrimaries.equals(List.of(primaries.get(0).node()))) {
                problems.add("Pgpool names " + (poolPrimaries.isEmpty() ? "no primary" : String.join(" and ", poolPrimaries))
                        + " while " + primaries.get(0).node() + " accepts writes");
            }
            return problems;
        } catch (AssertionError e) {
            return List.of(e.getMessage());
        }
    });

    /** The site answers through the ingress over HTTPS (the application behind it ready). */
    static final SteadyPart SITE = new SteadyPart("site-serves", false, zone -> {
        Settings s = zone.env().settings(Settings.class);
        Host edge = zone.supportHost(s.ingressHost());
        var r = edge.exec(Ingress.curl(s, edge.address(), "https", "/healthz", ""));
        return r.stdout().strip().startsWith("200") ? List.of() : List.of("the site answered " + (r.stdout().isBlank()
                ? Db.firstLine(r.stderr()) : r.stdout().strip().replace('\n', ' ')) + " through the ingress");
    });

    /**
     * A live zone's cluster answers kubectl where phoenix.kubernetes says (a gate: bad input, exit 2,
     * when it does not), unless the environment declares kubernetes not applicable.
     */
    static final SteadyPart KUBERNETES_REACHABLE = io.triad.tech.kube.Kubectl.reachable(zone -> java.util.Optional.ofNullable(
            zone.env().settings(Settings.class).kubernetes()).filter(k -> zone.env().notApplicable("kubernetes").isEmpty())
            .map(Settings.Kubernetes::kubectl));

    /** A simulated zone's Kubernetes control plane has come up (I.1 and I.2 judge what it brought up). */
    static final SteadyPart KUBERNETES_UP = io.triad.tech.kube.SimulatedControlPlane.up(zone ->
            java.util.Optional.ofNullable(zone.env().settings(Settings.class).kubernetes()).filter(Settings.Kubernetes::simulate)
                    .map(Settings.Kubernetes::host));

    /**
     * No maintenance is under way on the repository's host: its boot is over with no job left
     * queued (a host still booting has not started its jobs yet: "nothing running" would say
     * nothing), and no phoenix job, backup or first setup is running.
     */
    static final SteadyPart NO_MAINTENANCE = new SteadyPart("no-maintenance-running", false, zone -> {
        Settings s = zone.env().settings(Settings.class);
        Host ops = zone.supportHost(s.repositoryHost());
        var r = ops.exec("echo \"system $(systemctl is-system-running)\"; echo \"jobs $(systemctl list-jobs --no-legend --no-pager | wc -l)\";"
                + " for u in phoenix-bringup phoenix-maintenance phoenix-backup; do echo \"$u $(systemctl show -P SubState $u.service)\"; done");
        List<String> problems = new ArrayList<>();
        for (String line : r.stdout().lines().toList()) {
            String[] f = line.split(" ", 2);
            String value = f.length > 1 ? f[1].strip() : "";
            if (f[0].equals("system") && !value.equals("running") && !value.equals("degraded")) {
                problems.add(ops.name() + " is " + (value.isEmpty() ? "not answering" : value) + ", its boot not over");
            } else if (f[0].equals("jobs") && !value.equals("0")) {
                problems.add(ops.name() + " has " + value + " systemd job(s) queued");
            } else if (f[0].startsWith("phoenix-") && (value.equals("running") || value.equals("start"))) {
                problems.add("maintenance under way on " + ops.name() + ": " + f[0]);
            }
        }
        return problems;
    });
}
