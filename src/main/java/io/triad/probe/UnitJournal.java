package io.triad.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A unit's journal as {@code journalctl -u UNIT -o json} writes it, read for how the unit ended:
 * systemd logs a job it runs on a unit with the job's type ({@code JOB_TYPE=stop} on "Stopping
 * ..." and "Stopped ..."), and the end of the main process with its exit code and status
 * ({@code EXIT_CODE=exited}, {@code EXIT_STATUS=75} on "Main process exited, ..."). A unit
 * stopped by {@code systemctl stop} has a stop job; one whose process ended by itself has none.
 */
public final class UnitJournal {

    /**
     * One journal entry: when, systemd's job type and result (when it is a job's), the exit code and
     * status (when an exit's), the unit's run it belongs to (its invocation ID: the process's
     * {@code _SYSTEMD_INVOCATION_ID}, or systemd's own {@code INVOCATION_ID} for its lines about the
     * unit; empty when journald could not tell).
     */
    public record Entry(Instant at, String jobType, String jobResult, String exitCode, String exitStatus, String message, String invocation) {
        public boolean stopJob() {
            return "stop".equals(jobType);
        }

        public boolean exit() {
            return !exitCode.isEmpty();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private UnitJournal() { }

    /** The entries of {@code journalctl -o json} output, one JSON object a line; lines that are not one are skipped. */
    public static List<Entry> parse(String output) {
        List<Entry> out = new ArrayList<>();
        for (String line : output.split("\n")) {
            line = line.strip();
            if (!line.startsWith("{")) {
                continue; // "-- No entries --" and the like
            }
            JsonNode e;
            try {
                e = JSON.readTree(line);
            } catch (IOException ex) {
                continue;
            }
            long micros = e.path("__REALTIME_TIMESTAMP").asLong(0);
            out.add(new Entry(Instant.EPOCH.plusNanos(micros * 1000), e.path("JOB_TYPE").asText(""), e.path("JOB_RESULT").asText(""),
                    e.path("EXIT_CODE").asText(""), e.path("EXIT_STATUS").asText(""), message(e.path("MESSAGE")),
                    e.path("_SYSTEMD_INVOCATION_ID").asText(e.path("INVOCATION_ID").asText(""))));
        }
        return out;
    }

    /** journald writes a message that is not valid UTF-8 as an array of bytes. */
    private static String message(JsonNode m) {
        if (m.isArray()) {
            byte[] bytes = new byte[m.size()];
            for (int i = 0; i < m.size(); i++) {
                bytes[i] = (byte) m.get(i).asInt();
            }
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
        return m.asText("");
    }

    /** The first stop job systemd ran on the unit at or after {@code since}. */
    public static Optional<Entry> firstStopJob(List<Entry> entries, Instant since) {
        return entries.stream().filter(e -> e.stopJob() && !e.at().isBefore(since)).findFirst();
    }

    /** The first end of the unit's main process at or after {@code since}. */
    public static Optional<Entry> firstExit(List<Entry> entries, Instant since) {
        return entries.stream().filter(e -> e.exit() && !e.at().isBefore(since)).findFirst();
    }
}
