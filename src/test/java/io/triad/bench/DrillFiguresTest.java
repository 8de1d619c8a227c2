package io.triad.bench;

import io.triad.history.History;
import io.triad.history.History.Log;
import io.triad.history.History.Op;
import io.triad.history.History.Outcome;
import io.triad.history.History.Sample;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark's figures from hand-built histories: a failover under a lease, one without, and none. */
class DrillFiguresTest {

    static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    static final Instant FAULT = T0.plusSeconds(5);

    static Instant at(long ms) {
        return FAULT.plusMillis(ms);
    }

    /**
     * Alpha holds the VIP and is frozen at the fault (no samples for 8 s); Beta is sampled every
     * 50 ms and shows the VIP from {@code vipAtMs} on; health answers from alpha before the fault,
     * fail after it, and from beta once {@code healthyAtMs} has passed.
     */
    static History failover(long vipAtMs, long healthyAtMs) {
        History h = new History();
        for (long t = -5000; t <= 12000; t += 50) {
            if (t < 0 || t > 8000) {
                h.add(io.triad.history.Samples.bsfg("alpha", at(t), at(t + 10), t < 0, t < 0, "active", t < 0 ? "MASTER" : "BACKUP"));
            }
            h.add(io.triad.history.Samples.bsfg("beta", at(t), at(t + 10), t >= vipAtMs, t >= vipAtMs + 300, "active", t >= 3000 ? "MASTER" : "BACKUP"));
        }
        int id = 0;
        for (long t = -5000; t <= 12000; t += 100) {
            boolean before = t < 0;
            boolean after = t >= healthyAtMs;
            h.add(new Op("health", "h" + (++id), at(t), at(t + 20), before || after ? Outcome.OK : Outcome.FAIL,
                    before || after ? 200 : -1, before ? "alpha" : after ? "beta" : "", ""));
        }
        int f = h.faultStarted("freeze", "alpha", FAULT);
        h.healed(f, at(8000));
        return h;
    }

    @Test
    void aFailoverUnderALeaseIsMeasuredFromTheFaultAndSetBesideTheNodesOwnLog() {
        History h = failover(6200, 6800);
        h.add(new Log("beta", at(3100), "Keepalived_vrrp", "(VI_1) Entering MASTER STATE"));
        h.add(new Log("beta", at(6170), "bsfg-lease", "2026-11-21T10:00:11.169Z bsfg-lease vip=added address=10.0.0.10/24 lifetime_s=4"));
        DrillFigures f = DrillFigures.of(h, "vip");
        assertEquals("alpha", f.servedBefore());
        assertEquals(Duration.ofMillis(6820), f.failover().orElseThrow(), "first healthy answer from beta, completed");
        assertEquals(Duration.ofMillis(6200), f.vipSampled().orElseThrow());
        assertEquals(Duration.ofMillis(6170), f.vipLogged().orElseThrow());
        assertEquals("lease agent", f.vipLogSource());
        assertEquals(Duration.ofMillis(30), f.sampledMinusLogged().orElseThrow());
        assertEquals(Duration.ofMillis(3100), f.keepalivedMaster().orElseThrow());
        assertEquals(Duration.ofMillis(8000), f.faultHeld().orElseThrow());
        assertEquals(20.0, f.sampling().get("beta").rateHz(), 0.01);
        DrillFigures.Sampling alpha = f.sampling().get("alpha");
        assertEquals(20.0, alpha.rateHz(), 0.01, "the frozen stretch is a gap, not slow sampling");
        assertEquals(8100, alpha.gapsMs(), 0.01, "from the last sample before the freeze (-50 ms) to the first after (8050 ms)");
    }

    @Test
    void withoutALeaseKeepalivedsMasterTransitionIsTheNodesRecordOfTheVipMove() {
        History h = failover(3150, 3900);
        h.add(new Log("alpha", at(-2000), "Keepalived_vrrp", "(VI_1) Entering MASTER STATE")); // before the fault: not it
        h.add(new Log("beta", at(3100), "Keepalived_vrrp", "(VI_1) Entering MASTER STATE"));
        DrillFigures f = DrillFigures.of(h, "vip");
        assertEquals("keepalived", f.vipLogSource());
        assertEquals(Duration.ofMillis(3100), f.vipLogged().orElseThrow());
        assertEquals(Duration.ofMillis(50), f.sampledMinusLogged().orElseThrow());
    }

    @Test
    void aVipThatNeverMovesGivesNoFailoverFigures() {
        History h = failover(Long.MAX_VALUE, Long.MAX_VALUE);
        h.add(new Log("alpha", at(2000), "Keepalived_vrrp", "(VI_1) Entering FAULT STATE"));
        DrillFigures f = DrillFigures.of(h, "vip");
        assertTrue(f.failover().isEmpty());
        assertTrue(f.vipSampled().isEmpty());
        assertTrue(f.vipLogged().isEmpty());
        assertTrue(f.sampledMinusLogged().isEmpty());
    }

    @Test
    void slowSamplingShowsAsALowRate() {
        History h = new History();
        for (long t = 0; t <= 10000; t += 250) {
            h.add(io.triad.history.Samples.bsfg("gamma", at(t), at(t + 5), false, false, "inactive", "-"));
        }
        DrillFigures f = DrillFigures.of(h, "vip");
        assertEquals(4.0, f.sampling().get("gamma").rateHz(), 0.01);
        assertFalse(f.fault().isPresent());
        assertFalse(Bench.aim("sampling", "rate", "Hz", Stats.of(List.of(f.sampling().get("gamma").rateHz())), 10, false).met(),
                "4 Hz does not meet an aim of 10 Hz or faster");
    }

    @Test
    void nodeLogsSurviveTheHistoryFile() throws Exception {
        History h = failover(6200, 6800);
        h.add(new Log("beta", at(6170), "bsfg-lease", "2026-11-21T10:00:11.169Z bsfg-lease vip=added address=10.0.0.10/24 lifetime_s=4"));
        Path file = Files.createTempFile("history", ".jsonl");
        h.write(file);
        List<Log> back = History.read(file).logs();
        assertEquals(List.of(new Log("beta", at(6170), "bsfg-lease", "2026-11-21T10:00:11.169Z bsfg-lease vip=added address=10.0.0.10/24 lifetime_s=4")), back);
        Files.delete(file);
    }
}
