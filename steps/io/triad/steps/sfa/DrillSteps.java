package io.triad.steps.sfa;

import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.triad.check.AsyncLostWrites;
import io.triad.check.LostWrites;
import io.triad.history.History;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.tech.postgres.Db;
import io.triad.tech.postgres.Ledger;
import io.triad.zone.Nemesis;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * pg.5 and drill.1: Patroni's switchover and its failover after the leader's node crashes, proven
 * from a recorded history: a ledger client writing through HAProxy's write port (every write's
 * node named by the session's server address), every database node sampled for what it says of
 * itself (writable, timeline, WAL receiver).
 */
public class DrillSteps extends SfaSupport {

    private Ledger ledger;

    /**
     * "No instant with two nodes accepting writes" is the shared sentence's ({@link io.triad.steps.common.DrillVocabularySteps}):
     * judged on the ledger's samples and on what each node's server logs say (PostgreSQL's output
     * under Patroni is in Patroni's journal; a server started otherwise logs elsewhere: every place is
     * read): a node the ledger could not sample is judged from its logs.
     */
    private final io.triad.steps.common.ConfirmedWrites writes;

    public DrillSteps(io.triad.run.Run run, io.triad.steps.common.Exclusive exclusive, io.triad.steps.common.ConfirmedWrites writes) {
        super(run);
        this.writes = writes;
        exclusive.recordedBy("the SFA drill's ledger", () -> {
            check(ledger != null, "no ledger was started in this scenario");
            ledger.stop();
            return new io.triad.steps.common.Exclusive.Evidence(ledger.history().samples(), ledger.serverLogClaims());
        });
    }
    private Db.NodeState before;
    private Host old;
    private Instant faultAt;
    /** drill.1: when the old leader's kill had returned (its crash began at {@link #faultAt}). */
    private Instant goneAt;

    @Given("the ledger client writes through HAProxy's write port and reads its own writes back, every database node sampled")
    public void record() {
        before = primary(states());
        Map<String, String> names = new LinkedHashMap<>();
        nodes().forEach(h -> names.put(h.address(), h.name()));
        ledger = Ledger.start(zone, new Ledger.Target(proxyHost(), "host=" + settings.proxyAddress() + " port=" + settings.writePort() + " dbname=" + settings.database()
                + " user=postgres connect_timeout=2", settings.database(), settings.lagWithin(), nodes(), "host(inet_server_addr())", names));
        writes.recordedBy(new io.triad.steps.common.ConfirmedWrites.Source(ledger, () -> zone.host(primary(states()).node()),
                settings.lagWithin(), io.triad.profile.sfa.Shape.PATRONI, this::patroniFloor));
        Duration took = within(20, "the ledger client's first write confirmed and its first read made", () -> check(
                ledger.history().ops("write").stream().anyMatch(History.Op::ok) && !ledger.history().ops("read").isEmpty(),
                "writes confirmed " + ledger.history().ops("write").stream().filter(History.Op::ok).count() + ", reads "
                        + ledger.history().ops("read").size()));
        zone.evidence().figure("the ledger client's first write and read after its start", took.toMillis() + " ms");
    }

    @When("the operator switches the leader over to a replica with patronictl switchover")
    public void switchover() {
        new Nemesis(zone).requireAllowed("switchover");
        old = zone.host(before.node());
        Host candidate = nodes().stream().filter(h -> h != old).findFirst().orElseThrow();
        faultAt = Instant.now();
        writes.faulted(old, faultAt);
        zone.faults().applied("switchover from " + old.name() + " to " + candidate.name(), old.name(), faultAt, io.triad.zone.Faults.Impact.NONE, () -> { });
        // the members' names as Patroni knows them (the deployer's choice, not always the inventory's)
        List<com.fasterxml.jackson.databind.JsonNode> members = patroniList(old);
        CommandResult r = old.exec(old.asRoot("patronictl -c " + q(settings.patroniConfig()) + " switchover --leader " + q(patroniMember(old, members))
                + " --candidate " + q(patroniMember(candidate, members)) + " --force"), Duration.ofSeconds(90));
        check(r.ok(), "patronictl switchover failed (exit " + r.exitCode() + "): " + Db.firstLine(r.stderr().isBlank() ? r.stdout() : r.stderr()));
        zone.evidence().figure("patronictl switchover ran for", Duration.between(faultAt, Instant.now()).toMillis() + " ms");
    }

