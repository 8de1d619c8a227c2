package io.triad.sim;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The start-of-run sweep leaves alone the zone of another harness process still running (two
 * runs on one machine), and takes what a dead process left, or a reused pid's.
 */
class SweepOwnerTest {

    static Map<String, String> owner(String value) {
        return Map.of(SimulatedTriad.OWNER_LABEL, value);
    }

    @Test
    void anotherLiveProcessOwnsItsZone() throws Exception {
        Process other = new ProcessBuilder("sleep", "30").start();
        try {
            String start = other.toHandle().info().startInstant().orElseThrow().toString();
            assertTrue(SimulatedTriad.ownedByAnotherLiveRun(owner(other.pid() + "@" + start)));
            // the same pid with another start instant: a reused pid, not the owner
            assertFalse(SimulatedTriad.ownedByAnotherLiveRun(owner(other.pid() + "@2020-01-01T00:00:00Z")));
        } finally {
            other.destroyForcibly().waitFor();
        }
    }

    @Test
    void deadOwnersThisRunAndUnlabelledZonesAreLeftovers() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        String start = gone.toHandle().info().startInstant().map(Object::toString).orElse("?");
        gone.waitFor();
        assertFalse(SimulatedTriad.ownedByAnotherLiveRun(owner(gone.pid() + "@" + start)));
        assertFalse(SimulatedTriad.ownedByAnotherLiveRun(owner(SimulatedTriad.OWNER)));
        assertFalse(SimulatedTriad.ownedByAnotherLiveRun(Map.of()));
        assertFalse(SimulatedTriad.ownedByAnotherLiveRun(null));
        assertFalse(SimulatedTriad.ownedByAnotherLiveRun(owner("not-a-pid@x")));
    }

    /** Another zone of this very process, still open (two runs side by side in one JVM), is spared; once closed it is a leftover. */
    @Test
    void aZoneOfThisProcessIsSparedWhileItIsOpen() {
        String run = OpenZones.opened("test" + Long.toHexString(System.nanoTime()));
        Map<String, String> labels = Map.of(SimulatedTriad.OWNER_LABEL, SimulatedTriad.OWNER, "triad.run", run);
        assertTrue(SimulatedTriad.ownedByAnotherLiveRun(labels));
        OpenZones.closed(run);
        assertFalse(SimulatedTriad.ownedByAnotherLiveRun(labels));
    }
}
