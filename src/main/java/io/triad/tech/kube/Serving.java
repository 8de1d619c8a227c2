package io.triad.tech.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which pods serve, as the API holds it: a Service's endpoints (its EndpointSlices, kept by the
 * control plane's endpoint-slice controller from the pods its selector matches and their
 * readiness), the pods ready over a rollout (a watch's events, every change in order: no sampling
 * gap), and the floor a disruption budget sets. Read from {@code kubectl ... -o json}.
 */
public final class Serving {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Serving() { }

    /** One endpoint of a Service: the pod it leads to (empty: not a pod) and whether it is ready to take traffic. */
    public record Endpoint(String pod, String address, boolean ready) {
        @Override
        public String toString() {
            return (pod.isEmpty() ? address : pod) + (ready ? "" : " (not ready)");
        }
    }

    /** {@code kubectl get endpointslices -l kubernetes.io/service-name=NAME -o json}: every endpoint of every slice. */
    public static List<Endpoint> endpoints(String json) {
        List<Endpoint> out = new ArrayList<>();
        for (JsonNode slice : Kube.items(json, "kubectl get endpointslices")) {
            for (JsonNode e : slice.path("endpoints")) {
                JsonNode ref = e.path("targetRef");
                String pod = ref.path("kind").asText().equals("Pod") ? ref.path("name").asText() : "";
                String address = e.path("addresses").path(0).asText("");
                // "ready" absent means ready (the API's own rule for EndpointConditions)
                out.add(new Endpoint(pod, address, e.path("conditions").path("ready").asBoolean(true)));
            }
        }
        return out;
    }

    /** The names of the ready pods among a Service's endpoints. */
    public static List<String> readyPods(List<Endpoint> endpoints) {
        return endpoints.stream().filter(Endpoint::ready).map(Endpoint::pod).filter(p -> !p.isEmpty()).sorted().distinct().toList();
    }

    /**
     * The pods ready over a watch ({@code kubectl get pods --watch --output-watch-events -o json}): how
     * many were ready in the list the watch began with (its first {@code initial} events), the least
     * ready after any later event, at which event and with which pods, and how many events came.
     */
    public record Watched(int initiallyReady, int least, int events, String atLeast) {
        @Override
        public String toString() {
            return initiallyReady + " ready at the start, at least " + least + " ready through " + events + " changes"
                    + (atLeast.isEmpty() ? "" : " (fewest " + atLeast + ")");
        }
    }

    /**
     * Reads a watch's events in order; a pod counts as ready while its Ready condition is True and it
     * is not being deleted (a terminating pod is taken out of its Services' ready endpoints). A last
     * event cut short (the watch stopped while it wrote) is left out.
     */
    public static Watched watched(String events, int initial) {
        Map<String, Boolean> ready = new LinkedHashMap<>();
        int n = 0;
        int initiallyReady = -1;
        int least = Integer.MAX_VALUE;
        String atLeast = "";
        try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(events)) {
            while (true) {
                JsonNode e;
                try {
                    if (!it.hasNextValue()) {
                        break;
                    }
                    e = it.nextValue();
                } catch (IOException | RuntimeException cut) {
                    break; // the watch was stopped while it wrote its last event
                }
                String type = e.path("type").asText();
                JsonNode pod = e.path("object");
                if (!pod.path("kind").asText().equals("Pod")) {
                    throw new IllegalArgumentException("kubectl get pods --watch: an event of a '" + pod.path("kind").asText() + "', not of a Pod");
                }
                String name = pod.path("metadata").path("name").asText();
                boolean isReady = !type.equals("DELETED") && !pod.path("metadata").has("deletionTimestamp") && Kube.ready(pod);
                ready.put(name, isReady);
                n++;
                if (n == initial) {
                    initiallyReady = count(ready);
                } else if (n > initial) {
                    int now = count(ready);
                    if (now < least) {
                        least = now;
                        atLeast = "after event " + (n - initial) + ", " + type + " " + name + ": "
                                + ready.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("kubectl get pods --watch: not JSON events: " + e.getMessage());
        }
        if (n < initial) {
            throw new IllegalArgumentException("kubectl get pods --watch: " + n + " events, fewer than the " + initial + " pods it began with");
        }
        return new Watched(initiallyReady, least == Integer.MAX_VALUE ? initiallyReady : least, n - initial, atLeast);
    }

    private static int count(Map<String, Boolean> ready) {
        return (int) ready.values().stream().filter(b -> b).count();
    }

    /** How many of a workload's pods must stay ready, and what says so. */
    public record Floor(int pods, String from) { }

    /**
     * The floor the disruption budgets set for pods with {@code labels} ({@code kubectl get pdb -o json}):
     * the highest of those whose selector matches them (minAvailable, a percentage of {@code replicas}
     * rounded up; or replicas less maxUnavailable, rounded down); none: 1 (a standard deployment never
     * takes the whole service down).
     */
    public static Floor floor(String pdbJson, Map<String, String> labels, int replicas) {
        Floor best = new Floor(1, "no disruption budget selects the pods: at least one ready");
        for (JsonNode b : Kube.items(pdbJson, "kubectl get pdb")) {
            JsonNode sel = b.path("spec").path("selector");
            if (!sel.path("matchExpressions").isEmpty()) {
                continue; // expressions: not a selector this reads; such a budget sets no floor here
            }
            boolean matches = sel.path("matchLabels").size() > 0;
            for (var f : iterable(sel.path("matchLabels").fields())) {
                matches &= f.getValue().asText().equals(labels.get(f.getKey()));
            }
            if (!matches) {
                continue;
            }
            JsonNode spec = b.path("spec");
            int pods;
            String from;
            if (spec.has("minAvailable")) {
                pods = resolve(spec.path("minAvailable"), replicas, true);
                from = "minAvailable " + spec.path("minAvailable").asText();
            } else if (spec.has("maxUnavailable")) {
                pods = replicas - resolve(spec.path("maxUnavailable"), replicas, false);
                from = "maxUnavailable " + spec.path("maxUnavailable").asText() + " of " + replicas;
            } else {
                continue;
            }
            if (pods > best.pods() || best.from().startsWith("no ")) {
                best = new Floor(pods, "the disruption budget " + b.path("metadata").path("name").asText() + "'s " + from);
            }
        }
        return best;
    }

    private static int resolve(JsonNode v, int replicas, boolean roundUp) {
        String t = v.asText();
        if (t.endsWith("%")) {
            double share = Integer.parseInt(t.substring(0, t.length() - 1)) * replicas / 100.0;
            return (int) (roundUp ? Math.ceil(share) : Math.floor(share));
        }
        return v.asInt();
    }

    private static <T> Iterable<T> iterable(java.util.Iterator<T> it) {
        return () -> it;
    }
}
