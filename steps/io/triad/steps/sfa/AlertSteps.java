package io.triad.steps.sfa;

import io.cucumber.java.en.Then;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.tech.postgres.Db;
import io.triad.profile.sfa.Monitoring;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * alert.1: the rule files as promtool reads them, the harness's unit tests of the runbook's alerts
 * run on them, the rules as Prometheus loaded them, and every metric a rule reads present (a rule
 * whose metric has no series can never fire: a typo, or an exporter nobody runs).
 */
public class AlertSteps extends SfaSupport {
    public AlertSteps(io.triad.run.Run run) {
        super(run);
    }

    /** The runbook's alerts: for (seconds) and severity. */
    static final Map<String, Object[]> RUNBOOK = new LinkedHashMap<>();

    static {
        RUNBOOK.put("NodeDown", new Object[] {300L, "critical"});
        RUNBOOK.put("DatabaseDown", new Object[] {120L, "critical"});
        RUNBOOK.put("HighErrorRate", new Object[] {300L, "critical"});
        RUNBOOK.put("HighMemoryUsage", new Object[] {600L, "warning"});
        RUNBOOK.put("CertificateExpiring", new Object[] {3600L, "warning"});
    }

    List<Monitoring.Rule> loadedRules() {
        return Monitoring.rules(get(monitorHost(), settings.prometheusPort(), "/api/v1/rules"));
    }

    /** The rule files Prometheus loaded, as it names them. */
    Set<String> ruleFiles() {
        String json = get(monitorHost(), settings.prometheusPort(), "/api/v1/rules");
        Set<String> files = new LinkedHashSet<>();
        Monitoring.tree(json, "Prometheus's rules").path("data").path("groups").forEach(g -> files.add(g.path("file").asText()));
        return files;
    }

