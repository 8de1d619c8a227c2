package io.triad.steps.unibus;

import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.triad.check.FailoverWindow;
import io.triad.check.LostWrites;
import io.triad.check.Verdict;
import io.triad.history.History;
import io.triad.tech.nats.DirectGets;
import io.triad.host.Host;
import io.triad.profile.unibus.Shape;
import io.triad.profile.unibus.Workload;
import io.triad.zone.Nemesis;
import io.triad.zone.SteadyState;
import io.triad.zone.Within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The runbook's chaos test, from a recorded history: kill one, kill two, partition. */
public class ChaosSteps extends UnibusSupport {

    private Workload workload;

    /**
     * "No instant with two meta leaders or two leaders of KV_UNIBUS_members" is the shared
     * sentence's ({@link io.triad.steps.common.DrillVocabularySteps}), judged on the workload's
     * samples; the longest claim of each leadership without a quorum heard is kept as a figure.
     */
    public ChaosSteps(io.triad.run.Run run, io.triad.steps.common.Exclusive exclusive) {
        super(run);
        exclusive.recordedBy("the unibus chaos workload", () -> {
            check(workload != null, "no workload was started in this scenario");
            workload.stop();
            List<History.Sample> samples = workload.history().samples();
            for (String resource : List.of("meta-leader", "members-leader")) {
                io.triad.check.StaleClaims.longest(samples, resource).ifPresent(c -> zone.evidence().figure(
                        "longest claim of " + resource + " without a quorum heard within " + io.triad.tech.nats.JetStreamStatus.LEASE.toSeconds()
                                + " s (it could commit nothing)", c.toString()));
            }
            return new io.triad.steps.common.Exclusive.Evidence(samples, null);
        });
    }
    /** Per node stopped in turn: when it was stopped, started, and how long serving and the rejoin took. */
    private final Map<String, String> figures = new LinkedHashMap<>();
    /** Per stop: the nodes whose stop left nobody served within the window, and those that did not rejoin. */
    private final List<String> notServed = new ArrayList<>();
    private final List<String> notRejoined = new ArrayList<>();
    private Instant lostAt;
    private Instant restoredAt;

    @Given("the drill's client is recording: authorizations, grants, and every node's leadership")
    public void record() {
        workload = Workload.start(zone);
        Within.until(zone.evidence(), "the drill's member authorized before the fault", Duration.ofSeconds(15),
                () -> check(firstAllowedAfter(Instant.EPOCH).isPresent(), "no authorization allowed yet"));
    }

    /**
     * Serving with {@code stopped} down: the first authorization allowed by another node, asked after
     * the stop took effect ({@code down}), awaited within {@code window} and measured with its
     * resolution. No floor: the others serve on without an election when a follower stops, and a
     * leader's graceful stop hands over.
     */
    private Verdict servedWithout(String stopped, Instant down, Duration window) {
        try {
            Within.until(zone.evidence(), "an authorization allowed by another node than " + stopped + " after its stop", window,
                    () -> check(FailoverWindow.firstAfter(workload.history(), "authorize", down, stopped).isPresent(), "none allowed yet"));
        } catch (AssertionError e) {
            // judged by the measure, with what was answered
        }
        return FailoverWindow.measured(workload.history(), "authorize", down, window, stopped, Duration.ZERO);
    }

    private Optional<History.Op> firstAllowedAfter(Instant t) {
        return workload.history().ops("authorize").stream().filter(o -> o.ok() && !o.invoke().isBefore(t)).findFirst();
    }

    private Host metaLeader() {
        for (Host h : nodes()) {
            String jsz = monitor(h, settings, "/jsz");
            String leader = io.triad.tech.nats.JetStreamStatus.parse(jsz).leader();
            if (!leader.isEmpty()) {
                return nodes().stream().filter(n -> n.name().equals(leader)).findFirst()
                        .orElseThrow(() -> new AssertionError("the meta leader " + leader + " is not a node of the zone"));
            }
        }
        throw new AssertionError("no node names a meta leader");
    }

    /**
     * How long a restarted node has to rejoin with every replica current and held so for 3 s. The runbook
     * promises the rejoin, not a time: alone it takes 1.6-7 s (the figure is recorded). 60 s ran out once on the
     * 2-core CI machine at load average 18-24 (a fresh-clone run of 70b91b7: homer's routes re-formed, a replica
     * on datardos current six times and never 3 s on end); a node that never rejoins still fails.
     */
    static final int REJOIN_SECONDS = 120;

