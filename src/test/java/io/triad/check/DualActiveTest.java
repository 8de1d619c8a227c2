package io.triad.check;

import io.triad.history.History.Sample;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dual-active checker on hand-built histories: clean handovers pass, overlaps fail with their interval. */
class DualActiveTest {

    static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

    /** A sample of {@code host} whose command ran from t ms to t+20 ms. */
    static Sample s(String host, long ms, boolean vip, boolean controller) {
        return io.triad.history.Samples.bsfg(host, T0.plusMillis(ms), T0.plusMillis(ms + 20), vip, controller, "active", vip ? "MASTER" : "BACKUP");
    }

    /** Samples every 50 ms from..to (exclusive) with one state. */
    static List<Sample> run(String host, long from, long to, boolean vip, boolean controller) {
        List<Sample> out = new ArrayList<>();
        for (long t = from; t < to; t += 50) {
            out.add(s(host, t, vip, controller));
        }
        return out;
    }

    @Test
    void aCleanFailoverHasNoViolation() {
        List<Sample> h = new ArrayList<>();
        h.addAll(run("alpha", 0, 1000, true, true));
        h.addAll(run("alpha", 1000, 3000, false, false));
        h.addAll(run("beta", 0, 1600, false, false));
        h.addAll(run("beta", 1600, 3000, true, true));
        assertEquals(List.of(), DualActive.check(h, io.triad.history.Samples.BSFG));
    }

    @Test
    void twoActiveControllersAreReportedWithTheirOverlap() {
        List<Sample> h = new ArrayList<>();
        h.addAll(run("alpha", 0, 2000, true, true));
        h.addAll(run("alpha", 2000, 3000, false, false));
        h.addAll(run("beta", 0, 1500, false, false));
        h.addAll(run("beta", 1500, 3000, true, true)); // beta active from 1500 while alpha is until 2000
        List<DualActive.Violation> v = DualActive.check(h, io.triad.history.Samples.BSFG);
        assertEquals(2, v.size(), v.toString());
        DualActive.Violation controllers = v.stream().filter(x -> x.what().equals("two active controllers")).findFirst().orElseThrow();
        assertEquals(List.of("alpha", "beta"), controllers.hosts());
        // certain from beta's first agreeing gap (1520) to alpha's last (1950): within one sample of the truth
        assertEquals(T0.plusMillis(1520), controllers.from());
        assertEquals(T0.plusMillis(1950), controllers.to());
        assertTrue(controllers.toString().contains("430 ms"), controllers.toString());
    }

    /** A leader's sample in the JetStream form: leads with quorum or not, and its leader_since ("" for none). */
    static Sample leader(String host, long ms, boolean leads, String since) {
        return new Sample(host, T0.plusMillis(ms), T0.plusMillis(ms + 20),
                java.util.Map.of("members-leader", String.valueOf(leads), DualActive.tenure("members-leader"), since));
    }

    static final List<io.triad.history.History.Resource> MEMBERS = List.of(new io.triad.history.History.Resource(
            "members-leader", "members leader", "leads members", "two leaders of members"));

    @Test
    void aLeadershipPassedOverAndBackBetweenTwoSamplesIsTwoTenuresNotAnOverlap() {
        // homer leads at 0 and at 400 (sampled every 400 ms), but with a new leader_since at 400: it lost the
        // leadership and won it back; datardos led in between, seen at 100-300
        List<Sample> h = new ArrayList<>();
        h.add(leader("homer", 0, true, "2026-11-21T11:59:00Z"));
        h.add(leader("homer", 400, true, "2026-11-21T12:00:00.350Z"));
        h.add(leader("homer", 800, true, "2026-11-21T12:00:00.350Z"));
        for (long t = 0; t < 900; t += 100) {
            h.add(leader("datardos", t, t >= 100 && t <= 300, t >= 100 && t <= 300 ? "2026-11-21T12:00:00.080Z" : ""));
        }
        assertEquals(List.of(), DualActive.check(h, MEMBERS));
        // the same samples in one tenure (or with none reported): homer led throughout, an overlap with datardos
        List<Sample> one = new ArrayList<>(h.stream().filter(x -> !x.node().equals("homer")).toList());
        one.add(leader("homer", 0, true, "2026-11-21T11:59:00Z"));
        one.add(leader("homer", 400, true, "2026-11-21T11:59:00Z"));
        one.add(leader("homer", 800, true, "2026-11-21T11:59:00Z"));
        List<DualActive.Violation> v = DualActive.check(one, MEMBERS);
        assertEquals(1, v.size(), v.toString());
        assertEquals(List.of("datardos", "homer"), v.get(0).hosts());
        List<Sample> none = new ArrayList<>(h.stream().filter(x -> !x.node().equals("homer")).toList());
        for (long t : new long[] {0, 400, 800}) {
            none.add(leader("homer", t, true, ""));
        }
        assertEquals(1, DualActive.check(none, MEMBERS).size(), "no tenure reported: nothing says the leadership was lost");
    }

