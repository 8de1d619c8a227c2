package io.triad.profile.sfa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus's and Alertmanager's HTTP APIs as the harness reads them: the active targets
 * ({@code /api/v1/targets}), the loaded rules ({@code /api/v1/rules}), the alerts Prometheus holds
 * ({@code /api/v1/alerts}: pending or firing) and the alerts Alertmanager holds
 * ({@code /api/v2/alerts}); and the metric names a PromQL expression reads.
 */
public final class Monitoring {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Monitoring() { }

    public static JsonNode tree(String json, String what) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(what + " is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** Prometheus's active targets: job, instance and health of each. */
    public record Targets(List<Target> all) {
        public record Target(String job, String instance, String health, String lastError) {
            @Override
            public String toString() {
                return job + "/" + instance + " (" + health + (lastError.isEmpty() ? "" : ": " + lastError) + ")";
            }
        }

        public static Targets parse(String json) {
            JsonNode root = tree(json, "Prometheus's targets");
            List<Target> all = new ArrayList<>();
            for (JsonNode t : root.path("data").path("activeTargets")) {
                all.add(new Target(t.path("labels").path("job").asText(), t.path("labels").path("instance").asText(), t.path("health").asText(),
                        t.path("lastError").asText("")));
            }
            return new Targets(List.copyOf(all));
        }

        public List<Target> down() {
            return all.stream().filter(t -> !t.health().equals("up")).toList();
        }
    }

    /** An alerting rule as Prometheus loaded it. */
    public record Rule(String group, String name, String query, long forSeconds, Map<String, String> labels, String health, String lastError) { }

    /** The alerting rules of {@code /api/v1/rules}, in their order. */
    public static List<Rule> rules(String json) {
        JsonNode root = tree(json, "Prometheus's rules");
        List<Rule> out = new ArrayList<>();
        for (JsonNode g : root.path("data").path("groups")) {
            for (JsonNode r : g.path("rules")) {
                if (!r.path("type").asText().equals("alerting")) {
                    continue;
                }
                out.add(new Rule(g.path("name").asText(), r.path("name").asText(), r.path("query").asText(), r.path("duration").asLong(),
                        labels(r.path("labels")), r.path("health").asText(), r.path("lastError").asText("")));
            }
        }
        return out;
    }

    /**
     * The retention Prometheus's TSDB enforces, as {@code /api/v1/status/runtimeinfo}'s
     * storageRetention reports it: a bound by age ({@code --storage.tsdb.retention.time}, or the
     * deprecated {@code --storage.tsdb.retention}), a bound by size ({@code --storage.tsdb.retention.size}),
     * or both ("15d or 1GiB": whichever is reached first). A size bound alone ("64MiB") bounds no age.
     *
     * @param age   the bound by age, null when there is none
     * @param size  the bound by size as Prometheus prints it, empty when there is none
     */
    public record Retention(java.time.Duration age, String size, String reported) {
        public static Retention parse(String runtimeinfo) {
            String reported = tree(runtimeinfo, "Prometheus's runtime information").path("data").path("storageRetention").asText("").strip();
            if (reported.isEmpty()) {
                throw new IllegalArgumentException("Prometheus's runtime information reports no storageRetention");
            }
            java.time.Duration age = null;
            String size = "";
            for (String part : reported.split("\\s+or\\s+")) {
                java.time.Duration d = duration(part.strip());
                if (d != null) {
                    age = d;
                } else {
                    size = part.strip();
                }
            }
            return new Retention(age, size, reported);
        }

        /** Why these samples are not kept for at least {@code days} days by age alone; empty when they are. */
        public List<String> shortOf(int days) {
            List<String> problems = new ArrayList<>();
            if (age == null) {
                problems.add("Prometheus keeps samples until its store passes " + size + ", with no bound by age (storageRetention " + reported
                        + "): " + days + " days are not promised");
                return problems;
            }
            if (age.compareTo(java.time.Duration.ofDays(days)) < 0) {
                problems.add("Prometheus keeps " + io.triad.env.Durations.format(age) + " of samples (storageRetention " + reported + "), the runbook's is "
                        + days + " days");
            }
            if (!size.isEmpty()) {
                problems.add("Prometheus also drops samples once its store passes " + size + ", whatever their age (storageRetention " + reported
                        + "): " + days + " days rest on the disk use, not on the retention");
            }
            return problems;
        }
    }

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|y|w|d|h|m|s)");

