package io.triad.tech.postgres;

import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.host.Shell;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * PostgreSQL as the operators read it (shared by the profiles whose zones run it: three-phoenix, sfa): {@code psql} on a node, as the instance's owner over its
 * own socket (no password leaves the node), rows as fields split on '|'. Reading the state itself
 * (is the instance in recovery, on which timeline, from where does it receive, how far has it
 * replayed) rather than a tool's status column.
 */
public final class Db {

    private Db() { }

    /**
     * Shell that sets {@code P} to the psql binary itself where Debian's layout puts it
     * ({@code /usr/lib/postgresql/<major>/bin/psql}, the highest major), else to {@code psql} on the
     * PATH. Debian's {@code /usr/bin/psql} is a Perl wrapper (pg_wrapper) that costs about 28 ms of
     * CPU a call before psql starts: measured on a simulated SFA node, 20 calls of {@code SELECT 1}
     * took 0.76 s of CPU through it and 0.20 s without. A drill's samplers and clients call psql tens
     * of times a second on every zone, and the CI machine's two cores were busy with little else.
     * What the wrapper adds (a cluster's port taken from its configuration) is only for a connection
     * over the local socket: {@link #psql} asks the wrapper again when the binary cannot connect.
     */
    public static final String FIND_PSQL = "P=psql; V=-1; for c in /usr/lib/postgresql/*/bin/psql; do v=${c#/usr/lib/postgresql/};"
            + " v=${v%%/*}; v=${v%%.*}; if [ -x \"$c\" ] && [ \"$v\" -gt \"$V\" ] 2>/dev/null; then P=$c; V=$v; fi; done; ";

    /** The command that runs {@code sql} with psql as postgres on the node, unaligned, fields split by '|'. */
    public static String psql(String database, String sql) {
        // from / : psql as postgres in root's home says "could not change directory" before anything else.
        // psql's own binary ({@link #FIND_PSQL}); when it cannot connect (exit 2) over the local socket and it was not the
        // wrapper, the wrapper is asked: on a live host the cluster may listen on a port only its configuration names.
        String args = " -XAtq -v ON_ERROR_STOP=1 -F '|' -d " + Shell.quote(database) + " -c " + Shell.quote(sql);
        return "cd / && " + FIND_PSQL + "runuser -u postgres -- \"$P\"" + args
                + " || { rc=$?; if [ $rc = 2 ] && [ \"$P\" != psql ]; then exec runuser -u postgres -- psql" + args + "; fi; exit $rc; }";
    }

    /** The command that runs psql's own binary ({@link #FIND_PSQL}) as postgres with {@code args} (a connection naming its host and port). */
    public static String psqlTo(String args) {
        return "cd / && " + FIND_PSQL + "runuser -u postgres -- \"$P\" " + args;
    }

    /** Rows of a query on the node (as root: runuser), or an AssertionError naming the host and what psql said. */
    public static List<List<String>> rows(Host h, String database, String sql) {
        CommandResult r = h.exec(h.asRoot(psql(database, sql)));
        if (!r.ok()) {
            throw new AssertionError(h.name() + ": psql failed: " + firstLine(r.stderr().isBlank() ? r.stdout() : r.stderr()));
        }
        return parse(r.stdout());
    }

