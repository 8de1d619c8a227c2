package io.triad.profile.sfa;

import io.triad.tech.kube.Kube;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The platform checks the simulated zone cannot run (k8s.1, mongo.1, emqx.1), on the tools' own
 * output. Outputs under {@code real/} come from the real programs, copied unchanged from public
 * repositories (real/README.md names each: repository, path, commit, captured or documentation
 * example). The others beside this class are still written by hand in the tools' documented
 * shapes (mongosh's relaxed Extended JSON of rs.status(), db.hello() and db.getReplicationInfo()
 * from each member of one set; the EMQX 5 API's /cluster and /nodes; kubectl's -o json lists),
 * because no real output of those states was found: a three-member set's answers from every
 * member, EMQX's API, kubectl's node and volume lists (real/README.md says what was looked for).
 * Each healthy output passes, and each broken one is caught and named.
 */
class PlatformOutputsTest {

    static String recorded(String name) {
        try (InputStream in = PlatformOutputsTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("no recording " + name, e);
        }
    }

    /** An output under real/, from the real program (real/README.md says where it came from). */
    static String real(String name) {
        return recorded("real/" + name);
    }

    static final List<String> MEMBERS = List.of("mongodb-1:27017", "mongodb-2:27017", "mongodb-3:27017");

    /** Each member's answers, with {@code edit} applied to the given member's rs.status() and hello() texts. */
    static List<String> mongoProblems(int member, java.util.function.UnaryOperator<String> statusEdit, java.util.function.UnaryOperator<String> helloEdit) {
        Map<String, Mongo.Status> status = new LinkedHashMap<>();
        Map<String, Mongo.Hello> hello = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            String s = recorded("mongo-rs-status-" + (i + 1) + ".json");
            String h = recorded("mongo-hello-" + (i + 1) + ".json");
            status.put(MEMBERS.get(i), Mongo.status(i == member ? statusEdit.apply(s) : s));
            hello.put(MEMBERS.get(i), Mongo.hello(i == member ? helloEdit.apply(h) : h));
        }
        return Mongo.problems(new LinkedHashSet<>(MEMBERS), status, hello, Duration.ofSeconds(10));
    }

    @Test
    void aHealthyReplicaSetHasNoProblem() {
        assertEquals(List.of(), mongoProblems(-1, s -> s, h -> h));
        Mongo.Status s = Mongo.status(recorded("mongo-rs-status-2.json"));
        assertEquals("rs0", s.set());
        assertEquals("mongodb-2:27017", s.self().name());
        assertEquals("mongodb-1:27017", s.self().syncSource());
        assertEquals(7, s.self().term());
        assertEquals(Duration.ofSeconds(311234), Mongo.oplogWindow(recorded("mongo-replication-info.json")));
    }

    @Test
    void aSecondaryOnAnOlderTermIsCaughtWhateverItsRowSays() {
        // mongodb-3's own newest operation is from term 6 (it never replicated the election); its
        // row in every rs.status() still reads health 1, SECONDARY
        List<String> p = mongoProblems(2, s -> s.replace("\"optime\":{\"ts\":{\"$timestamp\":{\"t\":1795511398,\"i\":1}},\"t\":7},\"optimeDate\":{\"$date\":\"2026-11-24T09:09:58.000Z\"},\"lastAppliedWallTime\":{\"$date\":\"2026-11-24T09:09:58.214Z\"},\"lastDurableWallTime\":{\"$date\":\"2026-11-24T09:09:58.214Z\"},\"syncSourceHost\":\"mongodb-1:27017\",\"syncSourceId\":0,\"infoMessage\":\"\",\"configVersion\":5,\"configTerm\":7,\"self\":true",
                "\"optime\":{\"ts\":{\"$timestamp\":{\"t\":1795511398,\"i\":1}},\"t\":6},\"optimeDate\":{\"$date\":\"2026-11-24T09:09:58.000Z\"},\"lastAppliedWallTime\":{\"$date\":\"2026-11-24T09:09:58.214Z\"},\"lastDurableWallTime\":{\"$date\":\"2026-11-24T09:09:58.214Z\"},\"syncSourceHost\":\"mongodb-1:27017\",\"syncSourceId\":0,\"infoMessage\":\"\",\"configVersion\":5,\"configTerm\":7,\"self\":true"), h -> h);
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("mongodb-3:27017's newest operation is from term 6, the primary's from term 7"), p.toString());
    }

    @Test
    void aSecondaryBehindTheBoundIsCaughtFromItsOwnOptime() {
        List<String> p = mongoProblems(1, s -> s.replace("\"optimeDate\":{\"$date\":\"2026-11-24T09:09:58.000Z\"},\"lastAppliedWallTime\":{\"$date\":\"2026-11-24T09:09:58.214Z\"},\"lastDurableWallTime\":{\"$date\":\"2026-11-24T09:09:58.214Z\"},\"syncSourceHost\":\"mongodb-1:27017\",\"syncSourceId\":0,\"infoMessage\":\"\",\"configVersion\":5,\"configTerm\":7,\"self\":true",
                "\"optimeDate\":{\"$date\":\"2026-11-24T09:08:30.000Z\"},\"lastAppliedWallTime\":{\"$date\":\"2026-11-24T09:09:58.214Z\"},\"lastDurableWallTime\":{\"$date\":\"2026-11-24T09:09:58.214Z\"},\"syncSourceHost\":\"mongodb-1:27017\",\"syncSourceId\":0,\"infoMessage\":\"\",\"configVersion\":5,\"configTerm\":7,\"self\":true"), h -> h);
        assertEquals(List.of("mongodb-2:27017 is 89.0 s behind the primary (bound 10 s)"), p);
    }

    @Test
    void twoMembersTakingWritesAreCaught() {
        List<String> split = mongoProblems(2, s -> s, h -> h.replace("\"isWritablePrimary\":false,\"secondary\":true,\"primary\":\"mongodb-1:27017\"",
                "\"isWritablePrimary\":true,\"secondary\":false,\"primary\":\"mongodb-3:27017\""));
        assertTrue(split.stream().anyMatch(x -> x.startsWith("2 members say they take writes")), split.toString());
        assertTrue(split.stream().anyMatch(x -> x.startsWith("the members name different primaries")), split.toString());
    }

    static final Set<String> MACHINES = new LinkedHashSet<>(List.of("machine1:27017", "machine2:27017", "machine3:27017"));

    @Test
    void aRealHealthySetReadsHealthyFromItsPrimary() {
        // MongoDB 4.2's mongo shell, rs.status() on the primary of a three-member set (captured)
        Mongo.Status s = Mongo.status(real("mongo-rs-status-primary-healthy.txt"));
        assertEquals("rs0", s.set());
        assertEquals(1, s.term());
        assertEquals("machine1:27017", s.self().name());
        assertEquals("PRIMARY", s.self().state());
        assertEquals(1, s.self().term());
        assertEquals(Instant.parse("2019-11-01T08:50:24Z"), s.self().optime());
        assertEquals(List.of("machine1:27017"), s.primaries().stream().map(Mongo.Member::name).toList());
        assertEquals(List.of("", "machine1:27017", "machine1:27017"), s.members().stream().map(Mongo.Member::syncSource).toList());
        assertEquals(List.of(), Mongo.viewProblems("machine1:27017", s, MACHINES));
    }

    @Test
    void aRealMemberDownIsCaughtFromTheNewPrimary() {
        // the same set after machine1 was cut off: machine2 elected in term 2 (captured)
        Mongo.Status s = Mongo.status(real("mongo-rs-status-primary-member-down.txt"));
        assertEquals("machine2:27017", s.self().name());
        assertEquals(2, s.term());
        assertEquals("machine2:27017", s.members().get(2).syncSource());
        assertEquals(List.of("machine2:27017 sees machine1:27017 down (health 0, (not reachable/healthy))"),
                Mongo.viewProblems("machine2:27017", s, MACHINES));
    }

    @Test
    void aRealSecondaryViewNamesItselfAndItsSyncSource() {
        // MongoDB's manual, replSetGetStatus on a secondary (documentation example)
        Mongo.Status s = Mongo.status(real("mongo-rs-status-docs-secondary.txt"));
        assertEquals("replset", s.set());
        assertEquals("m2.example.net:27017", s.self().name());
        assertEquals("SECONDARY", s.self().state());
        assertEquals("m1.example.net:27017", s.self().syncSource());
        assertEquals(1, s.self().term());
        assertEquals(Instant.parse("2018-12-03T20:33:54Z"), s.self().optime());
        Set<String> inventory = new LinkedHashSet<>(List.of("m1.example.net:27017", "m2.example.net:27017", "m3.example.net:27017"));
        assertEquals(List.of(), Mongo.viewProblems("m2.example.net:27017", s, inventory));
        assertEquals(List.of("m2.example.net:27017's rs.status() lists [m1.example.net:27017, m2.example.net:27017, m3.example.net:27017],"
                + " not the inventory's [m1.example.net:27017, m2.example.net:27017, m4.example.net:27017]"),
                Mongo.viewProblems("m2.example.net:27017", s, new LinkedHashSet<>(List.of("m1.example.net:27017", "m2.example.net:27017", "m4.example.net:27017"))));
    }

    @Test
    void theShellsPrintedFormReadsAsExtendedJson() {
        assertEquals("{\"a\" : {\"$date\": \"2019-11-01T08:50:24Z\"}, \"t\" : 1, \"ts\" : {\"$timestamp\": {\"t\": 1572598224, \"i\": 1}},"
                        + " \"h\" : {\"$binary\": {\"base64\": \"AA==\", \"subType\": \"00\"}}, \"s\" : \"NumberLong(2)\"}",
                Mongo.extendedJson("{\"a\" : ISODate(\"2019-11-01T08:50:24Z\"), \"t\" : NumberLong(1), \"ts\" : Timestamp(1572598224, 1),"
                        + " \"h\" : BinData(0,\"AA==\"), \"s\" : \"NumberLong(2)\"}"));
        assertEquals("{ term: 3, date: {\"$date\": \"2024-08-15T23:06:13.978Z\"}, id: {\"$oid\": \"5dbbdb098614c89203119d8e\"} }",
                Mongo.extendedJson("{ term: Long('3'), date: ISODate('2024-08-15T23:06:13.978Z'), id: ObjectId('5dbbdb098614c89203119d8e') }"));
    }

    @Test
    void aMemberOutsideTheInventoryOrNotAnsweringIsNamed() {
        Map<String, Mongo.Status> status = new LinkedHashMap<>();
        Map<String, Mongo.Hello> hello = new LinkedHashMap<>();
        status.put(MEMBERS.get(0), Mongo.status(recorded("mongo-rs-status-1.json")));
        hello.put(MEMBERS.get(0), Mongo.hello(recorded("mongo-hello-1.json")));
        Set<String> inventory = new LinkedHashSet<>(List.of("mongodb-1:27017", "mongodb-2:27017", "mongodb-4:27017"));
        List<String> p = Mongo.problems(inventory, status, hello, Duration.ofSeconds(10));
        assertTrue(p.contains("mongodb-2:27017 did not answer") && p.contains("mongodb-4:27017 did not answer"), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.contains("lists [mongodb-1:27017, mongodb-2:27017, mongodb-3:27017], not the inventory's")), p.toString());
    }

    @Test
    void mongoRefusalsAndNonJsonAreRefusedWithMongosOwnWords() {
        // what mongosh prints for rs.status() on a member before rs.initiate() (MongoDB's manual)
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mongo.status(real("mongo-not-initialized.txt")));
        assertEquals("rs.status(): MongoServerError: no replset config has been received", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Mongo.status("MongoServerError[NotYetInitialized]: no replset config has been received"));
        assertEquals("rs.status(): MongoServerError[NotYetInitialized]: no replset config has been received", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Mongo.hello("MongoServerError: Authentication failed."));
        assertTrue(e.getMessage().contains("Authentication failed"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Mongo.hello("{\"ok\":0,\"errmsg\":\"not authorized\",\"code\":13,\"codeName\":\"Unauthorized\"}"));
        assertEquals("db.hello(): not authorized (Unauthorized)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Mongo.status("Current Mongosh Log ID: 1"));
        assertTrue(e.getMessage().startsWith("rs.status(): not Extended JSON"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Mongo.status("{\"date\" : ISODate(\"2019-11-01"));
        assertEquals("rs.status(): not Extended JSON ({\"date\" : ISODate(\"2019-11-01)", e.getMessage());
    }

    static final List<String> EMQX = List.of("emqx-1.example.com", "emqx-2.example.com", "emqx-3.example.com");

    static List<String> emqxProblems(int node, java.util.function.UnaryOperator<String> clusterEdit, java.util.function.UnaryOperator<String> nodesEdit) {
        Map<String, Emqx.Cluster> clusters = new LinkedHashMap<>();
        Map<String, List<Emqx.Node>> nodes = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            String c = recorded("emqx-cluster-" + (i + 1) + ".json");
            String n = recorded("emqx-nodes.json");
            clusters.put(EMQX.get(i), Emqx.cluster(i == node ? clusterEdit.apply(c) : c));
            nodes.put(EMQX.get(i), Emqx.nodes(i == node ? nodesEdit.apply(n) : n));
        }
        return Emqx.problems(EMQX, clusters, nodes, 0.9);
    }

    @Test
    void aHealthyEmqxClusterHasNoProblem() {
        assertEquals(List.of(), emqxProblems(-1, c -> c, n -> n));
        Emqx.Node first = Emqx.nodes(recorded("emqx-nodes.json")).get(0);
        assertEquals("emqx@emqx-1.example.com", first.node());
        assertEquals(0.199, first.memoryShare(), 0.001);
    }

    @Test
    void aNodeThatLeftTheClusterIsSeenFromTheOthers() {
        // after "emqx_ctl cluster leave" on emqx-3, it answers its own API as a cluster of one and
        // the others' /cluster no longer lists it
        List<String> p = emqxProblems(2, c -> c.replace("\"nodes\": [\"emqx@emqx-1.example.com\", \"emqx@emqx-2.example.com\", \"emqx@emqx-3.example.com\"]",
                "\"nodes\": [\"emqx@emqx-3.example.com\"]"), n -> n);
        assertTrue(p.contains("emqx-3.example.com (emqx@emqx-3.example.com) sees 1 running nodes [emqx@emqx-3.example.com], not 3"), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.startsWith("emqx-3.example.com (emqx@emqx-3.example.com) does not see [emqx@emqx-1.example.com, emqx@emqx-2.example.com]")),
                p.toString());
    }

    @Test
    void aStoppedNodeAndMemoryOverTheBoundAreCaught() {
        List<String> p = emqxProblems(0, c -> c, n -> n.replaceFirst("\"node_status\": \"running\"", "\"node_status\": \"stopped\"")
                .replace("\"memory_used\": 1632620544", "\"memory_used\": 7900000000"));
        assertTrue(p.contains("emqx-1.example.com reports emqx@emqx-1.example.com stopped"), p.toString());
        assertTrue(p.contains("emqx@emqx-3.example.com uses 96% of its memory (bound 90%)"), p.toString());
        // EMQX 5 gives memory as emqx_mgmt_util:kmg/1 text, its schema's examples "512.00M" and "256.00M"
        assertEquals(512L * 1024 * 1024, Emqx.bytes(new com.fasterxml.jackson.databind.node.TextNode("512.00M")));
        assertEquals(256L * 1024 * 1024, Emqx.bytes(new com.fasterxml.jackson.databind.node.TextNode("256.00M")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Emqx.nodes(recorded("emqx-unauthorized.json")));
        assertTrue(e.getMessage().contains("BAD_USERNAME_OR_PWD Auth failed"), e.getMessage());
    }

    @Test
    void rke2NodesPodsAndVolumesReadFromTheirStatusNotTheTable() {
        List<Kube.Node> nodes = Kube.nodes(recorded("kubectl-get-nodes.json"));
        assertEquals(3, nodes.stream().filter(Kube.Node::controlPlane).count());
        assertEquals(List.of("worker-node-3"), nodes.stream().filter(n -> !n.ready()).map(Kube.Node::name).toList());
        List<Kube.Pod> pods = Kube.pods(recorded("kubectl-get-pods-all.json"));
        // kubectl's table shows the crash-looping pod as Running: grep -v Running lets it through
        Kube.Pod looping = pods.stream().filter(p -> p.name().startsWith("user-management")).findFirst().orElseThrow();
        assertEquals("Running", looping.phase());
        assertFalse(looping.healthy());
        assertEquals("platform/user-management-service-7c9f8d6b5-kx2vq Running not ready (user: CrashLoopBackOff), 41 restarts on worker-node-2", looping.toString());
        assertEquals(List.of("user-management-service-7c9f8d6b5-kx2vq"), pods.stream().filter(p -> !p.healthy()).map(Kube.Pod::name).toList(),
                "the completed job's pod and the running ones are fine");
        List<Kube.Claim> claims = Kube.claims(recorded("kubectl-get-pv-pvc.json"));
        assertEquals(List.of("PersistentVolume pvc-9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d Released", "PersistentVolumeClaim storage/data-minio-3 Pending"),
                claims.stream().filter(c -> !c.phase().equals("Bound")).map(Kube.Claim::toString).toList());
    }

    @Test
    void aRealPodListReadsItsRunningPodAsHealthy() {
        // kubectl get pods -o json on minikube (captured)
        List<Kube.Pod> pods = Kube.pods(real("kubectl-get-pods-minikube.json"));
        assertEquals(1, pods.size());
        Kube.Pod p = pods.get(0);
        assertTrue(p.healthy(), p.toString());
        assertEquals("default/queue-l4dv8 Running ready on minikube", p.toString());
    }
}
