package io.triad.profile.sfa;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code cluster nodes} in redis-cli 7's own format, and the runbook's shape held against it, healthy and broken. */
class RedisTest {

    static final String HEALTHY = """
            3c3a0c74aae0b56170ccb03a76b60cfe7dc1912e 10.213.82.11:6379@16379 myself,master - 0 1732413000000 1 connected 0-5460
            a211e242fc6b22a9427fed61285e85892fa04e08 10.213.82.12:6379@16379 master - 0 1732413001000 2 connected 5461-10922
            7a4c3c5f6fb6a1b8b1e2f1e1c0d5b4a3e2d1c0b9 10.213.82.13:6379@16379 master - 0 1732413002000 3 connected 10923-16383
            58e3a5f2a1bd0dd6d7c9c0a1b2c3d4e5f6a7b8c9 10.213.82.12:6380@16380 slave 3c3a0c74aae0b56170ccb03a76b60cfe7dc1912e 0 1732413003000 1 connected
            f1e2d3c4b5a697887766554433221100ffeeddcc 10.213.82.13:6380@16380 slave a211e242fc6b22a9427fed61285e85892fa04e08 0 1732413004000 2 connected
            0a1b2c3d4e5f60718293a4b5c6d7e8f901234567 10.213.82.11:6380@16380 slave 7a4c3c5f6fb6a1b8b1e2f1e1c0d5b4a3e2d1c0b9 0 1732413005000 3 connected
            """;
    static final Set<String> INVENTORY = Set.of("10.213.82.11:6379", "10.213.82.11:6380", "10.213.82.12:6379", "10.213.82.12:6380",
            "10.213.82.13:6379", "10.213.82.13:6380");

    @Test
    void aHealthyClusterHasNoProblem() {
        List<Redis.Node> nodes = Redis.nodes(HEALTHY);
        assertEquals(6, nodes.size());
        assertEquals(5461, nodes.get(0).slots());
        assertEquals(List.of(), Redis.shapeProblems("db1:6379", nodes, INVENTORY, 3));
    }

    @Test
    void anInstanceOutsideTheClusterAReplicaOnItsMastersHostAndUncoveredSlotsAreNamed() {
        // db3:6380 never joined: five nodes, the third master unreplicated
        String five = HEALTHY.lines().filter(l -> !l.contains("10.213.82.11:6380")).reduce("", (a, b) -> a + b + "\n");
        assertEquals(List.of("db1:6379 does not see 10.213.82.11:6380 in the cluster",
                        "db1:6379: the master 10.213.82.13:6379 has no replica"),
                Redis.shapeProblems("db1:6379", Redis.nodes(five), INVENTORY, 3));
        // a replica on its master's own host
        String same = HEALTHY.replace("10.213.82.12:6380@16380 slave 3c3a", "10.213.82.11:6381@16381 slave 3c3a");
        List<String> p = Redis.shapeProblems("db1:6379", Redis.nodes(same), INVENTORY, 3);
        assertEquals(true, p.contains("db1:6379: the master 10.213.82.11:6379 is replicated only on its own host"), p.toString());
        // a master failed, its slots not taken over
        String failed = HEALTHY.replace("master - 0 1732413002000 3 connected 10923-16383", "master,fail - 0 1732413002000 3 disconnected");
        assertEquals(List.of("db1:6379 flags 10.213.82.13:6379 " + "[fail, master]", "db1:6379 sees 10923 of 16384 slots served",
                "db1:6379 sees 2 masters serving slots, not 3"), Redis.shapeProblems("db1:6379", Redis.nodes(failed), INVENTORY, 3));
    }

    static String recorded(String name) throws java.io.IOException {
        return java.nio.file.Files.readString(java.nio.file.Path.of("src/test/resources/recorded/redis", name));
    }

    /** redis-cli's own outputs (recorded/redis/README.md): a settled cluster, one still forming, and no Redis at all. */
    @Test
    void clusterCheckSaysNothingAnswersWhereNoRedisListensAndNamesASplitCluster() throws Exception {
        assertEquals(List.of(), Redis.clusterCheckProblems("db1:6379 (10.213.82.11)", recorded("cluster-check-ok.txt")));
        assertEquals(List.of("the nodes do not agree about the slots", "[ERR] Nodes don't agree about configuration!"),
                Redis.clusterCheckProblems("db1:6379 (10.213.82.11)", recorded("cluster-check-forming.txt")));
        // issue 35: not "not every slot is covered" when nothing listens
        assertEquals(List.of("nothing answers as Redis on db1:6390 (127.0.0.1) (Could not connect to Redis at 127.0.0.1:6390: Connection refused)"),
                Redis.clusterCheckProblems("db1:6390 (127.0.0.1)", recorded("cluster-check-refused.txt")));
    }
}
