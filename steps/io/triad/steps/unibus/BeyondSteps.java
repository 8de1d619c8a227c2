package io.triad.steps.unibus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cucumber.java.en.Then;
import io.triad.history.History;
import io.triad.host.Host;
import io.triad.profile.unibus.Workload;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Durability against the zone's policy, and the anti-replay guard. */
public class BeyondSteps extends UnibusSupport {
    public BeyondSteps(io.triad.run.Run run) {
        super(run);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Then("every node's JetStream syncs to disk as the zone's policy asks")
    public void durability() {
        List<String> problems = onEachHost(nodes(), (h, found) -> {
            JsonNode config;
            try {
                config = JSON.readTree(monitor(h, settings, "/varz")).path("jetstream").path("config");
            } catch (java.io.IOException e) {
                found.add(h.name() + "'s /varz is not JSON");
                return;
            }
            boolean always = config.path("sync_always").asBoolean(false);
            long nanos = config.path("sync_interval").asLong(0); // /varz gives nanoseconds
            String interval = nanos <= 0 ? "" : java.time.Duration.ofNanos(nanos).toSeconds() + " s";
            zone.evidence().figure(h.name() + " JetStream sync", always ? "always (every write on disk before its acknowledgement)"
                    : "every " + (interval.isEmpty() || interval.equals("120 s") ? "2 minutes (the default)" : interval));
            if (settings.syncPolicy().equals("always") && !always) {
                found.add(h.name() + " acknowledges writes before they are on disk (sync "
                        + (interval.isEmpty() || interval.equals("120 s") ? "every 2 minutes, the default" : "every " + interval)
                        + "): a coordinated power loss loses acknowledged writes, against the zone's policy 'always'");
            }
        });
        none(problems, "JetStream's durability is below the zone's policy");
    }

    /**
     * The anti-replay guard as a promise over time and over the zone, not one retry: a nonce allowed on
     * any node is denied when replayed on every node (a guard kept by each node alone lets the replay
     * through elsewhere), at once and on each of the following {@code seconds} seconds (a guard that
     * forgets lets it through later), and the nonce bucket keeps every nonce for good (an authorization
     * request carries no time of its own, so a nonce forgotten after any while can be replayed then:
     * read from the bucket's stream on every node, beside the trying).
     */
    @Then("a nonce allowed on any node is denied when replayed on every node, at once and for {int} seconds after, and the nonce bucket forgets none")
    public void replay(int seconds) {
        List<String> problems = new ArrayList<>();
        List<Host> nodes = nodes();
        // the bucket's stream as each node that holds a replica of it has it (before the runbook's scale-up to R3 one node
        // holds it; that it is replicated is the R3 items' to judge)
        java.util.Map<String, JsonNode> configs = new java.util.concurrent.ConcurrentHashMap<>();
        problems.addAll(onEachHost(nodes, (h, found) -> {
            JsonNode config = nonceStreamConfig(h);
            if (config != null) {
                configs.put(h.name(), config);
            }
        }));
        if (configs.isEmpty()) {
            problems.add("no node holds KV_UNIBUS_nonces (no /jsz lists it): the guard has no store");
        }
        new java.util.TreeMap<>(configs).forEach((node, config) -> {
            long maxAge = config.path("max_age").asLong(0); // nanoseconds; 0: kept for good
            zone.evidence().figure(node + " KV_UNIBUS_nonces max age", maxAge == 0 ? "none (kept for good)" : maxAge / 1_000_000 + " ms");
            if (maxAge > 0) {
                problems.add(node + "'s KV_UNIBUS_nonces keeps a nonce for " + (maxAge % 1_000_000_000L == 0 ? maxAge / 1_000_000_000L + " s"
                        : maxAge / 1_000_000 + " ms") + " only (max_age): an authorization request carries no time of its own, so replayed"
                        + " after that it is allowed");
            }
        });
        try (Workload client = Workload.client(zone)) {
            String user = client.grant();
            java.util.Map<String, String> firstOn = new java.util.LinkedHashMap<>(); // nonce -> the node that allowed it first
            java.util.Map<String, java.time.Instant> allowedAt = new java.util.HashMap<>();
            for (Host h : nodes) {
                String nonce = UUID.randomUUID().toString();
                History.Op first = client.authorizeOn(h, user, nonce);
                if (!first.ok()) {
                    problems.add(h.name() + " denied a fresh nonce (" + first.detail() + "), so no replay of it proves anything");
                    continue;
                }
                firstOn.put(nonce, h.name());
                allowedAt.put(nonce, first.complete());
            }
            // every nonce replayed on every node at once, then on one node after another, round after round, for the window
            java.util.Set<String> reported = new java.util.HashSet<>();
            java.util.function.BiConsumer<String, Host> replay = (nonce, on) -> {
                History.Op again = client.authorizeOn(on, user, nonce);
                if (again.ok() && reported.add(nonce + "@" + on.name())) {
                    long after = java.time.Duration.between(allowedAt.get(nonce), again.invoke()).toMillis();
                    problems.add("a nonce " + firstOn.get(nonce) + " allowed was allowed again on " + on.name() + " " + after
                            + " ms later: a replayed request is accepted");
                }
            };
            for (String nonce : firstOn.keySet()) {
                for (Host on : nodes) {
                    replay.accept(nonce, on);
                }
            }
            // the promise over its window: every replay denied throughout (Awaitility's during: the condition held the whole time)
            int[] rounds = {0};
            try {
                org.awaitility.Awaitility.await("every replay of the allowed nonces denied for " + seconds + " s")
                        .pollDelay(java.time.Duration.ZERO).pollInterval(java.time.Duration.ofMillis(250))
                        .during(java.time.Duration.ofSeconds(seconds)).atMost(java.time.Duration.ofSeconds(seconds + 3L))
                        .until(() -> {
                            rounds[0]++;
                            for (String nonce : firstOn.keySet()) {
                                replay.accept(nonce, nodes.get(rounds[0] % nodes.size()));
                            }
                            return reported.isEmpty();
                        });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                check(!reported.isEmpty(), "the replays did not finish within " + (seconds + 3) + " s: " + e.getMessage());
            }
            zone.evidence().note("nonces replayed", firstOn.size() + " nonce(s), each allowed once on its node, replayed on every node at once"
                    + " and then in " + rounds[0] + " round(s) over " + seconds + " s: " + (reported.isEmpty() ? "every replay denied"
                    : reported.size() + " replay(s) allowed") + "\n" + client.history().ops().stream()
                    .map(o -> o.invoke() + " " + describe(o)).collect(java.util.stream.Collectors.joining("\n")));
        }
        none(problems, "the anti-replay guard");
    }

    /** The configuration of the nonce bucket's stream as {@code h}'s JetStream holds it, from its /jsz; null when it holds none. */
    private JsonNode nonceStreamConfig(Host h) {
        JsonNode jsz;
        try {
            jsz = JSON.readTree(monitor(h, settings, "/jsz?streams=true&config=true"));
        } catch (java.io.IOException e) {
            throw new AssertionError(h.name() + "'s /jsz is not JSON");
        }
        for (JsonNode account : jsz.path("account_details")) {
            for (JsonNode stream : account.path("stream_detail")) {
                if (stream.path("name").asText().equals("KV_UNIBUS_nonces")) {
                    return stream.path("config");
                }
            }
        }
        return null;
    }

    private static String describe(History.Op op) {
        return (op.ok() ? "allowed" : "denied") + " by " + op.node() + " (HTTP " + op.status() + ") " + op.detail();
    }
}
