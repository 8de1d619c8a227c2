package io.triad.profile.threephoenix;

import io.triad.tech.postgres.Db;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * repmgr's and Pgpool's views of the cluster, parsed from outputs recorded on the simulated zone
 * (repmgr 5.3.3, Pgpool-II 4.3.5): a healthy cluster, and one whose standby phoenix-c was cut off
 * from the primary (its primary_conninfo pointed elsewhere), which repmgr marks '! phoenix-a' and
 * Pgpool still shows "up", a standby.
 */
class ViewsTest {

    static String recorded(String name) throws IOException {
        try (InputStream in = ViewsTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aHealthyClusterHasOnePrimaryAndTwoStandbysFollowingIt() throws IOException {
        RepmgrCluster c = RepmgrCluster.parse(recorded("repmgr-cluster-show.txt"));
        assertEquals("phoenix-a", c.primary());
        assertEquals(List.of(), c.problems("phoenix-a", 3));
        assertEquals("1", c.rows().get(2).timeline());
    }

    @Test
    void aStandbyRecordedAsFollowingButNotAttachedIsAProblem() throws IOException {
        RepmgrCluster c = RepmgrCluster.parse(recorded("repmgr-cluster-show-detached.txt"));
        List<String> problems = c.problems("phoenix-b", 3);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("phoenix-c recorded as following phoenix-a but not attached"), problems.get(0));
    }

    @Test
    void twoPrimariesOrAFailedNodeAreProblems() throws IOException {
        String two = recorded("repmgr-cluster-show.txt").replace("| phoenix-b | standby |   running | phoenix-a |",
                "| phoenix-b | primary | * running |           |");
        assertTrue(String.join("; ", RepmgrCluster.parse(two).problems("x", 3)).contains("2 primaries (phoenix-a, phoenix-b)"));
        String failed = recorded("repmgr-cluster-show.txt").replace("|   running | phoenix-a | default  | 97",
                "| - failed  | phoenix-a | default  | 97");
        assertTrue(String.join("; ", RepmgrCluster.parse(failed).problems("x", 3)).contains("phoenix-c (standby) '- failed'"));
        assertEquals(List.of("x lists 2 nodes, not 3"), RepmgrCluster.parse(recorded("repmgr-cluster-show.txt")
                .lines().limit(4).reduce("", (a, b) -> a + b + "\n")).problems("x", 3).subList(0, 1));
        assertThrows(IllegalArgumentException.class, () -> RepmgrCluster.parse("ERROR: connection to database failed"));
    }

    @Test
    void pgpoolShowsTheDetachedStandbyUpAndNamesBackendsByNode() throws IOException {
        PoolNodes pool = PoolNodes.parse(recorded("show-pool-nodes.txt"),
                Map.of("10.213.80.11", "phoenix-a", "10.213.80.12", "phoenix-b", "10.213.80.13", "phoenix-c"));
        assertEquals(List.of("phoenix-a", "phoenix-b", "phoenix-c"), pool.nodes().stream().map(PoolNodes.Node::name).toList());
        assertEquals("primary", pool.nodes().get(0).role());
        // the view the checks never trust alone: the cut-off standby is "up", a standby
        assertEquals("up", pool.nodes().get(2).status());
        assertEquals("standby", pool.nodes().get(2).role());
        assertEquals(65, pool.nodes().get(2).selectCount());
        assertThrows(AssertionError.class, () -> PoolNodes.parse("node_id|hostname\n0|a\n", Map.of()));
    }

    @Test
    void walPositionsCompareAsNumbers() {
        assertTrue(Db.lsn("0/9002A70") < Db.lsn("1/0"));
        assertEquals(0x9002A70L, Db.lsn("0/9002A70"));
        assertThrows(IllegalArgumentException.class, () -> Db.lsn("9002A70"));
    }
}
