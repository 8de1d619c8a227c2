package io.triad.history;

import io.triad.history.History.Fault;
import io.triad.history.History.FinalRead;
import io.triad.history.History.Op;
import io.triad.history.History.Outcome;
import io.triad.history.History.Sample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A history written as JSON lines reads back equal, record for record; a malformed line is named. */
class HistoryTest {

    static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

    /** T0 plus ms milliseconds and some nanoseconds, so that the round trip must keep them. */
    static Instant t(long ms) {
        return T0.plusMillis(ms).plusNanos(123_457);
    }

    /** Samples of alpha and beta every 50 ms, commands taking 20 ms; beta takes over at 500. */
    static List<Sample> samples() {
        List<Sample> out = new ArrayList<>();
        for (long ms = 0; ms < 1000; ms += 50) {
            boolean alpha = ms < 500;
            out.add(io.triad.history.Samples.bsfg("alpha", t(ms), t(ms + 20), alpha, alpha, "active", alpha ? "MASTER" : "FAULT"));
            out.add(io.triad.history.Samples.bsfg("beta", t(ms + 5), t(ms + 25), !alpha, !alpha, "active", alpha ? "BACKUP" : "MASTER"));
        }
        return out;
    }

    /** Writes and health probes every 100 ms, with every outcome of each. */
    static List<Op> ops() {
        List<Op> out = new ArrayList<>();
        Outcome[] outcomes = {Outcome.OK, Outcome.FAIL, Outcome.UNKNOWN};
        for (int i = 0; i < 9; i++) {
            Outcome o = outcomes[i % 3];
            int status = o == Outcome.OK ? 200 : o == Outcome.FAIL ? 503 : -1;
            String node = o == Outcome.UNKNOWN ? "" : i < 5 ? "alpha" : "beta";
            String detail = o == Outcome.UNKNOWN ? "timed out after 2 s" : o == Outcome.FAIL ? "\"no quorum\" \u2013 refused" : "";
            out.add(new Op("write", String.format("w-%04d", i), t(i * 100L), t(i * 100L + 35), o, status, node, detail));
            out.add(new Op("health", "h-" + i, t(i * 100L + 50), t(i * 100L + 60), o, status, node, detail));
        }
        return out;
    }

    static History history() {
        History h = new History();
        // added out of time order: the history orders them
        List<Sample> samples = new ArrayList<>(samples());
        java.util.Collections.reverse(samples);
        samples.forEach(h::add);
        List<Op> ops = new ArrayList<>(ops());
        java.util.Collections.reverse(ops);
        ops.forEach(h::add);
        int healed = h.faultStarted("kill-alpha", "alpha", t(480));
        h.faultStarted("partition", "beta", t(700)); // never healed
        h.healed(healed, t(900));
        h.finalRead(new FinalRead(t(1500), new LinkedHashSet<>(List.of("w-0000", "w-0003", "w-0006", "w-0002")), true,
                "stream ORDERS, 3 replicas"));
        return h;
    }

    /** A node's log is read more than once in a drill (the dual-active check, then the scenario's end): each line is kept once. */
    @Test
    void aLogLineReadAgainIsKeptOnce() {
        History h = new History();
        java.time.Instant at = java.time.Instant.parse("2026-11-26T23:00:48.207Z");
        h.add(new History.Log("db1", at, "postgres", "database system is ready to accept connections"));
        h.add(new History.Log("db1", at, "postgres", "database system is ready to accept connections"));
        h.add(new History.Log("db2", at, "postgres", "database system is ready to accept connections"));
        org.junit.jupiter.api.Assertions.assertEquals(2, h.logs().size(), h.logs().toString());
    }

    @Test
    void aWrittenHistoryReadsBackEqual(@TempDir Path dir) {
        History h = history();
        Path file = dir.resolve("run/history.jsonl");
        h.write(file);
        History back = History.read(file);

        assertEquals(samples(), h.samples()); // sanity: ordered by start
        assertEquals(ops(), h.ops());
        assertEquals(h.samples(), back.samples());
        assertEquals(h.ops(), back.ops());
        assertEquals(h.ops("write"), back.ops("write"));
        assertEquals(9, back.ops("health").size());
        assertEquals(List.of(new Fault("kill-alpha", "alpha", t(480), t(900)), new Fault("partition", "beta", t(700), null)),
                back.faults());
        assertEquals(h.faults(), back.faults());
        assertNull(back.fault("partition").orElseThrow().end());
        assertEquals(h.finalRead(), back.finalRead());
        assertEquals(Optional.of(t(1500)), back.finalRead().map(FinalRead::at));
        assertEquals(123_457 + 480_000_000, back.faults().get(0).start().getNano());
        // and it writes back to the same text
        assertEquals(h.toJsonLines(), back.toJsonLines());
    }

    @Test
    void anEmptyHistoryReadsBackEmpty(@TempDir Path dir) {
        Path file = dir.resolve("empty.jsonl");
        new History().write(file);
        History back = History.read(file);
        assertEquals(List.of(), back.samples());
        assertEquals(List.of(), back.ops());
        assertEquals(List.of(), back.faults());
        assertEquals(Optional.empty(), back.finalRead());
    }

    @Test
    void aMalformedLineIsNamedByItsNumber(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("history.jsonl");
        history().write(file);
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        lines.set(2, "{\"type\":\"sample\",\"at\":\"2026-11-21T12:00:00Z\", not json");
        Files.write(file, lines, StandardCharsets.UTF_8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> History.read(file));
        assertTrue(e.getMessage().contains(file + " line 3 is not a history record"), e.getMessage());
    }

    @Test
    void aLineMissingAFieldIsNamedByItsNumber(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("history.jsonl");
        history().write(file);
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        lines.add(4, ""); // blank lines are skipped but counted
        lines.set(7, "{\"type\":\"sample\",\"at\":\"2026-11-21T12:00:01Z\",\"node\":\"alpha\"}");
        Files.write(file, lines, StandardCharsets.UTF_8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> History.read(file));
        assertTrue(e.getMessage().contains(" line 8 is not a history record"), e.getMessage());
    }
}
