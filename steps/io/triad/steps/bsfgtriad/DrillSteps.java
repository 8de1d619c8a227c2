package io.triad.steps.bsfgtriad;

import io.triad.profile.bsfgtriad.Steady;

import io.triad.profile.bsfgtriad.Settings;

import io.triad.steps.common.Support;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.triad.check.Availability;
import io.triad.check.DualActive;
import io.triad.check.FailClosed;
import io.triad.check.FailoverWindow;
import io.triad.check.Flapping;
import io.triad.check.LostWrites;
import io.triad.history.History;
import io.triad.host.Host;
import io.triad.profile.bsfgtriad.Probes;
import io.triad.zone.Nemesis;
import io.triad.profile.bsfgtriad.Recorder;
import io.triad.profile.bsfgtriad.ControllerWithoutLease;
import io.triad.zone.Within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Drills: faults injected while a history is recorded, judged afterwards by the checkers in
 * {@code io.triad.check}. Steps stay thin: a sentence applies one fault, waits for the history to
 * hold what a checker needs, or hands the history to one checker.
 */
public class DrillSteps extends Support {

    private final Probes probes = new Probes(zone);
    private final Nemesis nemesis = new Nemesis(zone);

    /** The node serving before the fault, the fault's instant, the instant the quorum was lost and restored, the heal. */
    private String servedBefore;
    private Instant faultAt;
    private Instant quorumLostAt;
    private Instant quorumBackAt;
    private Instant healedAt;
    private Host quorumHost;

    /**
     * "No instant with two VIP holders or two active controllers" is the shared sentence's
     * ({@link io.triad.steps.common.DrillVocabularySteps}): judged on the recorder's samples and
     * on the nodes' keepalived, lease agent and controller lines ({@link Recorder#logClaims}).
     */
    public DrillSteps(io.triad.run.Run run, io.triad.steps.common.Exclusive exclusive) {
        super(run);
        exclusive.recordedBy("the BSFG drill's recorder", () -> new io.triad.steps.common.Exclusive.Evidence(history().samples(), recorder().logClaims()));
    }

    private Recorder recorder() {
        return zone.recording(Recorder.class).orElseThrow(() -> new AssertionError("no history is being recorded: the scenario must start"
                + " the recording first"));
    }

    private History history() {
        return zone.recording().map(io.triad.zone.Recording::history).orElseThrow(() -> new AssertionError("no history was recorded"));
    }

    // ---- setup --------------------------------------------------------------------------------

    @Given("within {int} seconds the zone is steady with {word} active and every JetStream replica current")
    public void steadyAndCurrent(int seconds, String name) {
        int replicas = zone.hostsRunning("jetstream").size();
        steadyWithin(seconds, "zone steady with " + name + " active, " + replicas + " replicas current", Steady.CHECKED_BY_THE_STEPS, () -> {
            List<Host> holders = probes.vipHolders();
            check(holders.size() == 1 && holders.get(0).name().equals(name), "the VIP is held by " + names(holders)
                    + ", expected " + name);
            Probes.HealthAnswer answer = probes.healthThroughVip(Duration.ofSeconds(3));
            check(answer.ok(), "health through the VIP answered " + answer);
            check(answer.body().contains("\"replicas_current\":" + replicas), "not every replica is current: " + answer.body());
        });
    }

