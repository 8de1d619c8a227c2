package io.triad.check;

import io.triad.history.History;
import io.triad.history.History.Op;
import io.triad.history.History.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The failover-window checker on hand-built histories: measured from the probes, judged against the window. */
class FailoverWindowTest {

    static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");
    static final Instant FAULT = T0.plusMillis(1000);
    static final String FAILOVER_TIME = "failover time (fault to first healthy answer)";
    static final String UNAVAILABLE = "unavailable through the VIP (last healthy answer to first)";

    /** A health probe invoked at t ms that completed 30 ms later. */
    static Op health(long ms, Outcome outcome, int status, String node) {
        return new Op("health", "h-" + ms, T0.plusMillis(ms), T0.plusMillis(ms + 30), outcome, status, node, "");
    }

    /** Health probes every 100 ms from..to (exclusive) with one outcome. */
    static void probes(History h, long from, long to, Outcome outcome, int status, String node) {
        for (long t = from; t < to; t += 100) {
            h.add(health(t, outcome, status, node));
        }
    }

    /**
     * alpha healthy until the fault at 1000, then failures (1000-1900) and timeouts (1900-2600),
     * then beta healthy from 2600: the first healthy answer from beta completes at 2630.
     */
    static History cleanFailover() {
        History h = new History();
        probes(h, 0, 1000, Outcome.OK, 200, "alpha");
        probes(h, 1000, 1900, Outcome.FAIL, 503, "");
        probes(h, 1900, 2600, Outcome.UNKNOWN, -1, "");
        probes(h, 2600, 4000, Outcome.OK, 200, "beta");
        h.faultStarted("kill-alpha", "alpha", FAULT);
        return h;
    }

    @Test
    void aCleanFailoverWithinTheWindowPassesWithItsMeasuredTime() {
        Verdict v = FailoverWindow.check(cleanFailover(), FAULT, Duration.ofSeconds(3), "alpha");
        assertTrue(v.ok(), v.toString());
        assertEquals("failover within the window", v.checker());
        // first OK from beta invoked 2600, completed 2630; fault at 1000
        assertEquals("1630 ms", v.figures().get(FAILOVER_TIME));
        // last healthy answer before the fault: alpha's probe invoked 900, completed 930
        assertEquals("1700 ms", v.figures().get(UNAVAILABLE));
        assertEquals("beta answered healthy 1630 ms after the fault (window 3000 ms)", v.summary());
        assertTrue(v.evidence().contains("served before the fault by alpha"), v.evidence());
        assertTrue(v.evidence().contains("last healthy answer before the fault: health h-900 invoked " + T0.plusMillis(900)
                + ", completed " + T0.plusMillis(930) + ": OK HTTP 200 from alpha"), v.evidence());
        assertTrue(v.evidence().contains("answers between the fault and the first healthy answer: 9 failed, 7 unknown (timed out)\n"),
                v.evidence());
        assertTrue(v.evidence().contains("first healthy answer after the fault: health h-2600 invoked " + T0.plusMillis(2600)
                + ", completed " + T0.plusMillis(2630) + ": OK HTTP 200 from beta"), v.evidence());
    }

    @Test
    void aWindowEqualToTheMeasuredTimeStillPasses() {
        Verdict v = FailoverWindow.check(cleanFailover(), FAULT, Duration.ofMillis(1630), "alpha");
        assertTrue(v.ok(), v.toString());
        assertEquals("1630 ms", v.figures().get(FAILOVER_TIME));
    }

    @Test
    void aFailoverSlowerThanTheWindowFailsAsTooSlow() {
        Verdict v = FailoverWindow.check(cleanFailover(), FAULT, Duration.ofMillis(1500), "alpha");
        assertFalse(v.ok(), v.toString());
        assertEquals("too slow: beta answered healthy 1630 ms after the fault (window 1500 ms)", v.summary());
        assertEquals("1630 ms", v.figures().get(FAILOVER_TIME));
        assertTrue(v.evidence().contains("failover window 1500 ms"), v.evidence());
    }

    @Test
    void noHealthyAnswerAfterTheFaultFails() {
        History h = new History();
        probes(h, 0, 1000, Outcome.OK, 200, "alpha");
        probes(h, 1000, 2000, Outcome.FAIL, 503, "");
        probes(h, 2000, 4000, Outcome.UNKNOWN, -1, "");
        Verdict v = FailoverWindow.check(h, FAULT, Duration.ofSeconds(3), "alpha");
        assertFalse(v.ok(), v.toString());
        assertEquals("no healthy answer through the VIP from a node other than alpha after the fault (30 probes)", v.summary());
        assertFalse(v.figures().containsKey(FAILOVER_TIME), v.figures().toString());
        assertTrue(v.evidence().contains("answers between the fault and the first healthy answer: 10 failed, 20 unknown (timed out)\n"),
                v.evidence());
        assertTrue(v.evidence().contains("no healthy answer from a node other than alpha after the fault in 30 probes"), v.evidence());
    }

    /** alpha keeps answering healthy for three probes after the fault (1000-1200), then beta from 2600. */
    static History staleAnswers() {
        History h = new History();
        probes(h, 0, 1300, Outcome.OK, 200, "alpha");
        probes(h, 1300, 2600, Outcome.FAIL, 503, "");
        probes(h, 2600, 4000, Outcome.OK, 200, "beta");
        return h;
    }

