package io.triad.profile.threephoenix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * repmgr's view of the cluster as {@code repmgr cluster show} prints it on one node: per node its
 * name, role, status ("* running", "! running as primary", "- failed", "? unreachable"), upstream
 * and timeline. A view: held against the nodes' own state by the checks.
 */
public record RepmgrCluster(List<Row> rows) {

    public record Row(String name, String role, String status, String upstream, String timeline) {
        boolean running() {
            return status.replaceFirst("^[*!?-]\\s*", "").equals("running");
        }
    }

    /** Parses the table (a header with ID, Name, Role, Status, Upstream; a rule line; a row per node). */
    public static RepmgrCluster parse(String text) {
        List<String> lines = text.lines().filter(l -> l.contains("|")).toList();
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("no table in: " + text.strip());
        }
        List<String> header = Arrays.stream(lines.get(0).split("\\|", -1)).map(String::strip).toList();
        int name = col(header, "Name"), role = col(header, "Role"), status = col(header, "Status"), upstream = col(header, "Upstream");
        int timeline = header.indexOf("Timeline");
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\\|", -1);
            if (f.length < header.size() - 1) {
                throw new IllegalArgumentException("a row of " + f.length + " fields: " + line);
            }
            rows.add(new Row(f[name].strip(), f[role].strip(), f[status].strip(), f[upstream].strip(),
                    timeline < 0 ? "" : f[timeline].strip()));
        }
        return new RepmgrCluster(List.copyOf(rows));
    }

    private static int col(List<String> header, String name) {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no column " + name + " in " + header);
        }
        return i;
    }

    /** The node repmgr names the primary, or "" when none or several. */
    public String primary() {
        List<Row> p = rows.stream().filter(r -> r.role().equals("primary")).toList();
        return p.size() == 1 ? p.get(0).name() : "";
    }

    /** What is wrong with this view, as seen on {@code on}: not exactly 1 running primary and n-1 running standbys following it. */
    public List<String> problems(String on, int nodes) {
        List<String> problems = new ArrayList<>();
        List<Row> primaries = rows.stream().filter(r -> r.role().equals("primary")).toList();
        List<Row> standbys = rows.stream().filter(r -> r.role().equals("standby")).toList();
        if (rows.size() != nodes) {
            problems.add(on + " lists " + rows.size() + " nodes, not " + nodes);
        }
        if (primaries.size() != 1) {
            problems.add(on + " lists " + primaries.size() + " primaries (" + String.join(", ", primaries.stream().map(Row::name).toList()) + ")");
        }
        if (standbys.size() != nodes - 1) {
            problems.add(on + " lists " + standbys.size() + " standbys, not " + (nodes - 1));
        }
        for (Row r : rows) {
            if (!r.running() || r.status().startsWith("!")) {
                problems.add(on + " shows " + r.name() + " (" + r.role() + ") '" + r.status() + "'");
            }
            String primary = primaries.size() == 1 ? primaries.get(0).name() : null;
            if (r.role().equals("standby") && primary != null && r.upstream().startsWith("!")) {
                // repmgr's '!': the node is recorded as following this upstream but is not attached to it
                problems.add(on + " shows the standby " + r.name() + " recorded as following " + r.upstream().substring(1).strip()
                        + " but not attached to it ('" + r.upstream() + "')");
            } else if (r.role().equals("standby") && primary != null && !r.upstream().equals(primary)) {
                problems.add(on + " shows the standby " + r.name() + " following " + (r.upstream().isEmpty() ? "nothing" : r.upstream())
                        + ", not the primary " + primary);
            }
        }
        return problems;
    }
}
