package io.triad.profile.sfa;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code patronictl list --format json} held against the environment's description of the cluster. */
public final class Patroni {

    private Patroni() { }

    /**
     * The cluster patronictl lists is the environment's ({@code sfa.patroni.scope}) and each member is a
     * node of the zone at that node's address and PostgreSQL port ({@code sfa.patroni.postgres_port}):
     * patronictl writes the port after the address when it is not 5432. An environment that describes
     * another cluster, or a member where no node of the inventory is, is said rather than audited as if
     * it were this one.
     *
     * @param addresses the zone's nodes, name to address
     */
    public static List<String> membersAsDescribed(List<JsonNode> rows, String scope, int port, Map<String, String> addresses) {
        List<String> problems = new ArrayList<>();
        for (JsonNode r : rows) {
            String member = r.path("Member").asText();
            String cluster = r.path("Cluster").asText();
            if (!cluster.equals(scope)) {
                problems.add(member + " belongs to the cluster " + cluster + ", not the environment's scope " + scope + " (sfa.patroni.scope)");
            }
            String address = addresses.get(member);
            String host = r.path("Host").asText();
            if (address == null) {
                problems.add("the member " + member + " at " + host + " is no node of the zone (" + String.join(", ", addresses.keySet()) + ")");
                continue;
            }
            String expected = address + (port == 5432 ? "" : ":" + port);
            if (!host.equals(expected) && !host.equals(address + ":" + port)) {
                problems.add("the member " + member + " is at " + host + ", not at " + member + "'s address and PostgreSQL port " + expected
                        + " (sfa.patroni.postgres_port " + port + ")");
            }
        }
        return problems;
    }
}
