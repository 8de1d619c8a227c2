package io.triad.tech.postgres;

import io.triad.check.DualActive;
import io.triad.check.LogClaims;
import io.triad.history.History;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL's own log lines as evidence of who accepted writes: read from a real server's log
 * (recorded/postgres/sfa-pitr-restore.log: PostgreSQL 15 in the SFA zone restoring to a point in
 * time, as the harness attached it to its evidence, CI run of 2026-11-26), and judged beside the
 * samples on hand-built histories.
 */
class ServerLogTest {

    static String recorded(String name) throws IOException {
        return io.triad.Recorded.text("postgres/" + name);
    }

    @Test
    void aServerThatEndsRecoveryOpensWritesAndAReadOnlyStartDoesNot() throws IOException {
        List<History.Log> lines = ServerLog.parse("db1", recorded("sfa-pitr-restore.log"), Instant.EPOCH);
        assertEquals(1, lines.size(), lines.toString());
        History.Log ready = lines.get(0);
        assertEquals("database system is ready to accept connections", ready.message());
        assertEquals(Instant.parse("2026-11-26T23:00:48.207Z"), ready.at(), "%m in GMT, milliseconds kept");
        assertEquals(List.of(new LogClaims.Change(ServerLog.WRITABLE, true)), ServerLog.changes(ready));
        assertEquals(List.of(), ServerLog.parse("db1", recorded("sfa-pitr-restore.log"), Instant.parse("2026-11-26T23:00:49Z")),
                "lines before the recording began are not its");
    }

    @Test
    void shutdownsEndWritesButASmartOneDoesNot() {
        assertEquals(List.of(new LogClaims.Change(ServerLog.WRITABLE, false)), ServerLog.changes("received fast shutdown request"));
        assertEquals(List.of(new LogClaims.Change(ServerLog.WRITABLE, false)), ServerLog.changes("database system is shut down"));
        assertEquals(List.of(new LogClaims.Change(ServerLog.WRITABLE, false)),
                ServerLog.changes("terminating any other active server processes"));
        assertEquals(List.of(), ServerLog.changes("received smart shutdown request"), "sessions go on writing until they end");
        assertEquals(List.of(), ServerLog.changes("database system is ready to accept read-only connections"));
        // a journal's line (Patroni's unit's output) is read by the same prefix, wherever it stands
        List<History.Log> journal = ServerLog.parse("db2",
                "patroni[812]: 2026-11-26 23:00:48.207 GMT [823] LOG:  database system is ready to accept connections\n", Instant.EPOCH);
        assertEquals(1, journal.size(), journal.toString());
    }

    static final Instant T0 = Instant.parse("2026-11-26T23:00:00Z");
    static final List<History.Resource> WRITES = List.of(new History.Resource(ServerLog.WRITABLE, "accepts writes", "accepts writes",
            "two nodes accepting writes"));

    static History.Sample sample(String node, long ms, Boolean writable) {
        return new History.Sample(node, T0.plusMillis(ms), T0.plusMillis(ms + 20), writable == null ? Map.of("serving", "false")
                : Map.of(ServerLog.WRITABLE, String.valueOf(writable), "serving", "true"));
    }

    static History.Log line(String node, long ms, String message) {
        return new History.Log(node, T0.plusMillis(ms), ServerLog.SOURCE, message);
    }

    /**
     * The old primary db1 is cut off from the samples from 1 s on (its samples fail) and keeps
     * accepting writes until its fast shutdown at 6 s; db2 is promoted at 4 s. The samples alone
     * see no overlap; db1's own log shows two nodes accepting writes from 4 to 6 s.
     */
    @Test
    void aDualPrimaryShownOnlyByTheOldPrimarysLogIsCaught() {
        History h = new History();
        List<History.Sample> samples = new ArrayList<>();
        for (long t = 0; t < 8000; t += 100) {
            samples.add(sample("db1", t, t < 1000 ? Boolean.TRUE : null));
            samples.add(sample("db2", t, t >= 4100));
        }
        samples.forEach(h::add);
        h.add(line("db2", 4050, "database system is ready to accept connections"));
        h.add(line("db1", 6000, "received fast shutdown request"));
        assertEquals(List.of(), DualActive.check(samples, WRITES, DualActive.DEFAULT_MAX_GAP), "the samples alone see one writer at a time");
        List<LogClaims.Claim> claims = LogClaims.of(h, ServerLog::changes, Set.of(ServerLog.WRITABLE));
        List<DualActive.Violation> v = DualActive.check(samples, claims, WRITES, DualActive.DEFAULT_MAX_GAP);
        assertEquals(1, v.size(), v.toString());
        assertEquals(List.of("db1", "db2"), v.get(0).hosts());
        assertTrue(v.get(0).decidedBy().contains("db1"), v.get(0).toString());
        assertTrue(Duration.between(v.get(0).from(), v.get(0).to()).toMillis() >= 1800, v.get(0).toString());
        assertFalse(DualActive.verdict(samples, claims, WRITES, DualActive.DEFAULT_MAX_GAP).ok());
    }

    /** A switchover: the old primary's shutdown logged before the promoted standby's start. Nothing overlaps. */
    @Test
    void aSwitchoverWhoseShutdownPrecedesThePromotionPasses() {
        History h = new History();
        List<History.Sample> samples = new ArrayList<>();
        for (long t = 0; t < 8000; t += 100) {
            samples.add(sample("db1", t, t < 3000 ? Boolean.TRUE : t < 3500 ? null : Boolean.FALSE));
            samples.add(sample("db2", t, t >= 4100));
        }
        samples.forEach(h::add);
        h.add(line("db1", 3000, "received fast shutdown request"));
        h.add(line("db1", 3200, "database system is shut down"));
        h.add(line("db2", 4050, "database system is ready to accept connections"));
        List<LogClaims.Claim> claims = LogClaims.of(h, ServerLog::changes, Set.of(ServerLog.WRITABLE));
        assertEquals(List.of(), DualActive.check(samples, claims, WRITES, DualActive.DEFAULT_MAX_GAP));
    }
}
