package io.triad.steps.bsfgtriad;

import io.triad.profile.bsfgtriad.Settings;
import io.triad.steps.common.Support;
import io.cucumber.java.en.Then;
import io.triad.env.Environment;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.tech.nats.JetStreamStatus;
import io.triad.profile.bsfgtriad.Probes;
import io.triad.probe.parse.SmartHealth;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runbook section 8: what monitoring sees, and that its checks can alert. */
public class MonitoringSteps extends Support {
    public MonitoringSteps(io.triad.run.Run run) {
        super(run);
    }

    private final Probes probes = new Probes(zone);

    @Then("within {int} seconds JetStream's health endpoint answers ok on every node")
    public void jetstreamHealthz(int seconds) {
        within(seconds, "JetStream's /healthz ok on every node", this::jetstreamHealthz);
    }

    private void jetstreamHealthz() {
        List<String> problems = onEachHost(zone.hostsRunning("jetstream"), (h, found) -> {
            CommandResult r = h.exec("curl -s -m 3 -w ' HTTP %{http_code}' http://127.0.0.1:" + Settings.of(zone.env()).ports().natsMonitor() + "/healthz");
            if (!r.stdout().contains("HTTP 200")) {
                found.add(h.name() + ": /healthz answered " + r.stdout().strip());
            }
        });
        none(problems, "runbook 8.1: JetStream health endpoint not ok");
    }

    @Then("within {int} seconds every VIP node's role signal agrees with whether it holds the VIP")
    public void roleSignal(int seconds) {
        within(seconds, "every VIP node's role signal agrees with its VIP", this::roleSignal);
    }

    private void roleSignal() {
        String signal = Settings.of(zone.env()).monitoring().roleSignal();
        List<String> problems = onEachHost(zone.hostsRunning("keepalived"), (h, found) -> {
            CommandResult r = h.exec(h.asRoot("cat " + q(signal))); // read as the monitoring agent (root) reads it
            String role = r.stdout().strip();
            boolean holds = probes.holdsVip(h);
            if (!r.ok() || role.isEmpty()) {
                found.add(h.name() + " exposes no VRRP role at " + signal);
            } else if (holds != role.equals("MASTER")) {
                found.add(h.name() + "'s role signal says " + role + " while it " + (holds ? "holds" : "does not hold") + " the VIP");
            }
        });
        none(problems, "runbook 8.2: keepalived's role is not visible to monitoring");
    }

    @Then("within {int} seconds keepalived's role transitions of every VIP node are at the aggregation target")
    public void transitionsLogged(int seconds) {
        Environment.Logging logging = zone.env().acceptance().logging();
        check(!logging.verifyHost().isEmpty(), "the environment does not say how to look at the aggregation target (logging.verify_host)");
        if (logging.verifyHost().isEmpty()) {
            return; // a dry run goes on
        }
        Host aggregator = zone.supportHost(logging.verifyHost());
        within(seconds, "VRRP transitions at the aggregation target", () -> {
            List<String> missing = new ArrayList<>();
            for (Host h : zone.hostsRunning("keepalived")) {
                String hostname = zone.env().host(h.name()).hostname();
                String cmd = logging.verifyCommand().replace("{marker}", q("Entering")) + " | grep -F " + q(hostname)
                        + " | grep -E 'Entering (MASTER|BACKUP|FAULT) STATE'";
                if (!aggregator.exec(aggregator.asRoot(cmd)).ok()) { // the aggregated logs are root's
                    missing.add(h.name());
                }
            }
            check(missing.isEmpty(), "no VRRP state transition of " + String.join(", ", missing) + " reached " + logging.target());
        });
    }

    @Then("within {int} seconds every node's JetStream monitoring shows the cluster size and the leader")
    public void quorumVisible(int seconds) {
        within(seconds, "every node's /jsz shows the cluster size and the meta leader", this::quorumVisible);
    }

