package io.triad.profile.sfa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** patronictl list (Patroni 3.0.2's own output, recorded/patroni) held against environments that describe it rightly and wrongly. */
class PatroniTest {

    static final List<Patroni.Node> NODES = nodes(Map.of("db1", "10.213.82.11", "db2", "10.213.82.12", "db3", "10.213.82.13"));

    /** Nodes whose host names are their inventory names, in name order. */
    static List<Patroni.Node> nodes(Map<String, String> addresses) {
        return new java.util.TreeMap<>(addresses).entrySet().stream().map(e -> new Patroni.Node(e.getKey(), e.getKey(), e.getValue())).toList();
    }

    static List<JsonNode> rows() throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        new ObjectMapper().readTree(Files.readString(Path.of("src/test/resources/recorded/patroni/list-sfa.json"))).forEach(rows::add);
        return rows;
    }

    @Test
    void theClusterAsTheEnvironmentDescribesItHasNoProblem() throws Exception {
        assertEquals(List.of(), Patroni.membersAsDescribed(rows(), "sfa-postgres", 5432, NODES));
    }

    @Test
    void anotherScopeAnotherPortOrAMemberNoNodeIsAreNamed() throws Exception {
        assertEquals("db1 belongs to the cluster sfa-postgres, not the environment's scope pg-main (sfa.patroni.scope)",
                Patroni.membersAsDescribed(rows(), "pg-main", 5432, NODES).get(0));
        assertEquals("the member db1 is at 10.213.82.11, not at db1's address and PostgreSQL port 10.213.82.11:5433 (sfa.patroni.postgres_port 5433)",
                Patroni.membersAsDescribed(rows(), "sfa-postgres", 5433, NODES).get(0));
        assertEquals(List.of("the member db3 at 10.213.82.13 is no node of the zone (db1 10.213.82.11, db2 10.213.82.12)"),
                Patroni.membersAsDescribed(rows(), "sfa-postgres", 5432, nodes(Map.of("db1", "10.213.82.11", "db2", "10.213.82.12"))));
        assertEquals(List.of("the member db2 is at 10.213.82.12, not at db2's address and PostgreSQL port 10.213.82.22"),
                Patroni.membersAsDescribed(rows(), "sfa-postgres", 5432, nodes(Map.of("db1", "10.213.82.11", "db2", "10.213.82.22", "db3", "10.213.82.13")))
                        .stream().map(p -> p.replace(" (sfa.patroni.postgres_port 5432)", "")).toList());
    }

    /**
     * Members named otherwise than the inventory (autobase names them for their hosts' names): each
     * is the node at its address, and the node is known by its member's name.
     */
    @Test
    void membersAreTheNodesAtTheirAddressesWhateverTheirNames() throws Exception {
        List<Patroni.Node> renamed = List.of(new Patroni.Node("pg-a", "pgnode1", "10.213.82.11"), new Patroni.Node("pg-b", "pgnode2", "10.213.82.12"),
                new Patroni.Node("pg-c", "pgnode3", "10.213.82.13"));
        assertEquals(List.of(), Patroni.membersAsDescribed(rows(), "sfa-postgres", 5432, renamed));
        assertEquals("pg-b", Patroni.nodeOf(rows().get(1), renamed).orElseThrow().name());
        assertEquals(java.util.Optional.of("db3"), Patroni.memberOf(rows(), renamed.get(2), renamed));
        assertEquals(java.util.Optional.empty(), Patroni.memberOf(rows(), new Patroni.Node("pg-d", "pgnode4", "10.213.82.14"), renamed));
        assertEquals("10.0.0.1", Patroni.address("10.0.0.1:5433"));
        assertEquals("fd00::1", Patroni.address("[fd00::1]:5433"));
    }
}
