package io.triad.steps.plasmacloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cucumber.java.en.Then;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.host.Shell;
import io.triad.profile.plasmacloud.Settings;
import io.triad.steps.common.Support;
import io.triad.zone.Nemesis;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The runbook's 6.6, performance smoke tests, measured on the node that runs them (SSH's own time
 * is not in the figure) and judged against the environment's bounds (the runbook's 10 s for 1000
 * writes, 100 ms for a FlareDB query). Both write to the stores (test keys, a test metric), as the
 * runbook's commands do: on a live zone they run only when drills.allowed lists test-writes.
 */
public class PerformanceSteps extends PlasmaSupport {
    public PerformanceSteps(io.triad.run.Run run) {
        super(run);
    }

    /** The node a service's members list names leader, asked of the first node. */
    private Host leader(int port) {
        Host first = zone.hosts().get(0);
        CommandResult r = first.exec(first.asRoot("curl -sS --max-time 3 --cacert " + q(settings.caFile()) + " "
                + q("https://" + hostname(first) + ":" + port + "/admin/cluster/leader")));
        String name;
        try {
            name = JSON.readTree(r.stdout()).path("leader").asText("");
        } catch (IOException e) {
            throw new AssertionError(first.name() + " did not name a leader: " + (r.stdout() + r.stderr()).strip());
        }
        return zone.hosts().stream().filter(h -> h.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(first.name() + " names no leader of the inventory: '" + name + "'"));
    }