    private void quorumVisible() {
        List<String> problems = onEachHost(zone.hostsRunning("jetstream"), (h, found) -> {
            java.util.Optional<JetStreamStatus> status = parsed(h, "/jsz", found, () -> probes.jetstream(h));
            if (status.isEmpty()) {
                return;
            }
            JetStreamStatus s = status.get();
            if (s.clusterSize() != zone.hostsRunning("jetstream").size()) {
                found.add(h.name() + " shows cluster_size " + s.clusterSize());
            }
            if (!s.hasLeader()) {
                found.add(h.name() + " shows no meta leader");
            }
        });
        none(problems, "runbook 8.3: quorum not visible to monitoring");
    }

    @Then("within {int} seconds the leader's JetStream monitoring shows every replica current")
    public void replicasVisible(int seconds) {
        within(seconds, "the meta leader's /jsz shows every replica current", this::replicasVisible);
    }

    private void replicasVisible() {
        int size = zone.hostsRunning("jetstream").size();
        List<String> unreadable = new ArrayList<>();
        for (Host h : zone.hostsRunning("jetstream")) {
            java.util.Optional<JetStreamStatus> status = parsed(h, "/jsz", unreadable, () -> probes.jetstream(h));
            if (status.isEmpty()) {
                continue;
            }
            JetStreamStatus s = status.get();
            if (!s.replicas().isEmpty()) {
                check(s.currentPeers() == size, "runbook 8.3: the leader " + h.name() + " shows " + s.currentPeers()
                        + " current peers of " + size + ": " + s.replicas());
                return;
            }
        }
        check(false, "runbook 8.3: no node's monitoring shows the replicas (no meta leader answers)"
                + (unreadable.isEmpty() ? "" : "; " + String.join("; ", unreadable)));
    }

    /** Every stream a node hosts, from {@code /jsz?accounts=true&streams=true&config=true}: name to its replica count. */
    @Then("every stream is replicated on every JetStream node")
    public void streamsReplicated() {
        int size = zone.hostsRunning("jetstream").size();
        java.util.Map<String, Integer> streams = new java.util.TreeMap<>();
        for (Host h : zone.hostsRunning("jetstream")) {
            String json = h.exec("curl -s -m 3 'http://127.0.0.1:" + Settings.of(zone.env()).ports().natsMonitor()
                    + "/jsz?accounts=true&streams=true&config=true'").requireOk().stdout();
            try {
                for (com.fasterxml.jackson.databind.JsonNode account : new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(json).path("account_details")) {
                    for (com.fasterxml.jackson.databind.JsonNode stream : account.path("stream_detail")) {
                        streams.put(stream.path("name").asText(), stream.path("config").path("num_replicas").asInt(1));
                    }
                }
            } catch (java.io.IOException e) {
                throw new AssertionError("runbook 8.3: " + h.name() + "'s /jsz is not JSON: " + e.getMessage());
            }
        }
        check(!streams.isEmpty(), "runbook 8.3: no node's JetStream monitoring shows a stream");
        List<String> problems = new ArrayList<>();
        streams.forEach((name, replicas) -> {
            if (replicas != size) {
                problems.add("stream " + name + " has " + replicas + " replica(s), not " + size + " (one per JetStream node)");
            }
        });
        zone.evidence().note("streams and their replicas", streams.toString());
        none(problems, "runbook 8.3");
    }

