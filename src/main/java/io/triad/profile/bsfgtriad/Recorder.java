package io.triad.profile.bsfgtriad;

import io.triad.check.LogClaims;
import io.triad.zone.Zone;
import io.triad.zone.Recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamInfo;
import io.triad.check.LogClaims;
import io.triad.history.History;
import io.triad.history.History.Outcome;
import io.triad.host.Host;
import io.triad.profile.bsfgtriad.Probes;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Records a drill's history in the background:
 * <ul>
 *   <li>on every node, a shell loop sampling 20 times a second whether the node holds the VIP, the
 *       controller and keepalived units' states and the VRRP state the notify hook wrote, each
 *       sample stamped with the node's own clock before and after; streamed back over SSH, with
 *       nothing written on the node and the loop ending when the stream closes (or after
 *       {@link #MAX_SECONDS} at most);</li>
 *   <li>through the VIP, from the harness: a health probe every 100 ms and one acknowledged write
 *       after another (each with a unique id in its body), each with its invoke and complete
 *       instants and an outcome of ok, fail (refused, or never sent) or unknown (sent, no answer);</li>
 *   <li>after the heal, {@link #finalRead} reads the stream through an SSH tunnel to a JetStream node
 *       and keeps the ids of this recording's writes found there.</li>
 * </ul>
 * Sampling a node does not stop the recording when the node vanishes (crashed, frozen, cut off):
 * its stream is reopened until the recording ends, and the gap shows in the history.
 */
public final class Recorder implements Recording, AutoCloseable {

    /** The VRRP state the reference notify hook writes; "-" where a zone has no such file. */
    public static final String VRRP_STATE_FILE = "/run/bsfg/vrrp-state";
    public static final long MAX_SECONDS = 1800;
    /**
     * The sampler's scheduling priority on the node: ahead of the zone's services, so that a busy
     * node is still sampled on time (a loop of two small forks 20 times a second). Where the
     * harness may not raise it, nice runs the loop at normal priority.
     */
    static final int NICE = -10;
    static final Duration HEALTH_EVERY = Duration.ofMillis(100);
    static final Duration WRITE_EVERY = Duration.ofMillis(200);
    /** Writers through the VIP, each waiting on its own write's answer (see {@link #write}). */
    static final int WRITERS = 4;
    /**
     * A stream silent this long is reopened. Longer than the SSH keep-alive's verdict on a dead
     * session (about 6 s), so a frozen node's stream survives a short freeze and its first
     * samples after the thaw arrive at once; a crashed node's session is closed by the keep-alive.
     */
    static final Duration STALE = Duration.ofSeconds(10);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

    private final Zone zone;
    private final History history = new History();
    private final String prefix;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger writes = new AtomicInteger();
    private final AtomicLong nextWrite = new AtomicLong(System.nanoTime());
    private final AtomicLong streamStart = new AtomicLong(-1);
    private final SSLSocketFactory tls;
    private final String base;
    private volatile boolean running = true;
    private boolean planned;
    private final Instant started = Instant.now();

    /**
     * The command line the active controller runs (its main process's, read on a VIP node when the
     * recording starts): the samplers count a process running it, under whatever unit, as a running
     * controller. Empty when no VIP node ran the controller then (the unit's control group alone).
     */
    private volatile String program = "";

    private Recorder(Zone zone, boolean clients) {
        this.zone = zone;
        this.prefix = "triad-" + ID.format(started) + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
        this.base = "https://" + zone.env().vip().address() + ":" + Settings.of(zone.env()).ports().controller();
        try {
            SSLContext context = Probes.sslContext(zone.zoneCa());
            this.tls = context.getSocketFactory();
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up TLS for the VIP: " + e.getMessage(), e);
        }
    }

    /**
     * Starts sampling every node and, when {@code clients}, probing and writing through the VIP;
     * the zone's recording from then on (the one before it stopped; the common hooks stop this
     * one, keep its history and draw its timeline). In a dry run, the plan of it instead.
     */
    public static Recorder start(Zone zone, boolean clients) {
        Recorder r = zone.planning() ? planned(zone, clients) : sampling(zone, clients);
        zone.record(r);
        return r;
    }

    private static Recorder sampling(Zone zone, boolean clients) {
        Recorder r = new Recorder(zone, clients);
        zone.faults().recordInto(r.history);
        if (clients) {
            r.streamStart.set(r.lastSequence().orElse(-1L));
        }
        r.program = controllerProgram(zone);
        for (Host h : zone.hosts()) {
            r.spawn("recorder-" + h.name(), () -> r.sampleNode(h));
        }
        if (clients) {
            r.spawn("recorder-health", r::probeHealth);
            for (int i = 1; i <= WRITERS; i++) {
                r.spawn("recorder-writes-" + i, r::write);
            }
        }
        return r;
    }

    /** What a dry run's plan shows for the controller's command line, which only the run itself reads. */
    static final String PROGRAM_READ_AT_START = "<the command line of the controller on a VIP node, read when the recording starts>";

    /** The controller's command line on the first VIP node that runs it, kept as evidence; empty when none does. */
    static String controllerProgram(Zone zone) {
        if (!zone.env().services().containsKey("controller")) {
            return "";
        }
        String unit = zone.unit("controller");
        Probes probes = new Probes(zone);
        for (Host h : zone.vipHosts()) {
            try {
                String program = probes.programOf(h, unit);
                if (!program.isEmpty()) {
                    zone.evidence().note("the controller's program, counted as a running controller under any unit by the samplers",
                            program + " (" + unit + " on " + h.name() + ")");
                    return program;
                }
            } catch (RuntimeException | AssertionError e) {
                // a node not answering now: the next one
            }
        }
        zone.evidence().note("the controller's program", "no VIP node ran " + unit + " when the recording started: the samplers"
                + " count its control group only");
        return "";
    }

    /**
     * A dry run's recording: what {@link #start} would do, written into the plan; nothing runs and
     * the history stays empty.
     */
    static Recorder planned(Zone zone, boolean clients) {
        Recorder r = new Recorder(zone, clients);
        r.running = false;
        r.planned = true;
        io.triad.plan.Plan plan = zone.plan().orElseThrow();
        plan.note("history recording, in the background until the scenario ends:");
        if (zone.env().services().containsKey("controller")) {
            // the active controller's command line is read when the recording starts, and the samplers look for it
            Probes probes = new Probes(zone);
            zone.vipHosts().forEach(h -> probes.programOf(h, zone.unit("controller")));
            r.program = PROGRAM_READ_AT_START;
        }
        for (Host h : zone.hosts()) {
            h.stream(r.nodeScript(h), line -> { }); // the sampler, streamed: written into the plan
        }
        if (clients) {
            plan.request("NATS through an SSH port forward to a JetStream node's 127.0.0.1:" + Settings.of(zone.env()).ports().natsClient()
                    + ": stream " + r.stream() + "'s last sequence (read only)");
            plan.request("GET " + r.base + "/health every " + HEALTH_EVERY.toMillis() + " ms");
            plan.request("POST " + r.base + "/write every " + WRITE_EVERY.toMillis() + " ms (one numbered write each, "
                    + WRITERS + " writers: a slow answer does not hold back the next write)");
        }
        return r;
    }

    public History history() {
        return history;
    }

    public Instant started() {
        return started;
    }

    /** The id prefix of this recording's writes. */
    public String prefix() {
        return prefix;
    }

    private void spawn(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        threads.add(t);
    }

    /** Stops the background threads; the history keeps everything recorded so far. */
    public History stop() {
        if (running) {
            running = false;
            for (Thread t : threads) {
                try {
                    t.join(6000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            zone.faults().recordInto(null);
        }
        return history;
    }

    @Override
    public void close() {
        stop();
    }

    // ---- nodes -------------------------------------------------------------------------------

    /**
     * The loop run on each node, with no process started per round: bash builtins only
     * ($EPOCHREALTIME for the clock, {@code mapfile} and {@code read} on kernel files, pattern
     * matching instead of grep). The VIP is held when the kernel's local table has it
     * ({@code /proc/net/fib_trie}: the address followed by "/32 host LOCAL", what {@code ip addr}
     * reports as an address of the node). A unit is "active" when its control group holds a live
     * process ({@code cgroup.events}: populated 1; under {@code /sys/fs/cgroup/unified/system.slice}
     * or {@code /sys/fs/cgroup/system.slice}), "inactive" when it holds none: the state itself, not
     * systemd's status column, so a controller still running while systemd stops it counts as
     * active. The controller is also active when any process runs its program ({@link #program},
     * {@code /proc/PID/cmdline}, read with {@code mapfile}): a controller run under another unit, a
     * timer's or by hand, serves as much (issue 33: a canary under its own unit, serving 3 s at a time,
     * showed in its node's journal only). On a host without a unified control-group hierarchy it asks {@code systemctl
     * is-active} as before. (Forking {@code ip} and {@code systemctl} every round cost, with systemd
     * answering each call, about a third of the CI machine's CPU during a BSFG drill: perf,
     * 2026-11-26.) It pauses by reading its standard input with a timeout: the harness sends
     * nothing, so the read times out, until the stream's channel is closed and sshd closes the
     * loop's input, which ends it at once. (Without a terminal sshd does not signal a command whose
     * channel closes while the connection stays, and keeps draining its output: a loop that only
     * stopped on a failed write ran on for its full half hour, and the samplers of earlier drills
     * piled up on the nodes.)
     */
    String nodeScript(Host h) {
        String vip = zone.env().vip().address().toString();
        // Under the zone's lease the controller serves only while the lease agent's file names its
        // node with validity left on CLOCK_MONOTONIC (Controller.leaseProblem, every request). Bash
        // has no monotonic clock: /proc/uptime is CLOCK_BOOTTIME in 10 ms steps, the same clock
        // on a host that never suspended (a suspended host's boottime runs ahead: the lease would
        // read as ended early, by the time it slept).
        String lease = Settings.of(zone.env()).vipLease().isPresent()
                ? "lf=" + Settings.VipLease.LEASE_FILE + "; me=" + io.triad.host.Shell.quote(h.name()) + "; " : "lf=; ";
        String leaseRead = "l=-; if [[ -n $lf ]]; then lh=; lu=0; if [[ -r $lf ]]; then "
                + "while IFS='=' read -r k x; do case $k in holder) lh=$x;; valid_until_monotonic_ns) lu=$x;; esac; done < $lf; fi; "
                + "read -r up z < /proc/uptime; up=${up/./}; "
                + "if [[ $lh == \"$me\" && $lu =~ ^[0-9]+$ ]] && (( lu > 10#$up * 10000000 )); then l=1; else l=0; fi; fi; ";
        String controller = zone.unit("controller");
        String keepalived = zone.unit("keepalived");
        String loop = lease + "prog=" + io.triad.host.Shell.quote(program) + "; end=$(( ${EPOCHSECONDS} + " + MAX_SECONDS + " )); "
                + "re='-- " + vip.replace(".", "\\.") + "[[:space:]]+/32 host LOCAL'; "
                + "cg=; for d in /sys/fs/cgroup/unified/system.slice /sys/fs/cgroup/system.slice; do "
                + "[[ -r $d/cgroup.events ]] && { cg=$d; break; }; done; "
                + "st() { local k p=0; [[ -r $cg/$1/cgroup.events ]] && read -r k p < $cg/$1/cgroup.events; "
                + "[[ $p == 1 ]] && s=active || s=inactive; }; "
                + "while (( EPOCHSECONDS < end )); do "
                + "a=$EPOCHREALTIME; "
                + "mapfile -t t < /proc/net/fib_trie; printf -v f '%s\\n' \"${t[@]}\"; "
                + "if [[ $f =~ $re ]]; then v=1; else v=0; fi; "
                + "if [[ -n $cg ]]; then st " + controller + "; u0=$s; st " + keepalived + "; u1=$s; "
                + "else u=($(systemctl is-active " + controller + " " + keepalived + ")); u0=${u[0]:-unknown}; u1=${u[1]:-unknown}; fi; "
                // the controller's program under any other unit (or none) is as much a running controller
                + "if [[ $u0 != active && -n $prog ]]; then for p in /proc/[0-9]*; do "
                + "mapfile -d '' -t c < $p/cmdline || continue; [[ \"${c[*]}\" == \"$prog\" ]] && { u0=active; break; }; done; fi; "
                + "r=-; [[ -r " + VRRP_STATE_FILE + " ]] && read -r r < " + VRRP_STATE_FILE + "; "
                + leaseRead
                + "b=$EPOCHREALTIME; "
                + "echo \"$a $b $v $u0 $u1 ${r:--} $l\" || exit 0; "
                + "read -r -t 0.03 z; (( $? > 128 )) || exit 0; done";
        return "exec nice -n " + NICE + " bash -c " + io.triad.host.Shell.quote(loop) + " 2>/dev/null";
    }

    private void sampleNode(Host h) {
        String script = nodeScript(h);
        while (running) {
            AtomicLong last = new AtomicLong(System.nanoTime());
            try (Host.Stream stream = h.stream(script, line -> {
                History.Sample s = parseSample(h.name(), line);
                if (s != null) {
                    history.add(s);
                    last.set(System.nanoTime());
                }
            })) {
                while (running && stream.isOpen() && System.nanoTime() - last.get() < STALE.toNanos()) {
                    LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
                }
            } catch (RuntimeException e) {
                // unreachable for now (crashed, cut off): the gap shows in the history
            }
            if (running) {
                LockSupport.parkNanos(Duration.ofMillis(300).toNanos());
            }
        }
    }

    /**
     * One line of the node loop: start end (seconds.micros) vip controller-state keepalived-state
     * vrrp-state lease. The controller is active (may serve) when its unit's control group holds a
     * process (or a process runs its program) and, under the zone's lease, the node's lease file names the node with validity left
     * ("1"; "0" when not, "-" in a zone without a lease): a controller whose lease ran out refuses
     * every request and ends itself (a thawed node's did so 20-40 ms after the thaw, still seen
     * running by its node's sampler, which resumes at the same instant). That it refuses is not
     * taken on trust: the freeze drill starts one without a lease and sees it refuse
     * (ControllerWithoutLease). The process alone is kept as "controller-process".
     */
    static History.Sample parseSample(String node, String line) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 6) {
            return null;
        }
        try {
            Map<String, String> states = new java.util.LinkedHashMap<>();
            states.put("vip", String.valueOf(f[2].equals("1")));
            boolean process = f[3].equals("active");
            states.put("controller", String.valueOf(process && !(f.length > 6 && f[6].equals("0"))));
            states.put("controller-process", String.valueOf(process));
            if (f.length > 6) {
                states.put("lease", f[6]);
            }
            states.put("keepalived", f[4]);
            states.put("vrrp", f[5]);
            return new History.Sample(node, io.triad.history.Stamped.epochSeconds(f[0]), io.triad.history.Stamped.epochSeconds(f[1]), states);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ---- clients -----------------------------------------------------------------------------

    private void probeHealth() {
        long n = 0;
        long next = System.nanoTime();
        while (running) {
            history.add(request("health", "h" + (++n), "GET", "/health", null, Duration.ofMillis(500), Duration.ofSeconds(1)));
            next += HEALTH_EVERY.toNanos();
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else {
                next = System.nanoTime();
            }
        }
    }

    /**
     * One of {@link #WRITERS} writers sharing one schedule: a write starts every {@link #WRITE_EVERY}
     * whether or not the one before has been answered, so a write waiting on a node that no longer
     * answers (up to its 4 s read timeout) does not hold back the next: the history resolves what
     * the zone did from one write to the next, at {@link #WRITE_EVERY}, not at a hung write's
     * timeout. (One writer, waiting on each answer, let a controller that acknowledged writes
     * without a quorum go unseen: the writes after the loss were still waiting when its lease ran
     * out.) A slot that finds every writer busy is skipped.
     */
    private void write() {
        long every = WRITE_EVERY.toNanos();
        while (running) {
            long slot = nextWrite.accumulateAndGet(System.nanoTime(), (next, now) -> Math.max(next, now) + every) - every;
            long wait = slot - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (!running) {
                return;
            }
            String id = prefix + "-w" + writes.incrementAndGet();
            history.add(request("write", id, "POST", "/write", id, Duration.ofSeconds(1), Duration.ofSeconds(4)));
        }
    }

    /**
     * One HTTPS request through the VIP on a fresh connection (no keep-alive: each request finds
     * the VIP's current holder). Refused, or failing before the request was sent: fail. Sent with
     * no answer in time, or cut off while answering: unknown.
     */
    History.Op request(String kind, String id, String method, String path, String body, Duration connect, Duration read) {
        Instant invoke = Instant.now();
        boolean sent = false;
        HttpsURLConnection c = null;
        try {
            c = (HttpsURLConnection) URI.create(base + path).toURL().openConnection();
            c.setSSLSocketFactory(tls);
            if (zone.zoneCa().isEmpty()) {
                c.setHostnameVerifier((host, session) -> true);
            }
            c.setRequestMethod(method);
            c.setRequestProperty("Connection", "close");
            c.setConnectTimeout((int) connect.toMillis());
            c.setReadTimeout((int) read.toMillis());
            c.setUseCaches(false);
            if (body != null) {
                c.setDoOutput(true);
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                c.setFixedLengthStreamingMode(bytes.length);
                c.connect();
                try (OutputStream out = c.getOutputStream()) {
                    out.write(bytes);
                }
            } else {
                c.connect();
            }
            sent = true;
            int status = c.getResponseCode();
            String answer;
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                answer = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String node = "";
            String detail = "";
            try {
                JsonNode json = JSON.readTree(answer);
                node = json.path("node").asText("");
                detail = json.has("seq") ? "seq " + json.get("seq").asText()
                        : json.has("reason") ? json.get("reason").asText() : json.path("detail").asText("");
            } catch (IOException e) {
                detail = answer.length() > 120 ? answer.substring(0, 120) : answer;
            }
            return new History.Op(kind, id, invoke, Instant.now(), status == 200 ? Outcome.OK : Outcome.FAIL, status, node, detail);
        } catch (IOException | RuntimeException e) {
            String why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            boolean definite = !sent || e instanceof ConnectException;
            if (e instanceof SocketTimeoutException && !sent) {
                definite = true; // connect timed out: nothing was sent
            }
            return new History.Op(kind, id, invoke, Instant.now(), definite ? Outcome.FAIL : Outcome.UNKNOWN, -1, "",
                    (sent ? "after sending: " : "before sending: ") + why);
        } finally {
            if (c != null) {
                c.disconnect();
            }
        }
    }

    // ---- final read --------------------------------------------------------------------------

    private interface Reader<T> {
        T read(JetStreamManagement jsm) throws IOException, JetStreamApiException, InterruptedException;
    }

    private <T> T withJetStream(Reader<T> reader) throws Exception {
        Exception last = null;
        for (Host h : zone.hostsRunning("jetstream")) {
            try (Host.Tunnel tunnel = h.tunnel("127.0.0.1", Settings.of(zone.env()).ports().natsClient())) {
                Options options = new Options.Builder().server("nats://127.0.0.1:" + tunnel.localPort())
                        .ignoreDiscoveredServers().noReconnect().connectionTimeout(Duration.ofSeconds(5)).build();
                try (Connection nc = Nats.connect(options)) {
                    return reader.read(nc.jetStreamManagement());
                }
            } catch (Exception e) {
                last = e;
            }
        }
        throw last == null ? new IllegalStateException("no JetStream node in the zone") : last;
    }

    private java.util.Optional<Long> lastSequence() {
        try {
            return java.util.Optional.of(withJetStream(jsm -> {
                try {
                    return jsm.getStreamInfo(stream()).getStreamState().getLastSequence();
                } catch (JetStreamApiException e) {
                    return 0L; // no stream yet: every message will be new
                }
            }));
        } catch (Exception e) {
            return java.util.Optional.empty();
        }
    }

    private String stream() {
        return "BSFG_WRITES";
    }

    /**
     * The transitions the VIP nodes logged themselves: keepalived's VRRP state changes and, under
     * a lease, the lease agent's grants, losses and VIP moves.
     */
    static final java.util.regex.Pattern TRANSITION = java.util.regex.Pattern.compile(
            "Entering \\w+ STATE|entered \\w+|lease=\\S+|vip=\\S+|state=demoted|VIP \\S+ removed|state=lease-lost|bsfg-controller state=(serving|stopping|stopped)\\b"
                    + "|\\.service: Main process exited|^Started \\S+\\.service|^Stopped \\S+\\.service");
    private static final java.util.regex.Pattern SHORT_UNIX = java.util.regex.Pattern.compile(
            "^(\\d+)\\.(\\d{1,9})\\s+\\S+\\s+([^:\\[]+)(?:\\[\\d+\\])?:\\s?(.*)$");

    /**
     * Reads every node's own record of its transitions since the recording began (its whole
     * journal, read-only) into the history: what keepalived, the lease agent and the controller
     * logged, and systemd's starts, stops and exits of their units, stamped by the node's journal,
     * to set beside what the harness measured. The whole journal of every node, not the units the
     * zone runs them under on the VIP nodes: a controller started any other way (another unit, a
     * timer's job, a shell) logs its own "state=serving" to its starter's journal, on whatever node,
     * and is as much a second active controller. A node that cannot be read adds nothing; the
     * recording is not failed for it.
     */
    public synchronized void readNodeLogs() {
        for (Host h : zone.hosts()) {
            io.triad.host.CommandResult r = h.execUnrecorded(h.asRoot("journalctl --no-pager -q -o short-unix --since @"
                    + (started.getEpochSecond() - 1)), Duration.ofSeconds(15));
            if (r.ok()) {
                // read again (the dual-active check reads them before the scenario's end does): the history keeps each line once
                parseNodeLog(h.name(), r.stdout(), started).forEach(history::add);
            }
        }
    }

    /**
     * The spans the VIP nodes' own logs say they held the VIP or ran the controller ({@link LogClaims}),
     * after reading their journals up to now.
     */
    public List<LogClaims.Claim> logClaims() {
        readNodeLogs();
        boolean lease = Settings.of(zone.env()).vipLease().isPresent();
        String keepalived = zone.unit("keepalived");
        String controller = zone.env().services().containsKey("controller") ? zone.unit("controller") : null;
        return LogClaims.of(history, l -> changes(l, lease, keepalived, controller), java.util.Set.of("vip", "controller"),
                java.util.Map.of("controller", "controller-process"));
    }

    /**
     * What one line of a VIP node's journal says of the VIP and the controller. Without a lease,
     * keepalived carries the VIP: MASTER takes it, BACKUP and FAULT give it up, and so does its unit's
     * end. Under a lease, the lease agent adds it ("vip=added") and the demotion removes it ("VIP ...
     * removed", "state=demoted"); keepalived only elects. The controller runs from its unit's start,
     * or from its own "state=serving" under whatever unit or none, to its main process's exit (or its
     * unit's stop, or its own "state=lease-lost ... exiting", "state=stopping" or "state=stopped").
     */
    static List<LogClaims.Change> changes(History.Log l, boolean lease, String keepalivedUnit, String controllerUnit) {
        String m = l.message();
        List<LogClaims.Change> out = new ArrayList<>();
        if (!lease) {
            if (m.contains("Entering MASTER STATE")) {
                out.add(new LogClaims.Change("vip", true));
            } else if (m.contains("Entering BACKUP STATE") || m.contains("Entering FAULT STATE") || ends(m, keepalivedUnit)) {
                out.add(new LogClaims.Change("vip", false));
            }
        } else if (m.contains("vip=added")) {
            out.add(new LogClaims.Change("vip", true));
        } else if (VIP_REMOVED.matcher(m).find() || m.contains("state=demoted")) {
            out.add(new LogClaims.Change("vip", false));
        }
        if (controllerUnit != null) {
            if (m.startsWith("Started " + controllerUnit) || m.contains(CONTROLLER + "state=serving ")) {
                out.add(new LogClaims.Change("controller", true));
            } else if (ends(m, controllerUnit) || m.contains("state=lease-lost") || m.contains(CONTROLLER + "state=stopping")
                    || m.contains(CONTROLLER + "state=stopped")) {
                out.add(new LogClaims.Change("controller", false));
            }
        }
        return out;
    }

    /** How the controller starts each line it logs ("2026-11-25T10:17:25.442Z bsfg-controller state=stopping"), whoever started it. */
    private static final String CONTROLLER = "bsfg-controller ";

    private static final java.util.regex.Pattern VIP_REMOVED = java.util.regex.Pattern.compile("^VIP \\S+ removed");

    /** systemd's line that {@code unit}'s process ended: its main process exited, or the unit stopped. */
    private static boolean ends(String message, String unit) {
        return message.startsWith(unit + ": Main process exited") || message.startsWith("Stopped " + unit);
    }

    /** The transition lines of a journal printed with {@code -o short-unix}, from {@code since} on. */
    static List<History.Log> parseNodeLog(String node, String journal, Instant since) {
        List<History.Log> out = new ArrayList<>();
        for (String line : journal.split("\n")) {
            java.util.regex.Matcher m = SHORT_UNIX.matcher(line.strip());
            if (!m.matches() || !TRANSITION.matcher(m.group(4)).find()) {
                continue;
            }
            String fraction = (m.group(2) + "000000000").substring(0, 9);
            Instant at = Instant.ofEpochSecond(Long.parseLong(m.group(1)), Long.parseLong(fraction));
            if (!at.isBefore(since)) {
                out.add(new History.Log(node, at, m.group(3).strip(), m.group(4).strip()));
            }
        }
        return out;
    }

    /**
     * Reads, after the heal, every message of the stream written since the recording started and
     * keeps the ids of this recording's writes. Tries until {@code within} passes (quorum may
     * take a moment to return); an incomplete read is recorded as such, not as an empty one.
     */
    public History.FinalRead finalRead(Duration within) {
        if (planned) {
            zone.plan().orElseThrow().request("NATS through an SSH port forward to a JetStream node's 127.0.0.1:"
                    + Settings.of(zone.env()).ports().natsClient() + ": every message of stream " + stream()
                    + " since the recording began (read only), for up to " + within.toSeconds() + " s");
            return new History.FinalRead(Instant.now(), Set.of(), false, "a dry run reads nothing");
        }
        long deadline = System.nanoTime() + within.toNanos();
        String lastError = "";
        while (true) {
            try {
                Set<String> ids = new LinkedHashSet<>();
                long from = streamStart.get() < 0 ? 1 : streamStart.get() + 1;
                String detail = withJetStream(jsm -> {
                    StreamInfo info = jsm.getStreamInfo(stream());
                    long first = Math.max(from, info.getStreamState().getFirstSequence());
                    long last = info.getStreamState().getLastSequence();
                    for (long seq = first; seq <= last; seq++) {
                        MessageInfo m = jsm.getMessage(stream(), seq);
                        String body = m.getData() == null ? "" : new String(m.getData(), StandardCharsets.UTF_8);
                        if (body.startsWith(prefix + "-")) {
                            ids.add(body);
                        }
                    }
                    return "stream " + stream() + " sequences " + first + ".." + last;
                });
                History.FinalRead read = new History.FinalRead(Instant.now(), ids, true, detail);
                history.finalRead(read);
                return read;
            } catch (Exception e) {
                lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            if (System.nanoTime() > deadline) {
                History.FinalRead read = new History.FinalRead(Instant.now(), Set.of(), false,
                        "the stream could not be read within " + within.toSeconds() + " s: " + lastError);
                history.finalRead(read);
                return read;
            }
            LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
        }
    }
}
