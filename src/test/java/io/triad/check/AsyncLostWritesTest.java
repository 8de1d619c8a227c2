package io.triad.check;

import io.triad.history.History;
import io.triad.history.History.FinalRead;
import io.triad.history.History.Op;
import io.triad.history.History.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lost writes against an asynchronous replication's lag bound, on hand-built histories: a write
 * every 100 ms confirmed by the old primary until the crash at 5 s, then by the new one from 12 s.
 */
class AsyncLostWritesTest {

    static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
    static final Instant CRASH = T0.plusSeconds(5);
    static final Duration BOUND = Duration.ofSeconds(1);

    static History ledger() {
        History h = new History();
        for (int i = 0; i < 50; i++) { // 0 .. 4.9 s on phoenix-a
            h.add(new Op("write", "w" + i, T0.plusMillis(i * 100L), T0.plusMillis(i * 100L + 20), Outcome.OK, -1, "phoenix-a", ""));
        }
        h.add(new Op("write", "w50", CRASH, CRASH.plusSeconds(5), Outcome.UNKNOWN, -1, "", "server closed the connection"));
        for (int i = 120; i < 150; i++) { // 12 .. 14.9 s on phoenix-b
            h.add(new Op("write", "w" + i, T0.plusMillis(i * 100L), T0.plusMillis(i * 100L + 20), Outcome.OK, -1, "phoenix-b", ""));
        }
        return h;
    }

    static Set<String> allBut(History h, String... missing) {
        Set<String> ids = new LinkedHashSet<>();
        h.ops("write").forEach(o -> ids.add(o.id()));
        for (String m : missing) {
            ids.remove(m);
        }
        return ids;
    }

    @Test
    void nothingLostPasses() {
        History h = ledger();
        h.finalRead(new FinalRead(T0.plusSeconds(30), allBut(h), true, "read on the primary"));
        Verdict v = AsyncLostWrites.check(h, CRASH, BOUND);
        assertTrue(v.ok(), v.toString());
        assertEquals("0", v.figures().get("confirmed writes lost"));
    }

    @Test
    void writesLostWithinTheBoundAreCountedNotFailed() {
        History h = ledger();
        h.finalRead(new FinalRead(T0.plusSeconds(30), allBut(h, "w47", "w48", "w49", "w50"), true, "read on the primary"));
        Verdict v = AsyncLostWrites.check(h, CRASH, BOUND);
        assertTrue(v.ok(), v.toString());
        assertEquals("3", v.figures().get("confirmed writes lost"), "the unknown write w50 is not counted");
        assertTrue(v.summary().contains("3 of 80 confirmed writes lost"), v.summary());
        assertEquals("280 ms", v.figures().get("oldest lost write, confirmed before the fault by"));
    }

    @Test
    void aWriteLostFromBeforeTheBoundFails() {
        History h = ledger();
        h.finalRead(new FinalRead(T0.plusSeconds(30), allBut(h, "w30", "w49"), true, "read on the primary"));
        Verdict v = AsyncLostWrites.check(h, CRASH, BOUND);
        assertFalse(v.ok());
        assertTrue(v.summary().contains("more than 1000 ms before the fault"), v.summary());
        assertTrue(v.evidence().contains("LOST, confirmed before the lag bound: write w30"), v.evidence());
    }

    @Test
    void aWriteOfTheNewPrimaryLostFails() {
        History h = ledger();
        h.finalRead(new FinalRead(T0.plusSeconds(30), allBut(h, "w130"), true, "read on the primary"));
        Verdict v = AsyncLostWrites.check(h, CRASH, BOUND);
        assertFalse(v.ok());
        assertTrue(v.summary().contains("confirmed after the fault are missing"), v.summary());
    }

    @Test
    void anIncompleteFinalReadOrNoConfirmedWriteFails() {
        History h = ledger();
        h.finalRead(new FinalRead(T0.plusSeconds(30), Set.of(), false, "phoenix-b: psql failed"));
        assertFalse(AsyncLostWrites.check(h, CRASH, BOUND).ok());
        History none = new History();
        none.add(new Op("write", "x", T0, T0.plusMillis(5), Outcome.FAIL, -1, "", "connection refused"));
        none.finalRead(new FinalRead(T0.plusSeconds(30), Set.of(), true, "read"));
        Verdict v = AsyncLostWrites.check(none, CRASH, BOUND);
        assertFalse(v.ok());
        assertTrue(v.summary().contains("no write was confirmed"), v.summary());
    }
}