    @Test
    void anOverlapShorterThanOneSampleIsNotClaimed() {
        // beta's single VIP sample at 1000-1020 while alpha still had it: possible, not certain
        List<Sample> h = new ArrayList<>();
        h.addAll(run("alpha", 0, 1000, true, false));
        h.add(s("alpha", 1000, true, false));
        h.addAll(run("alpha", 1050, 2000, false, false));
        h.addAll(run("beta", 0, 1000, false, false));
        h.add(s("beta", 1000, true, false));
        h.addAll(run("beta", 1050, 2000, false, false));
        assertEquals(List.of(), DualActive.check(h, io.triad.history.Samples.BSFG));
    }

    @Test
    void aControllerLeftRunningAfterDemotionIsCaught() {
        // the notify-never-stops mutant: beta keeps its controller after alpha takes the VIP back
        List<Sample> h = new ArrayList<>();
        h.addAll(run("alpha", 0, 1000, false, false));
        h.addAll(run("alpha", 1000, 3000, true, true));
        h.addAll(run("beta", 0, 1000, true, true));
        h.addAll(run("beta", 1000, 3000, false, true));
        List<DualActive.Violation> v = DualActive.check(h, io.triad.history.Samples.BSFG);
        assertEquals(1, v.size(), v.toString());
        assertEquals("two active controllers", v.get(0).what());
    }

    /** alpha frozen: active, unobserved from 970 (end of its sample at 950) to 5000, then active again. */
    static List<Sample> alphaFrozen(long betaActiveUntil) {
        List<Sample> h = new ArrayList<>();
        h.addAll(run("alpha", 0, 1000, true, true));
        h.addAll(run("alpha", 5000, 7000, true, true));
        h.addAll(run("beta", 0, 2000, false, false));
        h.addAll(run("beta", 2000, betaActiveUntil, true, true));
        h.addAll(run("beta", betaActiveUntil, 7000, false, false));
        return h;
    }

    static final String GAP = "not claimed either way: alpha unobserved from " + T0.plusMillis(970) + " to " + T0.plusMillis(5000)
            + " (4030 ms)\n";

    @Test
    void aNodeUnobservedForLongerThanTheMaxGapIsNotClaimedActiveAcrossIt() {
        List<Sample> h = alphaFrozen(4000); // beta active 2000-4000, inside alpha's gap
        assertEquals(List.of(), DualActive.check(h, io.triad.history.Samples.BSFG, Duration.ofSeconds(1)));
        Verdict v = DualActive.verdict(h, io.triad.history.Samples.BSFG, Duration.ofSeconds(1));
        assertTrue(v.ok(), v.toString());
        assertEquals("no instant with two VIP holders or two active controllers in 200 samples", v.summary());
        assertEquals("200", v.figures().get("samples"));
        assertEquals("50 ms", v.figures().get("sampling interval (median, per node)"));
        assertEquals("0 ms", v.figures().get("dual-active overlap (longest certain)"));
        assertTrue(v.evidence().startsWith(GAP), v.evidence());
        assertFalse(v.evidence().contains("VIOLATION"), v.evidence());
        // with a max gap longer than the freeze, alpha is claimed active across it, over all of beta's span
        List<DualActive.Violation> claimed = DualActive.check(h, io.triad.history.Samples.BSFG, Duration.ofSeconds(5));
        assertEquals(2, claimed.size(), claimed.toString());
        assertEquals(T0.plusMillis(2020), claimed.get(0).from());
        assertEquals(T0.plusMillis(3950), claimed.get(0).to());
    }

