package io.triad.profile.unibus;

import io.triad.env.Fields;

/**
 * The unibus zone's own fields of an environment file (under {@code unibus:}): where the service
 * lives on the nodes, the cluster's name and ports as {@code nodes.env} gives them, the replicas
 * the control plane starts with (the runbook's rollout: R1) and must reach (R3), and the
 * durability the zone's policy asks of JetStream; the WireGuard mesh the routes run over
 * ({@code mesh: {network: a.b.c.0/24, port}}: a node's mesh address is the network's prefix and
 * the last number of its own address; null when the routes run on the nodes' own addresses). A
 * live zone's checks read each node's mesh address from its {@code nodes.env}, the runbook's
 * topology file; the simulated zone is rendered from these.
 */
public record Settings(String dir, String unit, String clusterName, int clientPort, int httpPort, int clusterPort, int monitorPort,
                       int rolloutReplicas, int replicas, String syncPolicy, String meshNetwork, int meshPort)
        implements io.triad.env.NamedPorts {

    /** The names a firewall rule ({@code firewall.also_allowed}) may give these ports by. */
    @Override
    public java.util.Map<String, Integer> namedPorts() {
        return java.util.Map.of("client", clientPort, "http", httpPort, "cluster", clusterPort, "monitor", monitorPort);
    }

    /** The control-plane buckets of the runbook, as JetStream names their streams. */
    public static final java.util.List<String> BUCKETS = java.util.List.of("KV_UNIBUS_users", "KV_UNIBUS_rooms", "KV_UNIBUS_members",
            "KV_UNIBUS_room_keys", "KV_UNIBUS_rooms_by_member", "KV_UNIBUS_nonces");

    /** A file under the service's directory ("tls/ca.crt"). */
    public String file(String relative) {
        return dir + "/" + relative;
    }

    /** A node's address on the mesh: the mesh network's prefix and the last number of its own address. */
    public String meshAddress(io.triad.env.Environment.HostSpec h) {
        if (meshNetwork == null) {
            return h.address().toString();
        }
        String own = h.address().toString();
        return meshNetwork.substring(0, meshNetwork.lastIndexOf('.') + 1) + own.substring(own.lastIndexOf('.') + 1);
    }

    /** Reads {@code unibus:} from the top of an environment file (every field has the runbook's default). */
    public static Settings read(Fields top) {
        Fields u = top.object("unibus");
        String dir = u.absolutePath("dir", "/opt/unibus").replaceAll("/+$", "");
        String unit = u.text("unit").orElse("membershipd-cluster.service");
        String cluster = u.text("cluster_name").orElse("unibus");
        if (!cluster.matches("[A-Za-z0-9_-]+")) {
            throw u.error("cluster_name", "'" + cluster + "' is not a NATS cluster name (letters, digits, - and _)");
        }
        Fields p = u.object("ports");
        int client = p.integer("client", 4250, 1, 65535);
        int http = p.integer("http", 8470, 1, 65535);
        int route = p.integer("cluster", 6250, 1, 65535);
        int monitor = p.integer("monitor", 8222, 1, 65535);
        p.done();
        int rollout = u.integer("rollout_replicas", 1, 1, 3);
        int replicas = u.integer("replicas", 3, 1, 5);
        String sync = u.text("sync_policy").orElse("always");
        if (!java.util.List.of("always", "default").contains(sync)) {
            throw u.error("sync_policy", "'" + sync + "' is neither 'always' (every acknowledged write on disk before the"
                    + " acknowledgement) nor 'default' (JetStream's default: flushed every 2 minutes)");
        }
        String meshNetwork = null;
        int meshPort = 51820;
        Fields m = u.object("mesh");
        if (!m.isEmpty()) {
            meshNetwork = m.requiredText("network");
            if (!meshNetwork.matches("(\\d{1,3}\\.){3}0/24")) {
                throw m.error("network", "'" + meshNetwork + "' is not an IPv4 /24 network (a.b.c.0/24)");
            }
            meshPort = m.integer("port", 51820, 1, 65535);
            m.done();
        }
        u.done();
        return new Settings(dir, unit, cluster, client, http, route, monitor, rollout, replicas, sync, meshNetwork, meshPort);
    }
}
