package io.triad.probe;

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

    /** A peer of the meta group as the server sees it. */
    public record Replica(String name, boolean current, boolean offline) { }

    private static final ObjectMapper JSON = new ObjectMapper();

    public static JetStreamStatus parse(String json) {
        JsonNode root = jsz(json);
        JsonNode meta = root.path("meta_cluster");
        List<Replica> replicas = new ArrayList<>();
        for (JsonNode r : meta.path("replicas")) {
            replicas.add(new Replica(r.path("name").asText(), r.path("current").asBoolean(false), r.path("offline").asBoolean(false)));
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