    @Then("promtool check rules accepts every rule file on the monitoring host and promtool test rules passes the harness's tests of the runbook's alerts")
    public void promtool() throws IOException {
        Host m = monitorHost();
        Set<String> files = new LinkedHashSet<>(ruleFiles());
        // the files on disk too: a file in the rules directory Prometheus did not load is a file that did not load
        String listed = m.exec(m.asRoot("ls -1 " + q(settings.rulesDir()) + "/*.yml " + q(settings.rulesDir()) + "/*.yaml 2>/dev/null; true")).stdout();
        listed.lines().filter(l -> !l.isBlank()).forEach(files::add);
        check(!files.isEmpty(), "Prometheus on " + m.name() + " loaded no rule file and " + settings.rulesDir() + " holds none");
        String quoted = String.join(" ", files.stream().map(f -> q(f)).toList());
        CommandResult check = m.exec(m.asRoot("promtool check rules " + quoted));
        zone.evidence().note("promtool check rules on " + m.name(), check.stdout() + check.stderr());
        check(check.ok(), "promtool check rules fails on " + m.name() + ": " + Db.firstLine(check.stderr().isBlank() ? check.stdout() : check.stderr()));
        String tests;
        try (InputStream in = AlertSteps.class.getResourceAsStream("/io/triad/profile/sfa/alert-tests.yml")) {
            tests = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        tests = tests.replace("  - RULE_FILES", String.join("\n", files.stream().map(f -> "  - " + f).toList()));
        // read from standard input: nothing is written on the monitoring host
        CommandResult test = m.exec(m.asRoot("promtool test rules /dev/stdin <<'TRIAD_ALERT_TESTS'\n" + tests + "\nTRIAD_ALERT_TESTS"));
        zone.evidence().note("promtool test rules (the harness's tests of the runbook's alerts) on " + m.name(), test.stdout() + test.stderr());
        check(test.ok(), "promtool test rules fails on the rules of " + m.name() + ": " + failures(test.stdout() + "\n" + test.stderr()));
    }

    /** promtool's failed tests, one line each. */
    static String failures(String out) {
        List<String> lines = out.lines().map(String::strip).filter(l -> l.startsWith("FAILED") || l.contains("alertname:") || l.startsWith("exp:")
                || l.startsWith("got:") || l.contains("error")).toList();
        return lines.isEmpty() ? Db.firstLine(out) : String.join(" / ", lines);
    }

    @Then("Prometheus has loaded NodeDown, DatabaseDown, HighErrorRate, HighMemoryUsage and CertificateExpiring with the runbook's for and severity, every rule healthy")
    public void loaded() {
        List<Monitoring.Rule> rules = loadedRules();
        List<String> problems = new ArrayList<>();
        RUNBOOK.forEach((name, want) -> {
            List<Monitoring.Rule> found = rules.stream().filter(r -> r.name().equals(name)).toList();
            if (found.isEmpty()) {
                problems.add(name + " is not loaded");
                return;
            }
            for (Monitoring.Rule r : found) {
                if (r.forSeconds() != (Long) want[0]) {
                    problems.add(name + " waits " + r.forSeconds() + " s, the runbook's for is " + want[0] + " s");
                }
                if (!want[1].equals(r.labels().get("severity"))) {
                    problems.add(name + " has severity " + r.labels().get("severity") + ", the runbook's is " + want[1]);
                }
            }
        });
        rules.stream().filter(r -> !r.health().equals("ok") && !r.health().equals("unknown"))
                .forEach(r -> problems.add(r.name() + " is " + r.health() + ": " + r.lastError()));
        zone.evidence().note("alerting rules loaded", String.join("\n", rules.stream().map(Object::toString).toList()));
        none(problems, "Prometheus's alerting rules");
    }

    @Then("every metric the alert rules read has at least one series in Prometheus")
    public void metricsExist() {
        Host m = monitorHost();
        List<String> problems = new ArrayList<>();
        Map<String, Integer> counted = new LinkedHashMap<>();
        for (Monitoring.Rule r : loadedRules()) {
            for (String metric : Monitoring.metricNames(r.query())) {
                if (counted.containsKey(metric)) {
                    continue;
                }
                String json = get(m, settings.prometheusPort(), "/api/v1/series?match%5B%5D=" + java.net.URLEncoder.encode(metric, StandardCharsets.UTF_8));
                int n = Monitoring.tree(json, "Prometheus's series").path("data").size();
                counted.put(metric, n);
                if (n == 0) {
                    problems.add(r.name() + " reads " + metric + ", which has no series: the rule can never fire");
                }
            }
        }
        counted.forEach((metric, n) -> zone.evidence().figure("series of " + metric, String.valueOf(n)));
        none(problems, "alert rules on metrics nobody exports");
    }

    /**
     * An alert watches only the series it reads: a node missing from the scrape configuration is
     * never NodeDown, a database node without an exporter never DatabaseDown, and both rules load,
     * stay healthy and have series. Each rule's metric (its selector, as the rule reads it) asked of
     * Prometheus: every database node of the inventory must be the instance of one of its series.
     */
    @Then("NodeDown and DatabaseDown each read a series of every database node")
    public void everyNodeWatched() {
        Host m = monitorHost();
        List<String> problems = new ArrayList<>();
        for (String alert : List.of("NodeDown", "DatabaseDown")) {
            Monitoring.Rule rule = loadedRules().stream().filter(r -> r.name().equals(alert)).findFirst().orElse(null);
            if (rule == null) {
                problems.add(alert + " is not loaded");
                continue;
            }
            String selector = Monitoring.selector(rule.query());
            String json = get(m, settings.prometheusPort(), "/api/v1/series?match%5B%5D=" + java.net.URLEncoder.encode(selector, StandardCharsets.UTF_8));
            Set<String> instances = new LinkedHashSet<>();
            Monitoring.tree(json, "Prometheus's series").path("data").forEach(series -> instances.add(series.path("instance").asText()));
            zone.evidence().figure(alert + " reads " + selector + ", instances", String.join(", ", instances));
            for (io.triad.env.Environment.HostSpec h : zone.env().hosts()) {
                if (instances.stream().noneMatch(i -> Monitoring.instanceOf(i, h.name(), h.hostname(), h.address().toString()))) {
                    problems.add(alert + " reads " + selector + ", which has no series of " + h.name() + " (" + h.address() + "): " + alert
                            + " can never fire for it (instances: " + (instances.isEmpty() ? "none" : String.join(", ", instances)) + ")");
                }
            }
        }
        none(problems, "nodes the alerts do not watch");
    }

    @Then("Alertmanager routes an alert of severity critical to the page receiver, and one of severity warning to another")
    public void routes() {
        Host m = monitorHost();
        String url = "http://127.0.0.1:" + settings.alertmanagerPort();
        // the configuration Alertmanager runs with (its API), not a file that may not be the loaded one
        String critical = output(m, "amtool config routes test", "amtool config routes test --alertmanager.url=" + url + " severity=critical alertname=DatabaseDown").strip();
        String warning = output(m, "amtool config routes test", "amtool config routes test --alertmanager.url=" + url + " severity=warning alertname=CertificateExpiring").strip();
        zone.evidence().note("amtool config routes test on " + m.name(), "severity=critical -> " + critical + "\nseverity=warning -> " + warning);
        List<String> problems = new ArrayList<>();
        if (!List.of(critical.split(",")).contains(settings.pageReceiver())) {
            problems.add("a critical alert goes to " + critical + ", not to the page receiver " + settings.pageReceiver());
        }
        if (List.of(warning.split(",")).contains(settings.pageReceiver())) {
            problems.add("a warning pages (" + warning + "): the runbook notifies warnings during business hours");
        }
        none(problems, "Alertmanager's routes");
    }

    /**
     * alert.5: the retention Prometheus enforces (its runtime information, what the TSDB
     * applies whichever flag set it), not the flag file; its flags kept beside it in the evidence.
     */
    @Then("Prometheus keeps every sample at least {int} days, bounded by age alone")
    public void retention(int days) {
        Host m = monitorHost();
        Monitoring.Retention r = Monitoring.Retention.parse(get(m, settings.prometheusPort(), "/api/v1/status/runtimeinfo"));
        zone.evidence().figure("Prometheus's storageRetention on " + m.name(), r.reported());
        String flags = get(m, settings.prometheusPort(), "/api/v1/status/flags");
        StringBuilder retentionFlags = new StringBuilder();
        Monitoring.tree(flags, "Prometheus's flags").path("data").fields().forEachRemaining(f -> {
            if (f.getKey().startsWith("storage.tsdb.retention")) {
                retentionFlags.append(f.getKey()).append('=').append(f.getValue().asText()).append('\n');
            }
        });
        zone.evidence().note("Prometheus's retention flags on " + m.name(), retentionFlags.toString());
        none(r.shortOf(days), "Prometheus's retention");
    }
}
