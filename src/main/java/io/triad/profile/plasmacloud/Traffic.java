package io.triad.profile.plasmacloud;

import io.triad.history.History;
import io.triad.history.History.Outcome;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.host.Shell;
import io.triad.zone.Recording;
import io.triad.zone.Zone;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The PlasmaCloud drills' recorded history. A client on one node (inside the cluster subnet, as
 * the control plane's clients are) writes Chainfire keys round-robin through every node's API,
 * each key once ({@code write}: OK on HTTP 200, FAIL when no connection could be made, UNKNOWN
 * when the request went out and no answer came or the store answered an error: it may have been
 * committed), and after every write reads the newest acknowledged key through the next node
 * ({@code read}: OK when it has the value written, FAIL when it answers an older value or none: a
 * stale read, UNKNOWN when refused or unanswered). Every node is sampled on itself: its Chainfire
 * health ({@code health}, the status answered), a linearizable read of a probe key
 * ({@code localread}: OK when served) and whether it leads Chainfire (the exclusive resource
 * {@code chainfire-leader}).
 */
public final class Traffic implements Recording, AutoCloseable {

    private final Zone zone;
    private final Settings settings;
    private final History history = new History();
    private final String run = "triad-drill-" + UUID.randomUUID().toString().substring(0, 6);
    private final Instant started = Instant.now();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, Instant> invoked = new ConcurrentHashMap<>();
    private final Host clientHost;
    private Host.Stream client;

    private Traffic(Zone zone, Host clientHost) {
        this.zone = zone;
        this.settings = zone.env().settings(Settings.class);
        this.clientHost = clientHost;
    }

    /** The client on {@code clientHost} and the samplers started; the zone records this history. */
    public static Traffic start(Zone zone, Host clientHost) {
        Traffic t = new Traffic(zone, clientHost);
        zone.record(t);
        zone.faults().recordInto(t.history);
        for (Host h : zone.hosts()) {
            t.threads.add(io.triad.zone.Paced.start("plasma-health-" + h.name(), 300, t.running, () -> t.sampleHealth(h)));
            t.threads.add(io.triad.zone.Paced.start("plasma-read-" + h.name(), 300, t.running, () -> t.sampleRead(h)));
        }
        List<String> urls = zone.hosts().stream().map(h -> "https://" + zone.env().host(h.name()).hostname() + ":" + t.settings.chainfirePort())
                .toList();
        t.client = clientHost.stream(clientHost.asRoot("bash -c " + Shell.quote(CLIENT) + " traffic " + Shell.quote(t.settings.caFile())
                + " " + t.run + " " + String.join(" ", urls)), t::line);
        return t;
    }

    /**
     * The client, run by bash as root on its node ($1 the zone CA, $2 the run's key prefix, then
     * the nodes' API URLs): one loop per node, each writing through its node and reading its last
     * acknowledged key back through the next, so that a dead node holds up only its own loop (a
     * single loop through every node in turn waited up to its 2 s timeout on the dead node, and a
     * failover figure could not be finer than that). Lines: "B kind id url" before a request is
     * sent; "W id url rc code body" and "R id url rc expected code body" after it (rc is curl's exit
     * status, code the HTTP status), each stamped by the client ({@link io.triad.history.Stamped}). It ends when its input does; its pace is its own, not a wait
     * for any state: each loop rests 150 ms between rounds, so the three together send about as
     * many requests as the single loop did at 50 ms (a TLS handshake each: the CPU of a CI machine).
     */
    static final String CLIENT = """
            ca="$1"; run="$2"; shift 2; urls=("$@"); n=${#urls[@]}
            pids=()
            for j in $(seq 0 $((n - 1))); do
            ( i=0; last=""; lastv=""; u="${urls[$j]}"; r="${urls[$(( (j + 1) % n ))]}"
              while :; do
                i=$((i + 1)); key="$run-$j-$i"
                echo "@$EPOCHREALTIME B write $key $u"
                out=$(curl -sS --max-time 2 --cacert "$ca" -X PUT -H 'Content-Type: application/json' \\
                  -d "{\\"value\\":\\"$i\\"}" -w '\\n%{http_code}' "$u/v1/kv/$key" 2>/dev/null); rc=$?
                code=${out##*$'\\n'}; body=${out%$'\\n'*}
                echo "@$EPOCHREALTIME W $key $u $rc ${code:-000} ${body//$'\\n'/ }"
                [ "$rc" = 0 ] && [ "$code" = 200 ] && { last=$key; lastv=$i; }
                if [ -n "$last" ]; then
                  echo "@$EPOCHREALTIME B read $last $r"
                  out=$(curl -sS --max-time 2 --cacert "$ca" -w '\\n%{http_code}' "$r/v1/kv/$last" 2>/dev/null); rc=$?
                  code=${out##*$'\\n'}; body=${out%$'\\n'*}
                  echo "@$EPOCHREALTIME R $last $r $rc $lastv ${code:-000} ${body//$'\\n'/ }"
                fi
                sleep 0.15
              done ) & pids+=($!)
            done
            cat >/dev/null; kill "${pids[@]}" 2>/dev/null; wait
            """;

