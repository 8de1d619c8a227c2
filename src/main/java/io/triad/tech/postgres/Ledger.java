package io.triad.tech.postgres;

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
 * A PostgreSQL cluster's drills' recorded history (shared by the profiles whose zones run one:
 * three-phoenix through Pgpool, sfa through HAProxy). A client on the router's host, as the
 * application is a client of the router, writes a ledger of rows through it, one fresh session each ({@code write}:
 * OK once the row is committed, with the node that took it; FAIL when the session could not be
 * made or the write was refused; UNKNOWN when the session broke after the write was sent), and
 * after every write reads back, in another fresh session (load-balanced, so mostly on a standby),
 * the newest of its writes confirmed at least the lag bound ago ({@code read}: OK found, FAIL
 * missing: a read staler than the zone promises, UNKNOWN on an error). Every database node is
 * sampled for what it says of itself: whether it accepts writes (the exclusive resource
 * {@code writable}), its timeline and its WAL receiver. The passwords stay on the router's host
 * (the client runs there as postgres with its .pgpass); nothing secret reaches the harness.
 */
public final class Ledger implements Recording, AutoCloseable {

    public static final String TABLE = "triad_ledger";

    /**
     * Where the ledger is written: the host its client runs on (as postgres, with its .pgpass), the
     * connection it opens there (to the router), the database the final read asks the primary in,
     * how old a confirmed write must be before a read must find it, the database nodes to sample,
     * the SQL that names the node a session is on, and that name's node (empty: the name is the node's).
     */
    public record Target(Host client, String connection, String database, Duration lagBound, List<Host> nodes, String whoAmI,
                         Map<String, String> names) { }

    private final Zone zone;
    private final Target target;
    private final History history = new History();
    private final String run = "l" + UUID.randomUUID().toString().substring(0, 6);
    private final Instant started = Instant.now();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, Instant> invoked = new ConcurrentHashMap<>();
    private final List<Host> nodes;
    private final Host pool;
    private Host.Stream client;

    private Ledger(Zone zone, Target target) {
        this.zone = zone;
        this.target = target;
        this.nodes = target.nodes();
        this.pool = target.client();
    }

    /**
     * The ledger's table made through Pgpool (owned by the application's user; removed after the
     * scenario), the client and the samplers started; the zone records this history.
     */
    public static Ledger start(Zone zone, Target target) {
        Ledger l = new Ledger(zone, target);
        l.pool.exec(l.pool.asRoot(l.psql("CREATE TABLE IF NOT EXISTS " + TABLE + " (id text PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())")))
                .requireOk();
        zone.faults().applied("the drill's ledger table " + TABLE + " in " + l.target.database(),
                () -> l.pool.exec(l.pool.asRoot(l.psql("DROP TABLE IF EXISTS " + TABLE))));
        zone.record(l);
        zone.faults().recordInto(l.history);
        for (Host h : l.nodes) {
            l.loop("sample " + h.name(), 300, () -> l.sample(h));
        }
        l.client = l.pool.stream(l.pool.asRoot("cd / && runuser -u postgres -- bash -c " + Shell.quote(CLIENT) + " ledger "
                + Shell.quote(l.connection()) + " " + l.run + " " + l.target.lagBound().toMillis() * 1000 + " " + Shell.quote(target.whoAmI())), l::line);
        return l;
    }

    /** psql through the router on its host (the password in postgres's .pgpass there). */
    private String psql(String sql) {
        return Db.psqlTo(Shell.quote(connection()) + " -XAtq -v ON_ERROR_STOP=1 -c " + Shell.quote(sql));
    }

    private String connection() {
        return target.connection();
    }

