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
}
