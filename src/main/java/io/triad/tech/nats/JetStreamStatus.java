package io.triad.tech.nats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One server's view of the JetStream cluster, parsed from its monitoring endpoint {@code /jsz}:
 * the meta group's name, leader, size and replicas.
 */
public record JetStreamStatus(String server, String cluster, String leader, int clusterSize, List<Replica> replicas,
                              boolean jetstreamEnabled) {

    /**
     * A peer of a raft group (the meta group or a stream's) as the server sees it; {@code active} is the
     * time since the server last heard from it (null when the server does not say).
     */
    public record Replica(String name, boolean current, boolean offline, java.time.Duration active) {
        public Replica(String name, boolean current, boolean offline) {
            this(name, current, offline, null);
        }

        static Replica of(JsonNode r) {
            long active = r.path("active").asLong(-1);
            return new Replica(r.path("name").asText(), r.path("current").asBoolean(false), r.path("offline").asBoolean(false),
                    active < 0 ? null : java.time.Duration.ofNanos(active));
        }
    }

    /**
     * How recently a leader must have heard from a majority for its claim to count: NATS raft's
     * minimum election timeout (4 s) less a second for the timing of heartbeats and their answers. A
     * follower campaigns only after hearing nothing from its leader for an election timeout, so no
     * other leader can be elected while this one heard a majority within that time; a leader cut
     * off keeps claiming its place (measured: 16-19 s in /jsz after its isolation) without being
     * able to commit anything.
     */
    public static final java.time.Duration LEASE = java.time.Duration.ofSeconds(3);

    /** Whether {@code self} leads the group and heard from a majority of it within {@code within}. */
    public static boolean leadsWithQuorum(String self, String leader, int groupSize, List<Replica> others, java.time.Duration within) {
        if (self.isEmpty() || !self.equals(leader)) {
            return false;
        }
        long heard = others.stream().filter(r -> !r.offline() && r.active() != null && r.active().compareTo(within) <= 0).count();
        return 1 + heard >= groupSize / 2 + 1;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public static JetStreamStatus parse(String json) {
        JsonNode root = jsz(json);
        JsonNode meta = root.path("meta_cluster");
        List<Replica> replicas = new ArrayList<>();
        for (JsonNode r : meta.path("replicas")) {
            replicas.add(Replica.of(r));
        }
        boolean enabled = !root.path("disabled").asBoolean(false) && !root.path("config").isMissingNode();
        return new JetStreamStatus(root.path("server_name").asText(root.path("server_id").asText()),
                meta.path("name").asText(""), meta.path("leader").asText(""), meta.path("cluster_size").asInt(0),
                List.copyOf(replicas), enabled);
    }

    /** {@code /jsz}'s answer as a JSON object, or an IllegalArgumentException saying what it was instead. */
    static JsonNode jsz(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("/jsz did not answer JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("/jsz did not answer a JSON object");
        }
        return root;
    }

    public boolean hasLeader() {
        return !leader.isEmpty();
    }

    /** The peers the leader sees as current, counting itself. */
    public int currentPeers() {
        return 1 + (int) replicas.stream().filter(r -> r.current() && !r.offline()).count();
    }
}