    @Test
    void aNodeBackFromAGapActiveWhileAnotherStillIsIsAViolation() {
        List<Sample> h = alphaFrozen(6000); // beta active 2000-6000, alpha active again from 5000
        List<DualActive.Violation> v = DualActive.check(h, io.triad.history.Samples.BSFG, Duration.ofSeconds(1));
        assertEquals(2, v.size(), v.toString());
        // alpha certainly active from the end of its sample at 5000 (5020), beta until the start of its last (5950)
        for (DualActive.Violation x : v) {
            assertEquals(List.of("alpha", "beta"), x.hosts());
            assertEquals(T0.plusMillis(5020), x.from());
            assertEquals(T0.plusMillis(5950), x.to());
            assertEquals(930, x.length().toMillis());
        }
        assertEquals(List.of("two VIP holders", "two active controllers"), v.stream().map(DualActive.Violation::what).toList());
        Verdict verdict = DualActive.verdict(h, io.triad.history.Samples.BSFG, Duration.ofSeconds(1));
        assertFalse(verdict.ok(), verdict.toString());
        String first = "two VIP holders on alpha and beta from " + T0.plusMillis(5020) + " to " + T0.plusMillis(5950) + " (930 ms)";
        assertEquals("2 dual-active interval(s), first: " + first, verdict.summary());
        assertEquals("930 ms", verdict.figures().get("dual-active overlap (longest certain)"));
        assertTrue(verdict.evidence().startsWith("VIOLATION " + first + "\n"
                + "VIOLATION two active controllers on alpha and beta from " + T0.plusMillis(5020) + " to "
                + T0.plusMillis(5950) + " (930 ms)\n" + GAP), verdict.evidence());
    }

    /**
     * Alpha active, frozen in the middle of a sample (from 1000 to 5000: the sample ends after the
     * thaw and says "active"), then seen active for {@code activeAfterThaw} more samples, 50 ms apart,
     * before it fences itself; beta active from 2000 to 7000.
     */
    static List<Sample> alphaFrozenMidSample(int activeAfterThaw) {
        List<Sample> h = new ArrayList<>(run("alpha", 0, 1000, true, true));
        h.add(io.triad.history.Samples.bsfg("alpha", T0.plusMillis(1000), T0.plusMillis(5000), true, true, "active", "MASTER"));
        h.addAll(run("alpha", 5010, 5010 + 50L * activeAfterThaw, true, true));
        h.addAll(run("alpha", 5010 + 50L * activeAfterThaw, 7000, false, false));
        h.addAll(run("beta", 0, 2000, false, false));
        h.addAll(run("beta", 2000, 7000, true, true));
        return h;
    }

    @Test
    void aSampleTakenAcrossAFreezeJoinsNothingButANodeSeenActiveAfterTheThawIsAViolation() {
        // the one look after the thaw saw alpha's controller still up (it fences itself a few ms later):
        // the sample across the freeze does not make alpha certainly active from before the freeze to then
        List<Sample> once = alphaFrozenMidSample(1);
        assertEquals(List.of(), DualActive.check(once, io.triad.history.Samples.BSFG, Duration.ofSeconds(1)));
        Verdict v = DualActive.verdict(once, io.triad.history.Samples.BSFG, Duration.ofSeconds(1));
        assertTrue(v.ok(), v.toString());
        assertTrue(v.evidence().startsWith("not claimed either way: alpha unobserved from " + T0.plusMillis(1000) + " to "
                + T0.plusMillis(5000) + " (4000 ms)\n"), v.evidence());
        // the checker without that rule claimed alpha active from 970 through the freeze, over beta's takeover
        assertFalse(DualActive.check(once, io.triad.history.Samples.BSFG, Duration.ofSeconds(5)).isEmpty());
        // alpha seen active at two looks after the thaw while beta is: certainly both, between them
        List<DualActive.Violation> twice = DualActive.check(alphaFrozenMidSample(2), io.triad.history.Samples.BSFG, Duration.ofSeconds(1));
        assertEquals(2, twice.size(), twice.toString());
        for (DualActive.Violation x : twice) {
            assertEquals(List.of("alpha", "beta"), x.hosts());
            assertEquals(T0.plusMillis(5030), x.from());
            assertEquals(T0.plusMillis(5060), x.to());
        }
    }

