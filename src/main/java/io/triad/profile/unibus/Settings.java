package io.triad.profile.unibus;

import io.triad.env.Fields;

/**
 * The unibus zone's own fields of an environment file (under {@code unibus:}): where the service
 * lives on the nodes, the cluster's name and ports as {@code nodes.env} gives them, the replicas
 * the control plane starts with (the runbook's rollout: R1) and must reach (R3), and the
 * durability the zone's policy asks of JetStream.
 */
public record Settings(String dir, String unit, String clusterName, int clientPort, int httpPort, int clusterPort, int monitorPort,
                       int rolloutReplicas, int replicas, String syncPolicy) {

    /** The control-plane buckets of the runbook, as JetStream names their streams. */
    public static final java.util.List<String> BUCKETS = java.util.List.of("KV_UNIBUS_users", "KV_UNIBUS_rooms", "KV_UNIBUS_members",
            "KV_UNIBUS_room_keys", "KV_UNIBUS_rooms_by_member", "KV_UNIBUS_nonces");

    /** A file under the service's directory ("tls/ca.crt"). */
    public String file(String relative) {
        return dir + "/" + relative;
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
        u.done();
        return new Settings(dir, unit, cluster, client, http, route, monitor, rollout, replicas, sync);
    }
}
