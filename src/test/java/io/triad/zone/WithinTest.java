package io.triad.zone;

import io.triad.host.Evidence;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WithinTest {

    @Test
    void aDecidedAnswerStopsThePollingAtOnce() {
        Evidence evidence = new Evidence();
        AtomicInteger attempts = new AtomicInteger();
        long t0 = System.nanoTime();
        Within.Decided d = org.junit.jupiter.api.Assertions.assertThrows(Within.Decided.class, () -> Within.until(evidence, "a segment archived",
                java.time.Duration.ofSeconds(30), () -> {
                    if (attempts.incrementAndGet() < 3) {
                        throw new AssertionError("not yet");
                    }
                    throw new Within.Decided("PostgreSQL says it archived it, and it is not there");
                }));
        org.junit.jupiter.api.Assertions.assertEquals(3, attempts.get());
        org.junit.jupiter.api.Assertions.assertTrue(java.time.Duration.ofNanos(System.nanoTime() - t0).toSeconds() < 5, "waited for the deadline");
        org.junit.jupiter.api.Assertions.assertEquals("PostgreSQL says it archived it, and it is not there", d.getMessage());
    }

    @Test
    void recordsHowLongItTookAndKeepsOnlyTheLastAttemptsEvidence() {
        Evidence evidence = new Evidence();
        AtomicInteger attempts = new AtomicInteger();
        Duration took = Within.until(evidence, "third time lucky", Duration.ofSeconds(5), () -> {
            evidence.note("attempt " + attempts.incrementAndGet(), "");
            if (attempts.get() < 3) {
                throw new AssertionError("not yet");
            }
        });
        assertTrue(took.toMillis() >= 300, "two 200 ms poll intervals at least: " + took);
        var items = evidence.drain();
        assertEquals(2, items.size(), items.toString());
        assertEquals("attempt 3", items.get(0).title());
        assertTrue(items.get(1).title().startsWith("measured: third time lucky after "));
    }

    @Test
    void aMissedDeadlineReportsTheLastObservation() {
        Evidence evidence = new Evidence();
        AtomicInteger n = new AtomicInteger();
        AssertionError e = assertThrows(AssertionError.class, () -> Within.until(evidence, "never", Duration.ofMillis(500),
                () -> {
                    throw new AssertionError("VIP held by no node (observation " + n.incrementAndGet() + ")");
                }));
        assertTrue(e.getMessage().startsWith("not within 500 ms: VIP held by no node (observation "), e.getMessage());
        assertTrue(evidence.drain().stream().anyMatch(i -> i.title().equals("deadline missed: never")));
    }

    /**
     * The zone after a heal, as measured: steady at the first look, broken for a while (JetStream
     * re-electing), steady again. A single look would have passed at once; settling waits out the
     * break and holds the whole period after it.
     */
    @Test
    void steadyMustHoldOnEndAndABreakStartsTheHoldOver() {
        Evidence evidence = new Evidence();
        AtomicInteger n = new AtomicInteger();
        long t0 = System.nanoTime();
        Duration took = Within.settles(evidence, "steady", Duration.ofSeconds(5), Duration.ofMillis(600), () -> {
            int i = n.incrementAndGet();
            if (i >= 2 && i <= 4) {
                throw new AssertionError("health through the VIP answered HTTP 503 (observation " + i + ")");
            }
        });
        long total = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(took.toMillis() >= 600, "the hold began after the break (3 polls of 200 ms at least): " + took);
        assertTrue(total >= took.toMillis() + 600, "and lasted the whole hold: " + total + " ms");
        String body = evidence.drain().stream().filter(i -> i.title().startsWith("measured: steady after ")).findFirst()
                .orElseThrow().body();
        assertTrue(body.contains("broke again 1 time(s) before, last: health through the VIP answered HTTP 503 (observation 2)"),
                body);
        // where the time went: what the last look before the steady run still found wrong
        assertTrue(body.contains("the last look before that: health through the VIP answered HTTP 503 (observation 4)"), body);
    }

    @Test
    void aZoneThatKeepsBreakingIsNotSteady() {
        Evidence evidence = new Evidence();
        AtomicInteger n = new AtomicInteger();
        AssertionError e = assertThrows(AssertionError.class, () -> Within.settles(evidence, "steady", Duration.ofSeconds(2),
                Duration.ofMillis(700), () -> {
                    if (n.incrementAndGet() % 3 == 0) {
                        throw new AssertionError("VIP held by no node (observation " + n.get() + ")");
                    }
                }));
        assertTrue(e.getMessage().startsWith("not within 2 s (held for 700 ms) (it looked true "), e.getMessage());
        assertTrue(e.getMessage().contains("and did not hold): VIP held by no node (observation "), e.getMessage());
    }

    /** A quiet zone (nothing healed lately) needs no hold: the first good look is steady. */
    @Test
    void withoutAHoldTheFirstGoodLookIsSteady() {
        Evidence evidence = new Evidence();
        long t0 = System.nanoTime();
        Within.settles(evidence, "steady", Duration.ofSeconds(5), Duration.ZERO, () -> { });
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 500, "no hold");
    }
}
