package io.triad.profile.sfa;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** maint.5's judgement on the real Prometheus's outputs (src/test/resources/recorded/prometheus/README.md). */
class WatchedTest {

    static String recorded(String name) throws IOException {
        try (InputStream in = WatchedTest.class.getResourceAsStream("/recorded/prometheus/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aSettledZoneIsWatchedThroughout() throws IOException {
        Map<String, Double> targets = Watched.targets(recorded("targets.json"));
        assertEquals(17, targets.size());
        assertEquals(5.0, targets.get("etcd/10.213.82.11:2379"));
        double t = Watched.time(recorded("time.json"));
        assertEquals(1795943526.902, t, 0.001);
        List<Watched.Series> up = Watched.matrix(recorded("up-steady.json"));
        assertEquals(17, up.size());
        assertEquals(List.of(), Watched.unwatched(targets, up, t - 35, t - 6));
    }

    @Test
    void aPrometheusThatRestartsLeavesStretchesUnwatched() throws IOException {
        Map<String, Double> targets = Watched.targets(recorded("targets.json"));
        double open = 1795943540.539;
        List<String> problems = Watched.unwatched(targets, Watched.matrix(recorded("up-restarting.json")), open, open + 55);
        assertTrue(problems.contains("etcd/10.213.82.11:2379: no scrape from +12.9 s to +22.9 s (10.0 s; interval 5.0 s)"), problems.toString());
        assertTrue(problems.contains("etcd/10.213.82.11:2379: no scrape from +32.9 s to +47.9 s (15.0 s; interval 5.0 s)"), problems.toString());
        // every target of the 17 lost the same stretches
        assertEquals(17, problems.stream().map(p -> p.substring(0, p.indexOf(": "))).distinct().count());
        // the same samples within one life of Prometheus are watched
        assertEquals(List.of(), Watched.unwatched(targets, Watched.matrix(recorded("up-restarting.json")), open, open + 5));
    }

    @Test
    void aFailedScrapeIsNotWatchingAndATargetGoneIsAGap() throws IOException {
        Map<String, Double> targets = new LinkedHashMap<>(Watched.targets(recorded("targets.json")));
        double open = 1795943624.614;
        List<Watched.Series> up = Watched.matrix(recorded("up-one-down.json"));
        assertEquals(List.of("node-exporter/10.213.82.12:9100: 3 failed scrapes (up 0) from +2.8 s to +12.8 s"),
                Watched.unwatched(targets, up, open, open + 20));
        // a target Prometheus had at the opening and has no series of now (dropped from its configuration)
        targets.put("node-exporter/10.213.82.99:9100", 5.0);
        assertTrue(Watched.unwatched(targets, up, open, open + 20)
                .contains("node-exporter/10.213.82.99:9100: no scrape after +0.0 s up to the window's end and past it (+20.0 s)"));
        // a window that ends after the last sample: the last stretch is not yet known to be watched
        assertTrue(Watched.unwatched(Watched.targets(recorded("targets.json")), up, open, open + 40).stream()
                .anyMatch(p -> p.contains("up to the window's end")));
    }

    @Test
    void notificationFailuresAreReadFromTheProgramsCounters() throws IOException {
        Map<String, Double> p = Watched.counters(recorded("prometheus-metrics.txt"),
                Set.of("prometheus_notifications_errors_total", "prometheus_notifications_dropped_total"));
        assertEquals(Map.of("prometheus_notifications_errors_total", 0.0, "prometheus_notifications_dropped_total", 0.0), p);
        Map<String, Double> a = Watched.counters(recorded("alertmanager-metrics.txt"),
                Set.of("alertmanager_notifications_failed_total", "alertmanager_notification_requests_failed_total"));
        assertEquals(2, a.size());
        Set<String> names = Set.of("alertmanager_notifications_failed_total");
        assertEquals(List.of(), Watched.grew("Alertmanager", a, a, names));
        // hand-built readings: a failure counted in the window; a counter gone back (a restart)
        assertEquals(List.of("Alertmanager's alertmanager_notifications_failed_total grew by 2.0 in the window"),
                Watched.grew("Alertmanager", Map.of("alertmanager_notifications_failed_total", 1.0), Map.of("alertmanager_notifications_failed_total", 3.0), names));
        assertTrue(Watched.grew("Alertmanager", Map.of("alertmanager_notifications_failed_total", 3.0), Map.of("alertmanager_notifications_failed_total", 0.0), names)
                .get(0).contains("restarted in the window"));
    }

    @Test
    void prometheusDurations() {
        assertEquals(90.0, Watched.seconds("1m30s"));
        assertEquals(0.5, Watched.seconds("500ms"));
        assertEquals(15.0, Watched.seconds("15s"));
        assertThrows(IllegalArgumentException.class, () -> Watched.seconds("15 s"));
    }
}
