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

/** The fail-closed checker: quorum lost from 1000 to 6000 ms, health judged from 3000 ms (2 s detection). */
class FailClosedTest {

    static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");
    static final Instant LOST = T0.plusMillis(1000);
    static final Instant RESTORED = T0.plusMillis(6000);
    static final Duration DETECTION = Duration.ofSeconds(2);
    static final String FIRST_503 = "quorum loss to first 503";
    static final String WRITES = "writes during the loss (acknowledged / refused)";
    static final String JUDGED = "health probes judged (503 / VIP not held / no answer)";

    /** An operation invoked at t ms that completed 30 ms later. */
    static Op op(String kind, long ms, Outcome outcome, int status, String node) {
        return new Op(kind, kind.charAt(0) + "-" + ms, T0.plusMillis(ms), T0.plusMillis(ms + 30), outcome, status, node, "");
    }

    /** Operations every 100 ms from..to (exclusive) with one outcome. */
    static void ops(History h, String kind, long from, long to, Outcome outcome, int status, String node) {
        for (long t = from; t < to; t += 100) {
            h.add(op(kind, t, outcome, status, node));
        }
    }

    /**
     * Writes acknowledged outside the loss and refused (503) throughout it; health 200 until 1800
     * (the controller has not noticed yet, within the allowance), 503 from 1800 to the restore.
     */
    static History failsClosed() {
        History h = new History();
        ops(h, "write", 0, 1000, Outcome.OK, 200, "alpha");
        ops(h, "write", 1000, 6000, Outcome.FAIL, 503, "alpha");
        ops(h, "write", 6000, 7000, Outcome.OK, 200, "alpha");
        ops(h, "health", 0, 1800, Outcome.OK, 200, "alpha");
        ops(h, "health", 1800, 6000, Outcome.FAIL, 503, "alpha");
        ops(h, "health", 6000, 7000, Outcome.OK, 200, "alpha");
        return h;
    }

    @Test
    void refusingEverythingWhileQuorumIsLostPasses() {
        Verdict v = FailClosed.check(failsClosed(), LOST, RESTORED, DETECTION);
        assertTrue(v.ok(), v.toString());
        assertEquals("fail-closed on quorum loss", v.checker());
        // first 503: health invoked 1800, completed 1830; quorum lost at 1000
        assertEquals("830 ms", v.figures().get(FIRST_503));
        // writes invoked 1000..5900, all completed by 5930
        assertEquals("0 / 50", v.figures().get(WRITES));
        // health invoked 3000..5900 judged
        assertEquals("30 / 0 / 0", v.figures().get(JUDGED));
        assertEquals("refused throughout: 50 writes refused, 30 health answers 503, none healthy", v.summary());
        assertTrue(v.evidence().contains("health judged from " + T0.plusMillis(3000) + " (detection allowance 2000 ms)"), v.evidence());
        assertFalse(v.evidence().contains("VIOLATION"), v.evidence());
    }

    @Test
    void aHealthyAnswerBeforeTheAllowanceEndsIsAllowed() {
        History h = failsClosed();
        h.add(op("health", 2950, Outcome.OK, 200, "alpha")); // invoked 50 ms before health is judged
        Verdict v = FailClosed.check(h, LOST, RESTORED, DETECTION);
        assertTrue(v.ok(), v.toString());
        assertEquals("30 / 0 / 0", v.figures().get(JUDGED));
    }

    @Test
    void aWriteAcknowledgedWithoutQuorumFails() {
        History h = failsClosed();
        h.add(op("write", 2550, Outcome.OK, 200, "beta"));
        Verdict v = FailClosed.check(h, LOST, RESTORED, DETECTION);
        assertFalse(v.ok(), v.toString());
        assertEquals("1 / 50", v.figures().get(WRITES));
        String line = "write acknowledged without quorum: write w-2550 invoked " + T0.plusMillis(2550) + ", completed "
                + T0.plusMillis(2580) + ": OK HTTP 200 from beta";
        assertEquals("1 violation(s), first: " + line, v.summary());
        assertTrue(v.evidence().contains("VIOLATION " + line + "\n"), v.evidence());
    }

