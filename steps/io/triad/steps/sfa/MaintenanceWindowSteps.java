package io.triad.steps.sfa;

import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.triad.profile.sfa.Monitoring;
import io.triad.profile.sfa.Watched;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * maint.5, "monitor system health continuously" during a maintenance window: Prometheus's stored
 * {@code up} series of every target it had at the window's opening or closing read for a stretch
 * without a scrape or a failed scrape ({@link Watched}); the alerts that fired in the window, each
 * critical one paged; Prometheus's and Alertmanager's own counters of notifications that failed or
 * were dropped, read from their {@code /metrics} at the opening and the closing (not from the series
 * Prometheus may or may not keep of itself).
 */
public class MaintenanceWindowSteps extends SfaSupport {
    public MaintenanceWindowSteps(io.triad.run.Run run) {
        super(run);
    }

    static final Set<String> PROMETHEUS_FAILURES = new LinkedHashSet<>(List.of("prometheus_notifications_errors_total",
            "prometheus_notifications_dropped_total"));
    static final Set<String> ALERTMANAGER_FAILURES = new LinkedHashSet<>(List.of("alertmanager_notifications_failed_total",
            "alertmanager_notification_requests_failed_total"));

    private double open;
    private double close;
    private final Map<String, Double> targets = new LinkedHashMap<>();
    private Map<String, Double> prometheusAtOpen;
    private Map<String, Double> alertmanagerAtOpen;

    /**
     * A read of Prometheus's or Alertmanager's API, asked again for up to 30 s while it does not
     * answer: a program that is away is seen as a gap in what it stored, the read waits for it back.
     */
    private String read(int port, String path) {
        String[] body = {null};
        within(30, "GET " + path + " answered on " + monitorHost().name(), () -> body[0] = get(monitorHost(), port, path));
        return body[0];
    }

    private double now() {
        return Watched.time(read(settings.prometheusPort(), "/api/v1/query?query=time()"));
    }

    private Map<String, Double> counters(int port, Set<String> names) {
        return Watched.counters(read(port, "/metrics"), names);
    }

    @Given("a maintenance window opens")
    public void opens() {
        open = now();
        // a Prometheus just started lists its targets once it has read its configuration: asked again for up to 30 s
        within(30, "Prometheus's active targets on " + monitorHost().name(), () -> {
            targets.putAll(Watched.targets(read(settings.prometheusPort(), "/api/v1/targets?state=active")));
            check(!targets.isEmpty(), "Prometheus on " + monitorHost().name() + " has no active target: it watches nothing");
        });
        prometheusAtOpen = counters(settings.prometheusPort(), PROMETHEUS_FAILURES);
        alertmanagerAtOpen = counters(settings.alertmanagerPort(), ALERTMANAGER_FAILURES);
        check(!prometheusAtOpen.isEmpty(), "Prometheus's /metrics holds none of " + PROMETHEUS_FAILURES + ": its failed notifications cannot be read");
        check(!alertmanagerAtOpen.isEmpty(), "Alertmanager's /metrics holds none of " + ALERTMANAGER_FAILURES + ": its failed notifications cannot be read");
        zone.evidence().note("maintenance window", "opened at Prometheus's time " + Watched.fmtTime(open) + ", " + targets.size() + " targets: " + targets);
    }

    /** The window lasts at least this long, so that it holds several scrapes of every target: a length, not a wait for a state. */
    @When("the maintenance window closes, at least {int} seconds after it opened")
    public void closes(int seconds) {
        within(seconds + 60, "Prometheus's clock " + seconds + " s past the window's opening", () ->
                check(now() >= open + seconds, "Prometheus's time is not yet " + seconds + " s past the window's opening"));
        close = now();
        // a target added or dropped in the window is one of the window's too (dropped: a gap to its end)
        Watched.targets(read(settings.prometheusPort(), "/api/v1/targets?state=active")).forEach(targets::putIfAbsent);
        zone.evidence().figure("maintenance window", Watched.fmt(close - open) + " s by Prometheus's clock");
    }

    @Then("Prometheus scraped every target it knows through the window, none missed and none failed")
    public void watchedThroughout() {
        double longest = targets.values().stream().mapToDouble(Double::doubleValue).max().orElse(15);
        List<String> problems = new ArrayList<>();
        int[] samples = {0};
        // each target's first scrape after the closing ends its last stretch: waited for, at most two intervals and a margin
        within((int) Math.ceil(2 * longest) + 20, "a scrape of every target after the window's end", () -> {
            int range = (int) Math.ceil(now() - open + longest) + 1;
            List<Watched.Series> up = Watched.matrix(read(settings.prometheusPort(), "/api/v1/query?query=up%5B" + range + "s%5D"));
            samples[0] = up.stream().mapToInt(s -> s.samples().size()).sum();
            problems.clear();
            problems.addAll(Watched.unwatched(targets, up, open, close));
            check(problems.stream().noneMatch(p -> p.contains("up to the window's end")), String.join("; ", problems));
        });
        zone.evidence().figure("targets watched through the window", targets.size() + " (" + samples[0] + " samples of up read)");
        none(problems, "Prometheus's watch of every target through the window");
    }

    @Then("every alert that fired in the window was delivered: each critical one paged, no notification failed or dropped")
    public void delivered() {
        int range = (int) Math.ceil(now() - open) + 1;
        List<Watched.Series> firing = Watched.matrix(read(settings.prometheusPort(), "/api/v1/query?query=ALERTS%7Balertstate%3D%22firing%22%7D%5B"
                + range + "s%5D"));
        List<String> problems = new ArrayList<>();
        List<Monitoring.Page> pages = pages();
        List<String> fired = new ArrayList<>();
        for (Watched.Series s : firing) {
            if (s.samples().stream().noneMatch(a -> a[0] >= open && a[0] <= close)) {
                continue; // fired before the window or after it
            }
            String name = s.labels().getOrDefault("alertname", "?") + "/" + s.labels().getOrDefault("instance", "");
            fired.add(name + " (" + s.labels().getOrDefault("severity", "no severity") + ")");
            if ("critical".equals(s.labels().get("severity")) && pages.stream().noneMatch(p -> p.status().equals("firing")
                    && p.labels().get("alertname").equals(s.labels().get("alertname"))
                    && java.util.Objects.equals(p.labels().get("instance"), s.labels().get("instance")))) {
                problems.add(name + " fired in the window and the page receiver holds no page of it");
            }
        }
        zone.evidence().note("alerts fired in the window", fired.isEmpty() ? "none" : String.join("\n", fired));
        Map<String, Double> prometheus = counters(settings.prometheusPort(), PROMETHEUS_FAILURES);
        Map<String, Double> alertmanager = counters(settings.alertmanagerPort(), ALERTMANAGER_FAILURES);
        zone.evidence().note("notification failures, at the opening and now", "Prometheus " + prometheusAtOpen + " -> " + prometheus
                + "\nAlertmanager " + alertmanagerAtOpen + " -> " + alertmanager);
        problems.addAll(Watched.grew("Prometheus", prometheusAtOpen, prometheus, PROMETHEUS_FAILURES));
        problems.addAll(Watched.grew("Alertmanager", alertmanagerAtOpen, alertmanager, ALERTMANAGER_FAILURES));
        none(problems, "the alerts of the window");
    }
}