    @Then("every device the inventory lists passes its SMART health check")
    public void smart() {
        List<String> problems = new ArrayList<>();
        for (Environment.HostSpec spec : zone.env().hosts()) {
            for (String d : spec.devices()) {
                if (d.replaceFirst("^/dev/", "").startsWith("md")) {
                    continue;
                }
                String dev = d.startsWith("/dev/") ? d : "/dev/" + d;
                Host node = zone.host(spec.name());
            CommandResult r = node.exec(node.asRoot("smartctl -H " + q(dev)));
                try {
                    SmartHealth.Result result = SmartHealth.parse(dev, r.stdout());
                    if (!result.passed()) {
                        problems.add(spec.name() + " " + dev + ": " + result.verdictLine());
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(spec.name() + " " + dev + ": no SMART verdict (" + e.getMessage() + ")");
                }
            }
        }
        none(problems, "runbook 8.4: device health not acceptable");
    }

    @Then("the JetStream data and artifact filesystems are below {int} percent full on every node")
    public void diskUsage(int limit) {
        List<String> problems = onEachHost(zone.hosts(), (h, found) -> {
            List<String> paths = new ArrayList<>(List.of(Settings.of(zone.env()).paths().jetstreamData()));
            if (zone.env().profile().vipRoles().contains(h.role())) {
                paths.add(Settings.of(zone.env()).paths().artifactMount());
            }
            for (String p : paths) {
                CommandResult r = h.exec("df --output=pcent " + q(p) + " | tail -n 1");
                String pct = r.stdout().strip().replace("%", "");
                if (!r.ok() || !pct.matches("\\d+")) {
                    found.add(h.name() + ": no usage figure for " + p);
                } else if (Integer.parseInt(pct) >= limit) {
                    found.add(h.name() + ": " + p + " is " + pct + "% full");
                }
            }
        });
        none(problems, "runbook 8.4: filesystem usage");
    }

    private static final Pattern THRESHOLD = Pattern.compile("(?m)^CERT_EXPIRY_WARN_DAYS=(\\d+)");

    @Then("the certificate expiry check on every node has a threshold of at least the certificate horizon")
    public void certCheckThreshold() {
        long horizon = zone.env().thresholds().certificateHorizon().toDays();
        String script = Settings.of(zone.env()).monitoring().certExpiryCheck();
        List<String> problems = onEachHost(zone.hosts(), (h, found) -> {
            if (!h.exec("test -x " + q(script)).ok()) {
                found.add(h.name() + " has no executable certificate expiry check " + script);
                return;
            }
            Matcher m = THRESHOLD.matcher(h.exec("cat /opt/bsfg/monitoring.env").stdout());
            if (!m.find()) {
                found.add(h.name() + "'s certificate expiry check has no threshold (CERT_EXPIRY_WARN_DAYS)");
            } else if (Long.parseLong(m.group(1)) < horizon) {
                found.add(h.name() + "'s certificate expiry check alerts " + m.group(1) + " days ahead, less than the policy's "
                        + horizon + " days");
            }
        });
        none(problems, "runbook 8.5: certificate expiry threshold not enforced");
    }

    @Then("the certificate expiry check passes on every node")
    public void certCheckPasses() {
        String script = Settings.of(zone.env()).monitoring().certExpiryCheck();
        List<String> problems = onEachHost(zone.hosts(), (h, found) -> {
            CommandResult r = h.exec(h.asRoot(script)); // reads the node's certificates, as its cron job does
            if (!r.ok()) {
                found.add(h.name() + ": " + r.stdout().strip().lines().filter(l -> l.startsWith("CRITICAL")).findFirst()
                        .orElse("exit " + r.exitCode()));
            }
        });
        none(problems, "runbook 8.5: certificates within the alert horizon");
    }

    @Then("the certificate expiry check alerts when asked for a horizon beyond the certificates' expiry")
    public void certCheckAlerts() {
        String script = Settings.of(zone.env()).monitoring().certExpiryCheck();
        Host h = zone.hosts().get(0);
        // The same check with a threshold of 100 years must report every certificate as expiring.
        // Read-only: the copy's alert endpoint is emptied, so nothing is raised (the scenario with the
        // fault test-alert raises a real one and reads it back).
        CommandResult r = h.exec(h.asRoot(beyondHorizon(script, false)));
        check(r.stdout().contains("CRITICAL") && r.stdout().contains("exit=2"), "runbook 8.5: the certificate expiry check on "
                + h.name() + " does not alert for certificates inside its horizon: " + r.stdout().strip());
    }

    /**
     * The node's certificate expiry check run as a copy whose threshold is 100 years, so every
     * certificate is inside it; with {@code alerting} false the copy's alert endpoint is emptied.
     */
    private static String beyondHorizon(String script, boolean alerting) {
        return "sed -e 's/^CERT_EXPIRY_WARN_DAYS=.*/CERT_EXPIRY_WARN_DAYS=36500/'" + (alerting ? "" : " -e 's/^ALERT_ENDPOINT=.*/ALERT_ENDPOINT=/'")
                + " /opt/bsfg/monitoring.env > /tmp/triad-monitoring.env && sed 's|/opt/bsfg/monitoring.env|/tmp/triad-monitoring.env|' "
                + q(script) + " > /tmp/triad-cert-check && sh /tmp/triad-cert-check 2>&1; echo \"exit=$?\";"
                + " rm -f /tmp/triad-cert-check /tmp/triad-monitoring.env";
    }

    /** The zone's alert endpoint (an Alertmanager), asked from {@code h}: its active alerts, as its API v2 gives them. */
    private com.fasterxml.jackson.databind.JsonNode activeAlerts(Host h) {
        return activeAlerts(h, false);
    }

    /**
     * The active alerts at the zone's alert endpoint; with {@code suppressedToo} the silenced and the
     * inhibited ones as well (a silence hides an alert from the receivers, it does not resolve it).
     */
    private com.fasterxml.jackson.databind.JsonNode activeAlerts(Host h, boolean suppressedToo) {
        String endpoint = io.triad.profile.bsfgtriad.Settings.of(zone.env()).alertEndpoint();
        check(endpoint != null && !endpoint.isBlank(), "the environment names no alert endpoint (alert_endpoint)");
        String which = suppressedToo ? "active=true&silenced=true&inhibited=true" : "active=true&silenced=false&inhibited=false";
        CommandResult r = h.exec("curl -sS --max-time 5 'http://" + endpoint + "/api/v2/alerts?" + which + "'");
        zone.evidence().note("active alerts at " + endpoint + " (asked from " + h.name() + ")", r.stdout() + r.stderr());
        check(r.ok(), "the zone's alert endpoint " + endpoint + " does not answer from " + h.name() + ": " + r.stderr().strip());
        try {
            com.fasterxml.jackson.databind.JsonNode alerts = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.stdout());
            check(alerts.isArray(), "the zone's alert endpoint " + endpoint + " did not answer as an Alertmanager's API v2: " + r.stdout().strip());
            return alerts;
        } catch (java.io.IOException e) {
            throw new AssertionError("the zone's alert endpoint " + endpoint + " did not answer JSON: " + r.stdout().strip());
        }
    }