    /** A Prometheus duration (model.Duration: 1w, 15d, 16d16h, 90m, 1y), null when the text is not one. */
    public static java.time.Duration duration(String text) {
        Matcher m = PART.matcher(text);
        long millis = 0;
        int at = 0;
        while (m.find()) {
            if (m.start() != at) {
                return null;
            }
            long n = Long.parseLong(m.group(1));
            millis += n * switch (m.group(2)) {
                case "y" -> 365L * 86_400_000;
                case "w" -> 7L * 86_400_000;
                case "d" -> 86_400_000L;
                case "h" -> 3_600_000L;
                case "m" -> 60_000L;
                case "s" -> 1_000L;
                default -> 1L;
            };
            at = m.end();
        }
        return at == text.length() && at > 0 ? java.time.Duration.ofMillis(millis) : null;
    }

    /** An alert: its name, its state (pending, firing; Alertmanager's active or suppressed) and its labels. */
    public record Alert(String name, String state, Map<String, String> labels) { }

    /** The alerts of Prometheus's {@code /api/v1/alerts}. */
    public static List<Alert> prometheusAlerts(String json) {
        JsonNode root = tree(json, "Prometheus's alerts");
        List<Alert> out = new ArrayList<>();
        for (JsonNode a : root.path("data").path("alerts")) {
            Map<String, String> labels = labels(a.path("labels"));
            out.add(new Alert(labels.getOrDefault("alertname", ""), a.path("state").asText(), labels));
        }
        return out;
    }

    /** The alerts of Alertmanager's {@code /api/v2/alerts} (an array), with the receivers each was routed to. */
    public static List<Alert> alertmanagerAlerts(String json) {
        JsonNode root = tree(json, "Alertmanager's alerts");
        List<Alert> out = new ArrayList<>();
        for (JsonNode a : root) {
            Map<String, String> labels = labels(a.path("labels"));
            List<String> receivers = new ArrayList<>();
            a.path("receivers").forEach(r -> receivers.add(r.path("name").asText()));
            labels.put("@receivers", String.join(",", receivers));
            out.add(new Alert(labels.getOrDefault("alertname", ""), a.path("status").path("state").asText(), labels));
        }
        return out;
    }

    /** A notification the page receiver logged: when (epoch seconds), and each alert's status and labels. */
    public record Page(double received, String status, Map<String, String> labels) { }

    /** The page receiver's log (a JSON notification a line, its receipt time in "received"), alert by alert. */
    public static List<Page> pages(String log) {
        List<Page> out = new ArrayList<>();
        for (String line : log.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode note = tree(line, "a page");
            for (JsonNode a : note.path("alerts")) {
                out.add(new Page(note.path("received").asDouble(), a.path("status").asText(), labels(a.path("labels"))));
            }
        }
        return out;
    }

    static Map<String, String> labels(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static final Pattern TOKEN = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])*'|\\{[^}]*}|\\[[^]]*]"
            + "|\\d[\\w.]*|([A-Za-z_:][A-Za-z0-9_:]*)(\\s*\\()?");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "and", "or",
            "unless", "bool", "offset", "inf", "nan", "atan2");

    /**
     * The metric names a PromQL expression reads: the identifiers outside label matchers, strings and
     * range selectors that are neither a function (an identifier followed by '(') nor a keyword, nor
     * the labels of a {@code by}/{@code without}/{@code on}/{@code ignoring} list.
     */
    public static Set<String> metricNames(String expr) {
        Set<String> out = new LinkedHashSet<>();
        String stripped = expr.replaceAll("(?i)\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Matcher m = TOKEN.matcher(stripped);
        while (m.find()) {
            String id = m.group(1);
            if (id == null || m.group(2) != null || KEYWORDS.contains(id.toLowerCase(java.util.Locale.ROOT))) {
                continue;
            }
            out.add(id);
        }
        return out;
    }

    /**
     * The first vector selector an expression reads, its label matchers kept ({@code up{job="node-exporter"}}
     * of {@code up{job="node-exporter"} == 0}): the series an alert on it watches.
     */
    public static String selector(String expr) {
        String metric = metricNames(expr).stream().findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the expression reads no metric: " + expr));
        Matcher m = Pattern.compile("(?<![A-Za-z0-9_:])" + Pattern.quote(metric) + "\\s*(\\{[^}]*})?").matcher(expr);
        return m.find() && m.group(1) != null ? metric + m.group(1) : metric;
    }

    /**
     * Whether a series' {@code instance} label ({@code host:port}) names a node: by its name, its
     * hostname (short, or qualified: {@code db1.sfa.example:9100} is db1's) or its address.
     */
    public static boolean instanceOf(String instance, String... names) {
        String host = instance.replaceFirst(":\\d+$", "");
        java.util.List<String> known = List.of(names); // a node's name is often its hostname
        return known.contains(host) || !host.matches("[0-9.]+") && known.contains(host.split("\\.", 2)[0]);
    }
}
