package io.triad.tech.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * "Replication is asynchronous": no commit of the primary waits on a standby. Judged on two kinds of
 * evidence, each read from the servers themselves: what the primary's WAL senders are now
 * ({@code pg_stat_replication.sync_state}: {@code sync}, {@code quorum} and {@code potential} are a
 * standby the primary's commits wait on, or will as soon as another drops out), and what every
 * server is configured to make its commits wait on ({@code synchronous_standby_names}), for the
 * standbys too: each of them becomes the primary at the next failover or switchover, and its setting
 * applies from then on.
 */
public final class SynchronousReplication {
    /** The primary's WAL senders: each standby's application name, address and sync state. */
    public static final String SENDERS = "SELECT application_name, client_addr, sync_state FROM pg_stat_replication ORDER BY application_name";
    /** What a server's commits are to wait on; empty when nothing. */
    public static final String NAMES = "SHOW synchronous_standby_names";

    private SynchronousReplication() { }

    /**
     * What is not asynchronous: {@code names} is each server's synchronous_standby_names (by node),
     * {@code senders} the primary's rows of {@link #SENDERS}, {@code standbys} each standby's address
     * by node name. A standby the primary sends nothing to cannot be judged, and is named so.
     */
    public static List<String> problems(String primary, Map<String, String> names, List<List<String>> senders, Map<String, String> standbys) {
        List<String> problems = new ArrayList<>();
        names.forEach((node, value) -> {
            if (!value.isBlank()) {
                problems.add(node + " names synchronous standbys (synchronous_standby_names = '" + value + "'): "
                        + (node.equals(primary) ? "its commits wait on them" : "its commits will wait on them once it is the primary"));
            }
        });
        standbys.forEach((node, address) -> {
            var row = senders.stream().filter(r -> r.size() >= 3 && r.get(1).equals(address)).findFirst();
            if (row.isEmpty()) {
                problems.add(primary + " sends WAL to no connection from " + node + " (" + address + "): whether its commits wait on it cannot be read");
            } else if (!row.get().get(2).equals("async")) {
                problems.add(primary + "'s commits wait on " + node + " (sync_state " + row.get().get(2) + " in pg_stat_replication)");
            }
        });
        return problems;
    }
}
