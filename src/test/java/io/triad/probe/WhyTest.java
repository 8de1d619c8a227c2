package io.triad.probe;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lines a failure quotes from the HA manager's journal. The repmgrd lines are its own, recorded
 * on the simulated three-phoenix zone (repmgr 5 on PostgreSQL 15, Debian's package) on 2026-11-26,
 * after the primary's crash with failover=manual on the standbys (mutant failover-manual; the drill's
 * cucumber report kept every node's journal).
 */
class WhyTest {

    /** phoenix-b's repmgrd from the crash of phoenix-a on (a selection of its lines, each as it logged it). */
    static final List<String> REPMGRD = List.of(
            "[2026-11-26 16:07:37] [WARNING] unable to ping \"host=10.213.80.11 port=5432 user=repmgr dbname=repmgr connect_timeout=2\"",
            "[2026-11-26 16:07:37] [DETAIL] PQping() returned \"PQPING_NO_RESPONSE\"",
            "[2026-11-26 16:07:37] [WARNING] unable to connect to upstream node \"phoenix-a\" (ID: 1)",
            "[2026-11-26 16:07:37] [INFO] checking state of node \"phoenix-a\" (ID: 1), 1 of 3 attempts",
            "[2026-11-26 16:07:45] [INFO] checking state of node \"phoenix-a\" (ID: 1), 3 of 3 attempts",
            "[2026-11-26 16:07:47] [WARNING] unable to ping \"user=repmgr connect_timeout=2 dbname=repmgr host=10.213.80.11 port=5432 fallback_application_name=repmgr\"",
            "[2026-11-26 16:07:47] [DETAIL] PQping() returned \"PQPING_NO_RESPONSE\"",
            "[2026-11-26 16:07:47] [WARNING] unable to reconnect to node \"phoenix-a\" (ID: 1) after 3 attempts",
            "[2026-11-26 16:07:47] [NOTICE] this node is not configured for automatic failover so will not be considered as promotion candidate, and will not follow the new primary",
            "[2026-11-26 16:07:47] [DETAIL] \"failover\" is set to \"manual\" in repmgr.conf",
            "[2026-11-26 16:07:47] [HINT] manually execute \"repmgr standby follow\" to have this node follow the new primary",
            "[2026-11-26 16:07:47] [INFO] follower node awaiting notification from a candidate node");

    @Test
    void theLinesThatSayWhatWouldNotHappenAreQuotedTheLastOfThem() {
        List<String> quoted = Why.telling(REPMGRD);
        assertEquals(3, quoted.size());
        assertTrue(quoted.get(0).contains("not configured for automatic failover"), quoted.toString());
        assertTrue(quoted.get(1).contains("\"failover\" is set to \"manual\""), quoted.toString());
        assertTrue(quoted.get(2).contains("manually execute"), quoted.toString());
    }

    @Test
    void withoutATellingLineTheLastLinesAreQuotedAndLongLinesShortened() {
        List<String> plain = List.of("[INFO] a", "[INFO] b", "[INFO] c", "[INFO] d");
        assertEquals(List.of("[INFO] b", "[INFO] c", "[INFO] d"), Why.telling(plain));
        assertEquals(List.of(), Why.telling(List.of(" ", "")));
        String longLine = "x".repeat(500);
        assertEquals(Why.WIDTH, Why.shorten(longLine).length());
        assertTrue(Why.shorten(longLine).endsWith("..."));
    }

    /**
     * Beta's keepalived journal (journalctl -u keepalived -o json since its activation), recorded on
     * the simulated BSFG zone (keepalived 2.2.7, Debian's package) on 2026-11-27: its track script
     * replaced by mutant standby-track-broken's and keepalived restarted. The first seven entries
     * belong to the run before (its stop, in the same second as the new start).
     */
    static List<UnitJournal.Entry> keepalivedTrackFailing() throws java.io.IOException {
        return UnitJournal.parse(java.nio.file.Files.readString(java.nio.file.Path.of("src/test/resources/recorded/journal/keepalived-track-failing-beta.json")));
    }

    static final String CURRENT_RUN = "add09e90872645d3a56627373b115e57";

    @Test
    void theUnitsCurrentRunIsKeptToItsInvocation() throws Exception {
        List<UnitJournal.Entry> all = keepalivedTrackFailing();
        List<UnitJournal.Entry> run = Why.currentRun(all, CURRENT_RUN);
        assertEquals(22, all.size());
        assertEquals(15, run.size(), run.toString());
        assertTrue(run.stream().noneMatch(e -> e.message().contains("Address not found")), "the run before's stop is left out");
        assertEquals(all, Why.currentRun(all, ""), "an unknown invocation keeps every entry");
    }

    @Test
    void aManagerThatSaidNothingSinceTheFaultIsQuotedFromItsCurrentRunBeforeIt() throws Exception {
        List<UnitJournal.Entry> run = Why.currentRun(keepalivedTrackFailing(), CURRENT_RUN);
        java.time.Instant fault = run.get(run.size() - 1).at().plusSeconds(30);
        String said = Why.judged(run, "keepalived.service", "active", fault);
        assertTrue(said.startsWith("nothing since the fault; before it, in its current run: "), said);
        assertTrue(said.contains("VRRP_Script(chk_jetstream) failed (exited with status 7)"), said);
        assertTrue(said.contains("vrrp BSFG_SIM entered FAULT"), said);
    }

    @Test
    void linesSinceTheFaultAreQuotedAsSuch() throws Exception {
        List<UnitJournal.Entry> run = Why.currentRun(keepalivedTrackFailing(), CURRENT_RUN);
        java.time.Instant fault = run.stream().filter(e -> e.message().startsWith("Script `chk_jetstream`")).findFirst().orElseThrow().at();
        String said = Why.judged(run, "keepalived.service", "active", fault);
        assertTrue(said.startsWith("\"VRRP_Script(chk_jetstream) failed"), said);
        assertTrue(said.endsWith("\"vrrp BSFG_SIM entered FAULT\""), said);
    }

    @Test
    void aLineSaidAgainIsQuotedOnceAtItsLastPlace() {
        List<String> said = List.of("(BSFG_SIM_M50) No VIP specified; at least one is sensible", "Startup complete",
                "(BSFG_SIM_M50) No VIP specified; at least one is sensible", "VRRP_Script(chk_jetstream) failed (exited with status 7)",
                "unable to reach 10.0.0.1", "VRRP_Script(chk_jetstream) failed (exited with status 7)");
        assertEquals(List.of("(BSFG_SIM_M50) No VIP specified; at least one is sensible", "unable to reach 10.0.0.1",
                "VRRP_Script(chk_jetstream) failed (exited with status 7)"), Why.telling(said));
    }

    @Test
    void aUnitThatSaidNothingTellingIsGivenWithItsState() {
        assertEquals("nothing since the fault (keepalived.service inactive)", Why.judged(List.of(), "keepalived.service", "inactive",
                java.time.Instant.EPOCH));
    }
}
