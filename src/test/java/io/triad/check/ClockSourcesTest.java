package io.triad.check;

import io.triad.probe.parse.ChronyTracking;
import io.triad.probe.parse.Recorded;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A zone without an upstream NTP server: one node on its local clock, the others synchronised to
 * it; from recorded {@code chronyc -n tracking} outputs (the synchronised one's source rewritten to
 * the zone's addresses).
 */
class ClockSourcesTest {

    private static final Map<String, String> ADDRESSES = Map.of("alpha", "10.213.77.11", "beta", "10.213.77.12", "gamma", "10.213.77.13");

    private static ChronyTracking.Tracking local() {
        return ChronyTracking.parse(Recorded.read("chronyc-tracking-local.txt"));
    }

    private static ChronyTracking.Tracking syncedTo(String address) {
        return ChronyTracking.parse(Recorded.read("chronyc-tracking-synced.txt").replace("0AD54D01 (10.213.77.1)", "0AD54D0D (" + address + ")"));
    }

    @Test
    void oneNodeServesItsClockAndTheOthersFollowIt() {
        Map<String, ChronyTracking.Tracking> zone = new TreeMap<>(Map.of("alpha", syncedTo("10.213.77.13"), "beta", syncedTo("10.213.77.13"),
                "gamma", local()));
        assertEquals(List.of(), ClockSources.problems(zone, ADDRESSES));
    }

    @Test
    void aSecondNodeOnItsOwnLocalClockIsASecondTime() {
        Map<String, ChronyTracking.Tracking> zone = new TreeMap<>(Map.of("alpha", local(), "beta", syncedTo("10.213.77.13"), "gamma", local()));
        List<String> problems = ClockSources.problems(zone, ADDRESSES);
        assertEquals(1, problems.size(), problems.toString());
        assertEquals(true, problems.get(0).startsWith("alpha and gamma each serve their own local clock: the zone has 2 times"), problems.get(0));
    }

    @Test
    void aNodeSynchronisedElsewhereIsNamed() {
        Map<String, ChronyTracking.Tracking> zone = new TreeMap<>(Map.of("alpha", syncedTo("10.213.77.13"), "beta", syncedTo("192.0.2.7"),
                "gamma", local()));
        assertEquals(List.of("beta is synchronised to 0AD54D0D (192.0.2.7), not to the zone's time source gamma (10.213.77.13)"),
                ClockSources.problems(zone, ADDRESSES));
    }

    @Test
    void noLocalClockAtAllIsNotThisCheck() {
        Map<String, ChronyTracking.Tracking> zone = new TreeMap<>(Map.of("alpha", syncedTo("10.213.77.13"), "beta", syncedTo("10.213.77.13")));
        assertEquals(List.of(), ClockSources.problems(zone, ADDRESSES));
    }
}