    /**
     * The client, run by bash on the router's host as postgres ($1 the connection, $2 the run's id
     * prefix, $3 the lag bound in microseconds, $4 the SQL naming the node a session is on). Lines: "B id" before a write is sent; "W id rc
     * answer" after it (the answer is the node that committed it, or psql's error); "R id age_us rc
     * answer" after a read of an earlier write (the answer: the node that ran it and how many rows
     * it found), each stamped by the client ({@link io.triad.history.Stamped}). It ends when its input does. The pace between rounds is the client's, not a wait
     * for any state.
     */
    static final String CLIENT = """
            conn="$1"; run="$2"; lag="$3"; who="$4"; ids=(); ats=()
            """ + Db.FIND_PSQL + """
            ( i=0
              while :; do
                i=$((i + 1)); id="$run-$i"
                echo "@$EPOCHREALTIME B $id"
                out=$(PGOPTIONS='-c statement_timeout=5000' timeout 7 "$P" "$conn" -XAtq \\
                  -c "INSERT INTO triad_ledger (id) VALUES ('$id') RETURNING $who" 2>&1)
                rc=$?; t=${EPOCHREALTIME/./}
                echo "@$EPOCHREALTIME W $id $rc ${out//$'\\n'/ }"
                [ "$rc" = 0 ] && { ids+=("$id"); ats+=("$t"); }
                now=${EPOCHREALTIME/./}; k=$(( ${#ids[@]} - 1 ))
                while [ "$k" -ge 0 ] && [ $(( now - ats[k] )) -lt "$lag" ]; do k=$((k - 1)); done
                if [ "$k" -ge 0 ]; then
                  out=$(timeout 7 "$P" "$conn" -XAtq -F ' ' \\
                    -c "SELECT $who, count(*) FROM triad_ledger WHERE id = '${ids[k]}'" 2>&1)
                  rc=$?
                  echo "@$EPOCHREALTIME R ${ids[k]} $(( now - ats[k] )) $rc ${out//$'\\n'/ }"
                fi
                sleep 0.05
              done ) & p=$!
            cat >/dev/null; kill $p 2>/dev/null; wait
            """;

    /** One line of the client's output, timed by the client ({@link io.triad.history.Stamped}). */
    private void line(String line) {
        io.triad.history.Stamped stamped = io.triad.history.Stamped.of(line, Instant.now());
        Instant now = stamped.at();
        String[] f = stamped.text().split(" ", 5);
        try {
            switch (f[0]) {
                case "B" -> invoked.put(f[1], now);
                case "W" -> {
                    String id = f[1];
                    int rc = Integer.parseInt(f[2]);
                    String answer = f.length > 3 ? String.join(" ", java.util.Arrays.copyOfRange(f, 3, f.length)) : "";
                    Outcome outcome = rc == 0 && !answer.isBlank() ? Outcome.OK : writeFailure(answer);
                    history.add(new History.Op("write", id, invoked.getOrDefault(id, now), now, outcome, -1,
                            outcome == Outcome.OK ? node(answer.strip()) : "", outcome == Outcome.OK ? "" : answer.strip()));
                }
                case "R" -> {
                    String id = f[1];
                    long ageUs = Long.parseLong(f[2]);
                    int rc = Integer.parseInt(f[3]);
                    String[] answer = f.length > 4 ? f[4].strip().split(" ") : new String[0];
                    Instant invoke = now; // its answer's time: the read was asked at most one read's time before
                    Outcome outcome = rc != 0 || answer.length != 2 ? Outcome.UNKNOWN : answer[1].equals("1") ? Outcome.OK : Outcome.FAIL;
                    String node = outcome == Outcome.UNKNOWN ? "" : node(answer[0]);
                    history.add(new History.Op("read", id, invoke, now, outcome, -1, node, outcome == Outcome.FAIL
                            ? node + " did not have " + id + ", confirmed " + ageUs / 1000 + " ms before the read"
                            : outcome == Outcome.UNKNOWN ? String.join(" ", answer) : ""));
                }
                default -> { }
            }
        } catch (RuntimeException e) {
            // a line cut short (the stream closing): nothing to record
        }
    }

    /** The node a session's answer names. */
    private String node(String answer) {
        return target.names().getOrDefault(answer, answer);
    }

