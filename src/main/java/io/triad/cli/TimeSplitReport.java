package io.triad.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where the time of {@code make test mutants} went: each test class (Surefire's reports, with the
 * zones it started: their start, settling, use and teardown, from {@link io.triad.run.TimeSplit}'s
 * records), each mutant (zone up, settle, scenarios, teardown) and each lane's wall time. Written as
 * a Markdown file and a JSON file; the ten most expensive items (test classes and mutants, the units
 * the lanes share out) are printed.
 */
final class TimeSplitReport {

    /** One item the lanes share out: a test class or a mutant, its seconds and its phases. */
    record Item(String kind, String name, double seconds, Map<String, Double> phases, int zones) {
        String line() {
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-6s %-60s %7.1f s", kind, name, seconds));
            if (!phases.isEmpty()) {
                out.append("  (");
                if (zones > 0 && kind.equals("test")) {
                    out.append(zones).append(zones == 1 ? " zone: " : " zones: ");
                }
                List<String> parts = new ArrayList<>();
                phases.forEach((k, v) -> parts.add(k + " " + String.format(Locale.ROOT, "%.1f", v)));
                out.append(String.join(", ", parts)).append(")");
            }
            return out.toString();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SUITE = Pattern.compile("<testsuite [^>]*>");
    private static final Pattern NAME = Pattern.compile("\\sname=\"([^\"]*)\"");
    private static final Pattern TIME = Pattern.compile("\\stime=\"([0-9.,]*)\"");

    final List<Item> items = new ArrayList<>();
    final Map<String, Double> lanes = new LinkedHashMap<>();
    final Map<String, double[]> zoneTotals = new TreeMap<>();
    int zoneCount;

    /** Reads every Surefire report directory and every records file (*.jsonl) under the given paths. */
    static TimeSplitReport read(List<Path> paths) {
        TimeSplitReport report = new TimeSplitReport();
        List<JsonNode> records = new ArrayList<>();
        Map<String, Double> classes = new LinkedHashMap<>();
        for (Path p : paths) {
            if (!Files.exists(p)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(p)) {
                for (Path f : (Iterable<Path>) walk.sorted()::iterator) {
                    String n = f.getFileName().toString();
                    if (n.startsWith("TEST-") && n.endsWith(".xml")) {
                        readSuite(f, classes);
                    } else if (n.endsWith(".jsonl")) {
                        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                            if (!line.isBlank()) {
                                try {
                                    records.add(JSON.readTree(line));
                                } catch (IOException e) {
                                    // a line cut short by a killed process: the others still count
                                }
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
            }
        }
        Map<String, Map<String, Double>> zonePhasesByOwner = new LinkedHashMap<>();
        Map<String, Integer> zonesByOwner = new LinkedHashMap<>();
        for (JsonNode r : records) {
            String kind = r.path("kind").asText();
            if (kind.equals("lane")) {
                report.lanes.merge(r.path("name").asText(), r.path("wall_ms").asDouble() / 1000, Double::sum);
            } else if (kind.equals("mutant") && r.path("owner").asText("").endsWith("Test")) {
                continue; // a mutant a test class ran (MutantInPlaceZoneTest): its time is its class's, and no catalog's mutant
            } else if (kind.equals("mutant")) {
                Map<String, Double> phases = new LinkedHashMap<>();
                for (String phase : List.of("up", "settle", "scenarios", "teardown", "cpu")) {
                    if (r.has(phase + "_ms")) {
                        phases.put(phase, r.path(phase + "_ms").asDouble() / 1000);
                    }
                }
                report.items.add(new Item("mutant", r.path("name").asText(), r.path("total_ms").asDouble() / 1000, phases, 1));
            } else if (kind.equals("zone")) {
                report.zoneCount++;
                String owner = r.path("owner").asText("triad");
                zonesByOwner.merge(owner, 1, Integer::sum);
                Map<String, Double> phases = zonePhasesByOwner.computeIfAbsent(owner, o -> new LinkedHashMap<>());
                for (String phase : List.of("up", "settle", "used", "teardown", "cpu")) {
                    double s = (phase.equals("cpu") ? r.path("containers_cpu_ms").asDouble() + r.path("harness_cpu_ms").asDouble()
                            : r.path(phase + "_ms").asDouble()) / 1000;
                    phases.merge(phase, s, Double::sum);
                    report.zoneTotals.computeIfAbsent(phase, x -> new double[1])[0] += s;
                }
            }
        }
        classes.forEach((cls, seconds) -> {
            String simple = cls.substring(cls.lastIndexOf('.') + 1);
            report.items.add(new Item("test", cls, seconds, zonePhasesByOwner.getOrDefault(simple, Map.of()),
                    zonesByOwner.getOrDefault(simple, 0)));
        });
        report.items.sort(Comparator.comparingDouble(Item::seconds).reversed());
        return report;
    }

    private static void readSuite(Path f, Map<String, Double> classes) throws IOException {
        String head;
        try (var in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            char[] buf = new char[8192];
            int n = in.read(buf);
            head = n <= 0 ? "" : new String(buf, 0, n);
        }
        Matcher suite = SUITE.matcher(head);
        if (!suite.find()) {
            return;
        }
        Matcher name = NAME.matcher(suite.group());
        Matcher time = TIME.matcher(suite.group());
        if (name.find() && time.find()) {
            classes.merge(name.group(1), Double.parseDouble(time.group(1).replace(",", "")), Double::sum);
        }
    }

    double total(String kind) {
        return items.stream().filter(i -> i.kind().equals(kind)).mapToDouble(Item::seconds).sum();
    }

    long count(String kind) {
        return items.stream().filter(i -> i.kind().equals(kind)).count();
    }

    double mutantPhase(String phase) {
        return items.stream().filter(i -> i.kind().equals("mutant")).mapToDouble(i -> i.phases().getOrDefault(phase, 0.0)).sum();
    }

    /** The ten most expensive items, one line each. */
    List<String> topTen() {
        return items.stream().limit(10).map(Item::line).toList();
    }

    String markdown() {
        StringBuilder out = new StringBuilder("# Where the time went\n\n");
        if (!lanes.isEmpty()) {
            out.append("## Lanes (wall time)\n\n");
            lanes.forEach((k, v) -> out.append(String.format(Locale.ROOT, "- %s: %.0f s%n", k, v)));
            out.append('\n');
        }
        out.append(String.format(Locale.ROOT, "## Totals%n%n- test classes: %d, %.0f s%n", count("test"), total("test")));
        out.append(String.format(Locale.ROOT, "- mutants: %d, %.0f s (zone up %.0f, settle %.0f, scenarios %.0f, teardown %.0f)%n",
                count("mutant"), total("mutant"), mutantPhase("up"), mutantPhase("settle"), mutantPhase("scenarios"), mutantPhase("teardown")));
        out.append(String.format(Locale.ROOT, "- zones started: %d (up %.0f s, settle %.0f s, used %.0f s, teardown %.0f s; CPU %.0f s:"
                        + " the containers' and the harness process's while each was open)%n%n", zoneCount,
                zoneTotals.getOrDefault("up", new double[1])[0], zoneTotals.getOrDefault("settle", new double[1])[0],
                zoneTotals.getOrDefault("used", new double[1])[0], zoneTotals.getOrDefault("teardown", new double[1])[0],
                zoneTotals.getOrDefault("cpu", new double[1])[0]));
        out.append("## Every item, the most expensive first (seconds)\n\n```\n");
        items.forEach(i -> out.append(i.line()).append('\n'));
        out.append("```\n");
        return out.toString();
    }

    /** The items as JSON lines' input to the lanes' next sizing: {kind, name, seconds}. */
    String json() {
        var root = JSON.createObjectNode();
        var lanesNode = root.putObject("lanes");
        lanes.forEach(lanesNode::put);
        var list = root.putArray("items");
        for (Item i : items) {
            var n = list.addObject();
            n.put("kind", i.kind());
            n.put("name", i.name());
            n.put("seconds", Math.round(i.seconds() * 10) / 10.0);
            var phases = n.putObject("phases");
            i.phases().forEach((k, v) -> phases.put(k, Math.round(v * 10) / 10.0));
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