    @Test
    void noSamplesIsNoEvidenceAndFails() {
        Verdict v = DualActive.verdict(List.of(), io.triad.history.Samples.BSFG, DualActive.DEFAULT_MAX_GAP);
        assertFalse(v.ok(), v.toString());
        assertEquals("no samples were recorded: nothing shows the zone was single-active", v.summary());
        assertEquals("0", v.figures().get("samples"));
        assertTrue(v.evidence().startsWith("0 samples;"), v.evidence());
    }

    // ---- the nodes' own logs beside the samples (issue 33: every piece of evidence judged) ------------------

    /** A reader of keepalived's lines as the BSFG triad without a lease writes them: MASTER takes the VIP, BACKUP gives it up. */
    static List<LogClaims.Change> keepalived(io.triad.history.History.Log l) {
        return l.message().contains("Entering MASTER STATE") ? List.of(new LogClaims.Change("vip", true))
                : l.message().contains("Entering BACKUP STATE") ? List.of(new LogClaims.Change("vip", false)) : List.of();
    }

    /** What the keepalived lines {@code logs} claim of the VIP, beside {@code samples} and {@code faults}. */
    static List<LogClaims.Claim> vipClaims(List<io.triad.history.History.Log> logs, List<Sample> samples,
                                           List<io.triad.history.History.Fault> faults) {
        return LogClaims.claims(logs, DualActiveTest::keepalived, samples, faults, java.util.Set.of("vip"));
    }

    static io.triad.history.History.Log line(String node, long ms, String message) {
        return new io.triad.history.History.Log(node, T0.plusMillis(ms), "Keepalived_vrrp", message);
    }

    static final List<io.triad.history.History.Resource> VIP_ONLY = List.of(io.triad.history.Samples.VIP);

    /**
     * Alpha cut off from the recorder from 1000 to 6000 (no sample of it), still MASTER with the VIP
     * until it logs BACKUP at 5500; beta took the VIP at 2000. The samples alone claim nothing over the
     * gap; alpha's own log says it held the VIP until 5500: two VIP holders from 2020 to 5500.
     */
    @Test
    void aDualActiveThatShowsOnlyInANodesOwnLogIsCaughtAndSaysSo() {
        List<Sample> samples = new ArrayList<>(run("alpha", 0, 1000, true, true));
        samples.addAll(run("alpha", 6000, 7000, false, false));
        samples.addAll(run("beta", 0, 2000, false, false));
        samples.addAll(run("beta", 2000, 7000, true, true));
        List<io.triad.history.History.Log> logs = List.of(line("beta", 1990, "(BSFG_SIM) Entering MASTER STATE"),
                line("alpha", 5500, "(BSFG_SIM) Entering BACKUP STATE"));
        assertTrue(DualActive.check(samples, VIP_ONLY, Duration.ofSeconds(1)).isEmpty(), "the samples alone show nothing");
        List<LogClaims.Claim> claims = vipClaims(logs, samples, List.of());
        Verdict v = DualActive.verdict(samples, claims, VIP_ONLY, Duration.ofSeconds(1));
        assertFalse(v.ok(), v.toString());
        String alphaClaim = "alpha's log: vip held from " + T0.plusMillis(20) + " (the sample " + T0 + " to " + T0.plusMillis(20)
                + ") to " + T0.plusMillis(5500) + " ('(BSFG_SIM) Entering BACKUP STATE' at " + T0.plusMillis(5500) + ")";
        assertTrue(v.summary().startsWith("1 dual-active interval(s), first: two VIP holders on alpha and beta from "
                + T0.plusMillis(1990) + " to " + T0.plusMillis(5500) + " (3510 ms); decided by " + alphaClaim + " and beta's log"), v.summary());
        assertTrue(v.evidence().contains("not sampled (judged from its log): alpha unobserved from " + T0.plusMillis(970)), v.evidence());
        // beta's: from its MASTER line to its last sample (no line gave it up)
        assertEquals("2", v.figures().get("spans from the nodes' own logs"));
        // without the logs the same samples pass: the gap is claimed neither way
        assertTrue(DualActive.verdict(samples, VIP_ONLY, Duration.ofSeconds(1)).ok());
    }

