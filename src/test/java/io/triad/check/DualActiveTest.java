package io.triad.check;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dual-active checker on hand-built histories: clean handovers pass, overlaps fail with their interval. */
class DualActiveTest {

    static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

    /** A sample of {@code host} whose command ran from t ms to t+20 ms. */
    static DualActive.Sample s(String host, long ms, boolean vip, boolean controller) {
        return new DualActive.Sample(host, T0.plusMillis(ms), T0.plusMillis(ms + 20), vip, controller);
    }

    /** Samples every 50 ms from..to (exclusive) with one state. */
    static List<DualActive.Sample> run(String host, long from, long to, boolean vip, boolean controller) {
        List<DualActive.Sample> out = new ArrayList<>();
        for (long t = from; t < to; t += 50) {
            out.add(s(host, t, vip, controller));
        }
        return out;
    }

    @Test
    void aCleanFailoverHasNoViolation() {
        List<DualActive.Sample> h = new ArrayList<>();
        h.addAll(run("alpha", 0, 1000, true, true));
        h.addAll(run("alpha", 1000, 3000, false, false));
        h.addAll(run("beta", 0, 1600, false, false));
        h.addAll(run("beta", 1600, 3000, true, true));
        assertEquals(List.of(), DualActive.check(h));
    }

    @Test
    void twoActiveControllersAreReportedWithTheirOverlap() {
        List<DualActive.Sample> h = new ArrayList<>();
        h.addAll(run("alpha", 0, 2000, true, true));
        h.addAll(run("alpha", 2000, 3000, false, false));
        h.addAll(run("beta", 0, 1500, false, false));
        h.addAll(run("beta", 1500, 3000, true, true)); // beta active from 1500 while alpha is until 2000
        List<DualActive.Violation> v = DualActive.check(h);
        assertEquals(2, v.size(), v.toString());
        DualActive.Violation controllers = v.stream().filter(x -> x.what().equals("two active controllers")).findFirst().orElseThrow();
        assertEquals(List.of("alpha", "beta"), controllers.hosts());
        // certain from beta's first agreeing gap (1520) to alpha's last (1950): within one sample of the truth
        assertEquals(T0.plusMillis(1520), controllers.from());
        assertEquals(T0.plusMillis(1950), controllers.to());
        assertTrue(controllers.toString().contains("430 ms"), controllers.toString());
    }

    @Test
    void anOverlapShorterThanOneSampleIsNotClaimed() {
        // beta's single VIP sample at 1000-1020 while alpha still had it: possible, not certain
        List<DualActive.Sample> h = new ArrayList<>();
        h.addAll(run("alpha", 0, 1000, true, false));
        h.add(s("alpha", 1000, true, false));
        h.addAll(run("alpha", 1050, 2000, false, false));
        h.addAll(run("beta", 0, 1000, false, false));
        h.add(s("beta", 1000, true, false));
        h.addAll(run("beta", 1050, 2000, false, false));
        assertEquals(List.of(), DualActive.check(h));
    }

    @Test
    void aControllerLeftRunningAfterDemotionIsCaught() {
        // the notify-never-stops mutant: beta keeps its controller after alpha takes the VIP back
        List<DualActive.Sample> h = new ArrayList<>();
        h.addAll(run("alpha", 0, 1000, false, false));
        h.addAll(run("alpha", 1000, 3000, true, true));
        h.addAll(run("beta", 0, 1000, true, true));
        h.addAll(run("beta", 1000, 3000, false, true));
        List<DualActive.Violation> v = DualActive.check(h);
        assertEquals(1, v.size(), v.toString());
        assertEquals("two active controllers", v.get(0).what());
    }
}
