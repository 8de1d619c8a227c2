package io.triad.steps.threephoenix;

import io.triad.tech.postgres.Db;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.triad.check.AsyncLostWrites;
import io.triad.check.LostWrites;
import io.triad.check.StaleReads;
import io.triad.history.History;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.host.Shell;
import io.triad.tech.postgres.Ledger;
import io.triad.profile.threephoenix.PoolNodes;
import io.triad.profile.threephoenix.Shape;
import io.triad.zone.Nemesis;
import io.triad.zone.Within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The drills from a recorded history: the ledger client writing through Pgpool and reading its
 * own writes back, every node sampled; a crash of the primary (repmgrd's failover, Pgpool
 * following, the old primary fenced at its return and rejoined as a standby with pg_rewind).
 */
public class FailoverSteps extends PhoenixSupport {

    private Ledger ledger;

    /**
     * "No instant with two nodes accepting writes" is the shared sentence's ({@link io.triad.steps.common.DrillVocabularySteps}):
     * judged on the ledger's samples and on what each node's own server log says (a span from
     * "ready to accept connections" to its shutdown): a node the ledger could not sample, or
     * sampled late, is judged from its log.
     */
    private final io.triad.steps.common.ConfirmedWrites writes;

    public FailoverSteps(io.triad.run.Run run, io.triad.steps.common.Exclusive exclusive, io.triad.steps.common.ConfirmedWrites writes) {
        super(run);
        this.writes = writes;
        exclusive.recordedBy("the three-phoenix drill's ledger", () -> {
            check(ledger != null, "no ledger was started in this scenario");
            ledger.stop();
            return new io.triad.steps.common.Exclusive.Evidence(ledger.history().samples(),
                    ledger.serverLogClaims(settings.serverLog()));
        });
    }
    private Db.NodeState before;
    private Host crashed;
    private Instant crashedAt;
    private Instant settledAt;
    private String newPrimary;

    @Given("the ledger client writes through Pgpool and reads its own writes back, every database node sampled")
    public void record() {
        before = primary(states());
        // Registered before anything else of the drill, so undone last (after a crashed node's restart): should
        // the drill end early, the old primary is rejoined as a standby (nothing is done where it is one).
        Host node = zone.host(before.node());
        zone.faults().applied("rejoin " + node.name() + " as a standby if it is not one", () -> {
            try {
                rejoin(node);
            } catch (AssertionError e) { // the heal goes on; the zone's settle after the scenario says what is left
                zone.evidence().note("rejoin of " + node.name() + " not done", String.valueOf(e.getMessage()));
            }
        });
        ledger = Ledger.start(zone, new Ledger.Target(zone.supportHost(settings.poolHost()), "host=127.0.0.1 port=" + settings.poolPort()
                + " dbname=" + settings.database() + " user=" + settings.database() + " connect_timeout=2", settings.database(), settings.lagBound(),
                nodes(), "current_setting('cluster_name')", java.util.Map.of()));
        writes.recordedBy(new io.triad.steps.common.ConfirmedWrites.Source(ledger, () -> zone.host(primary(states()).node()),
                settings.lagBound(), io.triad.profile.threephoenix.Shape.REPMGRD, this::repmgrdFloor));
        Duration took = within(20, "the ledger client's first write confirmed and its first read made", () -> check(
                ledger.history().ops("write").stream().anyMatch(History.Op::ok) && !ledger.history().ops("read").isEmpty(),
                "writes confirmed " + ledger.history().ops("write").stream().filter(History.Op::ok).count() + ", reads "
                        + ledger.history().ops("read").size()));
        zone.evidence().figure("the ledger client's first write and read after its start", took.toMillis() + " ms");
    }

    @When("the primary crashes")
    public void crash() {
        crashed = zone.host(before.node());
        crashedAt = new Nemesis(zone).crash(crashed);
        writes.faulted(crashed, crashedAt);
        zone.evidence().note("crash", "the primary " + crashed.name() + " (timeline " + before.timeline() + ") crashed at " + crashedAt);
    }