    /** Alpha frozen from 1000 to 5000 while beta takes over at 2000; after the thaw one sample (5010) sees alpha still MASTER. */
    static List<Sample> frozenAlpha() {
        List<Sample> samples = new ArrayList<>(run("alpha", 0, 1000, true, true));
        samples.add(s("alpha", 5010, true, true));
        samples.addAll(run("alpha", 6000, 7000, false, false)); // its samples between failed (cut from the recorder)
        samples.addAll(run("beta", 0, 2000, false, false));
        samples.addAll(run("beta", 2000, 7000, true, true));
        return samples;
    }

    static final List<io.triad.history.History.Fault> FROZEN = List.of(new io.triad.history.History.Fault(LogClaims.FROZEN, "alpha",
            T0.plusMillis(1000), T0.plusMillis(5000)));

    @Test
    void aFrozenNodeClaimsNothingWhileFrozenButServingOnAfterTheThawIsCaughtFromItsLog() {
        List<Sample> samples = frozenAlpha();
        // alpha gives the VIP up 790 ms after the thaw, when it hears beta: one sample saw it, its log says how long
        List<io.triad.history.History.Log> late = List.of(line("alpha", 5800, "(BSFG_SIM) Entering BACKUP STATE"));
        assertTrue(DualActive.check(samples, VIP_ONLY, Duration.ofSeconds(1)).isEmpty(), "one sample after the thaw claims nothing");
        List<LogClaims.Claim> claims = vipClaims(late, samples, FROZEN);
        assertEquals(List.of(T0.plusMillis(5030)), claims.stream().map(LogClaims.Claim::from).toList(),
                "nothing through the freeze; claimed from the thawed node's first sample to its BACKUP line: " + claims);
        assertEquals(T0.plusMillis(5800), claims.get(0).to());
        List<DualActive.Violation> v = DualActive.check(samples, claims, VIP_ONLY, Duration.ofSeconds(1));
        assertEquals(1, v.size(), v.toString());
        assertEquals(T0.plusMillis(5030), v.get(0).from());
        assertEquals(T0.plusMillis(5800), v.get(0).to());
        assertTrue(v.get(0).decidedBy().startsWith("alpha's log"), v.get(0).decidedBy());
        // fenced at once after the thaw (its unit's end logged 20 ms after its first sample): within the resolution, no violation
        List<io.triad.history.History.Log> fenced = List.of(line("alpha", 5050, "(BSFG_SIM) Entering BACKUP STATE"));
        assertTrue(DualActive.verdict(samples, vipClaims(fenced, samples, FROZEN),
                VIP_ONLY, Duration.ofSeconds(1)).ok());
        // the same log without the freeze recorded: alpha's claim would run through the freeze, over beta's takeover
        assertFalse(DualActive.check(samples, vipClaims(fenced, samples, List.of()), VIP_ONLY, Duration.ofSeconds(1)).isEmpty());
    }