    /**
     * {@code count} PUTs one after the other on the Chainfire leader, from the leader itself, by one
     * curl process that keeps its connection (curl -K with one entry per write). The runbook's loop
     * starts a curl and a TLS handshake per write: that measures curl's start-up as much as the
     * store. Every write must be acknowledged (HTTP 200) and the last one read back on a follower.
     */
    @Then("{int} writes one after the other on the Chainfire leader, over one client connection, are acknowledged within the environment's bound")
    public void writes(int count) {
        new Nemesis(zone).requireAllowed("test-writes");
        Host leader = leader(settings.chainfirePort());
        String prefix = "triad-perf-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String base = "https://" + hostname(leader) + ":" + settings.chainfirePort() + "/v1/kv/" + prefix;
        String script = """
                cfg=$(mktemp); codes=$(mktemp); trap 'rm -f "$cfg" "$codes"' EXIT
                seq 1 %1$d | awk -v base=%2$s -v ca=%3$s '{
                  printf "url = \\"%%s-%%d\\"\\nrequest = \\"PUT\\"\\nheader = \\"Content-Type: application/json\\"\\n", base, $1
                  printf "data = \\"{\\\\\\"value\\\\\\":\\\\\\"test data %%d\\\\\\"}\\"\\ncacert = \\"%%s\\"\\noutput = \\"/dev/null\\"\\n", $1, ca
                  printf "write-out = \\"%%%%{http_code}\\\\n\\"\\nmax-time = 5\\n"
                  if ($1 < %1$d) print "next" }' > "$cfg"
                start=$(date +%%s%%N)
                curl -sS -K "$cfg" > "$codes" 2>/dev/null
                end=$(date +%%s%%N)
                echo "ms $(( (end - start) / 1000000 ))"
                sort "$codes" | uniq -c | sed 's/^ */code /'
                """.formatted(count, Shell.quote(base), Shell.quote(settings.caFile()));
        CommandResult r = leader.exec(leader.asRoot("bash -c " + Shell.quote(script)), Duration.ofSeconds(180));
        long ms = -1;
        Map<String, Integer> codes = new TreeMap<>();
        for (String line : r.stdout().lines().toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 2 && f[0].equals("ms")) {
                ms = Long.parseLong(f[1]);
            } else if (f.length == 3 && f[0].equals("code")) {
                codes.put(f[2], Integer.parseInt(f[1]));
            }
        }
        check(ms >= 0, leader.name() + ": the write test did not run: " + (r.stdout() + r.stderr()).strip());
        int ok = codes.getOrDefault("200", 0);
        zone.evidence().figure(count + " sequential writes on the Chainfire leader", ms + " ms on " + leader.name() + " (" + String.format(Locale.ROOT,
                "%.1f", ms / (double) count) + " ms each; answers " + codes + "; bound " + settings.writesWithin().toMillis() + " ms)");
        check(ok == count, count + " writes on " + leader.name() + ": " + ok + " acknowledged, answers " + codes);
        check(ms < settings.writesWithin().toMillis(), count + " sequential writes on the Chainfire leader " + leader.name() + " took " + ms
                + " ms, not under the bound of " + settings.writesWithin().toMillis() + " ms");
        // the last write, read back where it was not written: the figure is of writes that replicated
        Host follower = zone.hosts().stream().filter(h -> h != leader).findFirst().orElseThrow();
        CommandResult back = follower.exec(follower.asRoot("curl -sS --max-time 3 --cacert " + q(settings.caFile()) + " "
                + q("https://" + hostname(follower) + ":" + settings.chainfirePort() + "/v1/kv/" + prefix + "-" + count)));
        check(back.stdout().contains("\"test data " + count + "\""), follower.name() + " does not read the last write back: "
                + (back.stdout() + back.stderr()).strip());
    }

    /**
     * A sample of a fresh metric written on the FlareDB leader, then the runbook's query for it
     * timed five times as the runbook times it (curl's whole request, its TLS handshake included):
     * each answer must hold the sample, and the median be under the bound.
     */
    @Then("a FlareDB query for a metric just written answers with its sample, the median of 5 within the environment's bound")
    public void query() {
        new Nemesis(zone).requireAllowed("test-writes");
        Host leader = leader(settings.flaredbPort());
        String metric = "triad_smoke_" + java.util.UUID.randomUUID().toString().substring(0, 8).replace('-', '_');
        String url = "https://" + hostname(leader) + ":" + settings.flaredbPort();
        String curl = "curl -sS --max-time 3 --cacert " + q(settings.caFile()) + " -H 'Content-Type: application/json' ";
        CommandResult w = leader.exec(leader.asRoot(curl + "-X POST -d " + q("{\"metric\":\"" + metric + "\",\"value\":42}") + " "
                + q(url + "/v1/write")));
        check(w.stdout().contains("success"), leader.name() + ": the test metric was not written: " + (w.stdout() + w.stderr()).strip());
        String body = q("{\"query\":\"" + metric + "\",\"start\":\"1h\",\"end\":\"now\"}");
        StringBuilder script = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            script.append(curl).append("-X POST -d ").append(body).append(" -w '\\ntime %{time_total}\\n' ").append(q(url + "/v1/query"))
                    .append("; ");
        }
        CommandResult r = leader.exec(leader.asRoot("bash -c " + Shell.quote(script.toString())));
        List<Double> times = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String answer = null;
        for (String line : r.stdout().lines().toList()) {
            if (line.startsWith("time ")) {
                times.add(Double.parseDouble(line.substring(5).strip()) * 1000);
                if (answer == null || !holds(answer, metric)) {
                    problems.add("an answer lacked the sample of " + metric + ": " + (answer == null ? "none" : answer));
                }
                answer = null;
            } else if (!line.isBlank()) {
                answer = line;
            }
        }
        check(times.size() == 5, leader.name() + ": the query did not answer 5 times: " + (r.stdout() + r.stderr()).strip());
        List<Double> sorted = times.stream().sorted().toList();
        double median = sorted.get(2);
        zone.evidence().figure("FlareDB query (median of 5)", String.format(Locale.ROOT, "%.1f ms on %s (each: %s; bound %d ms)", median,
                leader.name(), times.stream().map(t -> String.format(Locale.ROOT, "%.1f", t)).toList(), settings.queryWithin().toMillis()));
        none(problems, "FlareDB query");
        check(median < settings.queryWithin().toMillis(), String.format(Locale.ROOT, "a FlareDB query on %s took %.1f ms (median of 5), not under"
                + " the bound of %d ms", leader.name(), median, settings.queryWithin().toMillis()));
    }

    private static boolean holds(String answer, String metric) {
        try {
            for (JsonNode series : JSON.readTree(answer).path("data").path("result")) {
                if (series.path("metric").path("__name__").asText().equals(metric)) {
                    for (JsonNode v : series.path("values")) {
                        if (v.path(1).asText().equals("42")) {
                            return true;
                        }
                    }
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