    /**
     * The least a failover after the primary's crash takes: repmgrd tries its upstream
     * reconnect_attempts times, reconnect_interval seconds apart, before it promotes (repmgr.conf on
     * a standby); zero when unread.
     */
    private Duration repmgrdFloor() {
        for (Host h : zone.hostsRunning(io.triad.profile.threephoenix.Shape.REPMGRD)) {
            if (h == crashed) {
                continue;
            }
            io.triad.host.CommandResult r = h.exec(h.asRoot("grep -E '^(reconnect_attempts|reconnect_interval)=' " + q(settings.repmgrConf())));
            java.util.Map<String, Long> v = new java.util.HashMap<>();
            r.stdout().lines().forEach(l -> {
                String[] kv = l.split("=", 2);
                try {
                    v.put(kv[0].strip(), Long.parseLong(kv[1].strip().replace("'", "")));
                } catch (RuntimeException e) {
                    // not a number: not used
                }
            });
            if (v.containsKey("reconnect_attempts") && v.containsKey("reconnect_interval")) {
                return Duration.ofSeconds(Math.max(0, v.get("reconnect_attempts") - 1) * v.get("reconnect_interval"));
            }
        }
        return Duration.ZERO;
    }

    private Optional<History.Op> firstConfirmedElsewhere() {
        return io.triad.check.FailoverWindow.firstAfter(ledger.history(), "write", crashedAt, crashed.name());
    }

    @Then("within {int} seconds Pgpool names the new primary, one timeline above the old, and the other standby streams from it on that timeline")
    public void followed(int seconds) {
        List<Host> others = nodes().stream().filter(h -> h != crashed).toList();
        Duration took = within(seconds, "the new primary promoted, followed and named by Pgpool", () -> {
            List<Db.NodeState> st = zone.onEach(others, Db.NodeState::read);
            Db.NodeState p = primary(st);
            check(p.timeline() == before.timeline() + 1, p.node() + " accepts writes on timeline " + p.timeline() + ", not "
                    + (before.timeline() + 1) + " (one promotion from " + before.timeline() + ")");
            String address = zone.host(p.node()).address();
            for (Db.NodeState s : st) {
                if (s != p) {
                    check(s.streamsFrom(p, address), s.node() + " does not stream from the new primary " + p.node() + " on timeline "
                            + p.timeline() + " (receiver " + s.receiver() + ")");
                }
            }
            PoolNodes pool = PoolNodes.read(zone.supportHost(settings.poolHost()), settings, Shape.names(zone));
            List<String> named = pool.nodes().stream().filter(n -> n.role().equals("primary")).map(PoolNodes.Node::name).toList();
            check(named.equals(List.of(p.node())), "Pgpool names " + (named.isEmpty() ? "no primary" : String.join(" and ", named))
                    + " while " + p.node() + " accepts writes");
            newPrimary = p.node();
        });
        zone.evidence().figure("new primary followed and named by Pgpool, after the crash", Duration.between(crashedAt, Instant.now())
                .toMillis() + " ms (" + newPrimary + ", timeline " + before.timeline() + " to " + (before.timeline() + 1) + "; checked for "
                + took.toMillis() + " ms)");
    }

    /**
     * The fence is a promise over a window: the old primary stays down until an operator rejoins it,
     * whatever starts it meanwhile. Tried at the boot's end and, when the instance's unit restarts
     * itself ({@code Restart=} other than no), again once its own restart has been tried (its restart
     * count up, that start over): a fence that holds at boot and lets a restart through is found
     * here, not left to the race with the rejoin.
     */
    @Then("once its boot is over it does not accept writes, nor once its unit's own restart has been tried: fenced, not a second primary")
    public void fenced() {
        String unit = zone.unit(Shape.POSTGRES);
        Optional<Boolean> atBootEnd = notWritable("at its boot's end");
        io.triad.probe.Restarts.State at = io.triad.probe.Restarts.of(crashed, unit);
        if (!at.restarts()) {
            zone.evidence().figure(crashed.name() + " at its return", describe(unit, atBootEnd) + "; its unit does not restart itself (" + at + ")");
            return;
        }
        Instant from = Instant.now();
        io.triad.probe.Restarts.State[] now = {at};
        Duration deadline = at.interval().plusSeconds(60);
        Within.until(zone.evidence(), unit + " on " + crashed.name() + " restarted by its own policy and that start over",
                deadline, () -> {
                    now[0] = io.triad.probe.Restarts.of(crashed, unit);
                    if (inRecovery(crashed).filter(r -> !r).isPresent()) {
                        return; // writable: no use waiting, it fails below
                    }
                    check(now[0].restartsSoFar() > at.restartsSoFar() && !now[0].starting(), "not yet (" + now[0] + ")");
                });
        Optional<Boolean> afterRestart = notWritable(Duration.between(from, Instant.now()).toMillis() + " ms after its boot's end, its unit"
                + " having restarted it (" + now[0] + ")");
        zone.evidence().figure(crashed.name() + " at its return", describe(unit, afterRestart) + " at the boot's end and "
                + Duration.between(from, Instant.now()).toMillis() + " ms later, its unit's own restart tried (" + now[0] + ")");
    }