    @Test
    void aHealthyAnswerAfterTheDetectionAllowanceFails() {
        History h = failsClosed();
        h.add(op("health", 4050, Outcome.OK, 200, "beta"));
        Verdict v = FailClosed.check(h, LOST, RESTORED, DETECTION);
        assertFalse(v.ok(), v.toString());
        assertEquals("30 / 0 / 0", v.figures().get(JUDGED));
        String line = "healthy answer without quorum: health h-4050 invoked " + T0.plusMillis(4050) + ", completed "
                + T0.plusMillis(4080) + ": OK HTTP 200 from beta";
        assertEquals("1 violation(s), first: " + line, v.summary());
        assertTrue(v.evidence().contains("VIOLATION " + line + "\n"), v.evidence());
        assertTrue(v.evidence().contains("health probes judged: 31 (503: 30, not accepted by any node: 0, no answer or other: 0)"), v.evidence());
    }

    @Test
    void onlyUnansweredProbesShowNothingAndFail() {
        History h = new History();
        ops(h, "write", 0, 1000, Outcome.OK, 200, "alpha");
        ops(h, "write", 1000, 6000, Outcome.FAIL, 503, "alpha");
        ops(h, "health", 0, 1000, Outcome.OK, 200, "alpha");
        ops(h, "health", 1000, 6000, Outcome.UNKNOWN, -1, "");
        Verdict v = FailClosed.check(h, LOST, RESTORED, DETECTION);
        assertFalse(v.ok(), v.toString());
        assertEquals("no health probe was answered 503 or turned away while quorum was lost (30 probes judged): nothing shows"
                + " the zone refused", v.summary());
        assertFalse(v.figures().containsKey(FIRST_503), v.figures().toString());
        assertEquals("0 / 0 / 30", v.figures().get(JUDGED));
        assertEquals("0 / 50", v.figures().get(WRITES));
        assertTrue(v.evidence().contains("health probes judged: 30 (503: 0, not accepted by any node: 0, no answer or other: 30)"), v.evidence());
    }

    @Test
    void probesNoNodeAcceptsShowTheVipReleasedAndPass() {
        // A zone under a lease: quorum lost, the lease not renewed, the VIP released after 1.5 s.
        History h = new History();
        ops(h, "write", 0, 1000, Outcome.OK, 200, "alpha");
        ops(h, "write", 1000, 2500, Outcome.FAIL, 503, "alpha");
        ops(h, "write", 2500, 6000, Outcome.FAIL, -1, "");
        ops(h, "health", 0, 1000, Outcome.OK, 200, "alpha");
        ops(h, "health", 1000, 2500, Outcome.FAIL, 503, "alpha");
        ops(h, "health", 2500, 6000, Outcome.FAIL, -1, "");
        Verdict v = FailClosed.check(h, LOST, RESTORED, DETECTION);
        assertTrue(v.ok(), v.toString());
        assertEquals("0 / 30 / 0", v.figures().get(JUDGED));
        assertEquals("refused throughout: 50 writes refused, 0 health answers 503, 30 probes accepted by no node (VIP released),"
                + " none healthy", v.summary());
        assertEquals("0 / 50", v.figures().get(WRITES));
    }

    @Test
    void aHealthyAnswerAmongProbesNoNodeAcceptsStillFails() {
        History h = new History();
        ops(h, "health", 1000, 6000, Outcome.FAIL, -1, "");
        h.add(op("health", 4050, Outcome.OK, 200, "beta"));
        Verdict v = FailClosed.check(h, LOST, RESTORED, DETECTION);
        assertFalse(v.ok(), v.toString());
        assertTrue(v.summary().startsWith("1 violation(s), first: "), v.summary());
    }
}
