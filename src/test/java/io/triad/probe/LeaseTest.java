package io.triad.probe;

import io.triad.tech.nats.JetStreamStatus;
import io.triad.tech.nats.JetStreamView;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static io.triad.probe.RecordedOutputsTest.recorded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A leader's claim counts while it heard from a majority within the raft lease. Recorded from the
 * unibus cluster (nats-server 2.12.15): datardos, the meta leader and leader of KV_UNIBUS_nonces,
 * cut off from both others by nftables, read about 1.4 s, 7 s and 13 s after the cut (it still
 * named itself meta leader at 13 s, its peers "current" until 7 s), and homer, leader on the
 * majority side, at 13 s.
 */
class LeaseTest {

    private static JetStreamStatus meta(String name) throws IOException {
        return JetStreamStatus.parse(recorded("jsz/" + name + ".json"));
    }

    private static JetStreamView.Stream stream(String file, String stream) throws IOException {
        return JetStreamView.parse(recorded("jsz/" + file + ".json")).streams().stream().filter(s -> s.name().equals(stream))
                .findFirst().orElseThrow();
    }

    private static boolean leadsMeta(String self, String file) throws IOException {
        JetStreamStatus m = meta(file);
        return JetStreamStatus.leadsWithQuorum(self, m.leader(), m.clusterSize(), m.replicas(), JetStreamStatus.LEASE);
    }

    @Test
    void theIsolatedLeaderKeepsItsClaimButLosesItsLease() throws IOException {
        for (String at : List.of("0s", "6s", "12s")) {
            assertEquals("datardos", meta("unibus-isolated-leader-" + at).leader(), "still claims at " + at);
        }
        assertTrue(leadsMeta("datardos", "unibus-isolated-leader-0s"), "heard its majority 1.4 s ago");
        assertFalse(leadsMeta("datardos", "unibus-isolated-leader-6s"), "heard nobody for 7 s, though it calls them current");
        assertTrue(meta("unibus-isolated-leader-6s").replicas().stream().allMatch(JetStreamStatus.Replica::current),
                "the status column still says current at 7 s: not what the lease reads");
        assertFalse(leadsMeta("datardos", "unibus-isolated-leader-12s"));
        assertTrue(leadsMeta("homer", "unibus-majority-leader-12s"), "the majority's leader heard magnus 0.8 s ago");
        assertFalse(leadsMeta("magnus", "unibus-majority-leader-12s"), "a follower does not lead");
    }

    @Test
    void aStreamLeaderLikewise() throws IOException {
        assertTrue(stream("unibus-isolated-leader-0s", "KV_UNIBUS_nonces").leadsWithQuorum(JetStreamStatus.LEASE));
        assertTrue(stream("unibus-isolated-leader-6s", "KV_UNIBUS_nonces").leading());
        assertFalse(stream("unibus-isolated-leader-6s", "KV_UNIBUS_nonces").leadsWithQuorum(JetStreamStatus.LEASE));
        assertTrue(stream("unibus-majority-leader-12s", "KV_UNIBUS_members").leadsWithQuorum(JetStreamStatus.LEASE));
        assertFalse(stream("unibus-isolated-leader-0s", "KV_UNIBUS_members").leadsWithQuorum(JetStreamStatus.LEASE), "a follower");
    }

    @Test
    void aMajorityIsNeededAndAnUnknownActivityIsNotHearing() {
        var fresh = new JetStreamStatus.Replica("b", true, false, Duration.ofMillis(300));
        var stale = new JetStreamStatus.Replica("c", true, false, Duration.ofSeconds(5));
        var unknown = new JetStreamStatus.Replica("c", true, false);
        var offline = new JetStreamStatus.Replica("c", true, true, Duration.ofMillis(1));
        Duration lease = JetStreamStatus.LEASE;
        assertTrue(JetStreamStatus.leadsWithQuorum("a", "a", 3, List.of(fresh, stale), lease));
        assertFalse(JetStreamStatus.leadsWithQuorum("a", "a", 3, List.of(stale, unknown), lease));
        assertFalse(JetStreamStatus.leadsWithQuorum("a", "a", 5, List.of(fresh, stale, unknown, offline), lease), "2 of 5");
        assertFalse(JetStreamStatus.leadsWithQuorum("", "", 3, List.of(fresh, fresh), lease), "nobody leads");
    }
}
