package io.triad.profile.sfa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The EMQX cluster as its dashboard API (v5) tells it: {@code GET /api/v5/cluster} (the cluster's
 * name, the nodes running in it as this node sees them, this node's own name) and
 * {@code GET /api/v5/nodes} (each node's status and memory), and the runbook's health check on
 * them, asked of every node: a node that left the cluster still answers its own API, and only the
 * others' {@code /cluster} shows it gone.
 */
public final class Emqx {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Emqx() { }

    /** {@code /api/v5/cluster} on one node. */
    public record Cluster(String name, List<String> nodes, String self) { }

    /** One node of {@code /api/v5/nodes}: its Erlang node name, status, role, memory used and total (bytes), connections. */
    public record Node(String node, String status, String role, long memoryUsed, long memoryTotal, long connections) {

        public double memoryShare() {
            return memoryTotal <= 0 ? 0 : (double) memoryUsed / memoryTotal;
        }
    }

    static JsonNode tree(String json, String what) {
        try {
            JsonNode n = JSON.readTree(json == null || json.isBlank() ? "null" : json);
            if (n == null || n.isNull()) {
                throw new IllegalArgumentException(what + ": no answer");
            }
            if (n.isObject() && n.has("code") && n.has("message")) {
                throw new IllegalArgumentException(what + ": " + n.path("code").asText() + " " + n.path("message").asText());
            }
            return n;
        } catch (IOException e) {
            throw new IllegalArgumentException(what + ": not JSON (" + (json == null ? "" : json.strip().lines().findFirst().orElse("")) + ")");
        }
    }

    public static Cluster cluster(String json) {
        JsonNode n = tree(json, "GET /api/v5/cluster");
        if (!n.path("nodes").isArray()) {
            throw new IllegalArgumentException("GET /api/v5/cluster: no nodes list");
        }
        List<String> nodes = new ArrayList<>();
        n.path("nodes").forEach(x -> nodes.add(x.asText()));
        return new Cluster(n.path("name").asText(""), List.copyOf(nodes), n.path("self").asText(""));
    }

    public static List<Node> nodes(String json) {
        JsonNode n = tree(json, "GET /api/v5/nodes");
        if (!n.isArray()) {
            throw new IllegalArgumentException("GET /api/v5/nodes: not a list of nodes");
        }
        List<Node> out = new ArrayList<>();
        for (JsonNode x : n) {
            out.add(new Node(x.path("node").asText(), x.path("node_status").asText(""), x.path("role").asText("core"),
                    bytes(x.path("memory_used")), bytes(x.path("memory_total")), x.path("connections").asLong(0)));
        }
        return out;
    }

    /** EMQX 5 reports memory in bytes; some releases as a string with a unit ("1.02G"). */
    static long bytes(JsonNode n) {
        if (n.isNumber()) {
            return n.asLong();
        }
        String s = n.asText("").strip();
        if (s.isEmpty()) {
            return 0;
        }
        char unit = Character.toUpperCase(s.charAt(s.length() - 1));
        double scale = switch (unit) {
            case 'K' -> 1024d;
            case 'M' -> 1024d * 1024;
            case 'G' -> 1024d * 1024 * 1024;
            default -> 1;
        };
        String digits = Character.isDigit(unit) ? s : s.substring(0, s.length() - 1);
        try {
            return (long) (Double.parseDouble(digits) * scale);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * What is wrong with the cluster, from every node's answers (keyed by the API host asked):
     * every node sees the same cluster, of as many nodes as the inventory names, each running;
     * each node is one of those the others see; no node's memory over {@code memoryBound}.
     */
    public static List<String> problems(List<String> inventory, Map<String, Cluster> clusters, Map<String, List<Node>> nodes, double memoryBound) {
        List<String> out = new ArrayList<>();
        for (String host : inventory) {
            if (!clusters.containsKey(host) || !nodes.containsKey(host)) {
                out.add(host + " did not answer its API");
            }
        }
        Set<String> selves = new TreeSet<>();
        clusters.values().forEach(c -> selves.add(c.self()));
        if (selves.size() != clusters.size()) {
            out.add("two API hosts answer as the same node: " + clusters);
        }
        clusters.forEach((host, c) -> {
            Set<String> running = new TreeSet<>(c.nodes());
            if (running.size() != inventory.size()) {
                out.add(host + " (" + c.self() + ") sees " + running.size() + " running nodes " + running + ", not " + inventory.size());
            }
            if (!running.containsAll(selves)) {
                Set<String> missing = new TreeSet<>(selves);
                missing.removeAll(running);
                out.add(host + " (" + c.self() + ") does not see " + missing + " in its cluster");
            }
        });
        Set<String> names = new TreeSet<>();
        clusters.values().forEach(c -> names.add(c.name()));
        if (names.size() > 1) {
            out.add("the nodes name different clusters: " + names);
        }
        nodes.forEach((host, list) -> {
            for (Node n : list) {
                if (!n.status().equals("running")) {
                    out.add(host + " reports " + n.node() + " " + (n.status().isEmpty() ? "with no status" : n.status()));
                }
                if (n.memoryShare() > memoryBound) {
                    out.add(n.node() + " uses " + Math.round(n.memoryShare() * 100) + "% of its memory (bound " + Math.round(memoryBound * 100) + "%)");
                }
            }
        });
        return List.copyOf(new java.util.LinkedHashSet<>(out));
    }
}
