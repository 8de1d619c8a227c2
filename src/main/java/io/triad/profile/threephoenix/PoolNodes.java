package io.triad.profile.threephoenix;

import io.triad.tech.postgres.Db;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.host.Shell;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Pgpool-II's view of its backends ({@code SHOW POOL_NODES}, asked through Pgpool itself on the
 * host it runs on): per node its status, its role as Pgpool believes it, its load-balancing weight
 * and how many SELECTs it was sent. A view, not the truth: a standby Pgpool shows "up" may be
 * following nothing; the checks hold it against the nodes' own state.
 */
public record PoolNodes(List<Node> nodes) {

    public record Node(String id, String name, String host, String status, String role, long selectCount, String loadBalanceNode) { }

    /** The psql command that asks Pgpool, on its own host, as its monitoring user. */
    static String command(Settings s, String sql) {
        return io.triad.tech.postgres.Db.psqlTo(Shell.quote("host=127.0.0.1 port=" + s.poolPort() + " user=pgpool dbname=postgres connect_timeout=3")
                + " -XA -P footer=off -F '|' -c " + Shell.quote(sql));
    }

    /** Pgpool's view, its backends named by the nodes' names where {@code names} (address to name) knows them. */
    public static PoolNodes read(Host pool, Settings s, Map<String, String> names) {
        CommandResult r = pool.exec(pool.asRoot(command(s, "SHOW POOL_NODES")));
        if (!r.ok()) {
            throw new AssertionError("Pgpool on " + pool.name() + " does not answer SHOW POOL_NODES: " + Db.firstLine(r.stderr()));
        }
        return parse(r.stdout(), names);
    }

    /**
     * Parses psql's unaligned output of {@code SHOW POOL_NODES} (a header line, then a row per
     * backend); {@code names} maps a backend's address to the node's name (the application name
     * Pgpool was given is used when present).
     */
    public static PoolNodes parse(String text, Map<String, String> names) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            throw new AssertionError("SHOW POOL_NODES answered nothing");
        }
        List<String> header = Arrays.asList(lines.get(0).split("\\|", -1));
        int id = col(header, "node_id"), host = col(header, "hostname"), status = col(header, "status"), role = col(header, "role"),
                select = col(header, "select_cnt"), lb = col(header, "load_balance_node");
        List<Node> nodes = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\\|", -1);
            if (f.length != header.size()) {
                throw new AssertionError("SHOW POOL_NODES: a row of " + f.length + " fields under a header of " + header.size() + ": " + line);
            }
            nodes.add(new Node(f[id], names.getOrDefault(f[host], f[host]), f[host], f[status], f[role], Long.parseLong(f[select]), f[lb]));
        }
        return new PoolNodes(List.copyOf(nodes));
    }

    private static int col(List<String> header, String name) {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new AssertionError("SHOW POOL_NODES has no column " + name + " (columns: " + String.join(", ", header) + ")");
        }
        return i;
    }
}