    /** The WAL sender processes of a primary (their title, PostgreSQL's "postgres: 15/main: walsender replicator ..."). */
    static final String WAL_SENDERS = "pkill -u postgres -f '^postgres: .*walsender'";

    /**
     * The crash the rejoin is about: an old leader whose WAL went past what its replicas received
     * (asynchronous replication under load), which only pg_rewind (or a new base backup) lets follow
     * the new leader's timeline. Left to chance, a crash on a fast network often finds every replica
     * level with the leader, and then any configuration rejoins it, pg_rewind on or off. So the
     * leader's WAL senders are held (SIGSTOP) until it has confirmed a write past every replica's
     * received position, read on the nodes; then its node crashes, the held senders with it. (Holding
     * the replicas' receivers instead is not enough: what the senders had sent waits in the
     * receivers' sockets and is read once they run again.) The writes confirmed while held are the
     * ones a failover may lose, as Patroni's maximum_lag_on_failover allows. A dead-man switch on the
     * leader releases them if the harness dies before the crash.
     */
    @When("the leader's node crashes with its WAL past what its replicas received")
    public void crashPastTheFork() {
        old = zone.host(before.node());
        Nemesis nemesis = new Nemesis(zone);
        nemesis.requireAllowed("crash-node");
        List<Host> replicas = nodes().stream().filter(h -> h != old).toList();
        String held = "WAL senders held (SIGSTOP)";
        Nemesis.DeadMan dm = Nemesis.DeadMan.on(old, WAL_SENDERS.replace("pkill ", "pkill -CONT ") + "; true");
        zone.faults().applied(held, old.name(), Instant.now(), io.triad.zone.Faults.Impact.NONE, () -> {
            if (zone.faults().inPlace().stream().noneMatch(f -> f.target().equals(old.name()) && f.name().equals("node crashed"))) {
                old.exec(old.asRoot(dm.healNow())).requireOk(); // crashed, the held senders are gone with their node
            }
        });
        old.exec(old.asRoot(dm.arm(zone.env().drills().deadMan()) + " && " + WAL_SENDERS.replace("pkill ", "pkill -STOP "))).requireOk();
        Instant heldAt = Instant.now();
        Map<String, Long> received = new LinkedHashMap<>();
        long[] leaderAt = new long[1];
        Duration took;
        try {
            took = within(20, "the leader's WAL past every replica's received position, a write confirmed since the hold", () -> {
                check(ledger.history().ops("write").stream().anyMatch(o -> o.ok() && o.complete().isAfter(heldAt)), "no write confirmed since the hold");
                received.clear();
                for (Host r : replicas) {
                    received.put(r.name(), Db.lsn(Db.rows(r, "postgres", "SELECT coalesce(pg_last_wal_receive_lsn()::text, '0/0')").get(0).get(0)));
                }
                leaderAt[0] = Db.lsn(Db.rows(old, "postgres", "SELECT pg_current_wal_lsn()").get(0).get(0));
                long ahead = received.values().stream().mapToLong(v -> leaderAt[0] - v).min().orElse(0);
                check(ahead > 0, "the leader's WAL at " + leaderAt[0] + " is not past every replica's (received " + received + ")");
            });
        } catch (AssertionError | RuntimeException e) {
            zone.faults().heal(held, old.name(), zone.evidence());
            throw e;
        }
        faultAt = nemesis.crash(old);
        goneAt = Instant.now(); // the kill has returned: no process of the old leader confirms anything after this
        writes.faulted(old, faultAt);
        writes.lossCountsFrom(goneAt);
        zone.faults().heal(held, old.name(), zone.evidence());
        long ahead = received.values().stream().mapToLong(v -> leaderAt[0] - v).min().orElse(0);
        Map<String, String> receivedAt = new LinkedHashMap<>();
        received.forEach((node, at) -> receivedAt.put(node, lsn(at)));
        zone.evidence().figure("the leader's WAL past its replicas' at the crash", ahead + " bytes at least (senders held " + took.toMillis()
                + " ms; received " + receivedAt + ", the leader at " + lsn(leaderAt[0]) + ")");
        zone.evidence().note("crash", "the leader " + old.name() + " (timeline " + before.timeline() + ") crashed at " + faultAt);
    }

