package io.triad.profile.threephoenix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Kubernetes objects the checklist reads on a live zone, from {@code kubectl get ... -o json}:
 * nodes and their Ready condition, the application's pods and the nodes they run on, Longhorn's
 * volumes and their health. Read from the objects' status, as {@code kubectl get} shows it.
 */
public final class Kube {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Kube() { }

    public record Node(String name, boolean ready, String readyReason) { }

    public record Pod(String name, String node, String phase, boolean ready) { }

    public record Volume(String name, String state, String robustness, int replicas, int healthyReplicas) { }

    static JsonNode items(String json, String what) {
        try {
            JsonNode root = JSON.readTree(json);
            if (root == null || !root.path("items").isArray()) {
                throw new IllegalArgumentException(what + ": not a kubectl list (no items)");
            }
            return root.path("items");
        } catch (IOException e) {
            throw new IllegalArgumentException(what + ": not JSON: " + e.getMessage());
        }
    }

    /** {@code kubectl get nodes -o json}: each node and its Ready condition. */
    public static List<Node> nodes(String json) {
        List<Node> out = new ArrayList<>();
        for (JsonNode n : items(json, "kubectl get nodes")) {
            JsonNode ready = null;
            for (JsonNode c : n.path("status").path("conditions")) {
                if (c.path("type").asText().equals("Ready")) {
                    ready = c;
                }
            }
            out.add(new Node(n.path("metadata").path("name").asText(), ready != null && ready.path("status").asText().equals("True"),
                    ready == null ? "no Ready condition" : ready.path("reason").asText("")));
        }
        return out;
    }

    /** {@code kubectl get pods -o json}: each pod, the node it is scheduled on, its phase, and whether every container is ready. */
    public static List<Pod> pods(String json) {
        List<Pod> out = new ArrayList<>();
        for (JsonNode p : items(json, "kubectl get pods")) {
            boolean ready = false;
            for (JsonNode c : p.path("status").path("conditions")) {
                if (c.path("type").asText().equals("Ready")) {
                    ready = c.path("status").asText().equals("True");
                }
            }
            out.add(new Pod(p.path("metadata").path("name").asText(), p.path("spec").path("nodeName").asText(""),
                    p.path("status").path("phase").asText(""), ready));
        }
        return out;
    }

    /** {@code kubectl get volumes.longhorn.io -n longhorn-system -o json}: each volume's state, robustness and replicas. */
    public static List<Volume> volumes(String json, String replicasJson) {
        List<Volume> out = new ArrayList<>();
        JsonNode replicas = replicasJson == null ? JSON.createArrayNode() : items(replicasJson, "kubectl get replicas.longhorn.io");
        for (JsonNode v : items(json, "kubectl get volumes.longhorn.io")) {
            String name = v.path("metadata").path("name").asText();
            int healthy = 0;
            for (JsonNode r : replicas) {
                if (r.path("spec").path("volumeName").asText().equals(name) && r.path("status").path("currentState").asText().equals("running")
                        && r.path("spec").path("healthyAt").asText("").length() > 0 && r.path("spec").path("failedAt").asText("").isEmpty()) {
                    healthy++;
                }
            }
            out.add(new Volume(name, v.path("status").path("state").asText(""), v.path("status").path("robustness").asText(""),
                    v.path("spec").path("numberOfReplicas").asInt(0), healthy));
        }
        return out;
    }
}