    /**
     * A write psql reported as failed: not sent (no session could be made, or Pgpool refused it
     * before it reached a backend) is a failure; a session that broke after the statement went out
     * may have committed it: unknown.
     */
    static Outcome writeFailure(String error) {
        String e = error.toLowerCase(java.util.Locale.ROOT);
        if (e.contains("connection to server") && e.contains("failed") || e.contains("could not connect")
                || e.contains("read-only transaction") || e.contains("duplicate key")) {
            return Outcome.FAIL;
        }
        return Outcome.UNKNOWN;
    }

    private void loop(String name, long periodMs, Runnable body) {
        threads.add(io.triad.zone.Paced.start("ledger-" + name, periodMs, running, body));
    }

    /** What the node says of itself: writable (not in recovery), its timeline, its WAL receiver. */
    private void sample(Host h) {
        Instant start = Instant.now();
        CommandResult r = h.execUnrecorded(h.asRoot(Db.psql("postgres", Db.NodeState.QUERY)), Duration.ofSeconds(3));
        Instant end = Instant.now();
        Map<String, String> states = new LinkedHashMap<>();
        try {
            if (!r.ok()) {
                throw new IllegalArgumentException("no answer");
            }
            Db.NodeState st = Db.NodeState.parse(h.name(), java.util.Arrays.asList(r.stdout().strip().split("\\|", -1)));
            states.put("writable", String.valueOf(!st.inRecovery()));
            states.put("timeline", String.valueOf(st.timeline()));
            states.put("receiver", st.receiver());
            states.put("serving", "true");
        } catch (RuntimeException | AssertionError e) {
            states.put("serving", "false");
        }
        history.add(new History.Sample(h.name(), start, end, states));
    }

    @Override
    public History history() {
        return history;
    }

    /**
     * Reads every database node's server log since the ledger started (every place a server there
     * may have logged, {@link ServerLog#everywhere}: {@code files}, the distribution's log directory,
     * the node's whole journal) into the history, each
     * line once, and returns the spans in which a node's own log says it accepted writes
     * ({@link ServerLog}). A node whose log cannot be read is named in the evidence and claims
     * nothing (its samples still judge it).
     */
    public synchronized List<io.triad.check.LogClaims.Claim> serverLogClaims(String... files) {
        record Read(List<History.Log> lines, String failure) { }
        List<Read> reads = zone.onEach(nodes, h -> {
            CommandResult r = h.exec(h.asRoot(ServerLog.everywhere(started, files)), Duration.ofSeconds(30));
            return r.ok() ? new Read(ServerLog.parse(h.name(), r.stdout(), started), null) : new Read(List.of(), Db.firstLine(r.stderr()));
        });
        StringBuilder read = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) {
            Read r = reads.get(i);
            read.append(nodes.get(i).name()).append(": ").append(r.failure() == null ? r.lines().size() + " line(s) of taking or ending writes"
                    : "not read (" + r.failure() + ")").append('\n');
            r.lines().forEach(history::add); // the history keeps a line read again once
        }
        zone.evidence().note("the database nodes' server logs since the ledger started", read.toString());
        return io.triad.check.LogClaims.of(history, ServerLog::changes, Set.of(ServerLog.WRITABLE));
    }

    @Override
    public Instant started() {
        return started;
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
     * Every row of this drill found on {@code primary} itself (not through the router: a standby's copy
     * could be behind): the history's final read.
     */
    public History.FinalRead finalRead(Host primary) {
        Set<String> present = new LinkedHashSet<>();
        History.FinalRead read;
        try {
            for (List<String> row : Db.rows(primary, target.database(), "SELECT id FROM " + TABLE + " WHERE id LIKE '" + run + "-%'")) {
                present.add(row.get(0));
            }
            read = new History.FinalRead(Instant.now(), present, true, "read on the primary " + primary.name() + ": " + present.size()
                    + " rows of this drill");
        } catch (AssertionError e) {
            read = new History.FinalRead(Instant.now(), present, false, e.getMessage());
        }
        history.finalRead(read);
        return read;
    }

    @Override
    public void close() {
        stop();
    }
}