    @When("each node in turn is stopped, then started again once serving is seen without it")
    public void stopEachInTurn() {
        Duration window = zone.env().thresholds().failoverWindow();
        Host leader = metaLeader();
        List<Host> order = new ArrayList<>(List.of(leader)); // the meta leader first, then the others
        nodes().stream().filter(h -> h != leader).forEach(order::add);
        Nemesis nemesis = new Nemesis(zone);
        for (Host h : order) {
            // from when the stop took effect, read on the node (its processes gone), not from the command
            Instant down = nemesis.stop("stop-one", h, Shape.SERVICE).tookEffect();
            String label = h.name() + (h == leader ? " (the meta leader)" : "");
            Verdict served = servedWithout(h.name(), down, window);
            served.figures().values().forEach(v -> figures.put("serving with " + label + " stopped", v));
            if (!served.ok() && !planning()) {
                notServed.add("with " + label + " stopped: " + served.summary() + "; " + why("serving without " + h.name(), Shape.SERVICE, h, down));
            }
            nemesis.startStopped(h, Shape.SERVICE);
            Instant started = Instant.now();
            try {
                Duration took = steadyWithin(REJOIN_SECONDS, h.name() + " rejoined, every replica current", SteadyState.HOLD);
                figures.put(h.name() + " rejoined and current after its start", took.toMillis() + " ms");
            } catch (AssertionError e) {
                notRejoined.add(h.name() + " did not rejoin current within " + REJOIN_SECONDS + " s of its start: " + e.getMessage() + "; "
                        + why(h.name() + "'s rejoin", Shape.SERVICE, null, started));
            }
            zone.evidence().note("stop of " + label, "stopped at " + down + " (took effect), started at " + started);
        }
        figures.forEach((k, v) -> zone.evidence().figure(k, v));
    }

    @Then("after each stop an authorization was allowed within the failover window")
    public void servedThroughout() {
        none(notServed, "the cluster did not keep serving");
        check(!figures.isEmpty(), "no node was stopped");
    }

    @Then("every node rejoined and every replica was current after its restart")
    public void rejoined() {
        none(notRejoined, "a node did not rejoin");
    }

    @Then("every acknowledged grant is readable after the drill")
    public void noLostGrant() {
        workload.stop();
        // Read back after the heal, the cluster steady (every replica current): a get may be served by any
        // replica, and a read through a node still cut off returned its stale copy (2 of 10 grants "missing").
        zone.faults().healAll(zone.evidence());
        steadyWithin(60, "the cluster steady before the read-back", SteadyState.HOLD);
        workload.finalRead();
        verdict(LostWrites.check(workload.history()));
    }

    /** The longest run of samples in which a node claimed a leadership without the quorum behind it, and where. */
    @When("two nodes are stopped, the meta leader among them")
    public void stopTwo() {
        Host leader = metaLeader();
        Host other = nodes().stream().filter(h -> h != leader).findFirst().orElseThrow();
        Nemesis nemesis = new Nemesis(zone);
        nemesis.stop("stop-two", leader, Shape.SERVICE);
        // the quorum is lost when the second stop took effect on its node, not when it was commanded
        lostAt = nemesis.stop("stop-two", other, Shape.SERVICE).tookEffect();
        zone.evidence().note("quorum lost", leader.name() + " and " + other.name() + " stopped; the second at " + lostAt);
        this.stopped = List.of(leader, other);
    }

    private List<Host> stopped = List.of();

