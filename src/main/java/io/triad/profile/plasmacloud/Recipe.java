package io.triad.profile.plasmacloud;

import io.triad.env.Environment;
import io.triad.env.Environment.HostSpec;
import io.triad.sim.NodeFiles;
import io.triad.sim.ZoneCa;
import io.triad.sim.ZoneRecipe;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The simulated PlasmaCloud control plane as the runbook's provisioning leaves it (the PXE and
 * nixos-anywhere phases are not run: their result is laid): on every node its
 * {@code cluster-config.json} (the first node the bootstrap node, every node's initial peers by
 * name), the zone CA and the node's certificate (its names, its address, localhost) with its key
 * 0400 in the runbook's secrets directory, and the services and their first-boot joins enabled.
 */
public final class Recipe implements ZoneRecipe {

    private static final String WANTS = "/etc/systemd/system/multi-user.target.wants/";
    static final List<String> UNITS = List.of("chainfire.service", "flaredb.service", "iam.service", "chainfire-cluster-join.service",
            "flaredb-cluster-join.service");

    @Override
    public String imageProperty() {
        return "plasmacloud.image";
    }

    @Override
    public List<String> volumes(Environment env, HostSpec host) {
        return List.of("/var/lib/chainfire", "/var/lib/flaredb"); // the Raft stores survive a crash
    }

    /** Besides SSH access and the hostname: the node's secrets (its certificate and key, the CA, its cluster configuration). */
    @Override
    public boolean identity(Environment env, String path) {
        return ZoneRecipe.super.identity(env, path) || path.startsWith(env.settings(Settings.class).secretsDir() + "/")
                || path.equals("/etc/plasmacloud/node.env");
    }

    @Override
    public Map<String, NodeFiles> render(Inputs in) {
        Environment env = in.env();
        Settings s = env.settings(Settings.class);
        ZoneCa ca = in.ca();
        Instant now = Instant.now();
        Instant notAfter = env.simulation().certificateNotAfter().orElse(now.plus(Duration.ofDays(365)));
        Instant notBefore = notAfter.isBefore(now) ? notAfter.minus(Duration.ofDays(365)) : now.minusSeconds(300);
        List<HostSpec> nodes = env.hosts();
        Map<String, NodeFiles> out = new LinkedHashMap<>();
        for (HostSpec h : nodes) {
            NodeFiles f = new NodeFiles();
            f.sshAccess(in.hostKeys().get(h.name()), in.authorizedKey());
            f.file("/etc/hostname", h.hostname() + "\n", 0644);
            ZoneCa.Issued cert = ca.issue(h.hostname(), List.of(h.hostname(), h.name(), "localhost"),
                    List.of(h.address().toString(), "127.0.0.1"), notBefore, notAfter);
            f.file(s.caFile(), ca.caPem(), 0644);
            f.file(s.certFile(h.name()), cert.certificatePem(), 0644);
            f.file(s.keyFile(h.name()), cert.privateKeyPem(), 0400);
            f.file(s.clusterConfig(), clusterConfig(s, nodes, h), 0600);
            f.file("/etc/plasmacloud/node.env", "# this node's identity for its services' units\nNODE_ID=" + h.name() + "\n", 0644);
            for (String unit : UNITS) {
                f.link(WANTS + unit, "/etc/systemd/system/" + unit);
            }
            out.put(h.name(), f);
        }
        return out;
    }

    /** The runbook's cluster-config.json (section 5.3, step 3.2) of one node. */
    static String clusterConfig(Settings s, List<HostSpec> nodes, HostSpec h) {
        HostSpec first = nodes.get(0);
        String peers = nodes.stream().map(n -> "    \"" + n.hostname() + ":" + s.chainfireRaftPort() + "\"").collect(Collectors.joining(",\n"));
        String flaredb = nodes.stream().map(n -> "    \"" + n.hostname() + ":" + s.flaredbRaftPort() + "\"").collect(Collectors.joining(",\n"));
        return """
                {
                  "node_id": "%s",
                  "node_role": "control-plane",
                  "bootstrap": %s,
                  "cluster_name": "%s",
                  "leader_url": "https://%s:%d",
                  "raft_addr": "%s:%d",
                  "initial_peers": [
                %s
                  ],
                  "flaredb_peers": [
                %s
                  ]
                }
                """.formatted(h.name(), h.equals(first), s.clusterName(), first.hostname(), s.chainfirePort(), h.address(),
                s.chainfireRaftPort(), peers, flaredb);
    }
}
