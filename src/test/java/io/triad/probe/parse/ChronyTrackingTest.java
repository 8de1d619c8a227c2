package io.triad.probe.parse;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChronyTrackingTest {

    @Test
    void synchronised() {
        ChronyTracking.Tracking t = ChronyTracking.parse(Recorded.read("chronyc-tracking-synced.txt"));
        assertEquals("0AD54D01 (10.213.77.1)", t.referenceId());
        assertEquals(3, t.stratum());
        assertEquals(-0.000012345, t.systemTimeOffsetSeconds(), 1e-12, "slow of NTP time is negative");
        assertEquals(-0.000008123, t.lastOffsetSeconds(), 1e-12);
        assertEquals("Normal", t.leapStatus());
        assertTrue(t.synchronised());
    }

    @Test
    void notSynchronised() {
        ChronyTracking.Tracking t = ChronyTracking.parse(Recorded.read("chronyc-tracking-unsynced.txt"));
        assertEquals("00000000 ()", t.referenceId());
        assertEquals(0, t.stratum());
        assertEquals("Not synchronised", t.leapStatus());
        assertFalse(t.synchronised(), "leap status Not synchronised, stratum 0, reference 00000000");
        assertEquals(0.0, t.systemTimeOffsetSeconds());
    }

    @Test
    void localClockOnlyIsNotSynchronised() {
        ChronyTracking.Tracking t = ChronyTracking.parse(Recorded.read("chronyc-tracking-local.txt"));
        assertEquals("Normal", t.leapStatus());
        assertEquals(10, t.stratum());
        assertFalse(t.synchronised(), "7F7F0101 () is chronyd's own local clock");
        assertEquals(1e-9, t.systemTimeOffsetSeconds(), 1e-15, "fast of NTP time is positive");
    }

    @Test
    void noDaemonIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChronyTracking.parse(Recorded.read("chronyc-tracking-no-daemon.txt")));
        assertEquals("no 'Reference ID' in chronyc tracking output: '506 Cannot talk to daemon'", e.getMessage());
        String bad = Recorded.read("chronyc-tracking-synced.txt").replace("seconds slow of NTP time", "seconds behind");
        e = assertThrows(IllegalArgumentException.class, () -> ChronyTracking.parse(bad));
        assertTrue(e.getMessage().startsWith("unreadable System time"), e.getMessage());
    }

    @Test
    void timedatectlShow() {
        Map<String, String> ok = ChronyTracking.parseProperties(Recorded.read("timedatectl-show-synced.txt"));
        assertEquals("yes", ok.get("NTPSynchronized"));
        assertEquals("Etc/UTC", ok.get("Timezone"));
        assertEquals("Sat 2026-11-21 12:04:17 UTC", ok.get("TimeUSec"));
        Map<String, String> off = ChronyTracking.parseProperties(Recorded.read("timedatectl-show-unsynced.txt"));
        assertEquals("no", off.get("NTPSynchronized"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChronyTracking.parseProperties(Recorded.read("timedatectl-show-no-systemd.txt")));
        assertEquals("line 1: not a KEY=value property: "
                + "'System has not been booted with systemd as init system (PID 1). Can't operate.'", e.getMessage());
    }
}
