package io.triad.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code timings.json} in the run directory: how long each phase of the run took (bringing the
 * zone up, the scenarios, tearing a simulated zone down, writing the report), in milliseconds,
 * measured by the run itself. The benchmark reads it; the verdict never depends on it.
 */
final class RunTimings {
    static final String FILE = "timings.json";

    private final Map<String, Long> phases = new LinkedHashMap<>();
    private final Map<String, Long> open = new LinkedHashMap<>();

    <T> T time(String phase, Supplier<T> body) {
        start(phase);
        try {
            return body.get();
        } finally {
            stop(phase);
        }
    }

    /** A figure measured inside a phase (e.g. how long the zone took to settle after its start), in milliseconds. */
    void record(String figure, java.time.Duration took) {
        phases.put(figure + "_ms", took.toMillis());
    }

    void start(String phase) {
        open.put(phase, System.nanoTime());
    }

    void stop(String phase) {
        Long began = open.remove(phase);
        if (began != null) {
            phases.put(phase + "_ms", (System.nanoTime() - began) / 1_000_000);
        }
    }

    void write(Path runDir, int scenarios) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("jvm_start_to_now_ms", ManagementFactory.getRuntimeMXBean().getUptime());
        record.putAll(phases);
        record.put("scenarios", scenarios);
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(runDir.resolve(FILE).toFile(), record);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + runDir.resolve(FILE), e);
        }
    }
}
