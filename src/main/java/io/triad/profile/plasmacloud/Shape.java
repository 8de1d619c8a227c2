package io.triad.profile.plasmacloud;

import io.triad.env.Environment;
import io.triad.env.FaultCatalogue;
import io.triad.env.Profile;
import io.triad.history.History;
import io.triad.zone.SteadyPart;
import io.triad.zone.SteadyState;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The PlasmaCloud control plane (seed 001): three nodes (node01 the bootstrap node, node02 and
 * node03), each running Chainfire (a Raft KV store), FlareDB (a Raft metrics store) and IAM, over
 * HTTPS with the zone's CA. In the simulated zone the three services are the reference raftd
 * (fixtures/plasmacloud/raftd, embedding etcd's Raft server).
 */
public final class Shape implements Supplier<Profile> {

    public static final String CHAINFIRE = "chainfire";
    public static final String FLAREDB = "flaredb";
    public static final String IAM = "iam";
    static final Set<String> ROLES = Set.of("bootstrap", "member-1", "member-2");

    @Override
    public Profile get() {
        return new Profile(
                "plasmacloud",
                List.of("bootstrap", "member-1", "member-2"),
                Set.of(),
                Profile.services(CHAINFIRE, new Environment.ServiceSpec("chainfire.service", ROLES),
                        FLAREDB, new Environment.ServiceSpec("flaredb.service", ROLES),
                        IAM, new Environment.ServiceSpec("iam.service", ROLES)),
                // The runbook's port matrix (3.4): SSH and IAM from the internal network, the Raft
                // services from the cluster subnet only; everything else dropped.
                List.of(new Environment.PortRule("tcp", "22", "internal_network", ROLES, "SSH (management)"),
                        new Environment.PortRule("tcp", "chainfire", "cluster_subnet", ROLES, "Chainfire API"),
                        new Environment.PortRule("tcp", "chainfire-raft", "cluster_subnet", ROLES, "Chainfire Raft"),
                        new Environment.PortRule("tcp", "chainfire-gossip", "cluster_subnet", ROLES, "Chainfire gossip"),
                        new Environment.PortRule("tcp", "flaredb", "cluster_subnet", ROLES, "FlareDB API"),
                        new Environment.PortRule("tcp", "flaredb-raft", "cluster_subnet", ROLES, "FlareDB Raft"),
                        new Environment.PortRule("tcp", "iam", "internal_network", ROLES, "IAM, from the cluster and client subnets")),
                new FaultCatalogue(
                        // test-writes: the runbook's validations that write test keys; stop-two: the quorum-loss drill
                        // restore-test: the restore of 9.4 stops every node's stores
                        // drain-node: 7.5's maintenance, a node's Chainfire and FlareDB stopped, then the node rebooted (crash-node)
                        // key-rotation: 10.1, scratch provisioning keys laid in the nodes' root authorized_keys and rotated
                        // dhcp-probe: DHCP requests on the provisioning network (leases taken and released, the reserved nodes' MACs spoken)
                        Set.of("crash-node", "partition-node", "stop-two", "test-writes", "restore-test", "dhcp-probe", "drain-node", "key-rotation"),
                        Set.of("stop-two", "restore-test"), // the faults that take down more than one node: named on a live zone
                        List.of(new FaultCatalogue.GuardRail("raft-quorum", ROLES, Set.of(CHAINFIRE, FLAREDB), 1, Set.of("stop-two"),
                                "never more than one node of the Raft quorum down (never all, but for the restore of 9.4, which"
                                        + " stops every store by design)", Set.of("restore-test")))),
                List.of(new History.Resource("chainfire-leader", "Chainfire leader", "leads Chainfire", "two Chainfire leaders")),
                new History.Serving("write", "acknowledges", "acknowledges a write", "writes: none acknowledged", "no write acknowledged"),
                List.of(SteadyState.HOSTS_ANSWER, HEALTHY, PXE_BOOTED),
                Set.of("plasmacloud"),
                Settings::read,
                new Recipe());
    }

    /**
     * The PXE server (when the environment names one) has finished its boot: no systemd job
     * queued, the system running or degraded. Whether its services run is 4.3's to judge, not the
     * steady state's: a zone whose TFTP service failed settles, and 4.3 fails.
     */
    static final SteadyPart PXE_BOOTED = new SteadyPart("pxe-server-booted", false, zone -> zone.env().settings(Settings.class).provisioning()
            .map(p -> {
                var pxe = zone.supportHost(p.server());
                var r = pxe.exec("echo \"$(systemctl is-system-running) $(systemctl list-jobs --no-legend --no-pager | wc -l)\"");
                String[] f = r.stdout().strip().split(" ");
                boolean over = f.length == 2 && (f[0].equals("running") || f[0].equals("degraded")) && f[1].equals("0");
                return over ? List.<String>of() : List.of(pxe.name() + " has not finished its boot (" + r.stdout().strip() + ")");
            }).orElse(List.of()));

    /**
     * Every node's Chainfire and FlareDB answer their health endpoint healthy with a cluster of 3,
     * its IAM healthy with its database connected, and both first-boot joins complete: asked on
     * each node itself, over HTTPS with the zone's CA.
     */
    static final SteadyPart HEALTHY = new SteadyPart("services-healthy", false, zone -> {
        Settings s = zone.env().settings(Settings.class);
        List<String> problems = new ArrayList<>();
        zone.onEach(zone.hosts(), h -> {
            List<String> mine = new ArrayList<>();
            var r = h.exec(h.asRoot(Api.healthAll(s, zone.env().host(h.name()).hostname()))); // the CA is in root's secrets directory
            for (String line : r.stdout().lines().toList()) {
                String[] f = line.split(" ", 3);
                if (f.length < 2 || !f[1].equals("ok")) {
                    mine.add(h.name() + ": " + line.strip());
                }
            }
            if (r.stdout().lines().count() < 5) {
                mine.add(h.name() + ": the health of its services could not be read (" + Api.firstLine(r.stderr()) + ")");
            }
            return mine;
        }).forEach(problems::addAll);
        return problems;
    });
}
