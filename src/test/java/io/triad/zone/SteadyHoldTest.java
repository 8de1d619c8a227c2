package io.triad.zone;

import io.triad.env.EnvironmentLoader;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The steady state holds for a while only when the harness disturbed the zone lately. */
class SteadyHoldTest {

    @Test
    void aZoneTheHarnessHasNotTouchedNeedsNoHoldAHealedOneDoes() {
        Zone zone = Zone.plan(EnvironmentLoader.load(io.triad.sim.SimulatedTriad.root().resolve("environments/bsfg-triad/example-live.yaml")),
                new io.triad.plan.Plan(System.out));
        assertEquals(Duration.ZERO, SteadyState.hold(zone), "a live zone read only: one good look");
        assertFalse(zone.disturbedSinceSettled());
        assertEquals(java.util.Optional.empty(), zone.settle("nothing"), "a zone the harness has not disturbed is not waited for");
        zone.faults().applied("scratch server", () -> { });
        zone.faults().healAll(new io.triad.host.Evidence());
        assertFalse(zone.disturbedSinceSettled(), "what the harness set up beside the zone, removed, disturbed nothing");
        assertEquals(Duration.ZERO, SteadyState.hold(zone));
        zone.faults().applied("test fault", "alpha", java.time.Instant.now(), Faults.Impact.NONE, () -> { });
        assertEquals(Duration.ZERO, SteadyState.hold(zone), "a fault in place is no heal");
        zone.faults().healAll(new io.triad.host.Evidence());
        assertEquals(SteadyState.HOLD, SteadyState.hold(zone), "just healed: hold");
        assertTrue(zone.disturbedSinceSettled(), "after a heal the zone is settled again before the next scenario (Hooks)");
    }
}