    /** The rows of psql's unaligned output with '|' between fields ({@link #psql}): one a non-empty line. */
    public static List<List<String>> parse(String out) {
        List<List<String>> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isEmpty()) {
                rows.add(Arrays.asList(line.split("\\|", -1)));
            }
        }
        return rows;
    }

    /**
     * A shell assignment {@code bin=...}: the directory of the server binaries of a data directory's
     * own major version (its PG_VERSION), in Debian's layout ({@code /usr/lib/postgresql/V/bin}) or
     * the PGDG packages' ({@code /usr/pgsql-V/bin}); it fails, naming both, when neither has pg_ctl.
     * A restore runs the binaries of the backup's version, whatever else the host has installed.
     */
    public static String binDirOf(String dataDirectory) {
        String d = io.triad.host.Shell.quote(dataDirectory);
        return "bin=$(v=$(cat " + d + "/PG_VERSION) && for d in /usr/lib/postgresql/$v/bin /usr/pgsql-$v/bin; do [ -x \"$d/pg_ctl\" ] && { echo \"$d\"; exit 0; };"
                + " done; echo \"no pg_ctl of PostgreSQL $v in /usr/lib/postgresql/$v/bin or /usr/pgsql-$v/bin\" >&2; exit 3)";
    }

    public static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return t.isEmpty() ? "(nothing)" : nl < 0 ? t : t.substring(0, nl);
    }

    /** What one node says of itself: its role, timeline and WAL positions, and (a standby) its WAL receiver. */
    public record NodeState(String node, boolean inRecovery, int timeline, String currentLsn, String replayLsn,
                            String receiverStatus, int receivedTimeline, String senderHost) {

        /** The query that reads it, one row. The timeline of a primary is that of the WAL it writes now. */
        public static final String QUERY = """
                SELECT pg_is_in_recovery(),
                       CASE WHEN pg_is_in_recovery() THEN (SELECT timeline_id FROM pg_control_checkpoint())
                            ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END,
                       CASE WHEN pg_is_in_recovery() THEN '' ELSE pg_current_wal_lsn()::text END,
                       coalesce(pg_last_wal_replay_lsn()::text, ''),
                       coalesce((SELECT status FROM pg_stat_wal_receiver), ''),
                       coalesce((SELECT received_tli FROM pg_stat_wal_receiver), 0),
                       coalesce((SELECT sender_host FROM pg_stat_wal_receiver), '')
                """.replace('\n', ' ');

        public static NodeState parse(String node, List<String> row) {
            if (row.size() != 7) {
                throw new AssertionError(node + ": unexpected answer to the state query: " + String.join("|", row));
            }
            return new NodeState(node, row.get(0).equals("t"), Integer.parseInt(row.get(1)), row.get(2), row.get(3), row.get(4),
                    Integer.parseInt(row.get(5)), row.get(6));
        }

        /** Its WAL receiver as a phrase: "none", or "streaming from 10.213.80.12 on timeline 2". */
        public String receiver() {
            return receiverStatus.isEmpty() ? "none" : receiverStatus + " from " + senderHost + " on timeline " + receivedTimeline;
        }

        /** Whether this node streams from {@code primary} (whose address is {@code address}) on the primary's timeline. */
        public boolean streamsFrom(NodeState primary, String address) {
            return receiverStatus.equals("streaming") && senderHost.equals(address) && receivedTimeline == primary.timeline();
        }

        /** Reads the node's state on the node. */
        public static NodeState read(Host h) {
            List<List<String>> rows = rows(h, "postgres", QUERY);
            if (rows.size() != 1) {
                throw new AssertionError(h.name() + ": the state query gave " + rows.size() + " rows");
            }
            return parse(h.name(), rows.get(0));
        }
    }

    /**
     * The one node of {@code nodes} not in recovery, read on each node; empty when not exactly one
     * answers so (none does, two do, or a node cannot be asked).
     */
    public static java.util.Optional<String> onlyPrimary(io.triad.zone.Zone zone, List<Host> nodes) {
        List<Object> states = zone.onEach(nodes, h -> {
            try {
                return NodeState.read(h);
            } catch (AssertionError e) {
                return e.getMessage();
            }
        });
        if (!states.stream().allMatch(o -> o instanceof NodeState)) {
            return java.util.Optional.empty();
        }
        List<String> primaries = states.stream().map(o -> (NodeState) o).filter(st -> !st.inRecovery()).map(NodeState::node).toList();
        return primaries.size() == 1 ? java.util.Optional.of(primaries.get(0)) : java.util.Optional.empty();
    }

    /** The one node of {@code states} not in recovery, or an AssertionError naming how many accept writes. */
    public static NodeState primary(List<NodeState> states) {
        List<NodeState> p = states.stream().filter(s -> !s.inRecovery()).toList();
        if (p.size() != 1) {
            throw new AssertionError(p.size() + " nodes accept writes (" + String.join(", ", p.stream().map(NodeState::node).toList()) + "), not one");
        }
        return p.get(0);
    }

    /**
     * What keeps a streaming cluster from being settled, read on each node itself (not from a
     * manager's view): exactly one node out of recovery, and every other node's WAL receiver
     * streaming from that node's address on its timeline, replayed to within 1 MiB of its position.
     * Empty when settled.
     */
    public static List<String> replicationProblems(io.triad.zone.Zone zone, List<Host> nodes) {
        List<Object> states = zone.onEach(nodes, h -> {
            try {
                return NodeState.read(h);
            } catch (AssertionError e) {
                return e.getMessage();
            }
        });
        List<String> problems = new ArrayList<>();
        List<NodeState> read = new ArrayList<>();
        for (Object o : states) {
            if (o instanceof NodeState st) {
                read.add(st);
            } else {
                problems.add(o.toString());
            }
        }
        List<NodeState> primaries = read.stream().filter(st -> !st.inRecovery()).toList();
        if (primaries.size() != 1) {
            problems.add(primaries.size() + " nodes accept writes (" + String.join(", ", primaries.stream().map(NodeState::node).toList())
                    + "), not one");
            return problems;
        }
        NodeState p = primaries.get(0);
        String primaryAddress = zone.host(p.node()).address();
        for (NodeState st : read) {
            if (st == p) {
                continue;
            }
            if (!st.streamsFrom(p, primaryAddress)) {
                problems.add(st.node() + " is not streaming from the primary " + p.node() + " on its timeline " + p.timeline() + " (receiver "
                        + st.receiver() + ")");
            } else if (!st.replayLsn().isEmpty() && lsn(p.currentLsn()) - lsn(st.replayLsn()) > 1 << 20) {
                problems.add(st.node() + " has replayed to " + st.replayLsn() + ", more than 1 MiB behind the primary's " + p.currentLsn());
            }
        }
        return problems;
    }

    /** A WAL position (LSN, "16/B374D848") as a number, to compare two positions. */
    public static long lsn(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' is not a WAL position");
        }
        return (Long.parseLong(text.substring(0, slash), 16) << 32) | Long.parseLong(text.substring(slash + 1), 16);
    }
}
