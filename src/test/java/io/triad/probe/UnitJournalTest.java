package io.triad.probe;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a controller ended, from its journal as {@code journalctl -u bsfg-controller -o json}
 * wrote it on a simulated BSFG node (2026-11-25): stopped by the demotion (keepalived stopped on
 * alpha: a stop job, then the exit of its SIGTERM, 143), and ended by itself (beta giving the VIP
 * back to alpha with the notify-never-stops mutant's hook: its lease gone, it exited 75, and no
 * stop job).
 */
class UnitJournalTest {

    static String recorded(String name) throws IOException {
        return io.triad.Recorded.text("journal/" + name);
    }

    @Test
    void aControllerStoppedByItsDemotionHasAStopJob() throws IOException {
        List<UnitJournal.Entry> j = UnitJournal.parse(recorded("controller-demoted-by-hook.json"));
        assertEquals(13, j.size());
        UnitJournal.Entry stop = UnitJournal.firstStopJob(j, Instant.EPOCH).orElseThrow();
        assertTrue(stop.message().startsWith("Stopping bsfg-controller.service"), stop.message());
        assertEquals(Instant.parse("2026-11-25T10:17:25.434671Z"), stop.at());
        assertEquals("143", UnitJournal.firstExit(j, Instant.EPOCH).orElseThrow().exitStatus());
        // nothing after the last entry: no stop job is found from a later instant
        assertTrue(UnitJournal.firstStopJob(j, Instant.parse("2026-11-25T10:17:27Z")).isEmpty());
    }

    @Test
    void aControllerThatEndedByItselfHasNone() throws IOException {
        List<UnitJournal.Entry> j = UnitJournal.parse(recorded("controller-ended-by-itself.json"));
        assertFalse(j.isEmpty());
        assertTrue(UnitJournal.firstStopJob(j, Instant.EPOCH).isEmpty(), "the mutant's hook never ran systemctl stop");
        UnitJournal.Entry exit = UnitJournal.firstExit(j, Instant.EPOCH).orElseThrow();
        assertEquals("exited", exit.exitCode());
        assertEquals("75", exit.exitStatus());
        assertTrue(exit.message().contains("status=75/TEMPFAIL"), exit.message());
    }

    @Test
    void linesThatAreNotJournalEntriesAreSkipped() {
        assertEquals(List.of(), UnitJournal.parse("-- No entries --\n"));
        assertEquals(1, UnitJournal.parse("{\"__REALTIME_TIMESTAMP\":\"1\",\"MESSAGE\":[104,105],\"JOB_TYPE\":\"stop\"}\nnot json\n{broken\n").size());
        assertEquals("hi", UnitJournal.parse("{\"__REALTIME_TIMESTAMP\":\"1\",\"MESSAGE\":[104,105]}").get(0).message());
    }
}
