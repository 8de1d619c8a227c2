package io.triad.probe;

import io.triad.tech.nats.JetStreamStatus;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parsers on outputs recorded from the simulated triad (src/test/resources/recorded). */
class RecordedOutputsTest {

    static String recorded(String name) throws IOException {
        return io.triad.Recorded.text(name);
    }

    @Test
    void ipAddrFindsTheVipOnTheHolderOnly() throws IOException {
        String alpha = recorded("ip-addr-alpha.txt");
        List<IpAddr.Address> addresses = IpAddr.parse(alpha);
        assertEquals(3, addresses.size());
        assertEquals(new IpAddr.Address("eth0", "10.213.77.10", 24), addresses.get(2));
        assertTrue(IpAddr.holds(alpha, "10.213.77.10"));
        assertFalse(IpAddr.holds(recorded("ip-addr-beta.txt"), "10.213.77.10"));
        assertFalse(IpAddr.holds(alpha, "10.213.77.1"), "no prefix match: .1 is not .10 or .11");
    }

    @Test
    void everyReachableAddressIsTriedTheVipAndTheNodesOwnNotLoopback() throws IOException {
        assertEquals(List.of("10.213.77.11", "10.213.77.10"), IpAddr.reachable(recorded("ip-addr-alpha.txt")));
        assertFalse(IpAddr.reachable(recorded("ip-addr-beta.txt")).contains("127.0.0.1"));
    }

    @Test
    void ssFindsTheControllerBoundToTheVip() throws IOException {
        List<Listeners.Socket> sockets = Listeners.onPort(recorded("ss-tlnp-alpha.txt"), 9443);
        assertEquals(1, sockets.size());
        assertEquals("10.213.77.10", sockets.get(0).address());
        assertFalse(sockets.get(0).wildcard());
        assertTrue(Listeners.onPort(recorded("ss-tlnp-gamma.txt"), 9443).isEmpty());
    }

    @Test
    void ssNormalisesWildcardsAndMappedAddresses() throws IOException {
        List<Listeners.Socket> all = Listeners.parse(recorded("ss-tlnp-alpha.txt"));
        assertTrue(all.stream().filter(s -> s.port() == 4222).allMatch(Listeners.Socket::wildcard), "*:4222 is a wildcard");
        assertTrue(all.stream().filter(s -> s.port() == 22).allMatch(Listeners.Socket::wildcard), "0.0.0.0:22 and [::]:22 are wildcards");
        assertEquals("sshd", all.stream().filter(s -> s.port() == 22).findFirst().orElseThrow().process());
        String java = "LISTEN 0      50      [::ffff:10.213.77.10]:9443             *:*    users:((\"java\",pid=7,fd=9))\n"
                + "LISTEN 0      50                 [::]:9443          [::]:*    users:((\"java\",pid=8,fd=9))\n";
        List<Listeners.Socket> parsed = Listeners.parse(java);
        assertEquals("10.213.77.10", parsed.get(0).address());
        assertEquals("java", parsed.get(0).process());
        assertTrue(parsed.get(1).wildcard());
    }

    @Test
    void jszOfTheLeaderListsItsCurrentReplicas() throws IOException {
        JetStreamStatus beta = JetStreamStatus.parse(recorded("jsz-beta.json"));
        assertEquals("sim", beta.cluster());
        assertEquals("sim-beta", beta.leader());
        assertEquals(3, beta.clusterSize());
        assertEquals(3, beta.currentPeers());
        JetStreamStatus alpha = JetStreamStatus.parse(recorded("jsz-alpha.json"));
        assertTrue(alpha.hasLeader());
        assertTrue(alpha.replicas().isEmpty(), "followers do not list replicas");
    }

    @Test
    void jszWithALaggingReplicaCountsFewerCurrentPeers() throws IOException {
        String lagging = recorded("jsz-beta.json").replaceFirst("\"current\": true", "\"current\": false");
        assertEquals(2, JetStreamStatus.parse(lagging).currentPeers());
        String leaderless = recorded("jsz-gamma.json").replace("\"leader\": \"sim-beta\",", "");
        assertFalse(JetStreamStatus.parse(leaderless).hasLeader());
        assertThrows(IllegalArgumentException.class, () -> JetStreamStatus.parse("curl: (7) Failed to connect"));
    }
}