    /**
     * Fails when the crashed node's instance accepts writes, {@code when} said in the message; else
     * what it answered (in recovery, or empty: no instance answers).
     */
    private Optional<Boolean> notWritable(String when) {
        Optional<Boolean> inRecovery = inRecovery(crashed);
        if (inRecovery.isPresent() && !inRecovery.get()) {
            throw new AssertionError(crashed.name() + " came back accepting writes " + when + " while " + newPrimary
                    + " is the primary: two primaries (nothing fenced the old primary at that start)");
        }
        return inRecovery;
    }

    /** What the crashed node's instance is, from what it answered ({@link #notWritable}). */
    private String describe(String unit, Optional<Boolean> inRecovery) {
        return inRecovery.isPresent() ? "a standby (in recovery)"
                : "fenced: its instance not started (" + unit + " " + crashed.exec("systemctl is-active " + Shell.quote(unit)).stdout().strip() + ")";
    }

    @When("it is rejoined as a standby of the new primary with repmgr node rejoin --force-rewind")
    public void rejoinStep() {
        Instant t = Instant.now();
        rejoin(crashed);
        zone.evidence().figure("rejoin of " + crashed.name() + " (crash recovery, pg_rewind, start as a standby)",
                Duration.between(t, Instant.now()).toMillis() + " ms");
    }

    /** Whether the node's instance is in recovery (a standby), or empty when it does not answer (not running). */
    private static Optional<Boolean> inRecovery(Host h) {
        CommandResult r = h.exec(h.asRoot(Db.psql("postgres", "SELECT pg_is_in_recovery()")));
        return r.ok() ? Optional.of(r.stdout().strip().equals("t")) : Optional.empty();
    }

    /**
     * Makes {@code h} a standby of the node that accepts writes, unless it streams already: its
     * repmgrd stopped for the while (started again after, if enabled) and its instance stopped (a
     * second primary is stopped here), crash recovery in single-user mode where it did not shut
     * down cleanly (no connection is accepted meanwhile, so no write can land on it; left to
     * pg_rewind when an earlier rejoin wrote standby.signal), a checkpoint on the new primary
     * (pg_rewind reads its timeline from there), then repmgr's rejoin with pg_rewind, which starts
     * it as a standby.
     */
    private void rejoin(Host h) {
        List<Host> others = nodes().stream().filter(n -> n != h).toList();
        // the node that accepts writes among the others: none (h is still the primary: nothing to rejoin) fails here
        Db.NodeState p = primary(zone.onEach(others, Db.NodeState::read));
        if (inRecovery(h).orElse(false)) {
            return;
        }
        String primaryAddress = zone.host(p.node()).address();
        String data = settings.dataDirectory();
        String script = """
                set -e
                unit=%1$s data=%2$s conf=%3$s repmgrd=%5$s
                bindir="$(sed -n "s/^pg_bindir='\\(.*\\)'/\\1/p" "$conf")"
                # repmgrd restarts while its instance is down and may pull the instance's start with it: a
                # start begun before repmgr writes standby.signal is refused by the fence, and repmgr's own
                # start then joins that failing job. repmgrd stays stopped until the rejoin is over.
                if systemctl is-enabled --quiet "$repmgrd" 2>/dev/null; then
                  trap 'systemctl start "$repmgrd" || echo "repmgrd did not start again: $repmgrd"' EXIT
                fi
                systemctl stop "$repmgrd" || true
                systemctl stop "$unit" || true
                state="$(cd / && runuser -u postgres -- "$bindir/pg_controldata" "$data" | sed -n 's/^Database cluster state: *//p')"
                echo "cluster state: $state"
                case "$state" in
                  "shut down"|"shut down in recovery") ;;
                  *) if [ -f "$data/standby.signal" ]; then
                       # a rejoin that stopped after writing its recovery configuration: single-user mode
                       # refuses standby.signal; pg_rewind recovers the instance itself (repmgr hides the signal meanwhile)
                       echo "standby.signal present: crash recovery left to pg_rewind"
                     else
                       config="$(cd / && runuser -u postgres -- psql -XAtc 'SHOW config_file' 2>/dev/null || true)"
                       [ -n "$config" ] || config="$(ls /etc/postgresql/*/main/postgresql.conf | head -n 1)"
                       echo "crash recovery in single-user mode ($config)"
                       cd / && runuser -u postgres -- "$bindir/postgres" --single -D "$data" -c config_file="$config" postgres </dev/null
                     fi ;;
                esac
                # pg_rewind reads the source's timeline from its control file, which a promotion updates only
                # at its first checkpoint: a rewind started before it finds "the same timeline", rewinds
                # nothing, and the rejoin fails (Patroni checkpoints first for this reason, patroni#108)
                cd / && runuser -u postgres -- psql -X -d %4$s -c CHECKPOINT
                cd / && runuser -u postgres -- repmgr node rejoin -f "$conf" -d %4$s --force-rewind --verbose
                """.formatted(Shell.quote(zone.unit(Shape.POSTGRES)), Shell.quote(data), Shell.quote(settings.repmgrConf()),
                Shell.quote("host=" + primaryAddress + " port=" + settings.postgresPort() + " user=repmgr dbname=repmgr connect_timeout=5"),
                Shell.quote(zone.unit(Shape.REPMGRD)));
        h.exec(h.asRoot("bash -c " + Shell.quote(script)), Duration.ofSeconds(120)).requireOk();
    }