    private String node(String url) {
        for (Host h : zone.hosts()) {
            if (url.contains("://" + zone.env().host(h.name()).hostname() + ":")) {
                return h.name();
            }
        }
        return url;
    }

    /** One line of the client's output, timed by the client (its arrival's time where the client gave none). */
    private void line(String line) {
        parse(line, Instant.now(), invoked, this::node).ifPresent(history::add);
    }

    /**
     * One line of the client's output as an operation of the history, or nothing ("B" lines note
     * when a request was sent in {@code invoked}; a line cut short is dropped). A write is OK on
     * HTTP 200, FAIL when curl could not connect or resolve (exit 7, 6: never sent), UNKNOWN
     * otherwise (a timeout or an error from the store: it may have been committed). A read is OK
     * when it answers the value written, FAIL when it answers another or none (stale), UNKNOWN when
     * refused or unanswered.
     */
    static java.util.Optional<History.Op> parse(String line, Instant now, Map<String, Instant> invoked,
                                                java.util.function.Function<String, String> node) {
        io.triad.history.Stamped stamped = io.triad.history.Stamped.of(line, now);
        now = stamped.at();
        String[] f = stamped.text().split(" ", 7);
        try {
            switch (f[0]) {
                case "B" -> invoked.put(f[1] + " " + f[2], now);
                case "W" -> {
                    String id = f[1];
                    int rc = Integer.parseInt(f[3]);
                    int code = Integer.parseInt(f[4]);
                    String body = f.length > 5 ? String.join(" ", java.util.Arrays.copyOfRange(f, 5, f.length)) : "";
                    Outcome outcome = rc == 0 && code == 200 ? Outcome.OK : rc == 7 || rc == 6 ? Outcome.FAIL : Outcome.UNKNOWN;
                    return java.util.Optional.of(new History.Op("write", id, invoked.getOrDefault("write " + id, now), now, outcome, code,
                            node.apply(f[2]), outcome == Outcome.OK ? "" : "curl " + rc + ", HTTP " + code + " " + body.strip()));
                }
                case "R" -> {
                    String id = f[1];
                    int rc = Integer.parseInt(f[3]);
                    String expected = f[4];
                    int code = Integer.parseInt(f[5]);
                    String body = f.length > 6 ? f[6] : "";
                    Outcome outcome;
                    String detail = "";
                    if (rc == 0 && code == 200) {
                        String value = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("value").asText();
                        outcome = value.equals(expected) ? Outcome.OK : Outcome.FAIL;
                        detail = outcome == Outcome.OK ? "" : "answered value '" + value + "' after write " + expected + " was acknowledged";
                    } else if (rc == 0 && code == 404) {
                        outcome = Outcome.FAIL;
                        detail = "answered not found after the write was acknowledged";
                    } else {
                        outcome = Outcome.UNKNOWN;
                        detail = "curl " + rc + ", HTTP " + code + " " + body.strip();
                    }
                    return java.util.Optional.of(new History.Op("read", id, invoked.getOrDefault("read " + id, now), now, outcome, code,
                            node.apply(f[2]), detail));
                }
                default -> { }
            }
        } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
            // a line cut short (the stream closing): nothing to record
        }
        return java.util.Optional.empty();
    }

    /** What a node says of its health: the status answered and whether it leads (one request, on the node itself). */
    private void sampleHealth(Host h) {
        String base = "https://" + zone.env().host(h.name()).hostname() + ":" + settings.chainfirePort();
        // the API answers 503 once its store gives up (1.5 s for health): curl waits longer than that
        Instant start = Instant.now();
        CommandResult r = h.execUnrecorded(h.asRoot("curl -s --max-time 4 --cacert " + Shell.quote(settings.caFile()) + " -w '\\n%{http_code}' "
                + Shell.quote(base + "/health")), Duration.ofSeconds(10));
        Instant end = Instant.now();
        String out = r.stdout().strip();
        int nl = out.lastIndexOf('\n');
        int health = parse(nl < 0 ? out : out.substring(nl + 1));
        boolean leads = health == 200 && out.contains("\"raft\":\"leader\"");
        history.add(new History.Op("health", "h-" + h.name() + "-" + start.toEpochMilli(), start, end,
                health == 200 ? Outcome.OK : health > 0 ? Outcome.FAIL : Outcome.UNKNOWN, health, h.name(), ""));
        Map<String, String> states = new LinkedHashMap<>();
        states.put("serving", String.valueOf(r.ok() && health > 0));
        states.put("chainfire-leader", String.valueOf(leads));
        history.add(new History.Sample(h.name(), start, end, states));
    }

    /**
     * A linearizable read of a probe key on the node itself ({@code localread}): the key is never
     * written, so a read served answers 404 and a refused one 503 (after the store's 3 s).
     */
    private void sampleRead(Host h) {
        String url = "https://" + zone.env().host(h.name()).hostname() + ":" + settings.chainfirePort() + "/v1/kv/" + run + "-probe";
        Instant start = Instant.now();
        CommandResult r = h.execUnrecorded(h.asRoot("curl -s --max-time 5 --cacert " + Shell.quote(settings.caFile())
                + " -o /dev/null -w '%{http_code}' " + Shell.quote(url)), Duration.ofSeconds(10));
        Instant end = Instant.now();
        int read = parse(r.stdout());
        history.add(new History.Op("localread", "l-" + h.name() + "-" + start.toEpochMilli(), start, end,
                read == 404 || read == 200 ? Outcome.OK : read > 0 ? Outcome.FAIL : Outcome.UNKNOWN, read, h.name(), ""));
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public History history() {
        return history;
    }

    @Override
    public Instant started() {
        return started;
    }

    /** The node the client runs on. */
    public Host clientHost() {
        return clientHost;
    }

    /** Stops the client and the samplers (their last round finishes). */
    @Override
    public History stop() {
        running.set(false);
        zone.faults().recordInto(null);
        if (client != null) {
            client.close();
        }
        io.triad.zone.Paced.stopAll(running, threads, 5000);
        return history;
    }

    /**
     * Every key of this drill read on every node at the end (a linearizable range read each): the
     * final read holds the keys every node has; a node that cannot answer makes it incomplete.
     */
    public History.FinalRead finalRead() {
        Set<String> present = null;
        List<String> problems = new ArrayList<>();
        // the keys one by one, each loop's up to the last it sent (the API has no range read): "j-i"
        java.util.Map<String, Integer> lastOf = new java.util.TreeMap<>();
        for (History.Op o : history.ops("write")) {
            String[] ji = o.id().substring(run.length() + 1).split("-");
            lastOf.merge(ji[0], Integer.parseInt(ji[1]), Math::max);
        }
        StringBuilder keys = new StringBuilder();
        lastOf.forEach((j, n) -> {
            for (int i = 1; i <= n; i++) {
                keys.append(j).append('-').append(i).append('\n');
            }
        });
        int sent = lastOf.values().stream().mapToInt(Integer::intValue).sum();
        for (Host h : zone.hosts()) {
            String url = "https://" + zone.env().host(h.name()).hostname() + ":" + settings.chainfirePort() + "/v1/kv/" + run + "-";
            Set<String> mine = new LinkedHashSet<>();
            // one curl keeping its connection, one entry per key (curl -K)
            String script = """
                    cfg=$(mktemp); trap 'rm -f "$cfg"' EXIT
                    awk -v base=BASE -v ca=CA '{ if (NR > 1) print "next"
                      printf "url = \\"%s%s\\"\\ncacert = \\"%s\\"\\noutput = \\"/dev/null\\"\\nmax-time = 2\\n", base, $1, ca
                      printf "write-out = \\"%s %%{http_code}\\\\n\\"\\n", $1 }' > "$cfg" <<'KEYS'
                    """.replace("BASE", Shell.quote(url)).replace("CA", Shell.quote(settings.caFile())) + keys + "KEYS\ncurl -s -K \"$cfg\"\n";
            CommandResult r = sent == 0 ? h.exec("true") : h.exec(h.asRoot("bash -c " + Shell.quote(script)), Duration.ofSeconds(120));
            int answered = 0;
            for (String line : r.stdout().lines().toList()) {
                String[] f = line.strip().split(" ");
                if (f.length == 2) {
                    if (f[1].equals("200")) {
                        mine.add(run + "-" + f[0]);
                        answered++;
                    } else if (f[1].equals("404")) {
                        answered++;
                    }
                }
            }
            if (answered < sent) {
                problems.add(h.name() + " answered " + answered + " of " + sent + " reads");
            }
            if (present == null) {
                present = mine;
            } else if (!present.equals(mine)) {
                problems.add(h.name() + " holds " + mine.size() + " keys of this drill, " + zone.hosts().get(0).name() + " " + present.size());
                present.retainAll(mine);
            }
        }
        History.FinalRead read = new History.FinalRead(Instant.now(), present == null ? Set.of() : present, problems.isEmpty(),
                problems.isEmpty() ? "read on every node: " + present.size() + " keys of this drill" : String.join("; ", problems));
        history.finalRead(read);
        return read;
    }

    @Override
    public void close() {
        stop();
    }
}
