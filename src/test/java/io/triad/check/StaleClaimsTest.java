package io.triad.check;

import io.triad.history.History;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The longest stale claim of a leadership, on hand-built histories sampled every 250 ms. */
class StaleClaimsTest {

    static final Instant T0 = Instant.parse("2026-11-23T04:00:00Z");

    /** One node's samples from a string: 'L' leader with quorum, 'c' claims without quorum, '.' neither. */
    static List<History.Sample> node(String node, String states) {
        List<History.Sample> out = new ArrayList<>();
        for (int i = 0; i < states.length(); i++) {
            char c = states.charAt(i);
            Instant start = T0.plusMillis(250L * i);
            out.add(new History.Sample(node, start, start.plusMillis(50), Map.of(
                    "meta-leader", String.valueOf(c == 'L'), "meta-leader-claimed", String.valueOf(c == 'L' || c == 'c'))));
        }
        return out;
    }

    @Test
    void aLeaderThatNeverLosesItsQuorumHasNoStaleClaim() {
        List<History.Sample> samples = new ArrayList<>(node("magnus", "LLLLLLLL"));
        samples.addAll(node("homer", "........"));
        assertTrue(StaleClaims.longest(samples, "meta-leader").isEmpty());
    }

    @Test
    void theLongestRunOverEveryNodeIsReportedWithItsStart() {
        List<History.Sample> samples = new ArrayList<>(node("magnus", "LLcc..cccc.."));
        samples.addAll(node("homer", "....LLLLLLLL"));
        StaleClaims.Run run = StaleClaims.longest(samples, "meta-leader").orElseThrow();
        assertEquals("magnus", run.node());
        assertEquals(T0.plusMillis(1500), run.from());
        assertEquals(Duration.ofMillis(1000), run.length(), "from the first stale sample to the first that is not");
        assertTrue(!run.toTheEnd());
    }

    @Test
    void aClaimStillStaleWhenTheRecordingEndsLastsToItsLastSample() {
        List<History.Sample> samples = new ArrayList<>(node("datardos", "LLLccccc"));
        samples.addAll(node("homer", "...LLLLL"));
        StaleClaims.Run run = StaleClaims.longest(samples, "meta-leader").orElseThrow();
        assertEquals(Duration.ofMillis(1050), run.length(), "from 750 ms to the last sample (1750 ms) and its 50 ms");
        assertTrue(run.toTheEnd());
        assertTrue(run.toString().endsWith("to the end of the recording)"), run.toString());
    }
}