    /**
     * "Verify a request is rejected, not silently served": while the quorum is lost nothing is
     * allowed, and requests are <em>rejected</em>: answered with a denial (allow false). A request
     * left unanswered until the client gives up is counted apart; silence proves nothing about the
     * control plane's decision, so only explicit denials count towards the least number.
     */
    @Then("after a grace of {int} seconds no authorization is allowed while the quorum is lost, and at least {int} are explicitly denied")
    public void failClosed(int grace, int atLeast) {
        Instant judged = lostAt.plusSeconds(grace);
        // Observe for a while: the closed state must hold, not be seen once. A refusal may take the
        // service's whole 3 s timeout, so the observation lasts until that many requests were answered
        // (at least 10 s), not a fixed time.
        Instant atLeastUntil = judged.plusSeconds(10);
        java.util.function.Supplier<List<History.Op>> answered = () -> workload.history().ops("authorize").stream()
                .filter(o -> !o.invoke().isBefore(judged)).toList();
        try {
            Within.until(zone.evidence(), atLeast + " requests answered, 10 s or more after the grace", Duration.ofSeconds(grace + 60),
                    () -> check(Instant.now().isAfter(atLeastUntil) && answered.get().size() >= atLeast, "still observing"));
        } catch (AssertionError notEnough) {
            // judged below on what was answered
        }
        List<History.Op> judgedOps = answered.get();
        List<String> allowed = judgedOps.stream().filter(History.Op::ok)
                .map(o -> "allowed by " + o.node() + " at " + o.complete()).toList();
        long refused = judgedOps.stream().filter(o -> !o.ok()).count();
        long denied = judgedOps.stream().filter(o -> o.outcome() == History.Outcome.FAIL).count();
        zone.evidence().figure("requests while the quorum was lost (allowed / denied / no answer)", allowed.size() + " / " + denied + " / "
                + (refused - denied));
        Optional<History.Op> lastAllowed = workload.history().ops("authorize").stream()
                .filter(o -> o.ok() && o.complete().isAfter(lostAt)).reduce((a, b) -> b);
        lastAllowed.ifPresent(o -> zone.evidence().figure("last authorization allowed after the quorum was lost",
                Duration.between(lostAt, o.complete()).toMillis() + " ms after"));
        none(allowed.stream().limit(10).toList(), "the control plane failed OPEN: authorizations allowed without a quorum");
        check(denied >= atLeast, "only " + denied + " requests were explicitly denied while the quorum was lost (fewer than " + atLeast
                + " in " + (grace + 60) + " s)" + (refused > denied ? "; " + (refused - denied) + " had no answer from any node (silence is"
                + " not a rejection: " + judgedOps.stream().filter(o -> !o.ok() && o.outcome() != History.Outcome.FAIL)
                .map(o -> io.triad.runbook.Ledger.firstLine(o.detail())).findFirst().orElse("") + ")" : ""));
    }

    @When("one of the two is started again")
    public void startOne() {
        Host back = stopped.get(stopped.size() - 1);
        new Nemesis(zone).startStopped(back, Shape.SERVICE);
        restoredAt = Instant.now();
    }

    @Then("an authorization is allowed again within {int} seconds of its start")
    public void allowedAgain(int seconds) {
        Duration took = Within.until(zone.evidence(), "an authorization allowed again", Duration.ofSeconds(seconds),
                () -> check(firstAllowedAfter(restoredAt).isPresent(), "none allowed yet"));
        History.Op first = firstAllowedAfter(restoredAt).orElseThrow();
        zone.evidence().figure("allowed again after one node's start", Duration.between(restoredAt, first.complete()).toMillis()
                + " ms (answered by " + first.node() + ")");
        check(took.toSeconds() <= seconds, "allowed again only after " + took.toMillis() + " ms");
    }

    private Host cutOff;
    private Host membersLeader;
    private Instant revokedAt;
    private String revokedUser;

    private static final String MEMBERS = "KV_UNIBUS_members";
    private boolean directGets;
    private long answeredBefore;

    private DirectGets.Local directGets(Host h) {
        return DirectGets.local(monitor(h, settings, DirectGets.subszPage(MEMBERS)), MEMBERS);
    }

    /** The node leading a stream, as the servers report it (the one that says it leads it). */
    private Optional<Host> streamLeader(String stream) {
        for (Host h : nodes()) {
            io.triad.tech.nats.JetStreamView v = io.triad.tech.nats.JetStreamView.parse(monitor(h, settings, "/jsz?streams=true&config=true"));
            if (v.streams().stream().anyMatch(st -> st.name().equals(stream) && st.leading())) {
                return Optional.of(h);
            }
        }
        return Optional.empty();
    }

    @Given("a member is granted and every node authorizes it")
    public void grantedEverywhere() {
        revokedUser = workload.grantRevocable();
        Within.until(zone.evidence(), "every node authorizes the granted member", Duration.ofSeconds(20), () -> {
            List<String> denied = new ArrayList<>();
            for (Host h : nodes()) {
                History.Op op = workload.authorizeOn(h, revokedUser, java.util.UUID.randomUUID().toString());
                if (!op.ok()) {
                    denied.add(h.name() + ": " + op.detail());
                }
            }
            none(denied, "not authorized everywhere yet");
        });
    }

