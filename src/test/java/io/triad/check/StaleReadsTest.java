package io.triad.check;

import io.triad.history.History;
import io.triad.history.History.Op;
import io.triad.history.History.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads of the client's own writes: stale ones after the zone settled fail; before it they are counted. */
class StaleReadsTest {

    static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
    static final Instant SETTLED = T0.plusSeconds(20);

    static Op read(int second, String node, Outcome outcome) {
        Instant at = T0.plusSeconds(second);
        return new Op("read", "w" + second, at, at.plusMillis(10), outcome, -1, outcome == Outcome.UNKNOWN ? "" : node,
                outcome == Outcome.FAIL ? node + " did not have w" + second : "");
    }

    @Test
    void staleReadsDuringTheFailoverAreCountedNotJudged() {
        History h = new History();
        h.add(read(1, "phoenix-b", Outcome.OK));
        h.add(read(8, "phoenix-c", Outcome.FAIL)); // phoenix-c not yet following the new primary
        h.add(read(9, "phoenix-c", Outcome.FAIL));
        h.add(read(10, "", Outcome.UNKNOWN));
        h.add(read(21, "phoenix-c", Outcome.OK));
        h.add(read(22, "phoenix-a", Outcome.OK));
        Verdict v = StaleReads.check(h, SETTLED);
        assertTrue(v.ok(), v.toString());
        assertEquals("2", v.figures().get("reads judged (after the zone settled)"));
        assertEquals("2", v.figures().get("stale reads outside it (not judged)"));
        assertEquals("1", v.figures().get("reads that failed (not judged)"));
    }

    @Test
    void aStandbyThatDoesNotFollowFailsEvenWhenOthersAnswer() {
        History h = new History();
        for (int s = 21; s < 31; s++) {
            h.add(read(s, s % 2 == 0 ? "phoenix-b" : "phoenix-c", s % 2 == 0 ? Outcome.OK : Outcome.FAIL));
        }
        Verdict v = StaleReads.check(h, SETTLED);
        assertFalse(v.ok());
        assertTrue(v.summary().contains("5 of 10 reads"), v.summary());
        assertTrue(v.summary().contains("phoenix-c"), v.summary());
    }

    /** A rotation's steps: reads judged in each settled window, not while the next step runs. */
    @Test
    void readsAreJudgedWithinEachSettledWindow() {
        History h = new History();
        h.add(read(21, "phoenix-b", Outcome.OK));   // week 1 settled at 20
        h.add(read(26, "phoenix-c", Outcome.FAIL)); // week 2 running (25 .. 40): not judged
        h.add(read(41, "phoenix-c", Outcome.OK));   // week 2 settled at 40
        List<Instant[]> windows = List.<Instant[]>of(new Instant[] {T0.plusSeconds(20), T0.plusSeconds(25)},
                new Instant[] {T0.plusSeconds(40), Instant.MAX});
        Verdict v = StaleReads.check(h, windows);
        assertTrue(v.ok(), v.toString());
        assertEquals("2", v.figures().get("reads judged (after the zone settled)"));
        h.add(read(22, "phoenix-c", Outcome.FAIL)); // a stale read in week 1's settled window
        Verdict stale = StaleReads.check(h, windows);
        assertFalse(stale.ok());
        assertTrue(stale.summary().contains("1 of 3 reads"), stale.summary());
    }

    @Test
    void noReadAfterTheSettleIsNoEvidence() {
        History h = new History();
        h.add(read(1, "phoenix-b", Outcome.OK));
        assertFalse(StaleReads.check(h, SETTLED).ok());
    }
}
