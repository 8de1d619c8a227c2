package io.triad.steps.sfa;

import com.fasterxml.jackson.databind.JsonNode;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.tech.postgres.Db;
import io.triad.profile.sfa.Monitoring;
import io.triad.profile.sfa.Shape;
import io.triad.zone.Nemesis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * alert.2 and alert.3: the runbook's alerts proven end to end. PostgreSQL stopped on a replica
 * (Patroni stopped, its PostgreSQL with it) until DatabaseDown fires in Alertmanager and reaches the
 * page receiver, then started again until it resolves; a certificate of 29 days (just under the rule's 30) laid beside the
 * zone's until CertificateExpiring is pending for it (its "for" is an hour: the rule's unit test
 * proves the firing), with one of 31 days (just past it) for which it must not be.
 */
public class AlertEndToEndSteps extends SfaSupport {
    public AlertEndToEndSteps(io.triad.run.Run run) {
        super(run);
    }

    private Host stopped;
    private Instant stoppedAt;
    private Instant startedAt;
    private String certificate;
    /** alert.3: the certificate just past the rule's window. */
    private String beyond;

    @When("Patroni and its PostgreSQL are stopped on a replica")
    public void stopOnReplica() {
        Db.NodeState primary = primary(states());
        stopped = nodes().stream().filter(h -> !h.name().equals(primary.node())).reduce((a, b) -> b).orElseThrow();
        stoppedAt = new Nemesis(zone).stop("stop-postgres", stopped, Shape.PATRONI).tookEffect(); // the figures count from its end on the node
    }

    /** The node's postgres exporter's instance, as Prometheus labels it. */
    private String instance(Host h) {
        return h.address() + ":9187";
    }

    @Then("within the rule's for plus the alert margin, Alertmanager holds DatabaseDown firing for that node and the page receiver has received it")
    public void fires() {
        Duration deadline = Duration.ofSeconds(120).plus(settings.alertMargin());
        Host m = monitorHost();
        Duration inAlertmanager = within((int) deadline.toSeconds(), "DatabaseDown active in Alertmanager for " + stopped.name(), () -> {
            List<Monitoring.Alert> active = Monitoring.alertmanagerAlerts(get(m, settings.alertmanagerPort(), "/api/v2/alerts?active=true"));
            check(active.stream().anyMatch(a -> a.name().equals("DatabaseDown") && instance(stopped).equals(a.labels().get("instance"))
                    && a.state().equals("active")), "Alertmanager holds no active DatabaseDown for " + instance(stopped) + " (it holds "
                    + active.stream().map(a -> a.name() + "/" + a.labels().get("instance")).toList() + ")");
        });
        Duration sinceStop = Duration.between(stoppedAt, Instant.now());
        zone.evidence().figure("DatabaseDown: PostgreSQL stopped to active in Alertmanager", sinceStop.toMillis() + " ms (for 120 s, margin "
                + settings.alertMargin().toSeconds() + " s)");
        Duration paged = within(30, "the page receiver received DatabaseDown for " + stopped.name(), () ->
                check(paged("firing"), "the page receiver has received no DatabaseDown firing for " + instance(stopped)
                        + " (Alertmanager routed it to " + routedTo() + ")"));
        zone.evidence().figure("DatabaseDown: PostgreSQL stopped to paged", Duration.between(stoppedAt, Instant.now()).toMillis() + " ms");
        zone.evidence().note("waits", "in Alertmanager after " + inAlertmanager.toMillis() + " ms of polling, paged " + paged.toMillis() + " ms later");
    }

    /** The receivers Alertmanager named for the node's DatabaseDown. */
    private String routedTo() {
        return Monitoring.alertmanagerAlerts(get(monitorHost(), settings.alertmanagerPort(), "/api/v2/alerts")).stream()
                .filter(a -> a.name().equals("DatabaseDown") && instance(stopped).equals(a.labels().get("instance")))
                .map(a -> a.labels().get("@receivers")).findFirst().orElse("nothing");
    }

    /** Whether the page receiver's log holds a notification with the node's DatabaseDown in this status, since the stop. */
    private boolean paged(String status) {
        return pages().stream().anyMatch(p -> p.received() * 1000 >= stoppedAt.toEpochMilli()
                && "DatabaseDown".equals(p.labels().get("alertname")) && instance(stopped).equals(p.labels().get("instance"))
                && p.status().equals(status));
    }

    @When("Patroni is started again on that node")
    public void startAgain() {
        new Nemesis(zone).startStopped(stopped, Shape.PATRONI);
        startedAt = Instant.now();
    }

