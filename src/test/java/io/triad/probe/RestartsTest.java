package io.triad.probe;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A unit's restart policy as systemd 252 printed it (recorded/systemd/README.md), and systemd's time spans. */
class RestartsTest {

    @Test
    void aUnitThatRestartsItselfAndOneThatDoesNot() throws IOException {
        Restarts.State repmgrd = Restarts.parse(io.triad.Recorded.text("systemd/show-restart-repmgrd.txt"), "repmgrd.service");
        assertTrue(repmgrd.restarts());
        assertEquals(Duration.ofSeconds(2), repmgrd.interval());
        assertEquals(0, repmgrd.restartsSoFar());
        assertFalse(repmgrd.starting(), "running, not starting");
        Restarts.State pg = Restarts.parse(io.triad.Recorded.text("systemd/show-restart-postgresql@15-main.txt"), "postgresql@15-main.service");
        assertFalse(pg.restarts(), "Restart=no");
        assertEquals(Duration.ofMillis(100), pg.interval());
    }

    @Test
    void aStartUnderWayAndItsCount() {
        Restarts.State s = Restarts.parse("Restart=on-failure\nRestartUSec=5s\nNRestarts=1\nActiveState=activating\nSubState=auto-restart\n", "u");
        assertTrue(s.starting());
        assertEquals(1, s.restartsSoFar());
    }

    @Test
    void timeSpans() {
        assertEquals(Duration.ofSeconds(90), Restarts.span("1min 30s"));
        assertEquals(Duration.ofMillis(1500), Restarts.span("1.500000s"));
        assertEquals(Duration.ZERO, Restarts.span("0"));
        assertThrows(IllegalStateException.class, () -> Restarts.span("infinity"));
        assertThrows(IllegalStateException.class, () -> Restarts.parse("Restart=no\n", "u"), "a field missing is said, not taken as zero");
    }
}
