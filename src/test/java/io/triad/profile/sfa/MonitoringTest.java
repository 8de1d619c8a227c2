package io.triad.profile.sfa;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The PromQL metric extraction on the runbook's own five expressions, and the APIs' JSON in their real shapes. */
class MonitoringTest {

    @Test
    void theRunbooksExpressionsNameTheirMetricsAndNothingElse() {
        assertEquals(Set.of("up"), Monitoring.metricNames("up{job=\"node-exporter\"} == 0"));
        assertEquals(Set.of("postgresql_up"), Monitoring.metricNames("postgresql_up == 0"));
        assertEquals(Set.of("http_requests_total"),
                Monitoring.metricNames("(rate(http_requests_total{status=~\"5..\"}[5m]) / rate(http_requests_total[5m])) > 0.1"));
        assertEquals(Set.of("node_memory_MemTotal_bytes", "node_memory_MemAvailable_bytes"),
                Monitoring.metricNames("(node_memory_MemTotal_bytes - node_memory_MemAvailable_bytes) / node_memory_MemTotal_bytes"));
        assertEquals(Set.of("x509_cert_expiry"), Monitoring.metricNames("(x509_cert_expiry - time()) / 86400 < 30"));
        // a typo is a metric name like any other: the check is that it has a series
        assertEquals(Set.of("postgresq_up"), Monitoring.metricNames("postgresq_up == 0"));
        assertEquals(Set.of("a", "b"), Monitoring.metricNames("sum by (instance, job) (a) / on(instance) group_left(x) b offset 5m"));
    }

    /** The real Prometheus 2.42's and Alertmanager 0.25's answers, recorded from the zone (recorded/prometheus/README.md). */
    @Test
    void targetsRulesAndAlertsAreReadFromTheApisAnswers() throws java.io.IOException {
        Monitoring.Targets t = Monitoring.Targets.parse(WatchedTest.recorded("targets-one-down.json"));
        assertEquals(17, t.all().size());
        assertEquals(List.of("patroni/10.213.82.13:8008", "postgres/10.213.82.13:9187"),
                t.down().stream().map(d -> d.job() + "/" + d.instance()).sorted().toList());
        assertTrue(t.down().get(0).toString().contains("(down: Get \"http://10.213.82.13:"), t.down().get(0).toString());
        assertEquals(List.of(), Monitoring.Targets.parse(WatchedTest.recorded("targets.json")).down());

        List<Monitoring.Rule> r = Monitoring.rules(WatchedTest.recorded("rules.json"));
        assertEquals(List.of("NodeDown", "DatabaseDown", "HighErrorRate", "HighMemoryUsage", "CertificateExpiring"),
                r.stream().map(Monitoring.Rule::name).toList(), "the alerting rules, not the recording rule");
        Monitoring.Rule down = r.stream().filter(x -> x.name().equals("DatabaseDown")).findFirst().orElseThrow();
        assertEquals("postgresql_up == 0", down.query());
        assertEquals(120, down.forSeconds());
        assertEquals("critical", down.labels().get("severity"));
        assertEquals("ok", down.health());

        Monitoring.Alert pending = Monitoring.prometheusAlerts(WatchedTest.recorded("alerts-pending.json")).get(0);
        assertEquals("DatabaseDown", pending.name());
        assertEquals("pending", pending.state());
        assertEquals("10.213.82.13:9187", pending.labels().get("instance"));

        Monitoring.Alert a = Monitoring.alertmanagerAlerts(WatchedTest.recorded("alertmanager-alerts.json")).stream()
                .filter(x -> x.name().equals("DatabaseDown")).findFirst().orElseThrow();
        assertEquals("active", a.state());
        assertEquals("10.213.82.13:9187", a.labels().get("instance"));
        assertEquals("page", a.labels().get("@receivers"));
    }

    @Test
    void theSelectorAnAlertWatchesKeepsItsMatchers() {
        assertEquals("up{job=\"node-exporter\"}", Monitoring.selector("up{job=\"node-exporter\"} == 0"));
        assertEquals("postgresql_up", Monitoring.selector("postgresql_up == 0"));
        assertEquals("x509_cert_expiry", Monitoring.selector("(x509_cert_expiry - time()) / 86400 < 30"));
        assertEquals("http_requests_total{status=~\"5..\"}",
                Monitoring.selector("(sum by (instance) (rate(http_requests_total{status=~\"5..\"}[5m])) / sum by (instance) (rate(http_requests_total[5m]))) > 0.1"));
    }

    @Test
    void anInstanceNamesANodeByItsNameHostnameOrAddress() {
        assertTrue(Monitoring.instanceOf("10.213.82.13:9100", "db3", "db3", "10.213.82.13"));
        assertTrue(Monitoring.instanceOf("db3.sfa.example:9100", "db3", "db3", "10.0.0.13"));
        assertTrue(Monitoring.instanceOf("db3:9187", "db3", "pg-03", "10.0.0.13"));
        assertFalse(Monitoring.instanceOf("10.213.82.11:9100", "db3", "db3", "10.213.82.13"));
        assertFalse(Monitoring.instanceOf("db31.sfa.example:9100", "db3", "db3", "10.0.0.13"));
        assertFalse(Monitoring.instanceOf("10.0.0.1:9100", "10", "db3", "10.0.0.13"), "an address is not cut at its first dot");
    }

    static String recorded(String name) throws java.io.IOException {
        return java.nio.file.Files.readString(java.nio.file.Path.of("src/test/resources/recorded/prometheus", name));
    }

    /** The real Prometheus's runtime information (recorded/prometheus/README.md) under each kind of retention. */
    @Test
    void retentionIsJudgedFromWhatPrometheusEnforces() throws java.io.IOException {
        Monitoring.Retention zone = Monitoring.Retention.parse(recorded("runtimeinfo-15d.json"));
        assertEquals(java.time.Duration.ofDays(15), zone.age());
        assertEquals(List.of(), zone.shortOf(15));
        // the deprecated flag, printed 16d16h: longer, kept
        assertEquals(List.of(), Monitoring.Retention.parse(recorded("runtimeinfo-400h.json")).shortOf(15));
        assertEquals(List.of("Prometheus keeps 7d of samples (storageRetention 1w), the runbook's is 15 days"),
                Monitoring.Retention.parse(recorded("runtimeinfo-7d.json")).shortOf(15));
        List<String> sizeOnly = Monitoring.Retention.parse(recorded("runtimeinfo-size-only.json")).shortOf(15);
        assertEquals(1, sizeOnly.size());
        assertTrue(sizeOnly.get(0).startsWith("Prometheus keeps samples until its store passes 64MiB, with no bound by age"), sizeOnly.get(0));
        Monitoring.Retention both = Monitoring.Retention.parse(recorded("runtimeinfo-15d-or-size.json"));
        assertEquals(java.time.Duration.ofDays(15), both.age());
        assertEquals("1GiB", both.size());
        assertEquals(1, both.shortOf(15).size());
        assertTrue(both.shortOf(15).get(0).contains("once its store passes 1GiB, whatever their age"), both.shortOf(15).get(0));
        // a year is 365 days; what is no duration is a size
        assertEquals(java.time.Duration.ofDays(365 + 14), Monitoring.duration("1y2w"));
        assertEquals(null, Monitoring.duration("512MiB"));
        assertEquals(null, Monitoring.duration("15dx"));
    }
}