    @Then("within {int} seconds the zone is steady again, every standby streaming from the new primary on its timeline")
    public void steadyAgain(int seconds) {
        Duration took = steadyWithin(seconds, "the zone steady after the rejoin");
        settledAt = Instant.now();
        zone.evidence().figure("steady after the rejoin", took.toMillis() + " ms");
        // the client reads on, now that the zone is whole again: those are the reads judged
        readsSince(settledAt, 20, "the zone settled");
    }

    /** Waits (at most 30 s) until the client has made {@code count} reads with an answer since {@code since}. */
    private void readsSince(Instant since, int count, String what) {
        within(30, count + " of the client's reads made after " + what, () -> check(ledger.history().ops("read").stream()
                .filter(o -> !o.invoke().isBefore(since) && o.outcome() != History.Outcome.UNKNOWN).count() >= count, "not yet"));
    }

    @Then("the client's reads through Pgpool found its own writes once the zone was steady again")
    public void freshReads() {
        verdict(StaleReads.check(ledger.history(), settledAt));
    }

    // ---- drill.2: the phoenix rotation -------------------------------------------------------------

    /** What each week of the rotation did: the week, when it started, the job's record, the primary and timeline after it. */
    record Week(int week, Instant started, String job, String primary, int timeline) { }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private final List<Week> weeks = new ArrayList<>();
    /** The windows in which the rotation's reads are judged: each week's settle until the next week's start. */
    private final List<Instant[]> settledWindows = new ArrayList<>();

    @When("the phoenix rotation's three weeks run one after the other, the zone steady again after each")
    public void rotation() {
        new Nemesis(zone).requireAllowed("phoenix-rotation");
        Host repo = zone.supportHost(settings.repositoryHost());
        for (int week = 1; week <= 3; week++) {
            Instant start = Instant.now();
            String name = "phoenix rotation, week " + week;
            zone.faults().applied(name, repo.name(), start, io.triad.zone.Faults.Impact.NONE, () -> { });
            CommandResult r = repo.exec(repo.asRoot(settings.rotationCommand().replace("{week}", String.valueOf(week))), Duration.ofMinutes(10));
            zone.faults().heal(name, repo.name(), zone.evidence());
            Duration job = Duration.between(start, Instant.now());
            check(r.ok(), "week " + week + " of the rotation failed on " + repo.name() + " (exit " + r.exitCode() + "): "
                    + (r.stdout() + "\n" + r.stderr()).strip().lines().reduce((a, b) -> b).orElse("no output"));
            Duration settled = steadyWithin(120, "the zone steady after week " + week + " of the rotation");
            // the client reads on with the zone whole again: those reads are judged (5 of them before the next week)
            Instant steady = Instant.now();
            readsSince(steady, 5, "week " + week);
            settledWindows.add(new Instant[] {steady, Instant.now()});
            Db.NodeState p = primary(states());
            String record = repo.exec(repo.asRoot("tail -n 1 " + Shell.quote(settings.jobHistory()))).stdout().strip();
            weeks.add(new Week(week, start, record, p.node(), p.timeline()));
            zone.evidence().figure("rotation week " + week, "job " + job.toMillis() + " ms, then steady in " + settled.toMillis() + " ms; primary "
                    + p.node() + " on timeline " + p.timeline());
        }
        settledAt = Instant.now();
        readsSince(settledAt, 20, "the rotation");
        settledWindows.add(new Instant[] {settledAt, Instant.MAX});
    }

