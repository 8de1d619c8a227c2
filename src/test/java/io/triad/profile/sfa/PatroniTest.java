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

    static final Map<String, String> NODES = Map.of("db1", "10.213.82.11", "db2", "10.213.82.12", "db3", "10.213.82.13");

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
        assertEquals(List.of("the member db3 at 10.213.82.13 is no node of the zone (db1, db2)"),
                Patroni.membersAsDescribed(rows(), "sfa-postgres", 5432, new java.util.TreeMap<>(Map.of("db1", "10.213.82.11", "db2", "10.213.82.12"))));
        assertEquals(List.of("the member db2 is at 10.213.82.12, not at db2's address and PostgreSQL port 10.213.82.22"),
                Patroni.membersAsDescribed(rows(), "sfa-postgres", 5432, Map.of("db1", "10.213.82.11", "db2", "10.213.82.22", "db3", "10.213.82.13"))
                        .stream().map(p -> p.replace(" (sfa.patroni.postgres_port 5432)", "")).toList());
    }
}