    /**
     * The drills judge a controller active while it runs under a valid lease ({@link Recorder}):
     * this tries, on a node that may hold the VIP but holds no lease now, that a controller started
     * there refuses and ends itself ({@link ControllerWithoutLease}). In a zone without a lease the
     * drills judge the process alone and there is nothing to try.
     */
    @Given("a controller started on a standby node, where no lease names it, refuses to serve and ends itself")
    public void controllerWithoutLeaseRefuses() {
        if (Settings.of(zone.env()).vipLease().isEmpty()) {
            zone.evidence().note("a controller without the lease", "the zone has no lease (vip_lease): the drills judge the controller's"
                    + " process alone, nothing to try");
            return;
        }
        List<Host> holders = probes.vipHolders();
        Host standby = zone.hostsRunning("controller").stream().filter(h -> holders.stream().noneMatch(x -> x.name().equals(h.name())))
                .findFirst().orElseThrow(() -> new AssertionError("no node that may hold the VIP is standby (VIP held by " + names(holders)
                        + "): nowhere to try a controller without the lease"));
        int port = Settings.of(zone.env()).ports().controller() + 10000;
        long t0 = System.nanoTime();
        io.triad.host.CommandResult r = standby.exec(standby.asRoot(ControllerWithoutLease.script(zone.unit("controller"), port)),
                Duration.ofSeconds(ControllerWithoutLease.DEADLINE_SECONDS + 15));
        if (planning()) {
            return;
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        java.util.Optional<String> problem = ControllerWithoutLease.problem(standby.name(), r.stdout());
        problem.ifPresent(p -> { throw new AssertionError(p); });
        zone.evidence().note("a controller without the lease", "started on " + standby.name() + " (127.0.0.1:" + port + ", as its unit runs it):"
                + " it refused and ended itself (exit 75, state=lease-lost); the try took " + ms + " ms");
    }

    @Given("a history is recorded: every node sampled, health probes and writes through the VIP")
    public void record() {
        Recorder r = Recorder.start(zone, true);
        Duration took = Within.until(zone.evidence(), "the recording sees every node, a healthy answer and an acknowledged write",
                Duration.ofSeconds(15), () -> {
                    History h = r.history();
                    for (Host host : zone.hosts()) {
                        check(h.samples().stream().anyMatch(s -> s.node().equals(host.name())), "no sample from " + host.name() + " yet");
                    }
                    check(h.ops("health").stream().anyMatch(History.Op::ok), "no healthy answer through the VIP yet");
                    check(h.ops("write").stream().anyMatch(History.Op::ok), "no acknowledged write through the VIP yet");
                });
        zone.evidence().note("recording", "history recording started at " + r.started() + " (write ids " + r.prefix()
                + "-w<n>); every node, a healthy answer and an acknowledged write seen after " + took.toMillis() + " ms");
    }

    // ---- faults -------------------------------------------------------------------------------

    private Host holder() {
        List<Host> holders = probes.vipHolders();
        check(holders.size() == 1, "VIP held by " + names(holders) + ": no single active node to act on");
        servedBefore = holders.get(0).name();
        return holders.get(0);
    }

    /**
     * Notes the VIP holder for a fault that does not act on it (a named node, the routes): one
     * that is moving (right after an earlier fault of the scenario) is not this step's failure,
     * and the guard rails still judge the fault.
     */
    private void noteHolder() {
        List<Host> holders = probes.vipHolders();
        if (holders.size() == 1) {
            servedBefore = holders.get(0).name();
        }
    }

    @When("the active node crashes")
    public void crash() {
        faultAt = nemesis.crash(holder());
    }

    @When("the active node is frozen")
    public void freeze() {
        faultAt = nemesis.freeze(holder());
    }

    @When("keepalived is killed with SIGKILL on the active node")
    public void killKeepalived() {
        faultAt = nemesis.killService("kill-keepalived", holder(), "keepalived", false);
    }

    @When("the controller is killed with SIGKILL on the active node")
    public void killController() {
        faultAt = nemesis.killService("kill-controller", holder(), "controller", true); // the promotion flow restarts it
    }

    @When("keepalived is stopped on the active node")
    public void demote() {
        // from the command, not from systemctl's return: the handover begins with the stop signal (keepalived
        // announces priority 0 as it exits, and a backup takes over before the stop has returned)
        faultAt = nemesis.stop("controlled-demotion", holder(), "keepalived").commanded();
    }

    @When("the link between {word} and {word} is cut")
    public void cutLink(String a, String b) {
        noteHolder();
        faultAt = nemesis.partition("cut-link", zone.host(a), List.of(zone.host(b)));
    }

    @When("{word} is partitioned from the other nodes")
    public void partition(String name) {
        Host h = zone.host(name);
        List<Host> others = new ArrayList<>(zone.hosts());
        others.remove(h);
        noteHolder();
        faultAt = nemesis.partition("partition-node", h, others);
    }

    @When("JetStream is stopped on {word}")
    public void stopJetStream(String name) {
        noteHolder();
        faultAt = nemesis.stop("stop-jetstream", zone.host(name), "jetstream").tookEffect(); // its server gone, read on its node
    }

    @When("JetStream is stopped on {word} and {word}: the quorum is lost")
    public void loseQuorum(String a, String b) {
        noteHolder();
        nemesis.requireAllowed("quorum-loss");
        faultAt = nemesis.stop("quorum-loss", zone.host(a), "jetstream").tookEffect();
        // the second server has exited (read on its node, not when the harness heard back): from here no majority is left
        quorumLostAt = nemesis.stop("quorum-loss", zone.host(b), "jetstream").tookEffect();
        zone.evidence().note("quorum lost", "JetStream stopped on " + a + " from " + faultAt + " and on " + b
                + "; the quorum is lost from " + quorumLostAt + " (" + b + "'s clock right after its server exited)");
        quorumHost = zone.host(b);
    }

    /**
     * Runbook 6.3's health gate, made to refuse: while the quorum is lost, the gate of the promotion
     * flow (paths.health_gate, run as the flow runs it, as root) must fail on every VIP node, also
     * where JetStream still runs. A gate that passes without a quorum would start a controller that
     * cannot write.
     */
    @Then("within {int} seconds the promotion's health gate refuses on every VIP node")
    public void gateRefuses(int seconds) {
        String gate = Settings.of(zone.env()).paths().healthGate();
        Duration took = within(seconds, "the health gate refuses on every VIP node", () -> {
            List<String> passed = zone.onEach(zone.vipHosts(), h -> h.exec(h.asRoot(q(gate))).ok() ? h.name() : "").stream()
                    .filter(n -> !n.isEmpty()).toList();
            check(passed.isEmpty(), "the promotion's health gate " + gate + " passed on " + String.join(" and ", passed)
                    + " while the quorum was lost: a node would start its controller without a quorum");
        });
        zone.evidence().figure("health gate refusing on every VIP node after the quorum's loss", took.toMillis() + " ms");
    }

    @When("every JetStream route is slowed by {int} ms of latency each way, jitter {int} ms")
    public void slowRoutes(int latency, int jitter) {
        noteHolder();
        Instant inEffect = nemesis.slowRoutes(new Nemesis.Toxic("latency", latency, jitter), "jetstream",
                Settings.of(zone.env()).ports().natsCluster(), io.triad.tech.nats.Routez.roundTrips(Settings.of(zone.env()).ports().natsMonitor()));
        // Judged once the zone has settled over the slowed routes (5 s of writes all acknowledged):
        // resetting the routes so that they redial through the proxies is the harness's doing, and
        // its transient (a JetStream election, a lease renewed late) is not the slowness.
        faultAt = inEffect;
        if (zone.recording().isEmpty()) {
            return;
        }
        History h = history();
        Duration settle = Duration.ofSeconds(5);
        awaitHistory(Duration.ofSeconds(45), "5 s of writes all acknowledged over the slowed routes", () ->
                (faultAt = settledFrom(h, inEffect, settle)) != null);
        if (faultAt == null) { // never settled: judged from the slowdown, the transient included
            faultAt = inEffect;
        }
        zone.evidence().note("judged from", "the zone is judged from " + faultAt + ", from which 5 s of writes were all"
                + " acknowledged over the slowed routes (slowed from " + inEffect + ")");
    }

    @When("JetStream is started again on {word}")
    public void startJetStream(String name) {
        Instant at = Instant.now();
        boolean healed = new Nemesis(zone).startStopped(zone.host(name), "jetstream");
        check(healed, "JetStream was not stopped on " + name + " by this scenario");
        if (quorumLostAt != null && quorumBackAt == null) {
            quorumBackAt = at;
        }
    }

    @When("the faults are healed")
    public void heal() {
        healedAt = Instant.now();
        zone.faults().healAll(zone.evidence());
        if (quorumLostAt != null && quorumBackAt == null) {
            quorumBackAt = healedAt;
        }
    }

    @When("the history is recorded for {int} more seconds")
    public void observe(int seconds) {
        Recorder r = recorder();
        Instant until = Instant.now().plusSeconds(seconds);
        // After a heal the zone settles in this window (looked at until its end): the scenario's end need not wait again.
        boolean settling = !zone.planning() && zone.disturbedSinceSettled();
        if (settling) {
            zone.settleBy(until);
        }
        Duration left = settling ? Duration.between(Instant.now(), until) : Duration.ofSeconds(seconds);
        Within.holds(zone.evidence(), "recording for " + seconds + " s", left.isNegative() ? Duration.ZERO : left,
                () -> check(zone.recording().isPresent(), "the recording ended"));
        zone.evidence().note("observed", seconds + " s more recorded (" + r.history().samples().size() + " samples so far)");
    }

    // ---- checkers -----------------------------------------------------------------------------

    @Then("another node answers healthy through the VIP within the failover window")
    public void failover() {
        check(faultAt != null, "no fault was applied in this scenario");
        Duration window = zone.env().thresholds().failoverWindow();
        History h = history();
        awaitHistory(window.plusSeconds(5), "a healthy answer from a node other than " + servedBefore, () ->
                FailoverWindow.firstHealthyAfter(h, faultAt, servedBefore).isPresent());
        io.triad.check.Verdict v = FailoverWindow.check(h, faultAt, window, servedBefore);
        if (!v.ok()) {
            // why it was slow, when the history so far says it: two VIP holders (clients reach the one that
            // no longer serves) or two active controllers; said here, since this step ends the scenario
            io.triad.check.Verdict dual = DualActive.verdict(h.samples(), zone.env().profile().exclusive(), DualActive.DEFAULT_MAX_GAP);
            if (!dual.ok()) {
                zone.evidence().note("checker: " + dual.checker() + " (the history up to the slow failover)", dual.summary() + "\n\n" + dual.evidence());
                v = new io.triad.check.Verdict(v.checker(), false, v.summary() + "; meanwhile " + dual.checker() + ": " + dual.summary(),
                        v.figures(), v.evidence());
            }
            if (FailoverWindow.firstHealthyAfter(h, faultAt, servedBefore).isEmpty() && !planning()) {
                // no failover at all: what keepalived on the other VIP nodes said is the likeliest cause (a failing
                // track script, a FAULT state, a priority); quoted so that a CI log shows it
                v = new io.triad.check.Verdict(v.checker(), false, v.summary() + "; " + why("a failover", "keepalived",
                        servedBefore == null ? null : zone.host(servedBefore), faultAt),
                        v.figures(), v.evidence());
            }
        }
        verdict(v);
    }

    @Then("the zone keeps serving: no {int} seconds pass without an acknowledged write")
    public void keepsServing(int seconds) {
        check(faultAt != null, "no fault was applied in this scenario");
        verdict(Availability.check(history(), faultAt, Instant.now(), Duration.ofSeconds(seconds)));
    }

    @Then("while the quorum was lost no write was acknowledged and, from {int} seconds after the loss, health refused: 503 or no node on the VIP")
    public void failClosed(int detection) {
        check(quorumLostAt != null && quorumBackAt != null, "the scenario must lose the quorum and then restore it");
        verdict(FailClosed.check(history(), quorumLostAt, quorumBackAt, Duration.ofSeconds(detection)));
    }

    @Then("writes are acknowledged again within {int} seconds of the quorum's return")
    public void recovered(int seconds) {
        check(quorumBackAt != null, "the quorum was not restored in this scenario");
        History h = history();
        Instant back = quorumBackAt;
        awaitHistory(Duration.ofSeconds(seconds), "an acknowledged write after the quorum's return",
                () -> h.ops("write").stream().anyMatch(w -> w.ok() && !w.invoke().isBefore(back)));
        java.util.Optional<History.Op> acknowledged = h.ops("write").stream().filter(w -> w.ok() && !w.invoke().isBefore(back)).findFirst();
        check(acknowledged.isPresent(), "no write was acknowledged after the quorum's return within " + seconds + " s");
        if (acknowledged.isEmpty()) {
            return; // a dry run: nothing was recorded
        }
        History.Op first = acknowledged.get();
        Duration took = Duration.between(back, first.complete());
        zone.evidence().figure("quorum return to first acknowledged write", took.toMillis() + " ms");
        check(took.compareTo(Duration.ofSeconds(seconds)) <= 0, "the first write acknowledged after the quorum's return took "
                + took.toMillis() + " ms");
    }

    @Then("the VIP moved at most {int} time(s) in the {int} seconds after the heal")
    public void noFlapping(int moves, int seconds) {
        check(healedAt != null, "nothing was healed in this scenario");
        History h = history();
        Instant until = healedAt.plusSeconds(seconds);
        zone.settleBy(until); // the window is time the zone settles in: the scenario's end need not wait again
        awaitHistory(Duration.ofSeconds(seconds + 10), "samples of every node up to " + until, () ->
                zone.hosts().stream().allMatch(host -> h.samples().stream().anyMatch(s -> s.node().equals(host.name())
                        && s.end().isAfter(until))));
        verdict(Flapping.check(h.samples(), zone.env().profile().exclusive("vip"), healedAt, Duration.ofSeconds(seconds), moves));
    }

    @Then("every acknowledged write is in the stream after the heal")
    public void noLostWrites() {
        Recorder r = recorder();
        r.stop();
        r.finalRead(Duration.ofSeconds(60));
        verdict(LostWrites.check(r.history()));
    }

    /** Waits until the history holds what a checker needs (or the deadline passes; the checker then judges what there is). */
    /** The invoke of the first write after {@code from} that starts a run of acknowledged writes lasting {@code settle}. */
    static Instant settledFrom(History h, Instant from, Duration settle) {
        Instant runStart = null;
        for (History.Op w : h.ops("write")) {
            if (w.invoke().isBefore(from)) {
                continue;
            }
            if (!w.ok()) {
                runStart = null;
            } else if (runStart == null) {
                runStart = w.invoke();
            } else if (!w.complete().isBefore(runStart.plus(settle))) {
                return runStart;
            }
        }
        return null;
    }

    private void awaitHistory(Duration deadline, String what, java.util.function.BooleanSupplier present) {
        try {
            Within.until(zone.evidence(), "the history holds " + what, deadline, () -> check(present.getAsBoolean(), "not yet: " + what));
        } catch (AssertionError e) {
            zone.evidence().note("not in the history", what + " did not appear within " + deadline.toSeconds() + " s");
        }
    }
}