    /** The alerts that {@code which} picks, each as "NAME of INSTANCE (severity S) since T: SUMMARY". */
    private static List<String> described(com.fasterxml.jackson.databind.JsonNode alerts,
                                          java.util.function.Predicate<com.fasterxml.jackson.databind.JsonNode> which) {
        List<String> out = new java.util.ArrayList<>();
        alerts.forEach(a -> {
            com.fasterxml.jackson.databind.JsonNode l = a.path("labels");
            if (which.test(l)) {
                com.fasterxml.jackson.databind.JsonNode st = a.path("status");
                String suppressed = !"suppressed".equals(st.path("state").asText()) ? ""
                        : " [suppressed, not resolved:" + (st.path("silencedBy").isEmpty() ? "" : " silenced by " + st.path("silencedBy"))
                        + (st.path("inhibitedBy").isEmpty() ? "" : " inhibited by " + st.path("inhibitedBy")) + "]";
                out.add(l.path("alertname").asText() + " of " + l.path("instance").asText() + " (severity " + l.path("severity").asText()
                        + ") since " + a.path("startsAt").asText() + ": " + a.path("annotations").path("summary").asText() + suppressed);
            }
        });
        return out;
    }

    /** The alerts named {@code name} of {@code instance}. */
    private static List<String> named(com.fasterxml.jackson.databind.JsonNode alerts, String name, String instance) {
        return described(alerts, l -> name.equals(l.path("alertname").asText()) && instance.equals(l.path("instance").asText()));
    }

