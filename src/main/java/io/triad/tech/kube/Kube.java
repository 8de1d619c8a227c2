package io.triad.tech.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Kubernetes objects runbooks read on a live zone, from {@code kubectl get ... -o json}: nodes,
 * their Ready condition and control-plane role; pods, the nodes they run on, their containers'
 * readiness, restarts and the reason a container waits (a pod in CrashLoopBackOff is in phase
 * Running: its phase alone says nothing); persistent volumes and claims and their phase; Longhorn's
 * volumes and their health. Read from the objects' status, as {@code kubectl get} shows it.
 */
public final class Kube {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Kube() { }

    public record Node(String name, boolean ready, String readyReason, boolean controlPlane) { }

    /** A pod; {@code waiting} is the first reason a container waits or last terminated with (CrashLoopBackOff, ImagePullBackOff, Error), or empty. */
    public record Pod(String namespace, String name, String node, String phase, boolean ready, int restarts, String waiting) {

        /** Running with every container ready, or Succeeded (a finished job's pod, "Completed" in kubectl's table). */
        public boolean healthy() {
            return phase.equals("Succeeded") || (phase.equals("Running") && ready && waiting.isEmpty());
        }

        @Override
        public String toString() {
            return namespace + "/" + name + " " + phase + (ready ? " ready" : " not ready") + (waiting.isEmpty() ? "" : " (" + waiting + ")")
                    + (restarts > 0 ? ", " + restarts + " restarts" : "") + (node.isEmpty() ? "" : " on " + node);
        }
    }

    /** A PersistentVolume (no namespace) or PersistentVolumeClaim and its phase (Bound, Available, Released, Pending, Lost, Failed). */
    public record Claim(String kind, String namespace, String name, String phase) {

        @Override
        public String toString() {
            return kind + " " + (namespace.isEmpty() ? "" : namespace + "/") + name + " " + (phase.isEmpty() ? "(no phase)" : phase);
        }
    }

    public record Volume(String name, String state, String robustness, int replicas, int healthyReplicas) { }