    @When("one node is cut off from the leader of KV_UNIBUS_members only, the nonce bucket led elsewhere")
    public void cutFromMembersLeader() {
        // The nonce bucket must stay writable from the cut-off node (its leader is not the members leader):
        // then only the members read can tell a stale replica from a current one.
        Host members = null;
        for (int attempt = 0; attempt < 8; attempt++) {
            members = streamLeader("KV_UNIBUS_members").orElseThrow(() -> new AssertionError("KV_UNIBUS_members has no leader"));
            Optional<Host> nonces = streamLeader("KV_UNIBUS_nonces");
            if (nonces.isPresent() && nonces.get() != members) {
                break;
            }
            Host via = members;
            via.exec(via.asRoot(nats("stream cluster step-down KV_UNIBUS_nonces"))); // the operator's CLI moves a leader
            Within.until(zone.evidence(), "KV_UNIBUS_nonces led again", Duration.ofSeconds(15),
                    () -> check(streamLeader("KV_UNIBUS_nonces").isPresent(), "no leader yet"));
        }
        Host leader = members;
        check(streamLeader("KV_UNIBUS_nonces").filter(n -> n != leader).isPresent(),
                "the nonce bucket's leader could not be moved off the members leader " + leader.name());
        membersLeader = leader;
        // The experiment needs a node that answers gets from its own replica: a replica joins the
        // direct-get group only once caught up, checked every 2 s (right after the scale-up to R3 a
        // follower's gets still went over a route, and the cut-off node timed out instead of reading
        // its stale copy). Read from the servers, waited for within a deadline.
        directGets = DirectGets.allowed(monitor(leader, settings, "/jsz?streams=true&config=true"), MEMBERS);
        List<Host> followers = nodes().stream().filter(h -> h != leader).toList();
        if (directGets) {
            java.util.Set<Host> found = new java.util.LinkedHashSet<>();
            Within.until(zone.evidence(), "a follower of " + MEMBERS + " answers gets from its own replica", Duration.ofSeconds(30), () -> {
                found.clear();
                followers.stream().filter(h -> directGets(h).answers()).findFirst().ifPresent(found::add);
                check(!found.isEmpty(), "no follower's replica in the direct-get group yet");
            });
            cutOff = found.iterator().next();
            answeredBefore = directGets(cutOff).answered(); // read again just before the cut: the count it is judged from
        } else {
            cutOff = followers.get(0);
            zone.evidence().note("direct gets", MEMBERS + " does not allow direct gets: only its leader answers reads");
        }
        new Nemesis(zone).partition("partition-node", cutOff, List.of(leader));
        zone.evidence().note("link cut", cutOff.name() + " cut off from " + leader.name() + " (leader of KV_UNIBUS_members);"
                + " KV_UNIBUS_nonces led by " + streamLeader("KV_UNIBUS_nonces").map(Host::name).orElse("?"));
    }

    @When("that member is revoked through the leader of KV_UNIBUS_members")
    public void revokeThroughLeader() {
        History.Op op = workload.revokeOn(membersLeader, revokedUser);
        check(op.ok(), "the revocation was not acknowledged: " + op.detail());
        revokedAt = op.complete();
        zone.evidence().figure("revocation acknowledged", revokedAt.toString());
    }

