package io.triad.check;

import io.triad.history.History;
import io.triad.history.History.FinalRead;
import io.triad.history.History.Op;
import io.triad.history.History.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lost-writes checker: every acknowledged write must be in the final read; unknown ones may go either way. */
class LostWritesTest {

    static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");
    static final String UNKNOWN = "writes unknown (landed / not)";

    static String id(int i) {
        return String.format("w-%04d", i);
    }

    /** Write number i, invoked at i*100 ms, completed 30 ms later. */
    static Op write(int i, Outcome outcome) {
        int status = switch (outcome) {
            case OK -> 200;
            case FAIL -> 503;
            case UNKNOWN -> -1;
        };
        return new Op("write", id(i), T0.plusMillis(i * 100L), T0.plusMillis(i * 100L + 30), outcome, status, "alpha", "");
    }

    /** Writes 0..9 acknowledged, 10 and 11 timed out (unknown), 12 refused. */
    static History writes() {
        History h = new History();
        for (int i = 0; i < 10; i++) {
            h.add(write(i, Outcome.OK));
        }
        h.add(write(10, Outcome.UNKNOWN));
        h.add(write(11, Outcome.UNKNOWN));
        h.add(write(12, Outcome.FAIL));
        return h;
    }

    static Set<String> ids(int... numbers) {
        Set<String> out = new LinkedHashSet<>();
        for (int n : numbers) {
            out.add(id(n));
        }
        return out;
    }

    static FinalRead read(Set<String> ids) {
        return new FinalRead(T0.plusMillis(10_000), ids, true, "stream ORDERS, 3 replicas");
    }

    @Test
    void allAcknowledgedWritesPresentPassesWithCounts() {
        History h = writes();
        h.finalRead(read(ids(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10))); // unknown w-0010 landed, w-0011 did not
        Verdict v = LostWrites.check(h);
        assertTrue(v.ok(), v.toString());
        assertEquals("no lost acknowledged writes", v.checker());
        assertEquals("10", v.figures().get("writes acknowledged"));
        assertEquals("0", v.figures().get("acknowledged writes lost"));
        assertEquals("1", v.figures().get("writes failed"));
        assertEquals("1 / 1", v.figures().get(UNKNOWN));
        assertEquals("all 10 acknowledged writes are present after the heal (2 unknown, 1 of them landed)", v.summary());
        assertTrue(v.evidence().startsWith("13 writes; final read at " + T0.plusMillis(10_000) + " found 11 of this drill's ids"
                + " (stream ORDERS, 3 replicas)\n"), v.evidence());
        assertFalse(v.evidence().contains("LOST"), v.evidence());
    }

    @Test
    void unknownWritesDoNotFailWhetherTheyLandedOrNot() {
        History none = writes();
        none.finalRead(read(ids(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)));
        Verdict v = LostWrites.check(none);
        assertTrue(v.ok(), v.toString());
        assertEquals("0 / 2", v.figures().get(UNKNOWN));

        History both = writes();
        both.finalRead(read(ids(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)));
        v = LostWrites.check(both);
        assertTrue(v.ok(), v.toString());
        assertEquals("2 / 0", v.figures().get(UNKNOWN));
        assertEquals("all 10 acknowledged writes are present after the heal (2 unknown, 2 of them landed)", v.summary());
    }

    @Test
    void aRefusedWriteThatLandedIsReportedNotJudged() {
        History h = writes();
        h.finalRead(read(ids(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12)));
        Verdict v = LostWrites.check(h);
        assertTrue(v.ok(), v.toString());
        assertTrue(v.evidence().contains("1 write(s) refused by the controller are present anyway"), v.evidence());
    }

    @Test
    void oneMissingAcknowledgedWriteFailsAndIsNamed() {
        History h = writes();
        h.finalRead(read(ids(0, 1, 2, 3, 5, 6, 7, 8, 9, 10))); // w-0004 acknowledged but gone
        Verdict v = LostWrites.check(h);
        assertFalse(v.ok(), v.toString());
        assertEquals("1 of 10 acknowledged writes are missing after the heal", v.summary());
        assertEquals("1", v.figures().get("acknowledged writes lost"));
        assertEquals("10", v.figures().get("writes acknowledged"));
        assertEquals("1 / 1", v.figures().get(UNKNOWN));
        assertTrue(v.evidence().contains("LOST write w-0004 invoked " + T0.plusMillis(400) + ", completed " + T0.plusMillis(430)
                + ": OK HTTP 200 from alpha\n"), v.evidence());
        assertEquals(1, v.evidence().split("LOST ", -1).length - 1, v.evidence());
    }

    @Test
    void noFinalReadFails() {
        Verdict v = LostWrites.check(writes());
        assertFalse(v.ok(), v.toString());
        assertEquals("the final read after the heal did not complete: no final read was made", v.summary());
        assertEquals("no final read was made\n", v.evidence());
    }

    @Test
    void anIncompleteFinalReadFails() {
        History h = writes();
        h.finalRead(new FinalRead(T0.plusMillis(10_000), ids(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), false,
                "stream ORDERS: no responders after 5 s"));
        Verdict v = LostWrites.check(h);
        assertFalse(v.ok(), v.toString());
        assertEquals("the final read after the heal did not complete: stream ORDERS: no responders after 5 s", v.summary());
        assertTrue(v.evidence().contains("no responders after 5 s"), v.evidence());
    }

    @Test
    void noWritesAtAllFails() {
        History h = new History();
        h.finalRead(read(ids()));
        Verdict v = LostWrites.check(h);
        assertFalse(v.ok(), v.toString());
        assertEquals("no write was attempted: nothing shows writes survive", v.summary());
        assertEquals("0", v.figures().get("writes acknowledged"));
        assertTrue(v.evidence().startsWith("0 writes;"), v.evidence());
    }

    @Test
    void noAcknowledgedWriteFails() {
        History h = new History();
        h.add(write(0, Outcome.FAIL));
        h.add(write(1, Outcome.UNKNOWN));
        h.finalRead(read(ids()));
        Verdict v = LostWrites.check(h);
        assertFalse(v.ok(), v.toString());
        assertEquals("no write was acknowledged in 2 attempts", v.summary());
    }
}