    @Then("the certificate expiry check, asked for a horizon beyond the certificates' expiry, raises a critical alert the zone's Alertmanager shows as active")
    public void certAlertReadBack() {
        String script = Settings.of(zone.env()).monitoring().certExpiryCheck();
        Host h = zone.hosts().get(0);
        CommandResult r = h.exec(h.asRoot(beyondHorizon(script, true)));
        zone.evidence().note("the certificate expiry check beyond the horizon on " + h.name(), r.stdout());
        check(r.stdout().contains("exit=2"), "runbook 8.5: the certificate expiry check on " + h.name() + " does not report certificates"
                + " inside a 100-year horizon: " + r.stdout().strip());
        Duration took = within(30, "the alert CertificateExpiring of " + h.name() + " active at the zone's alert endpoint", () -> {
            List<String> found = named(activeAlerts(h), "CertificateExpiring", h.name());
            check(!found.isEmpty(), "runbook 8.5: the certificate expiry check on " + h.name() + " reported CRITICAL, and the zone's"
                    + " alert endpoint shows no active alert CertificateExpiring of " + h.name() + " (the check said: "
                    + r.stdout().lines().filter(l -> l.startsWith("alert ")).findFirst().orElse("nothing of an alert") + ")");
            check(found.stream().anyMatch(a -> a.contains("(severity critical)")), "runbook 8.5: the alert is not critical: " + found);
        });
        zone.evidence().figure("certificate alert active at the alert endpoint", took.toMillis() + " ms after the check");
    }

    @Then("the certificate expiry check run as installed resolves it")
    public void certAlertResolved() {
        String script = Settings.of(zone.env()).monitoring().certExpiryCheck();
        Host h = zone.hosts().get(0);
        CommandResult r = h.exec(h.asRoot(script + " 2>&1"));
        check(r.ok(), "runbook 8.5: the certificate expiry check on " + h.name() + " fails as installed: " + r.stdout().strip());
        within(30, "no active alert CertificateExpiring of " + h.name(), () -> {
            List<String> left = named(activeAlerts(h), "CertificateExpiring", h.name());
            check(left.isEmpty(), "runbook 8.5: the certificate expiry check passed on " + h.name() + ", and its alert is still active: " + left);
        });
    }

    @Then("the zone's Alertmanager has no active critical alert")
    public void noCriticalAlert() {
        // unresolved: silenced and inhibited alerts too (a silence mutes the receivers; the condition stands)
        none(described(activeAlerts(zone.hosts().get(0), true), l -> "critical".equals(l.path("severity").asText())),
                "runbook 9.7: unresolved critical alerts at the zone's alert endpoint");
    }

    @Then("the backup freshness check reports fresh")
    public void backupFresh() {
        Host h = BackupNode.of(zone);
        String check = Settings.of(zone.env()).monitoring().backupFreshnessCheck();
        CommandResult r = h.exec(h.asRoot(check), Duration.ofSeconds(60));
        check(r.ok() && r.stdout().startsWith("OK"), "runbook 8.6: the backup freshness check on " + h.name() + " says "
                + r.stdout().strip().lines().findFirst().orElse("nothing") + " (exit " + r.exitCode() + ")");
    }

    @Then("the backup freshness check reports stale when the newest backup is older than its limit")
    public void backupStale() {
        Host h = BackupNode.of(zone);
        String check = Settings.of(zone.env()).monitoring().backupFreshnessCheck();
        CommandResult r = h.exec(h.asRoot("BACKUP_MAX_AGE_SECONDS=0 " + check), Duration.ofSeconds(60));
        // the check as installed again: what the stale run raised at the zone's alert endpoint is resolved
        CommandResult again = h.exec(h.asRoot(check), Duration.ofSeconds(60));
        zone.evidence().note("the backup freshness check as installed, after the stale run, on " + h.name(), again.stdout() + again.stderr());
        check(r.exitCode() == 2 && r.stdout().startsWith("CRITICAL"), "runbook 8.6: with a limit of 0 s the backup freshness check on "
                + h.name() + " does not alert: " + r.stdout().strip() + " (exit " + r.exitCode() + ")");
    }
}
