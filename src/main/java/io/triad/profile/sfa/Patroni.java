package io.triad.profile.sfa;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code patronictl list --format json} held against the environment's description of the cluster.
 * A member is matched to the zone's node by where it is, not by its name: Patroni's member names are
 * the deployer's choice (autobase names each for its host's name, {@code ansible_hostname}; the
 * simulated zone too), and need not be the inventory's names.
 */
public final class Patroni {

    private Patroni() { }

    /** A node of the zone as the environment names it: its inventory name, its host name and its address. */
    public record Node(String name, String hostname, String address) { }

    /** The address of a member's Host column ("10.0.0.1" or "10.0.0.1:5433"), its port cut. */
    static String address(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(1, end);
        }
        int colon = host.indexOf(':');
        return colon >= 0 && host.indexOf(':', colon + 1) < 0 ? host.substring(0, colon) : host;
    }

    /**
     * The zone's node a member of patronictl list is: the node at the member's address (its Host
     * column, the port cut), else the node the member is named for (its inventory name or its host
     * name); empty when neither.
     */
    public static Optional<Node> nodeOf(JsonNode row, List<Node> nodes) {
        String at = address(row.path("Host").asText());
        String member = row.path("Member").asText();
        return nodes.stream().filter(n -> n.address().equals(at)).findFirst()
                .or(() -> nodes.stream().filter(n -> n.name().equals(member) || n.hostname().equals(member)).findFirst());
    }

    /** The name Patroni knows a node by (its member's), from patronictl list; empty when no member is that node. */
    public static Optional<String> memberOf(List<JsonNode> rows, Node node, List<Node> nodes) {
        return rows.stream().filter(r -> nodeOf(r, nodes).map(n -> n.name().equals(node.name())).orElse(false))
                .map(r -> r.path("Member").asText()).findFirst();
    }

    /**
     * The cluster patronictl lists is the environment's ({@code sfa.patroni.scope}) and each member is a
     * node of the zone at that node's address and PostgreSQL port ({@code sfa.patroni.postgres_port}):
     * patronictl writes the port after the address when it is not 5432. An environment that describes
     * another cluster, or a member where no node of the inventory is, is said rather than audited as if
     * it were this one.
     */
    public static List<String> membersAsDescribed(List<JsonNode> rows, String scope, int port, List<Node> nodes) {
        List<String> problems = new ArrayList<>();
        for (JsonNode r : rows) {
            String member = r.path("Member").asText();
            String cluster = r.path("Cluster").asText();
            if (!cluster.equals(scope)) {
                problems.add(member + " belongs to the cluster " + cluster + ", not the environment's scope " + scope + " (sfa.patroni.scope)");
            }
            String host = r.path("Host").asText();
            Optional<Node> node = nodeOf(r, nodes);
            if (node.isEmpty()) {
                problems.add("the member " + member + " at " + host + " is no node of the zone ("
                        + String.join(", ", nodes.stream().map(n -> n.name() + " " + n.address()).toList()) + ")");
                continue;
            }
            String address = node.get().address();
            String expected = address + (port == 5432 ? "" : ":" + port);
            if (!host.equals(expected) && !host.equals(address + ":" + port)) {
                problems.add("the member " + member + " is at " + host + ", not at " + node.get().name() + "'s address and PostgreSQL port " + expected
                        + " (sfa.patroni.postgres_port " + port + ")");
            }
        }
        return problems;
    }
}
