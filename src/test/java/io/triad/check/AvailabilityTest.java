package io.triad.check;

import io.triad.history.History;
import io.triad.history.History.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.triad.check.FailClosedTest.T0;
import static io.triad.check.FailClosedTest.op;
import static io.triad.check.FailClosedTest.ops;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AvailabilityTest {

    static final Duration MAX_GAP = Duration.ofSeconds(5);

    @Test
    void writesAcknowledgedThroughoutWithAShortElectionPass() {
        History h = new History();
        ops(h, "write", 0, 3000, Outcome.OK, 200, "alpha");
        ops(h, "write", 3000, 4500, Outcome.FAIL, 503, "alpha"); // a leader election
        ops(h, "write", 4500, 10000, Outcome.OK, 200, "alpha");
        Verdict v = Availability.check(h, T0, T0.plusMillis(10000), MAX_GAP);
        assertTrue(v.ok(), v.toString());
        assertEquals("85 of 100", v.figures().get("writes acknowledged"));
        assertEquals("1600 ms", v.figures().get("longest interval without an acknowledged write"));
        assertEquals("30 ms / 30 ms", v.figures().get("acknowledged write latency (median / max)"));
        assertTrue(v.summary().startsWith("served throughout: 85 of 100"), v.summary());
    }

    @Test
    void anOutageLongerThanAllowedFailsAndIsLocated() {
        History h = new History();
        ops(h, "write", 0, 2000, Outcome.OK, 200, "alpha");
        ops(h, "write", 2000, 8000, Outcome.FAIL, -1, "");
        ops(h, "write", 8000, 10000, Outcome.OK, 200, "beta");
        Verdict v = Availability.check(h, T0, T0.plusMillis(10000), MAX_GAP);
        assertFalse(v.ok(), v.toString());
        assertEquals("6100 ms", v.figures().get("longest interval without an acknowledged write"));
        assertTrue(v.evidence().contains("longest: from " + T0.plusMillis(1930) + " (6100 ms)"), v.evidence());
        assertTrue(v.summary().startsWith("an outage: 40 of 100 writes acknowledged, longest interval without one 6100 ms"), v.summary());
    }

    @Test
    void anOutageRunningToTheEndCounts() {
        History h = new History();
        ops(h, "write", 0, 2000, Outcome.OK, 200, "alpha");
        ops(h, "write", 2000, 10000, Outcome.UNKNOWN, -1, "");
        Verdict v = Availability.check(h, T0, T0.plusMillis(10000), MAX_GAP);
        assertFalse(v.ok(), v.toString());
        assertEquals("8070 ms", v.figures().get("longest interval without an acknowledged write"));
    }

    @Test
    void noWriteAttemptedShowsNothingAndFails() {
        History h = new History();
        h.add(op("health", 100, Outcome.OK, 200, "alpha"));
        Verdict v = Availability.check(h, T0, T0.plusMillis(10000), MAX_GAP);
        assertFalse(v.ok(), v.toString());
        assertTrue(v.summary().startsWith("no write was attempted"), v.summary());
    }
}