    @Test
    void answersStillFromTheOldNodeAreNotTheFailover() {
        Verdict v = FailoverWindow.check(staleAnswers(), FAULT, Duration.ofSeconds(3), "alpha");
        assertTrue(v.ok(), v.toString());
        assertEquals("1630 ms", v.figures().get(FAILOVER_TIME));
        assertEquals("beta answered healthy 1630 ms after the fault (window 3000 ms)", v.summary());
        assertTrue(v.evidence().contains("13 failed, 0 unknown (timed out), 3 still from alpha\n"), v.evidence());
    }

    @Test
    void answersFromTheOldNodeCountWhenNoNodeIsNamed() {
        Verdict v = FailoverWindow.check(staleAnswers(), FAULT, Duration.ofSeconds(3), null);
        assertTrue(v.ok(), v.toString());
        // alpha's probe invoked at the fault instant, completed 30 ms later
        assertEquals("30 ms", v.figures().get(FAILOVER_TIME));
        assertEquals("alpha answered healthy 30 ms after the fault (window 3000 ms)", v.summary());
        assertFalse(v.evidence().contains("served before the fault by"), v.evidence());
    }

    @Test
    void theOldNodeAloneAfterTheFaultIsNoFailoverWhenNamed() {
        History h = new History();
        probes(h, 0, 4000, Outcome.OK, 200, "alpha");
        Verdict v = FailoverWindow.check(h, FAULT, Duration.ofSeconds(3), "alpha");
        assertFalse(v.ok(), v.toString());
        assertEquals("no healthy answer through the VIP from a node other than alpha after the fault (30 probes)", v.summary());
        assertTrue(FailoverWindow.check(h, FAULT, Duration.ofSeconds(3), null).ok());
    }

    // ---- a failover measured from the effect (writes, the faulted node named, the mechanism's floor) ----------

    /** A write invoked at t ms, answered {@code took} ms later, by {@code node}. */
    static Op write(long ms, long took, Outcome outcome, String node) {
        return new Op("write", "w-" + node + "-" + ms, T0.plusMillis(ms), T0.plusMillis(ms + took), outcome, outcome == Outcome.OK ? 200 : 0, node, "");
    }

    /**
     * The PlasmaCloud case: the kill was commanded at 1000 and took effect at 1140; node01 (the
     * crashed leader) acknowledged a write sent at 1002 before it died, and a write sent at 1150 it
     * acknowledged too (the one after the "crash" that node01 answered). No other node answered:
     * there is no failover, whatever the crashed node acknowledged.
     */
    @Test
    void aWriteOnlyTheCrashedNodeAcknowledgedAfterTheCrashIsNoFailover() {
        History h = new History();
        h.add(write(900, 30, Outcome.OK, "node02"));
        h.add(write(1002, 35, Outcome.OK, "node01"));
        h.add(write(1150, 20, Outcome.OK, "node01"));
        h.add(write(1200, 2000, Outcome.UNKNOWN, "node02"));
        Verdict v = FailoverWindow.measured(h, "write", T0.plusMillis(1140), Duration.ofSeconds(15), "node01", Duration.ofSeconds(1));
        assertFalse(v.ok(), v.summary());
        assertTrue(v.summary().startsWith("no write answered by another node than node01 among the 2 sent after the fault took effect"),
                v.summary());
        assertTrue(v.evidence().contains("answered by node01 itself after the fault, not counted"), v.evidence());
    }

    /** A write through a survivor 37 ms after the crash took effect: faster than any Raft election, a measurement error. */
    @Test
    void aFailoverFasterThanTheMechanismAllowsIsAMeasurementError() {
        History h = new History();
        h.add(write(1100, 37, Outcome.OK, "node02")); // sent before the effect: not it
        h.add(write(1145, 32, Outcome.OK, "node02"));
        Verdict v = FailoverWindow.measured(h, "write", T0.plusMillis(1140), Duration.ofSeconds(15), "node01", Duration.ofSeconds(1));
        assertFalse(v.ok(), v.summary());
        assertTrue(v.summary().startsWith("measurement error: node02 answered a write 37 ms after the fault on node01 took effect"), v.summary());
        // with no floor the same history is a (fast) failover
        assertTrue(FailoverWindow.measured(h, "write", T0.plusMillis(1140), Duration.ofSeconds(15), "node01", Duration.ZERO).ok());
    }

    /** A failover after the election: measured from the effect, with the gap since the same client's previous answer as its resolution. */
    @Test
    void aFailoverIsMeasuredFromTheEffectWithItsResolution() {
        History h = new History();
        h.add(write(1000, 30, Outcome.OK, "node03"));
        h.add(write(1150, 2000, Outcome.UNKNOWN, "node03")); // forwarded to the dead leader: timed out
        h.add(write(3200, 120, Outcome.OK, "node03"));
        Verdict v = FailoverWindow.measured(h, "write", T0.plusMillis(1140), Duration.ofSeconds(15), "node01", Duration.ofSeconds(1));
        assertTrue(v.ok(), v.summary());
        assertEquals("node03 answered a write 2180 ms after the fault took effect (resolution 2170 ms, window 15000 ms)", v.summary());
        Verdict slow = FailoverWindow.measured(h, "write", T0.plusMillis(1140), Duration.ofSeconds(2), "node01", Duration.ofSeconds(1));
        assertFalse(slow.ok());
        assertTrue(slow.summary().startsWith("too slow: "), slow.summary());
    }
}