    private Optional<History.Op> firstElsewhere() {
        return io.triad.check.FailoverWindow.firstAfter(ledger.history(), "write", faultAt, old.name());
    }

    @Then("within {int} seconds another node leads on the next timeline and every other running node streams from it on that timeline")
    public void newLeader(int seconds) {
        Duration took = within(seconds, "a new leader on timeline " + (before.timeline() + 1) + ", followed", () -> {
            List<Host> running = nodes().stream().filter(h -> h != old || zone.faults().inPlace().stream().noneMatch(a -> a.target().equals(h.name())
                    && a.name().equals("node crashed"))).toList();
            List<Db.NodeState> st = zone.onEach(running, Db.NodeState::read);
            Db.NodeState p = primary(st);
            check(!p.node().equals(old.name()), old.name() + " still leads");
            check(p.timeline() == before.timeline() + 1, p.node() + " leads on timeline " + p.timeline() + ", not " + (before.timeline() + 1));
            String address = zone.host(p.node()).address();
            for (Db.NodeState s : st) {
                check(s == p || s.streamsFrom(p, address), s.node() + " does not stream from " + p.node() + " on timeline " + p.timeline()
                        + " (receiver " + s.receiver() + ")");
            }
        });
        zone.evidence().figure("new leader followed on the next timeline, after the fault", Duration.between(faultAt, Instant.now()).toMillis()
                + " ms (checked for " + took.toMillis() + " ms)");
    }

    @Then("within {int} seconds the old leader streams from the new leader on the new timeline, as Patroni rejoined it, and Patroni's table says so")
    public void rejoined(int seconds) {
        Instant t = Instant.now();
        // a rejoin that does not come is explained by what Patroni logged meanwhile (a pg_rewind refused, a start failing)
        withinOrWhy(seconds, old.name() + " streaming from the new leader on its timeline", io.triad.profile.sfa.Shape.PATRONI, null, t, () -> {
            List<Db.NodeState> st = states();
            Db.NodeState p = primary(st);
            Db.NodeState o = st.stream().filter(s -> s.node().equals(old.name())).findFirst().orElseThrow();
            check(o.streamsFrom(p, zone.host(p.node()).address()), old.name() + " does not stream from " + p.node() + " on timeline " + p.timeline()
                    + " (receiver " + o.receiver() + ")");
        });
        zone.evidence().figure("old leader streaming again, after its return", Duration.between(t, Instant.now()).toMillis() + " ms");
    }

    // ---- drill.2: the DCS majority lost --------------------------------------------------------------

    private final List<Host> etcdStopped = new java.util.ArrayList<>();
    private Instant demotedAt;
    private Instant restoredAt;

    @When("etcd is stopped on the two nodes that do not lead")
    public void stopDcsMajority() {
        old = zone.host(before.node());
        Nemesis nemesis = new Nemesis(zone);
        nodes().stream().filter(h -> h != old).forEach(etcdStopped::add);
        Nemesis.Applied last = null;
        for (Host h : etcdStopped) {
            last = nemesis.stop("dcs-majority", h, io.triad.profile.sfa.Shape.ETCD);
        }
        // the majority is lost once the second member has stopped: read on its node right after
        // systemctl stop returned (its processes gone), not when the harness got the answer back
        faultAt = last == null ? Instant.now() : last.tookEffect();
        writes.faulted(old, faultAt);
        zone.evidence().note("DCS majority lost", "etcd stopped on " + etcdStopped.stream().map(Host::name).toList() + " at " + faultAt
                + "; the leader " + old.name() + "'s own member runs, alone");
    }

    /** The latest sample of each node since {@code since}: whether it said it accepts writes. */
    private Map<String, Boolean> writableSince(Instant since) {
        Map<String, Boolean> latest = new LinkedHashMap<>();
        for (History.Sample s : ledger.history().samples()) {
            if (!s.start().isBefore(since) && "true".equals(s.states().get("serving"))) {
                latest.put(s.node(), "true".equals(s.states().get("writable")));
            }
        }
        return latest;
    }