    @Then("asked {int} times within {int} seconds, the cut-off node never authorizes the revoked member")
    public void cutOffNeverAuthorizes(int times, int seconds) {
        // A client's get goes to one member of the direct-get queue group picked at random, the node's own
        // replica or one over a route (nats-server's queue selection prefers local members only for a
        // message that came over a route): one request in three reaches the stale copy, one times out on
        // the route to the unreachable leader (3 s). So many requests, not a few seconds' worth: 5 s of
        // asking saw 2 requests, both through the routes, and missed a plain read failing open.
        List<History.Op> answers = askConcurrently(cutOff, revokedUser, times, Duration.ofSeconds(seconds));
        List<String> allowed = new ArrayList<>(answers.stream().filter(History.Op::ok)
                .map(o -> "allowed by " + o.node() + " at " + o.complete()).toList());
        int asked = answers.size();
        zone.evidence().figure("requests for the revoked member on the cut-off node (allowed / asked)", allowed.size() + " / " + asked);
        if (directGets) {
            long fromOwnCopy = directGets(cutOff).answered() - answeredBefore;
            zone.evidence().figure("gets the cut-off node answered from its own replica while cut off", String.valueOf(fromOwnCopy));
            check(fromOwnCopy > 0 || !allowed.isEmpty(), cutOff.name() + " answered no get of " + MEMBERS + " from its own replica while cut off:"
                    + " the experiment did not reach the stale copy it is about");
        }
        check(asked >= times || !allowed.isEmpty(), "only " + asked + " requests answered by " + cutOff.name() + " in " + seconds
                + " s (fewer than " + times + "): too few to reach its own replica");
        // the drill's client asks every node meanwhile: a node's get may be answered by the cut-off replica too
        allowed.addAll(allowedRevokedAfter(revokedAt).stream().filter(o -> !o.node().equals(cutOff.name()))
                .map(o -> "allowed by " + o.node() + " at " + o.complete() + " (the drill's client)").toList());
        none(allowed.stream().limit(5).toList(), "STALE AUTHORIZATION: a member revoked at " + revokedAt + " was authorized (" + cutOff.name()
                + "'s replica of KV_UNIBUS_members is behind, and a plain read of it fails open)");
    }

    private Host isolated;
    private Instant isolatedAt;

    @When("the leader of KV_UNIBUS_members is cut off from both other nodes")
    public void isolateMembersLeader() {
        Host leader = streamLeader(MEMBERS).orElseThrow(() -> new AssertionError(MEMBERS + " has no leader"));
        isolated = leader;
        List<Host> majority = nodes().stream().filter(h -> h != leader).toList();
        isolatedAt = new Nemesis(zone).partition("partition-node", leader, majority);
        zone.evidence().note("node isolated", leader.name() + " (leader of " + MEMBERS + ") cut off from "
                + majority.stream().map(Host::name).toList() + " at " + isolatedAt);
    }

    @When("that member is revoked through the majority")
    public void revokeThroughMajority() {
        // the majority elects a new leader of KV_UNIBUS_members first: the revocation is retried until acknowledged
        List<Host> majority = nodes().stream().filter(h -> h != isolated).toList();
        History.Op[] done = new History.Op[1];
        int[] attempt = {0};
        Duration took = Within.until(zone.evidence(), "the revocation acknowledged by the majority", Duration.ofSeconds(30), () -> {
            History.Op op = workload.revokeOn(majority.get(attempt[0]++ % majority.size()), revokedUser);
            done[0] = op;
            check(op.ok(), "not acknowledged: " + op.detail());
        });
        revokedAt = done[0].complete();
        zone.evidence().figure("revocation acknowledged by the majority", Duration.between(isolatedAt, revokedAt).toMillis()
                + " ms after the cut (through " + done[0].node() + ", " + took.toMillis() + " ms of retries)");
    }

    @Then("within {int} seconds of the cut each node of the majority allows an authorization")
    public void majorityServes(int seconds) {
        for (Host h : nodes().stream().filter(n -> n != isolated).toList()) {
            History.Op[] allowed = new History.Op[1];
            Within.until(zone.evidence(), h.name() + " allows an authorization with " + isolated.name() + " cut off",
                    left(isolatedAt.plusSeconds(seconds)), () -> {
                        History.Op op = workload.authorizeOn(h, workload.member(), java.util.UUID.randomUUID().toString());
                        check(op.ok(), "refused: " + op.detail());
                        allowed[0] = op;
                    });
            zone.evidence().figure("majority serving: " + h.name(), Duration.between(isolatedAt, allowed[0].complete()).toMillis()
                    + " ms after the cut");
        }
    }

    @Then("after a grace of {int} seconds the isolated node allows no authorization, asked {int} times")
    public void isolatedDenies(int grace, int times) {
        Instant judged = isolatedAt.plusSeconds(grace);
        Within.until(zone.evidence(), "the grace after the cut", Duration.ofSeconds(grace + 1),
                () -> check(!Instant.now().isBefore(judged), "grace not over"));
        List<History.Op> answers = askConcurrently(isolated, workload.member(), times, Duration.ofSeconds(60));
        List<String> allowed = answers.stream().filter(History.Op::ok).map(o -> "allowed by " + o.node() + " at " + o.complete()).toList();
        zone.evidence().figure("requests of a member on the isolated node after the grace (allowed / asked)", allowed.size() + " / "
                + answers.size());
        none(allowed.stream().limit(5).toList(), "the isolated node failed OPEN: authorizations allowed without a quorum");
        check(answers.size() >= times, "only " + answers.size() + " requests answered by " + isolated.name() + " (fewer than " + times + ")");
    }

