package io.triad.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
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
            JsonNode n = message(line);
            if (n.has("pickle")) {
                noteDrill(n.get("pickle"), drillOfPickle);
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

    /**
     * The evidence figures named {@code names} in a run (their attachments "figure: NAME"), each as
     * the number of milliseconds its value begins with ("16316 ms (by phoenix-b)", "job 9772 ms"
     * take 16316 and 9772); a figure that holds no duration in ms is left out, the first of a name
     * kept.
     */
    static Map<String, Double> figures(List<String> lines, List<String> names) {
        Map<String, Double> out = new TreeMap<>();
        java.util.regex.Pattern ms = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?) ms\\b");
        for (String line : lines) {
            if (line.isBlank() || !line.contains("\"attachment\"")) {
                continue;
            }
            JsonNode a = message(line).path("attachment");
            String file = a.path("fileName").asText();
            if (!file.startsWith(io.triad.host.Evidence.FIGURE)) {
                continue;
            }
            String name = file.substring(io.triad.host.Evidence.FIGURE.length());
            if (names.contains(name) && !out.containsKey(name)) {
                java.util.regex.Matcher m = ms.matcher(a.path("body").asText());
                if (m.find()) {
                    out.put(name, Double.parseDouble(m.group(1)));
                }
            }
        }
        return out;
    }

    /** The phases a drill's wall time is split into, in the order they come. */
    static final List<String> PHASES = List.of("steady-state wait", "recording start", "fault", "until the failover verdict",
            "heal", "after the heal: restore, observation windows, checks", "hooks: gate; heal, settle, history kept");

    /**
     * Each drill's wall time split into {@link #PHASES} from its steps' durations: its Given steps
     * (the steady-state wait, the recording's start), its first When (the fault), the Then steps
     * until the next When (the failover's measure and the windows before it), the later Whens (the
     * heal), the Then steps after them, and the hooks (the gate before; the heal, the zone settled
     * again and the history kept after).
     */
    static Map<String, Map<String, Double>> drillPhases(List<String> lines) {
        Map<String, String> drillOfPickle = new HashMap<>();
        Map<String, Map<String, String>> stepsOfPickle = new HashMap<>(); // pickle step id -> "type text"
        Map<String, String> pickleOfCase = new HashMap<>();
        Map<String, Map<String, String>> pickleStepOfTestStep = new HashMap<>(); // case -> test step -> pickle step
        Map<String, String> caseOfStart = new HashMap<>();
        Map<String, Map<String, Double>> out = new TreeMap<>();
        Map<String, Integer> actionsSeen = new HashMap<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = message(line);
            if (n.has("pickle")) {
                JsonNode p = n.get("pickle");
                noteDrill(p, drillOfPickle);
                Map<String, String> steps = new HashMap<>();
                p.path("steps").forEach(st -> steps.put(st.path("id").asText(), st.path("type").asText() + " " + st.path("text").asText()));
                stepsOfPickle.put(p.path("id").asText(), steps);
            } else if (n.has("testCase")) {
                JsonNode c = n.get("testCase");
                pickleOfCase.put(c.path("id").asText(), c.path("pickleId").asText());
                Map<String, String> steps = new HashMap<>();
                c.path("testSteps").forEach(st -> steps.put(st.path("id").asText(), st.path("pickleStepId").asText("")));
                pickleStepOfTestStep.put(c.path("id").asText(), steps);
            } else if (n.has("testCaseStarted")) {
                caseOfStart.put(n.get("testCaseStarted").path("id").asText(), n.get("testCaseStarted").path("testCaseId").asText());
            } else if (n.has("testStepFinished")) {
                JsonNode f = n.get("testStepFinished");
                String start = f.path("testCaseStartedId").asText();
                String testCase = caseOfStart.get(start);
                String pickle = pickleOfCase.get(testCase);
                String drill = drillOfPickle.get(pickle);
                if (drill == null) {
                    continue;
                }
                JsonNode d = f.path("testStepResult").path("duration");
                double ms = d.path("seconds").asLong() * 1000.0 + d.path("nanos").asLong() / 1e6;
                String pickleStep = pickleStepOfTestStep.getOrDefault(testCase, Map.of()).getOrDefault(f.path("testStepId").asText(), "");
                String step = stepsOfPickle.getOrDefault(pickle, Map.of()).getOrDefault(pickleStep, "");
                String phase;
                if (step.isEmpty()) {
                    phase = PHASES.get(6);
                } else if (step.startsWith("Context ")) {
                    phase = step.contains("steady") ? PHASES.get(0) : PHASES.get(1);
                } else if (step.startsWith("Action ")) {
                    phase = actionsSeen.merge(start, 1, Integer::sum) == 1 ? PHASES.get(2) : PHASES.get(4);
                } else {
                    phase = actionsSeen.getOrDefault(start, 0) <= 1 ? PHASES.get(3) : PHASES.get(5);
                }
                out.computeIfAbsent(drill, k -> {
                    Map<String, Double> phases = new java.util.LinkedHashMap<>();
                    PHASES.forEach(ph -> phases.put(ph, 0.0));
                    return phases;
                }).merge(phase, ms, Double::sum);
            }
        }
        return out;
    }

    /** A pickle tagged {@code @drill:<name>}: its id mapped to the drill's name. */
    private static void noteDrill(JsonNode pickle, Map<String, String> drillOfPickle) {
        for (JsonNode tag : pickle.path("tags")) {
            String t = tag.path("name").asText();
            if (t.startsWith("@drill:")) {
                drillOfPickle.put(pickle.path("id").asText(), t.substring(7));
            }
        }
    }

    private static JsonNode message(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a Cucumber message: " + line.substring(0, Math.min(80, line.length())));
        }
    }

    private static double millis(JsonNode timestamp) {
        return timestamp.path("seconds").asLong() * 1000.0 + timestamp.path("nanos").asLong() / 1e6;
    }
}
