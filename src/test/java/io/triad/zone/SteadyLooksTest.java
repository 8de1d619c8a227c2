package io.triad.zone;

import io.triad.env.EnvironmentLoader;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The looks of a wait for the steady state ask first the part that kept the zone waiting, every
 * part once that one holds, and are empty exactly when every part holds; the pause after a look is
 * as long as the look, between 200 ms and 1 s.
 */
class SteadyLooksTest {

    @Test
    void aLookAsksAgainFirstThePartThatKeptItWaitingAndEveryPartOnceThatHolds() {
        Zone zone = Zone.plan(EnvironmentLoader.load(io.triad.sim.SimulatedTriad.root().resolve("environments/bsfg-triad/example-live.yaml")),
                new io.triad.plan.Plan(System.out));
        List<String> asked = new ArrayList<>();
        int[] replicationLooks = {0};
        int[] siteLooks = {0};
        SteadyPart hosts = new SteadyPart("hosts", true, z -> { asked.add("hosts"); return List.of(); });
        // not steady for its first three looks
        SteadyPart replication = new SteadyPart("replication", false, z -> {
            asked.add("replication");
            return ++replicationLooks[0] <= 3 ? List.of("b is not streaming") : List.of();
        });
        // breaks once more, at its third look (after the zone looked steady)
        SteadyPart site = new SteadyPart("site", false, z -> {
            asked.add("site");
            return ++siteLooks[0] == 3 ? List.of("the site answered 502") : List.of();
        });
        SteadyState.Looks looks = new SteadyState.Looks(zone, List.of(hosts, replication, site));

        assertEquals(List.of("b is not streaming"), looks.problems());
        assertEquals(List.of("hosts", "replication"), asked, "the first look stops at the first part with a problem");
        asked.clear();
        assertEquals(List.of("b is not streaming"), looks.problems());
        assertEquals(List.of("b is not streaming"), looks.problems());
        assertEquals(List.of("replication", "replication"), asked, "while it still has one, only that part is asked");
        asked.clear();
        assertEquals(List.of(), looks.problems(), "steady");
        assertEquals(List.of("replication", "hosts", "site"), asked, "once it holds, every other part is asked in order");
        asked.clear();
        assertEquals(List.of(), looks.problems());
        assertEquals(List.of("hosts", "replication", "site"), asked, "a look after a steady one asks every part");
        asked.clear();
        AssertionError broke = assertThrows(AssertionError.class, looks::require, "a part that breaks later is seen");
        assertEquals("the site answered 502", broke.getMessage());
        assertEquals(List.of("hosts", "replication", "site"), asked);
        asked.clear();
        looks.require();
        assertEquals(List.of("site", "hosts", "replication"), asked);
    }

    @Test
    void thePauseAfterALookIsAsLongAsTheLookWithinItsBounds() {
        assertEquals(Duration.ofMillis(200), Within.pause(0));
        assertEquals(Duration.ofMillis(200), Within.pause(150_000_000L));
        assertEquals(Duration.ofMillis(640), Within.pause(640_000_000L));
        assertEquals(Duration.ofSeconds(1), Within.pause(4_000_000_000L));
    }
}