    @Then("within {int} seconds DatabaseDown is resolved in Alertmanager and the page receiver has received the resolution")
    public void resolved(int seconds) {
        Host m = monitorHost();
        within(seconds, "DatabaseDown resolved for " + stopped.name() + " and its resolution paged", () -> {
            List<Monitoring.Alert> active = Monitoring.alertmanagerAlerts(get(m, settings.alertmanagerPort(), "/api/v2/alerts?active=true"));
            check(active.stream().noneMatch(a -> a.name().equals("DatabaseDown") && instance(stopped).equals(a.labels().get("instance"))),
                    "DatabaseDown for " + instance(stopped) + " is still active in Alertmanager");
            check(paged("resolved"), "the page receiver has received no resolution of DatabaseDown for " + instance(stopped));
        });
        zone.evidence().figure("DatabaseDown: PostgreSQL started to resolution paged", Duration.between(startedAt, Instant.now()).toMillis() + " ms");
    }

    /**
     * alert.3's window, tried on both sides of its edge: a certificate inside it (29 days, just under
     * the rule's 30) must make the alert pending, one just past it (31 days) must not. Both are laid
     * in one command, so the zone's expiry exporter writes them in one file and Prometheus scrapes
     * them in one scrape: every evaluation of the rule that sees the first sees the second.
     */
    @When("certificates that expire in {int} and in {int} days are laid beside the zone's on a node")
    public void layExpiring(int inside, int outside) {
        Host h = nodes().get(0);
        new Nemesis(zone).requireAllowed("expiring-certificate");
        long stamp = System.currentTimeMillis() % 100000;
        certificate = settings.tlsDir() + "/triad-expiring-" + stamp + ".crt";
        beyond = settings.tlsDir() + "/triad-beyond-" + stamp + ".crt";
        String key = "/tmp/triad-expiring.key";
        zone.faults().applied("certificates of " + inside + " and " + outside + " days laid at " + certificate + " and " + beyond, h.name(),
                Instant.now(), io.triad.zone.Faults.Impact.NONE,
                () -> h.exec(h.asRoot("rm -f " + q(certificate) + " " + q(beyond) + " " + key + " && systemctl start sfa-cert-expiry.service")).requireOk());
        String make = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " + key + " -subj /CN=triad-expiring";
        h.exec(h.asRoot(make + " -out " + q(beyond) + " -days " + outside + " 2>/dev/null && " + make + " -out " + q(certificate) + " -days "
                + inside + " 2>/dev/null && chmod 0644 " + q(certificate) + " " + q(beyond))).requireOk();
    }

    @Then("within {int} seconds Prometheus holds CertificateExpiring pending or firing for the first and not for the second, whose expiry it has scraped")
    public void certificateAlert(int seconds) {
        Host m = monitorHost();
        java.util.concurrent.atomic.AtomicReference<List<Monitoring.Alert>> seen = new java.util.concurrent.atomic.AtomicReference<>(List.of());
        Duration took = within(seconds, "CertificateExpiring for " + certificate + ", and " + beyond + "'s expiry scraped", () -> {
            List<Monitoring.Alert> alerts = Monitoring.prometheusAlerts(get(m, settings.prometheusPort(), "/api/v1/alerts"));
            seen.set(alerts);
            check(alerts.stream().anyMatch(a -> a.name().equals("CertificateExpiring") && certificate.equals(a.labels().get("path"))
                    && (a.state().equals("pending") || a.state().equals("firing"))), "Prometheus holds no CertificateExpiring for " + certificate
                    + " (it holds " + alerts.stream().map(a -> a.name() + "/" + a.state()).toList() + ")");
            JsonNode series = Monitoring.tree(get(m, settings.prometheusPort(), "/api/v1/query?query=x509_cert_expiry"), "Prometheus's query of x509_cert_expiry");
            boolean scraped = false;
            for (JsonNode r : series.path("data").path("result")) {
                scraped |= beyond.equals(r.path("metric").path("path").asText());
            }
            check(scraped, "Prometheus has no x509_cert_expiry for " + beyond + " yet");
        });
        zone.evidence().figure("CertificateExpiring: certificate laid to pending", took.toMillis() + " ms");
        List<String> wrong = seen.get().stream().filter(a -> a.name().equals("CertificateExpiring") && beyond.equals(a.labels().get("path")))
                .map(a -> a.state()).toList();
        check(wrong.isEmpty(), "CertificateExpiring is " + String.join(", ", wrong) + " for " + beyond
                + ", a certificate past the runbook's 30 days: the rule's window is wider than the runbook's");
    }
}