    /** What is left until a deadline (at least a moment: the poll looks once). */
    private static Duration left(Instant deadline) {
        Duration d = Duration.between(Instant.now(), deadline);
        return d.isNegative() || d.isZero() ? Duration.ofMillis(1) : d;
    }

    /** Asks a node {@code times} authorizations of a user, five at a time (a refusal may wait the service's 3 s timeout). */
    private List<History.Op> askConcurrently(Host h, String user, int times, Duration within) {
        Instant until = Instant.now().plus(within);
        List<History.Op> answers = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger left = new java.util.concurrent.atomic.AtomicInteger(times);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(5);
        try {
            List<java.util.concurrent.Future<?>> askers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                askers.add(pool.submit(() -> {
                    while (left.getAndDecrement() > 0 && Instant.now().isBefore(until)) {
                        answers.add(workload.authorizeOn(h, user, java.util.UUID.randomUUID().toString()));
                    }
                }));
            }
            for (java.util.concurrent.Future<?> f : askers) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while asking " + h.name());
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError("asking " + h.name() + " failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return new ArrayList<>(answers);
    }

    @Then("no node authorized the revoked member after its revocation was acknowledged")
    public void neverAfterRevocation() {
        workload.stop();
        List<String> allowed = allowedRevokedAfter(revokedAt).stream().map(o -> "allowed by " + o.node() + " at " + o.complete())
                .limit(5).toList();
        none(allowed, "STALE AUTHORIZATION: a revoked member was authorized after its revocation was acknowledged");
    }

    private List<History.Op> allowedRevokedAfter(Instant t) {
        List<History.Op> ops = new ArrayList<>(workload.history().ops("authorize"));
        ops.addAll(workload.history().ops("revoked-authorize"));
        return ops.stream().filter(o -> o.ok() && o.invoke().isAfter(t) && o.id().equals(revokedUser)).toList();
    }

    private Instant seedDown;

    @Given("the control plane is at R1 on the seed, as the runbook's rollout leaves it")
    public void atR1() {
        List<String> notR1 = new ArrayList<>();
        try (io.triad.profile.unibus.ControlPlane cp = io.triad.profile.unibus.ControlPlane.open(zone, seed())) {
            for (String bucket : io.triad.profile.unibus.Settings.BUCKETS) {
                var info = cp.stream(bucket);
                String leader = info.getClusterInfo() == null ? "" : info.getClusterInfo().getLeader();
                if (info.getConfiguration().getReplicas() != 1 || !seed().name().equals(leader)) {
                    notR1.add(bucket + ": " + info.getConfiguration().getReplicas() + " replica(s), led by " + leader);
                }
            }
        } catch (Exception e) {
            throw new AssertionError("cannot read the control plane's buckets: " + e.getMessage(), e);
        }
        if (!notR1.isEmpty()) {
            throw new org.opentest4j.TestAbortedException("not at the rollout's R1 on the seed (" + String.join("; ", notR1)
                    + "): the R1 half of this item can be shown only on a zone before its scale-up");
        }
    }

    @When("the seed's service is stopped")
    public void stopSeed() {
        Instant at = new Nemesis(zone).stop("stop-one", seed(), Shape.SERVICE).tookEffect();
        seedDown = at;
        lostAt = at;
        zone.evidence().note("seed stopped", seed().name() + " stopped at " + at + " (took effect)");
    }

    @When("the seed's service is started again and the cluster is steady")
    public void startSeed() {
        new Nemesis(zone).startStopped(seed(), Shape.SERVICE);
        steadyWithin(60, "the cluster steady after the seed's start", SteadyState.HOLD);
    }

    @Then("an authorization is allowed within the failover window with the seed stopped")
    public void servedWithoutSeed() {
        Duration window = zone.env().thresholds().failoverWindow();
        verdict(servedWithout(seed().name(), seedDown, window));
    }
}
