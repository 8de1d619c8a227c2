package io.triad.tech.postgres;

import io.triad.host.Host;
import io.triad.zone.Roles;
import io.triad.zone.Zone;

import java.util.List;
import java.util.Optional;

/**
 * The moving role of a streaming-replication cluster: its primary, the one node not in recovery,
 * read on each node itself ({@link Db#onlyPrimary}). A profile says which nodes run the database
 * and how its runbook switches the primary over ({@link Roles#handTo}).
 */
public interface PrimaryRole extends Roles {

    /** The nodes that run the database. */
    List<Host> databaseNodes(Zone zone);

    @Override
    default String role() {
        return "the primary";
    }

    @Override
    default Optional<String> holder(Zone zone) {
        return Db.onlyPrimary(zone, databaseNodes(zone));
    }
}