    @Then("after each week the client's reads through Pgpool found its own writes")
    public void freshReadsAfterEachWeek() {
        verdict(StaleReads.check(ledger.history(), settledWindows));
    }

    @Then("each week's job Completed and replaced the database instance it names, and every instance was made again in the three weeks")
    public void weeksCompleted() {
        check(weeks.size() == 3, weeks.size() + " weeks of the rotation ran, not 3");
        List<String> problems = new ArrayList<>();
        for (Week w : weeks) {
            com.fasterxml.jackson.databind.JsonNode job;
            try {
                job = JSON.readTree(w.job());
            } catch (java.io.IOException | RuntimeException e) {
                problems.add("week " + w.week() + ": the job history's last line is not a job record: " + w.job());
                continue;
            }
            if (!job.path("status").asText().equals("Completed") || job.path("week").asInt() != w.week()) {
                problems.add("week " + w.week() + ": the last job record is " + job.path("job").asText() + " week " + job.path("week").asText()
                        + " " + job.path("status").asText() + " (" + job.path("message").asText() + ")");
                continue;
            }
            Host node = zone.host(job.path("node").asText());
            // the instance made again: its data directory's PG_VERSION written by the clone, after the week began
            Instant made = instanceMade(node);
            zone.evidence().figure("rotation week " + w.week() + ": " + job.path("step").asText(), node.name() + "'s instance made at " + made);
            if (made.getEpochSecond() < w.started().getEpochSecond() - 1) {
                problems.add("week " + w.week() + " (" + job.path("step").asText() + "): " + node.name() + "'s instance was not made again (its data"
                        + " directory dates from " + made + ", the week began at " + w.started() + ")");
            }
        }
        // The cycle's promise, read on every node rather than taken from the records: each database
        // instance made again within the three weeks (a job that re-clones one standby twice and
        // names it each time leaves the other to age, every record and every week's own check right).
        Instant cycle = weeks.get(0).started();
        for (Host h : nodes()) {
            Instant made = instanceMade(h);
            if (made.getEpochSecond() < cycle.getEpochSecond() - 1) {
                problems.add(h.name() + "'s instance was not made again in the three weeks (its data directory dates from "
                        + made + ", the rotation began at " + cycle + "): the cycle leaves it to age");
            }
        }
        none(problems, "the rotation did not do what its weeks say");
    }

    @Then("the timeline rose by exactly 1, at the switchover, and every standby streams from the new primary on it")
    public void timeline() {
        List<String> problems = new ArrayList<>();
        int expected = before.timeline();
        for (Week w : weeks) {
            if (w.week() == 3) {
                expected++;
                if (w.primary().equals(before.node())) {
                    problems.add("week 3's switchover left " + before.node() + " the primary");
                }
            }
            if (w.timeline() != expected) {
                problems.add("after week " + w.week() + " the primary " + w.primary() + " is on timeline " + w.timeline() + ", not " + expected);
            }
        }
        List<Db.NodeState> st = states();
        Db.NodeState p = primary(st);
        String address = zone.host(p.node()).address();
        for (Db.NodeState s : st) {
            if (s != p && !s.streamsFrom(p, address)) {
                problems.add(s.node() + " does not stream from the new primary " + p.node() + " on timeline " + p.timeline());
            }
        }
        zone.evidence().figure("timeline", before.timeline() + " before the rotation (" + before.node() + "), " + p.timeline() + " after it ("
                + p.node() + ")");
        none(problems, "the rotation's timelines");
    }

}
