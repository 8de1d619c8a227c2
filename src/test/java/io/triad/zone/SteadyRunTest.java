package io.triad.zone;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The steady run a drill's observation window counts as settling: held only when good to the end, for the hold. */
class SteadyRunTest {

    static final Instant T = Instant.parse("2026-11-22T18:00:00Z");
    static final Duration HOLD = Duration.ofSeconds(3);

    static Instant at(long ms) {
        return T.plusMillis(ms);
    }

    @Test
    void goodLooksForTheHoldToTheEndHold() {
        SteadyRun run = new SteadyRun();
        run.look(at(0), List.of("stream KV_bsfg_lease has no leader as gamma sees it"));
        for (long ms = 200; ms <= 10_000; ms += 200) {
            run.look(at(ms), List.of());
        }
        assertEquals(Optional.of(at(200)), run.heldBy(at(10_000), HOLD));
    }

    @Test
    void aBadLookLateInTheWindowStartsTheRunOver() {
        SteadyRun run = new SteadyRun();
        for (long ms = 0; ms <= 10_000; ms += 200) {
            run.look(at(ms), ms == 8_000 ? List.of("the VIP is held by alpha and beta, not by exactly one") : List.of());
        }
        assertEquals(Optional.empty(), run.heldBy(at(10_000), HOLD), "steady for 2 s only at the end");
        assertEquals("the VIP is held by alpha and beta, not by exactly one", run.lastProblems());
    }

    @Test
    void aBadLastLookOrNoLookIsNotHeld() {
        SteadyRun run = new SteadyRun();
        for (long ms = 0; ms < 10_000; ms += 200) {
            run.look(at(ms), List.of());
        }
        run.look(at(10_000), List.of("health through the VIP answered 503"));
        assertEquals(Optional.empty(), run.heldBy(at(10_000), HOLD));
        assertEquals(Optional.empty(), new SteadyRun().heldBy(at(10_000), HOLD), "no look at all");
        SteadyRun slow = new SteadyRun();
        slow.look(at(0), List.of());
        slow.missed("the looks did not reach the window's end");
        assertEquals(Optional.empty(), slow.heldBy(at(10_000), HOLD));
    }
}
