package io.triad.run;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the time of the harness's own test runs goes: every zone a process starts (its start, its
 * settling, its use, its teardown) and every mutant (zone up, settle, scenarios, teardown) is one
 * JSON line appended to the file {@value #ENV} names ({@code make test} and {@code make mutants} set
 * it under {@code target/time-split/}; unset, nothing is written). Several processes append to one
 * file at once: each record is one write of one line, in append mode. {@code bin/triad time-split}
 * reads them with Surefire's per-class times and prints the most expensive items. A figure here
 * never decides a verdict.
 */
public final class TimeSplit {
    /** The environment variable naming the file the records are appended to. */
    public static final String ENV = "TRIAD_TIME_SPLIT";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TimeSplit() {
    }

    /** Appends one record: its kind (zone, mutant), its name, who ran it, and its phases in milliseconds. */
    public static void record(String kind, String name, Map<String, Long> phasesMs) {
        String file = System.getenv(ENV);
        if (file == null || file.isBlank()) {
            return;
        }
        append(Path.of(file), kind, name, owner(), phasesMs);
    }

    /** Appends one record to {@code file}: {@link #record}'s line, its owner given. */
    public static void append(Path file, String kind, String name, String owner, Map<String, Long> phasesMs) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("kind", kind);
        line.put("name", name);
        line.put("owner", owner);
        line.put("pid", ProcessHandle.current().pid());
        line.put("at", Instant.now().toString());
        line.putAll(phasesMs);
        try {
            Path path = file.toAbsolutePath();
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            Files.write(path, (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException | RuntimeException e) {
            // a measure that cannot be written never fails the run it measures
            System.err.println("time split: cannot append to " + file + ": " + e.getMessage());
        }
    }

    /**
     * Who ran the zone: the test class on the calling thread's stack (a harness test), else the
     * process's own label ({@code triad.time.owner}: a mutant lane, an item-alone child), else "triad".
     */
    static String owner() {
        for (StackTraceElement e : Thread.currentThread().getStackTrace()) {
            String c = e.getClassName();
            if (c.endsWith("Test") && c.startsWith("io.triad.")) {
                return c.substring(c.lastIndexOf('.') + 1);
            }
        }
        return System.getProperty("triad.time.owner", "triad");
    }
}