    @Test
    void aCrashEndsAClaimAndTheRestartedNodesFirstLinesDoNotReachBackOverIt() {
        List<Sample> samples = new ArrayList<>(run("alpha", 0, 1000, true, true));
        samples.addAll(run("alpha", 4000, 7000, false, false));
        samples.addAll(run("beta", 0, 2000, false, false));
        samples.addAll(run("beta", 2000, 7000, true, true));
        List<io.triad.history.History.Fault> crash = List.of(new io.triad.history.History.Fault(LogClaims.CRASHED, "alpha",
                T0.plusMillis(1000), T0.plusMillis(3000)));
        // the restarted keepalived logs BACKUP at 3500: it gave up nothing it held since before the crash
        List<io.triad.history.History.Log> logs = List.of(line("alpha", 3500, "(BSFG_SIM) Entering BACKUP STATE"));
        List<LogClaims.Claim> claims = vipClaims(logs, samples, crash);
        assertEquals(List.of(), claims);
        // the same line without the crash recorded: alpha's claim would run through its downtime, over beta's takeover
        assertFalse(DualActive.verdict(samples, vipClaims(logs, samples, List.of()),
                VIP_ONLY, Duration.ofSeconds(1)).ok());
        assertTrue(DualActive.verdict(samples, claims, VIP_ONLY, Duration.ofSeconds(1)).ok());
    }

    @Test
    void aHandoverWhoseLinesCrossWithinTheSamplingResolutionIsNoViolation() {
        List<Sample> samples = new ArrayList<>(run("alpha", 0, 2000, true, true));
        samples.addAll(run("alpha", 2000, 4000, false, false));
        samples.addAll(run("beta", 0, 2000, false, false));
        samples.addAll(run("beta", 2000, 4000, true, true));
        // beta MASTER 10 ms before alpha hears it and goes BACKUP (preemption: the adverts cross)
        List<io.triad.history.History.Log> logs = List.of(line("beta", 1985, "(BSFG_SIM) Entering MASTER STATE"),
                line("alpha", 1995, "(BSFG_SIM) Entering BACKUP STATE"));
        List<LogClaims.Claim> claims = vipClaims(logs, samples, List.of());
        Verdict v = DualActive.verdict(samples, claims, VIP_ONLY, Duration.ofSeconds(1));
        assertTrue(v.ok(), v.toString());
        // 100 ms apart, twice the 50 ms sampling interval, between two samples of each: a violation the samples could not see
        List<Sample> between = new ArrayList<>(run("alpha", 0, 1950, true, true));
        between.addAll(run("alpha", 2000, 4000, false, false));
        between.addAll(run("beta", 0, 1850, false, false));
        between.addAll(run("beta", 1950, 4000, true, true));
        assertTrue(DualActive.check(between, VIP_ONLY, Duration.ofSeconds(1)).isEmpty());
        List<io.triad.history.History.Log> slow = List.of(line("beta", 1895, "(BSFG_SIM) Entering MASTER STATE"),
                line("alpha", 1995, "(BSFG_SIM) Entering BACKUP STATE"));
        List<DualActive.Violation> seen = DualActive.check(between, vipClaims(slow, between, List.of()), VIP_ONLY, Duration.ofSeconds(1));
        assertEquals(1, seen.size(), seen.toString());
        assertEquals(100, seen.get(0).length().toMillis());
    }

    @Test
    void aResourceGivenUpWithoutALineIsNotClaimedUpToALaterLine() {
        // alpha's VIP ran out of its kernel lifetime at about 1000 (no line); its demotion line comes at 3000
        List<Sample> samples = new ArrayList<>(run("alpha", 0, 100, false, false));
        samples.addAll(run("alpha", 100, 1000, true, true));
        samples.addAll(run("alpha", 1000, 4000, false, false));
        samples.addAll(run("beta", 0, 1100, false, false));
        samples.addAll(run("beta", 1100, 4000, true, true));
        List<io.triad.history.History.Log> logs = List.of(line("alpha", 100, "(BSFG_SIM) Entering MASTER STATE"),
                line("alpha", 3000, "(BSFG_SIM) Entering BACKUP STATE"));
        List<LogClaims.Claim> claims = vipClaims(logs, samples, List.of());
        assertEquals(1, claims.size(), claims.toString());
        assertEquals(T0.plusMillis(100), claims.get(0).from());
        assertEquals(T0.plusMillis(950), claims.get(0).to(), "a sample saw the VIP gone before a line said so: the claim ends at the"
                + " last sample that saw it held, not at the line: " + claims);
        assertTrue(DualActive.verdict(samples, claims, VIP_ONLY, Duration.ofSeconds(1)).ok());
    }
}
