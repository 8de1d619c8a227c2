package io.triad.tech.postgres;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The primary's WAL senders as PostgreSQL 15 listed them on phoenix-a of the three-phoenix simulated
 * zone, as built and with a synchronous standby named (recorded/postgres/README.md); the zone's own
 * run (three-phoenix 3.4) and the mutant sync-standby-named on a standby are the rest.
 */
class SynchronousReplicationTest {

    static final Map<String, String> STANDBYS = Map.of("phoenix-b", "10.213.80.12", "phoenix-c", "10.213.80.13");

    /** The recorded output read as the step reads psql's ({@link Db#parse}). */
    static List<List<String>> rows(String file) throws IOException {
        return Db.parse(io.triad.Recorded.text("postgres/" + file));
    }

    static Map<String, String> names(String primaryValue) {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("phoenix-a", primaryValue);
        names.put("phoenix-b", "");
        names.put("phoenix-c", "");
        return names;
    }

    @Test
    void asBuiltEveryStandbyIsAsync() throws IOException {
        assertEquals(List.of(), SynchronousReplication.problems("phoenix-a", names(""), rows("stat-replication-async.txt"), STANDBYS));
    }

    @Test
    void aQuorumOfStandbysIsFoundBothInTheSettingAndInTheSenders() throws IOException {
        List<String> p = SynchronousReplication.problems("phoenix-a", names("ANY 1 (\"phoenix-b\", \"phoenix-c\")"),
                rows("stat-replication-sync-any-1.txt"), STANDBYS);
        assertEquals(3, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("phoenix-a names synchronous standbys"), p.get(0));
        assertTrue(p.contains("phoenix-a's commits wait on phoenix-b (sync_state quorum in pg_stat_replication)"), p.toString());
    }

    @Test
    void oneSyncStandbyIsFoundEvenWhenTheSettingWasNotRead() throws IOException {
        List<String> p = SynchronousReplication.problems("phoenix-a", names(""), rows("stat-replication-sync-b.txt"), STANDBYS);
        assertEquals(List.of("phoenix-a's commits wait on phoenix-b (sync_state sync in pg_stat_replication)"), p);
    }

    @Test
    void aStandbysOwnSettingIsFoundBeforeItIsThePrimary() throws IOException {
        Map<String, String> names = names("");
        names.put("phoenix-c", "*");
        List<String> p = SynchronousReplication.problems("phoenix-a", names, rows("stat-replication-async.txt"), STANDBYS);
        assertEquals(List.of("phoenix-c names synchronous standbys (synchronous_standby_names = '*'): its commits will wait on them once it is the primary"), p);
    }

    @Test
    void aStandbyTheSendersDoNotListCannotBeJudgedAsync() throws IOException {
        List<List<String>> rows = rows("stat-replication-async.txt").subList(0, 1);
        List<String> p = SynchronousReplication.problems("phoenix-a", names(""), rows, STANDBYS);
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).contains("no connection from phoenix-c"), p.get(0));
    }
}