    /** The items of a kubectl list ({@code kubectl get KIND -o json}); {@code what} names it in the failure when the text is none. */
    public static JsonNode items(String json, String what) {
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
            JsonNode labels = n.path("metadata").path("labels");
            boolean controlPlane = labels.has("node-role.kubernetes.io/control-plane") || labels.has("node-role.kubernetes.io/master");
            out.add(new Node(n.path("metadata").path("name").asText(), ready != null && ready.path("status").asText().equals("True"),
                    ready == null ? "no Ready condition" : ready.path("reason").asText(""), controlPlane));
        }
        return out;
    }

    /**
     * A pod's scheduling as the API server holds it: the node it is bound to (empty: none), and
     * whether the scheduler judged it unschedulable, with its message ("0/3 nodes are available:
     * 3 node(s) didn't match pod anti-affinity rules...").
     */
    public record Scheduling(String node, boolean unschedulable, String message) {
        @Override
        public String toString() {
            return node.isEmpty() ? (unschedulable ? "unschedulable: " + message : "not yet judged") : "bound to " + node;
        }
    }

    /** A pod where it runs: its node, its controller's kind (DaemonSet, ReplicaSet, Job; empty: none), its containers' images, ready. */
    public record Placed(String namespace, String name, String node, String owner, List<String> images, String phase, boolean ready,
                         boolean deleting) {
        @Override
        public String toString() {
            return namespace + "/" + name + " on " + (node.isEmpty() ? "no node" : node) + " (" + phase + (ready ? ", ready" : "")
                    + (deleting ? ", terminating" : "") + (owner.isEmpty() ? "" : ", of a " + owner) + ")";
        }
    }

    /** {@code kubectl get pods -o json}: each pod as {@link Placed}. */
    public static List<Placed> placed(String json) {
        List<Placed> out = new ArrayList<>();
        for (JsonNode p : items(json, "kubectl get pods")) {
            String owner = "";
            for (JsonNode o : p.path("metadata").path("ownerReferences")) {
                if (o.path("controller").asBoolean(false)) {
                    owner = o.path("kind").asText();
                }
            }
            List<String> images = new ArrayList<>();
            p.path("spec").path("containers").forEach(c -> images.add(c.path("image").asText()));
            out.add(new Placed(p.path("metadata").path("namespace").asText(), p.path("metadata").path("name").asText(),
                    p.path("spec").path("nodeName").asText(""), owner, images, p.path("status").path("phase").asText(""), ready(p),
                    p.path("metadata").has("deletionTimestamp")));
        }
        return out;
    }

    /** {@code kubectl get node NAME -o json}: whether the node is cordoned (spec.unschedulable). */
    public static boolean cordoned(String json) {
        return object(json, "Node").path("spec").path("unschedulable").asBoolean(false);
    }

    /**
     * A Deployment's rollout as the API holds it: its revision (the annotation the controller
     * keeps), its template's images, and whether the rollout is complete (observed generation
     * current, every replica updated, available, and no old one left).
     */
    public record Rollout(String revision, List<String> images, int replicas, int updated, int available, int total, boolean observed) {
        public boolean complete() {
            return observed && updated == replicas && available == replicas && total == replicas;
        }

        @Override
        public String toString() {
            return "revision " + revision + ", images " + images + ", " + updated + " updated, " + available + " available, " + total
                    + " in all of " + replicas + (observed ? "" : ", not yet observed");
        }
    }

    /** {@code kubectl get deployment NAME -o json}: its {@link Rollout}. */
    public static Rollout rollout(String json) {
        JsonNode d = object(json, "Deployment");
        List<String> images = new ArrayList<>();
        d.path("spec").path("template").path("spec").path("containers").forEach(c -> images.add(c.path("image").asText()));
        JsonNode st = d.path("status");
        return new Rollout(d.path("metadata").path("annotations").path("deployment.kubernetes.io/revision").asText(""), images,
                d.path("spec").path("replicas").asInt(1), st.path("updatedReplicas").asInt(0), st.path("availableReplicas").asInt(0),
                st.path("replicas").asInt(0), st.path("observedGeneration").asLong(-1) >= d.path("metadata").path("generation").asLong(0));
    }

    /** {@code kubectl get <kind> NAME -o json}: the object, refused when it is not JSON or not of that kind. */
    private static JsonNode object(String json, String kind) {
        String what = "kubectl get " + kind.toLowerCase(java.util.Locale.ROOT);
        JsonNode o;
        try {
            o = JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(what + ": not JSON: " + e.getMessage());
        }
        if (!o.path("kind").asText().equals(kind)) {
            throw new IllegalArgumentException(what + ": not a " + kind + " but '" + o.path("kind").asText() + "'");
        }
        return o;
    }

    /** Whether a pod's Ready condition is True. */
    static boolean ready(JsonNode pod) {
        boolean ready = false;
        for (JsonNode c : pod.path("status").path("conditions")) {
            if (c.path("type").asText().equals("Ready")) {
                ready = c.path("status").asText().equals("True");
            }
        }
        return ready;
    }

    /** {@code kubectl get pod NAME -o json}: its scheduling ({@link Scheduling}). */
    public static Scheduling scheduling(String json) {
        JsonNode p = object(json, "Pod");
        String node = p.path("spec").path("nodeName").asText("");
        for (JsonNode c : p.path("status").path("conditions")) {
            if (c.path("type").asText().equals("PodScheduled") && c.path("status").asText().equals("False")) {
                return new Scheduling(node, c.path("reason").asText().equals("Unschedulable"), c.path("message").asText(""));
            }
        }
        return new Scheduling(node, false, "");
    }

    /** {@code kubectl get pods -o json}: each pod, the node it is scheduled on, its phase, and whether every container is ready. */
    public static List<Pod> pods(String json) {
        List<Pod> out = new ArrayList<>();
        for (JsonNode p : items(json, "kubectl get pods")) {
            boolean ready = ready(p);
            int restarts = 0;
            String waiting = "";
            for (JsonNode c : p.path("status").path("containerStatuses")) {
                restarts += c.path("restartCount").asInt(0);
                String reason = c.path("state").path("waiting").path("reason").asText("");
                if (reason.isEmpty() && c.path("state").has("terminated") && !c.path("state").path("terminated").path("reason").asText("").equals("Completed")) {
                    reason = c.path("state").path("terminated").path("reason").asText("terminated");
                }
                if (waiting.isEmpty() && !reason.isEmpty()) {
                    waiting = c.path("name").asText() + ": " + reason;
                }
            }
            out.add(new Pod(p.path("metadata").path("namespace").asText(""), p.path("metadata").path("name").asText(),
                    p.path("spec").path("nodeName").asText(""), p.path("status").path("phase").asText(""), ready, restarts, waiting));
        }
        return out;
    }

    /** {@code kubectl get pv,pvc --all-namespaces -o json}: each volume and claim, its kind and phase. */
    public static List<Claim> claims(String json) {
        List<Claim> out = new ArrayList<>();
        for (JsonNode c : items(json, "kubectl get pv,pvc")) {
            out.add(new Claim(c.path("kind").asText(""), c.path("metadata").path("namespace").asText(""), c.path("metadata").path("name").asText(),
                    c.path("status").path("phase").asText("")));
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