    /** The least a failover after the leader's crash takes, Patroni's ttl less its loop_wait ({@code GET /config}); zero when unread. */
    private Duration patroniFloor() {
        return patroniConfig().map(c -> Duration.ofSeconds(Math.max(0, c.path("ttl").asLong(0) - c.path("loop_wait").asLong(0))))
                .orElse(Duration.ZERO);
    }

    /** Patroni's ttl, loop_wait and retry_timeout ({@code GET /config}), for a figure's text. */
    private String patroniTimers() {
        return patroniConfig().map(c -> "ttl " + c.path("ttl").asText("?") + " s, loop_wait " + c.path("loop_wait").asText("?")
                + " s, retry_timeout " + c.path("retry_timeout").asText("?") + " s").orElse("timers unread: no node's REST API answered with them");
    }

    /** Patroni's dynamic configuration as its REST API on the first node that answers gives it (the crashed old leader left out). */
    private Optional<com.fasterxml.jackson.databind.JsonNode> patroniConfig() {
        for (Host h : nodes()) {
            if (h == old) {
                continue;
            }
            io.triad.host.CommandResult r = h.exec("curl -fsS --max-time 2 http://127.0.0.1:" + settings.restPort() + "/config");
            if (r.ok()) {
                try {
                    return Optional.of(new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.stdout()));
                } catch (java.io.IOException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    @Then("within {int} seconds no node accepts writes: the leader demoted itself without the DCS, failsafe mode being off")
    public void demoted(int seconds) {
        Duration took = within(seconds, "no node accepting writes", () -> {
            Map<String, Boolean> latest = writableSince(Instant.now().minusMillis(700));
            check(latest.size() == nodes().size() && !latest.containsValue(true), "accepting writes, as last sampled: " + latest);
        });
        demotedAt = Instant.now();
        zone.evidence().figure("DCS majority lost to the leader demoted", Duration.between(faultAt, demotedAt).toMillis() + " ms (checked for "
                + took.toMillis() + " ms; Patroni's " + patroniTimers() + ")");
        long confirmed = ledger.history().ops("write").stream().filter(o -> o.ok() && o.complete().isAfter(faultAt) && o.complete().isBefore(demotedAt)).count();
        zone.evidence().figure("writes confirmed between the DCS loss and the demotion", String.valueOf(confirmed));
    }

    @Then("for {int} seconds no node accepts writes and no write is confirmed")
    public void staysClosed(int seconds) {
        Instant from = demotedAt;
        io.triad.zone.Within.holds(zone.evidence(), "nothing writable without the DCS majority", Duration.ofSeconds(seconds), () -> {
            Map<String, Boolean> latest = writableSince(from);
            check(!latest.containsValue(true), "a node accepts writes without the DCS majority: " + latest);
            Optional<History.Op> w = ledger.history().ops("write").stream().filter(o -> o.ok() && o.invoke().isAfter(from)).findFirst();
            check(w.isEmpty(), "a write was confirmed without the DCS majority: " + w.map(o -> o.id() + " by " + o.node()).orElse(""));
        });
    }

    @When("etcd is started again on both nodes")
    public void startDcs() {
        restoredAt = Instant.now();
        for (Host h : etcdStopped) {
            new Nemesis(zone).startStopped(h, io.triad.profile.sfa.Shape.ETCD);
        }
    }

    @Then("within {int} seconds one node leads and a write is confirmed again")
    public void writableAgain(int seconds) {
        Duration took = within(seconds, "a write confirmed after the DCS returned", () -> check(ledger.history().ops("write").stream()
                .anyMatch(o -> o.ok() && o.invoke().isAfter(restoredAt)), "none yet"));
        zone.evidence().figure("DCS back to the first write confirmed", took.toMillis() + " ms");
        primary(states());
    }

    /** A WAL position as PostgreSQL writes it ("0/6032A28"). */
    static String lsn(long at) {
        return Long.toHexString(at >>> 32).toUpperCase() + "/" + Long.toHexString(at & 0xffffffffL).toUpperCase();
    }
}
