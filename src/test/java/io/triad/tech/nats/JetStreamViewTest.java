package io.triad.tech.nats;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The settled-cluster check on {@code /jsz?streams=true} recorded from the simulated triad: every
 * server of a settled zone, and the two survivors 0.3 s after a {@code kill -9} of the server that
 * led BSFG_WRITES (both still named it as leader, and their {@code /healthz} answered ok).
 */
class JetStreamViewTest {

    static JetStreamView view(String name) throws IOException {
        return JetStreamView.parse(recorded("jsz/" + name + ".json"));
    }

    @Test
    void aSettledClusterHasOneMetaLeaderAndEveryStreamLedWithItsReplicasCurrent() throws IOException {
        Map<String, JetStreamView> views = new LinkedHashMap<>();
        for (String host : List.of("alpha", "beta", "gamma")) {
            views.put(host, view("streams-settled-" + host));
        }
        JetStreamView alpha = views.get("alpha");
        assertEquals("sim-beta", alpha.metaLeader());
        assertEquals(List.of("KV_bsfg_lease", "BSFG_WRITES"), alpha.streams().stream().map(JetStreamView.Stream::name).toList());
        JetStreamView.Stream writes = alpha.streams().get(1);
        assertTrue(writes.leading(), "alpha leads BSFG_WRITES and says so (leader_since)");
        assertFalse(alpha.streams().get(0).leading(), "gamma leads the lease bucket, not alpha");
        assertEquals(List.of(), JetStreamView.problems(views));
    }

    /**
     * Recorded on a simulated unibus node (2026-11-25), {@code /jsz?streams=true&config=true} polled
     * while its service started again: for its first 160 ms it named itself leader of
     * KV_UNIBUS_members (R3) with no replica and no leader_since, while magnus led it; 4.3 s
     * later it led it indeed (leader_since set). Read as an R1 stream's, the first made two leaders.
     */
    @Test
    void aReplicatedStreamOnAServerJustStartedIsNotLedByItYet() throws IOException {
        JetStreamView starting = view("unibus-homer-restarting-r3");
        JetStreamView.Stream members = starting.streams().stream().filter(s -> s.name().equals("KV_UNIBUS_members")).findFirst().orElseThrow();
        assertEquals("homer", members.leader(), "the raw answer names homer");
        assertFalse(members.leading(), "an R3 stream with no raft node yet: not led by homer");
        assertFalse(members.leadsWithQuorum(java.time.Duration.ofSeconds(3)));
        JetStreamView.Stream led = view("unibus-homer-leading-r3").streams().stream()
                .filter(s -> s.name().equals("KV_UNIBUS_members")).findFirst().orElseThrow();
        assertTrue(led.leading(), "later homer leads it, leader_since set");
        assertFalse(led.since().isEmpty());
        // the same answer for a stream configured with one replica: led by the one server that lists it
        String withoutConfig = recorded("jsz/unibus-homer-restarting-r3.json").replaceAll("\"num_replicas\":\\s*3", "\"num_replicas\": 1");
        assertTrue(JetStreamView.parse(withoutConfig).streams().stream().filter(s -> s.name().equals("KV_UNIBUS_members"))
                .findFirst().orElseThrow().leading(), "an R1 stream is led by the one server that lists it");
    }

    @Test
    void aKilledStreamLeaderThatItsFollowersStillNameIsNotSettled() throws IOException {
        Map<String, JetStreamView> views = new LinkedHashMap<>();
        views.put("beta", view("streams-leader-killed-beta"));
        views.put("gamma", view("streams-leader-killed-gamma"));
        List<String> problems = JetStreamView.problems(views);
        assertTrue(problems.contains("no server reports itself leader of stream BSFG_WRITES (its followers still name [sim-alpha])"),
                problems.toString());
        assertTrue(problems.contains("stream KV_bsfg_lease's replica on sim-alpha is not current (as its leader gamma sees it)"),
                problems.toString());
        assertEquals(2, problems.size(), problems.toString());
    }

    @Test
    void noMetaLeaderDisagreeingLeadersAndTwoLeadersAreEachNamed() {
        String noMeta = """
                {"meta_cluster": {"name": "sim", "cluster_size": 3}, "account_details": []}""";
        String leads = """
                {"meta_cluster": {"leader": "sim-a"}, "account_details": [{"stream_detail": [{"name": "S",
                 "cluster": {"leader": "sim-a", "leader_since": "2026-11-22T15:09:23Z",
                 "replicas": [{"name": "sim-b", "current": true}, {"name": "sim-c", "current": false, "offline": true}]}}]}]}""";
        String alsoLeads = """
                {"meta_cluster": {"leader": "sim-b"}, "account_details": [{"stream_detail": [{"name": "S",
                 "cluster": {"leader": "sim-b", "leader_since": "2026-11-22T15:09:24Z", "replicas": []}}]}]}""";
        Map<String, JetStreamView> views = new LinkedHashMap<>();
        views.put("a", JetStreamView.parse(leads));
        views.put("b", JetStreamView.parse(alsoLeads));
        views.put("c", JetStreamView.parse(noMeta));
        List<String> problems = JetStreamView.problems(views);
        assertEquals(List.of("c sees no JetStream meta leader", "the servers name different meta leaders: [sim-a, sim-b]",
                "the servers name different leaders of stream S: [sim-a, sim-b]", "stream S has two leaders: [a, b]"), problems);

        views.remove("b");
        views.put("c", JetStreamView.parse(leads.replace("\"leader\": \"sim-a\", \"leader_since\": \"2026-11-22T15:09:23Z\",", "")));
        assertEquals(List.of("stream S has no leader as c sees it", "stream S's replica on sim-c is offline (as its leader a sees it)"),
                JetStreamView.problems(views));
    }

    @Test
    void notJsonIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JetStreamView.parse("<html>502</html>"));
        assertTrue(e.getMessage().startsWith("/jsz did not answer JSON"), e.getMessage());
    }

    static String recorded(String name) throws IOException {
        return io.triad.Recorded.text(name);
    }
}
