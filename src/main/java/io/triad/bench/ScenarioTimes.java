package io.triad.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each drill's wall time in a run, from Cucumber's own messages ({@code cucumber.ndjson}): from
 * the test case's start to its finish, hooks included (the heal, the history kept). A drill is a
 * scenario tagged {@code @drill:<name>}.
 */
final class ScenarioTimes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ScenarioTimes() { }

    static Map<String, Double> drillWalls(Path ndjson) {
        List<String> lines;
        try {
            lines = Files.readAllLines(ndjson);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ndjson, e);
        }
        return drillWalls(lines);
    }

    static Map<String, Double> drillWalls(List<String> lines) {
        Map<String, String> drillOfPickle = new HashMap<>();
        Map<String, String> pickleOfCase = new HashMap<>();
        Map<String, String> caseOfStart = new HashMap<>();
        Map<String, Double> startedAt = new HashMap<>();
        Map<String, Double> walls = new TreeMap<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (IOException e) {
                throw new IllegalArgumentException("not a Cucumber message: " + line.substring(0, Math.min(80, line.length())));
            }
            if (n.has("pickle")) {
                for (JsonNode tag : n.get("pickle").path("tags")) {
                    String t = tag.path("name").asText();
                    if (t.startsWith("@drill:")) {
                        drillOfPickle.put(n.get("pickle").path("id").asText(), t.substring(7));
                    }
                }
            } else if (n.has("testCase")) {
                pickleOfCase.put(n.get("testCase").path("id").asText(), n.get("testCase").path("pickleId").asText());
            } else if (n.has("testCaseStarted")) {
                JsonNode s = n.get("testCaseStarted");
                caseOfStart.put(s.path("id").asText(), s.path("testCaseId").asText());
                startedAt.put(s.path("id").asText(), millis(s.path("timestamp")));
            } else if (n.has("testCaseFinished")) {
                JsonNode f = n.get("testCaseFinished");
                String start = f.path("testCaseStartedId").asText();
                String drill = drillOfPickle.get(pickleOfCase.get(caseOfStart.get(start)));
                if (drill != null && startedAt.containsKey(start)) {
                    walls.put(drill, millis(f.path("timestamp")) - startedAt.get(start));
                }
            }
        }
        return walls;
    }

    private static double millis(JsonNode timestamp) {
        return timestamp.path("seconds").asLong() * 1000.0 + timestamp.path("nanos").asLong() / 1e6;
    }
}
