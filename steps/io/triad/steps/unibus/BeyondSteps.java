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

    @Then("a fresh nonce is allowed and the same nonce replayed is denied, on every node")
    public void replay() {
        List<String> problems = new ArrayList<>();
        try (Workload client = Workload.client(zone)) {
            String user = client.grant();
            for (Host h : nodes()) {
                String nonce = UUID.randomUUID().toString();
                History.Op first = client.authorizeOn(h, user, nonce);
                History.Op again = client.authorizeOn(h, user, nonce);
                zone.evidence().note("nonce replayed on " + h.name(), "first: " + describe(first) + "\nreplay: " + describe(again));
                if (!first.ok()) {
                    problems.add(h.name() + " denied a fresh nonce (" + first.detail() + "), so the replay proves nothing");
                } else if (again.ok()) {
                    problems.add(h.name() + " allowed the same nonce twice: a replayed request is accepted");
                }
            }
        }
        none(problems, "the anti-replay guard");
    }

    private static String describe(History.Op op) {
        return (op.ok() ? "allowed" : "denied") + " by " + op.node() + " (HTTP " + op.status() + ") " + op.detail();
    }
}
