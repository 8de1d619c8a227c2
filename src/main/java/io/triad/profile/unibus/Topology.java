package io.triad.profile.unibus;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runbook's topology file ({@code deploy/cluster/nodes.env}) as a node holds it: the network
 * the routes run over ({@code ROUTE_NETWORK}: {@code wg} for the WireGuard mesh) and one row per
 * node, {@code NODE_<NAME>="name ssh_host public_ip wg_ip role"}. The checks take each node's
 * route address from here: the zone's own statement of where its routes go.
 */
public record Topology(String routeNetwork, Map<String, Row> rows) {

    public record Row(String name, String sshHost, String publicIp, String meshIp, String role) { }

    private static final Pattern ROW = Pattern.compile("^NODE_[A-Z0-9_]+=\"?([^\"]*)\"?\\s*$");

    public static Topology parse(String nodesEnv) {
        String network = "";
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : nodesEnv.split("\n")) {
            line = line.strip();
            if (line.startsWith("ROUTE_NETWORK=")) {
                network = line.substring("ROUTE_NETWORK=".length()).replaceAll("^\"|\"$", "").strip();
            }
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                String[] f = m.group(1).strip().split("\\s+");
                if (f.length == 5) {
                    rows.put(f[0], new Row(f[0], f[1], f[2], f[3], f[4]));
                }
            }
        }
        return new Topology(network, Map.copyOf(rows));
    }

    /** Whether the routes run over the WireGuard mesh. */
    public boolean meshRoutes() {
        return routeNetwork.equals("wg");
    }

    /** The address a node's routes are reached at: its mesh address when the routes run over the mesh. */
    public Optional<String> routeAddress(String node) {
        return Optional.ofNullable(rows.get(node)).map(r -> meshRoutes() ? r.meshIp() : r.publicIp());
    }
}
