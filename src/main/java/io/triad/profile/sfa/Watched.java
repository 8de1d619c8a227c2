package io.triad.profile.sfa;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * maint.5 ("monitor system health continuously" during a maintenance window): whether Prometheus
 * watched every target through a window, read from what it stored, not from its status page. A
 * target is watched through the window when its {@code up} series has a sample at least every
 * scrape interval (times one and a half, plus a second) from the window's opening to its first
 * scrape after the window closed, and no sample of it is 0 (a failed scrape: the target was not
 * seen). The targets are every one Prometheus had at the opening or at the closing, and every series
 * of {@code up} in the window: a target dropped from the configuration in the window is a gap too.
 * Times are Prometheus's own (its {@code time()}), so a live host's clock does not enter.
 */
public final class Watched {

    private Watched() { }

    /** A target's {@code up} samples: [time in seconds, value]. */
    public record Series(String target, Map<String, String> labels, List<double[]> samples) { }

    /** Prometheus's evaluation time from {@code /api/v1/query?query=time()}. */
    public static double time(String json) {
        JsonNode r = Monitoring.tree(json, "Prometheus's time()").path("data").path("result");
        if (!r.isArray() || r.size() != 2) {
            throw new IllegalArgumentException("Prometheus's time() answered no scalar: " + json.strip());
        }
        return r.get(0).asDouble();
    }

    /** The active targets of {@code /api/v1/targets}, job/instance to its scrape interval in seconds (0 when not said). */
    public static Map<String, Double> targets(String json) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (JsonNode t : Monitoring.tree(json, "Prometheus's targets").path("data").path("activeTargets")) {
            out.put(key(t.path("labels")), seconds(t.path("scrapeInterval").asText("")));
        }
        return out;
    }

    /** The series of a range selector's answer ({@code /api/v1/query?query=up[..s]}), named job/instance. */
    public static List<Series> matrix(String json) {
        JsonNode root = Monitoring.tree(json, "Prometheus's range query");
        if (!root.path("data").path("resultType").asText().equals("matrix")) {
            throw new IllegalArgumentException("Prometheus answered no matrix: " + json.strip().lines().findFirst().orElse(""));
        }
        List<Series> out = new ArrayList<>();
        for (JsonNode s : root.path("data").path("result")) {
            List<double[]> samples = new ArrayList<>();
            for (JsonNode v : s.path("values")) {
                samples.add(new double[] {v.get(0).asDouble(), Double.parseDouble(v.get(1).asText())});
            }
            samples.sort(Comparator.comparingDouble(a -> a[0]));
            out.add(new Series(key(s.path("metric")), Monitoring.labels(s.path("metric")), samples));
        }
        return out;
    }

    static String key(JsonNode labels) {
        return labels.path("job").asText() + "/" + labels.path("instance").asText();
    }

    /** Prometheus's duration ("5s", "1m", "1m30s", "500ms") in seconds; 0 when empty. */
    static double seconds(String d) {
        if (d.isBlank()) {
            return 0;
        }
        java.time.Duration parsed = Monitoring.duration(d);
        if (parsed == null) {
            throw new IllegalArgumentException("not a Prometheus duration: " + d);
        }
        return parsed.toMillis() / 1000.0;
    }

    /**
     * What was not watched in the window [open, close]: for every target (those named, and every
     * series of up), the stretches without a scrape longer than its interval allows, and the scrapes
     * that failed; empty when every target was watched throughout. A target whose interval is not
     * known is held to the longest known one.
     */
    public static List<String> unwatched(Map<String, Double> intervals, List<Series> up, double open, double close) {
        double longest = intervals.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        Map<String, List<double[]>> byTarget = new LinkedHashMap<>();
        Set<String> all = new LinkedHashSet<>(intervals.keySet());
        for (Series s : up) {
            byTarget.computeIfAbsent(s.target(), k -> new ArrayList<>()).addAll(s.samples());
            all.add(s.target());
        }
        List<String> problems = new ArrayList<>();
        for (String target : all) {
            double interval = intervals.getOrDefault(target, 0.0) > 0 ? intervals.get(target) : longest;
            if (interval <= 0) {
                throw new IllegalArgumentException("no scrape interval known for " + target);
            }
            double allowed = interval * 1.5 + 1;
            List<double[]> samples = new ArrayList<>(byTarget.getOrDefault(target, List.of()));
            samples.sort(Comparator.comparingDouble(a -> a[0]));
            double last = open;
            boolean after = false;
            List<String> mine = new ArrayList<>();
            double downFrom = Double.NaN;
            double downTo = Double.NaN;
            int downs = 0;
            for (double[] s : samples) {
                if (s[0] < open) {
                    continue;
                }
                if (s[0] - last > allowed) {
                    mine.add("no scrape from " + at(last, open) + " to " + at(s[0], open) + " (" + fmt(s[0] - last) + " s; interval " + fmt(interval) + " s)");
                }
                last = s[0];
                if (s[0] > close) {
                    after = true;
                    break;
                }
                if (s[1] == 0) {
                    downs++;
                    downFrom = Double.isNaN(downFrom) ? s[0] : downFrom;
                    downTo = s[0];
                }
            }
            if (!after) {
                mine.add("no scrape after " + at(last, open) + " up to the window's end and past it (" + at(close, open) + ")");
            }
            if (downs > 0) {
                mine.add(downs + " failed scrape" + (downs == 1 ? "" : "s") + " (up 0) from " + at(downFrom, open) + " to " + at(downTo, open));
            }
            mine.forEach(p -> problems.add(target + ": " + p));
        }
        return problems;
    }

    /** A time as seconds from the window's opening. */
    static String at(double t, double open) {
        return "+" + fmt(t - open) + " s";
    }

    public static String fmt(double s) {
        return String.format(Locale.ROOT, "%.1f", s);
    }

    /** Prometheus's time (epoch seconds) as an instant. */
    public static String fmtTime(double t) {
        return java.time.Instant.ofEpochMilli(Math.round(t * 1000)).toString();
    }

    /** The sum of every sample of each named metric in a Prometheus text exposition (a program's /metrics); a name absent is absent. */
    public static Map<String, Double> counters(String exposition, Set<String> names) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            int end = brace >= 0 && brace < space ? brace : space;
            if (end <= 0) {
                continue;
            }
            String name = line.substring(0, end);
            if (!names.contains(name)) {
                continue;
            }
            String[] rest = line.substring(brace >= 0 && brace < space ? line.lastIndexOf('}') + 1 : space).trim().split("\\s+");
            out.merge(name, Double.parseDouble(rest[0]), Double::sum);
        }
        return out;
    }

    /**
     * The failures counted between two readings of the same counters: each that grew, by how much;
     * one that went back (its program restarted in between: what it counted is lost) is a failure
     * too, as is one read at the start and not at the end or the other way.
     */
    public static List<String> grew(String program, Map<String, Double> before, Map<String, Double> after, Set<String> names) {
        List<String> problems = new ArrayList<>();
        for (String n : names) {
            Double a = before.get(n);
            Double b = after.get(n);
            if (a == null && b == null) {
                continue; // not exported by this program's version: said in the evidence by the step
            }
            if (a == null || b == null) {
                problems.add(program + "'s " + n + " was " + (a == null ? "absent at the opening" : "absent at the closing"));
            } else if (b < a) {
                problems.add(program + "'s " + n + " went back from " + fmt(a) + " to " + fmt(b) + ": it restarted in the window, what it counted before is lost");
            } else if (b > a) {
                problems.add(program + "'s " + n + " grew by " + fmt(b - a) + " in the window");
            }
        }
        return problems;
    }
}
