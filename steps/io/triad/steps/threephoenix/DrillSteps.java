package io.triad.steps.threephoenix;

import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.profile.threephoenix.Ingress;
import io.triad.profile.threephoenix.KillTest;
import io.triad.profile.threephoenix.Shape;
import io.triad.zone.Nemesis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** V. The quarterly DR drill: the kill test and the restore test. */
public class DrillSteps extends PhoenixSupport {
    public DrillSteps(io.triad.run.Run run) {
        super(run);
    }

    /** Written by the prober's reader thread while the steps read it: a copy-on-write list (a few answers a second). */
    private final List<KillTest.Answer> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Instant killedAt;
    private Instant replacedAt;
    private String killedNode;
    /** The other nodes' instances (node to instance name), read before the kill. */
    private final Map<String, String> others = new LinkedHashMap<>();
    /** The application's pod deleted through the API at the kill (null: the zone has no Kubernetes here), and when its replacement was Ready. */
    private String podDeleted;
    private Instant podReplacedAt;
    private String podReplacement;

    /** The zone's Kubernetes, when this run has it (a mutant catalog may leave the simulated control plane out). */
    private Optional<io.triad.profile.threephoenix.Settings.Kubernetes> kubernetes() {
        return Optional.ofNullable(settings.kubernetes()).filter(io.triad.profile.threephoenix.Settings.Kubernetes::simulate);
    }

    private List<io.triad.tech.kube.Kube.Placed> appPods() {
        var k = settings.kubernetes();
        String json = kubectl("get pods -n " + q(k.namespace()) + " -l " + q(k.appSelector()));
        return planning() ? List.of() : io.triad.tech.kube.Kube.placed(json);
    }

    private Host outside() {
        return zone.supportHost(settings.repositoryHost());
    }

    /** The application's main process on a node (0: none), as systemd knows it. */
    private String mainPid(Host h) {
        return h.exec(h.asRoot("systemctl show -P MainPID " + q(zone.unit(Shape.APP)))).stdout().strip();
    }

    /** A node's application health, asked from the ingress's side: 200 or not, and the instance it names ("" when none). */
    private record Health(boolean ok, String instance) { }

    private Health health(Host edge, Host h) {
        CommandResult r = edge.exec("curl -s --max-time 2 -w '\\n%{http_code}' http://" + h.address() + ":" + settings.appPort() + "/healthz");
        List<String> lines = r.stdout().strip().lines().toList();
        if (lines.isEmpty() || !lines.get(lines.size() - 1).equals("200")) {
            return new Health(false, "");
        }
        try {
            String body = String.join("\n", lines.subList(0, lines.size() - 1));
            return new Health(true, new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("instance").asText(""));
        } catch (java.io.IOException e) {
            return new Health(true, ""); // healthy, its body no JSON: it names no instance
        }
    }

    /**
     * Whether the site's answers say which instance served them (the reference application's
     * X-Forge-Instance, and the instance its health endpoint names): only then can the prober
     * see the other instances carry the site and the replacement join. Where they do not (an
     * application that names no instance), both are said so in the evidence and the replacement is
     * counted from its health, as a probe of the node can tell.
     */
    private boolean instancesNamed() {
        return !others.containsValue("") && answers.stream().anyMatch(a -> a.ok() && !a.instance().isEmpty());
    }

    @When("the application's instance on {word} is killed, the site asked through the ingress from outside the zone throughout")
    public void killApp(String node) {
        Host h = zone.host(node);
        Host edge = zone.supportHost(settings.ingressHost());
        killedNode = node;
        others.clear();
        for (Host other : zone.hostsRunning(Shape.APP)) {
            if (!other.name().equals(node)) {
                Health hh = health(edge, other);
                check(hh.ok(), other.name() + "'s application instance does not answer its health endpoint 200 before the kill");
                others.put(other.name(), hh.instance());
            }
        }
        zone.evidence().note("the other instances, before the kill", others.toString());
        String probe = Ingress.curl(settings, edge.address(), "https", "/", "").replace("%{redirect_url}", "%header{x-forge-instance}");
        // ends when its input does (the harness closes the stream)
        // each answer stamped when it came back, on the prober's clock (io.triad.history.Stamped: the stream brings lines in bursts)
        String loop = "(while :; do a=$(" + probe + " || echo '000 -'); echo \"@$EPOCHREALTIME $a\"; done) & p=$!; cat >/dev/null; kill $p";
        try (Host.Stream stream = outside().stream(loop, raw -> {
            io.triad.history.Stamped line = io.triad.history.Stamped.of(raw, Instant.now());
            String[] f = line.text().split(" ", 2);
            answers.add(new KillTest.Answer(line.at(), f[0], f.length > 1 ? f[1].strip() : ""));
        })) {
            within(10, "the prober answered through the ingress", () -> check(answers.size() >= 5, answers.size() + " answers so far"));
            String before = mainPid(h);
            check(!before.equals("0") && !before.isEmpty(), node + " runs no application instance to kill");
            // The runbook's kill: "manually delete a Gitea pod". Where the zone has Kubernetes the
            // node's application pod is deleted through the API with its instance (kwok's pods run
            // no container: the instance is the systemd unit paired with it, and it carries the site).
            List<String> podsBefore = new ArrayList<>();
            String podOnNode = null;
            if (kubernetes().isPresent() && planning()) {
                podOnNode = "<the application pod on " + node + ">";
                appPods(); // the listing, written into the plan
            } else if (kubernetes().isPresent()) {
                List<io.triad.tech.kube.Kube.Placed> pods = appPods();
                pods.forEach(p -> podsBefore.add(p.name()));
                List<io.triad.tech.kube.Kube.Placed> here = pods.stream().filter(p -> p.node().equals(node) && !p.deleting()).toList();
                check(here.size() == 1, "expected one application pod on " + node + " to delete, found "
                        + here.size() + ": " + pods);
                podOnNode = here.get(0).name();
                zone.evidence().figure("application pods before the kill", pods.toString());
            }
            killedAt = new Nemesis(zone).killService("kill-app", h, Shape.APP, true);
            if (podOnNode != null) {
                var k = settings.kubernetes();
                Host kh = zone.supportHost(k.host());
                CommandResult deleted = kh.exec(kh.asRoot(kubectlCommand() + " -n " + q(k.namespace()) + " delete pod " + q(podOnNode) + " --wait=false"));
                check(deleted.ok(), "the application pod " + podOnNode + " could not be deleted: " + io.triad.tech.postgres.Db.firstLine(deleted.stderr()));
                podDeleted = podOnNode;
            }
            Duration window = settings.replacementWindow();
            // The replacement: a new process of the unit, answering its health endpoint, and then
            // joined: serving requests through the ingress (the runbook's "spawns and joins").
            Instant[] healthyAt = {null};
            within((int) window.toSeconds() + 10, "a replacement instance on " + node + " serves through the ingress"
                    + (podDeleted == null ? "" : " and a new application pod is Ready"), () -> {
                if (podDeleted != null && podReplacedAt == null) {
                    List<io.triad.tech.kube.Kube.Placed> pods = appPods();
                    Optional<io.triad.tech.kube.Kube.Placed> fresh = pods.stream().filter(p -> !podsBefore.contains(p.name()) && !p.deleting()
                            && p.phase().equals("Running") && p.ready()).findFirst();
                    check(fresh.isPresent(), "the application pod " + podDeleted + " deleted through the API is not replaced by a new Ready pod"
                            + " yet: " + pods);
                    podReplacedAt = Instant.now();
                    podReplacement = fresh.get().toString();
                }
                String now = mainPid(h);
                check(!now.equals("0") && !now.equals(before), node + "'s instance not replaced yet (main PID " + now + ")");
                Health hh = health(edge, h);
                check(hh.ok(), node + "'s new instance does not answer its health endpoint 200 yet");
                if (healthyAt[0] == null) {
                    healthyAt[0] = Instant.now();
                }
                if (hh.instance().isEmpty() || !instancesNamed()) {
                    replacedAt = healthyAt[0];
                    return;
                }
                Optional<Instant> joined = KillTest.joined(answers, hh.instance(), healthyAt[0]);
                check(joined.isPresent(), node + "'s new instance " + hh.instance() + " answers its health endpoint, but no request"
                        + " through the ingress has reached it since (" + Duration.between(healthyAt[0], Instant.now()).toSeconds() + " s)");
                replacedAt = joined.get();
            });
            zone.evidence().figure("replacement healthy after", Duration.between(killedAt, healthyAt[0]).toMillis() + " ms");
            if (podDeleted != null) {
                zone.evidence().figure("replacement pod Ready after", Duration.between(killedAt, podReplacedAt).toMillis() + " ms (" + podDeleted
                        + " deleted; " + podReplacement + "; resolution one poll of kubectl)");
            } else {
                zone.evidence().note("no application pod deleted", settings.kubernetes() == null
                        ? "the zone names no Kubernetes (phoenix.kubernetes): the kill is its instance's alone"
                        : "this run leaves the simulated control plane out (phoenix.kubernetes.simulate false): the kill is the instance's alone");
            }
            if (!instancesNamed()) {
                zone.evidence().note("instances not named", "the site's answers or its instances' health name no instance"
                        + " (X-Forge-Instance, the health endpoint's \"instance\"): which instances carried the site, and the"
                        + " replacement's join through the ingress, cannot be seen; the replacement is counted from its health");
            }
        }
    }

    @Then("every request to the site was answered while the instance was away, each other instance serving some")
    public void siteStayedUp() {
        check(killedAt != null && replacedAt != null, "the instance was not killed and replaced");
        List<KillTest.Answer> during = answers.stream().filter(a -> !a.at().isBefore(killedAt) && a.at().isBefore(replacedAt)).toList();
        List<KillTest.Answer> failed = during.stream().filter(a -> !a.ok()).toList();
        Map<String, Long> by = new java.util.TreeMap<>();
        during.forEach(a -> by.merge(a.instance(), 1L, Long::sum));
        zone.evidence().figure("site answers while the instance was away", during.size() + " asked, " + (during.size() - failed.size())
                + " answered 200, by instance " + by);
        check(during.size() >= 5, "only " + during.size() + " requests were made while the instance was away");
        check(failed.isEmpty(), failed.size() + " of " + during.size() + " requests to the site failed while " + killedNode
                + "'s instance was away (first: " + (failed.isEmpty() ? "" : failed.get(0).code() + " at " + failed.get(0).at()) + ")");
        if (instancesNamed()) {
            List<String> silent = KillTest.othersSilent(answers, killedAt, replacedAt, others);
            check(silent.isEmpty(), "the site did not stay up via the other instances: " + String.join(", ", silent)
                    + " served none of the " + during.size() + " requests while " + killedNode + "'s instance was away (by instance " + by + ")");
        }
    }

    @Then("a replacement instance on {word} served through the ingress within the replacement window, measured")
    public void replaced(String node) {
        check(replacedAt != null, "no replacement instance on " + node + " served through the ingress within "
                + settings.replacementWindow().toSeconds() + " s");
        Duration took = Duration.between(killedAt, replacedAt);
        if (podDeleted != null) {
            Duration pod = Duration.between(killedAt, podReplacedAt);
            check(pod.compareTo(settings.replacementWindow()) <= 0, "the application pod " + podDeleted + " was replaced by a Ready pod "
                    + pod.toMillis() + " ms after its deletion, beyond the " + settings.replacementWindow().toSeconds() + " s window");
        }
        zone.evidence().figure("replacement serving through the ingress after", took.toMillis() + " ms (window "
                + settings.replacementWindow().toSeconds() + " s)");
        check(took.compareTo(settings.replacementWindow()) <= 0, "the replacement on " + node + " served through the ingress "
                + took.toMillis() + " ms after the kill, beyond the " + settings.replacementWindow().toSeconds() + " s window");
    }

    // ---- the restore test ------------------------------------------------------------------

    /** Where the test database lives on the repository's host while the test runs (removed after it). */
    private static final String RESTORE_DIR = "/var/lib/phoenix/restore-test";
    private static final int RESTORE_PORT = 5499;
    private static final int RESTORE_APP_PORT = 3999;
    private String probeRepository;
    private List<String> latestRepositories = List.of();
    private Instant restoreStarted;

    /** A curl to the site through the ingress, as the application's admin: ``login`` and the token in $tok. */
    private String loggedIn(String base, String extra) {
        // the body made on the host by jq from the password file: the password is in no command line and no evidence
        return "body=$(jq -nc --arg u " + q(settings.adminUser()) + " --rawfile p " + q(settings.adminPasswordFile())
                + " '{user: $u, password: ($p | rtrimstr(\"\\n\"))}') && tok=$(curl -sS --max-time 5 " + extra
                + " -H 'Content-Type: application/json' -d \"$body\" " + q(base + "/api/login") + " | jq -r .token)"
                + " && [ -n \"$tok\" ] && [ \"$tok\" != null ] || { echo 'login failed'; exit 1; }; ";
    }

    private String siteBase() {
        return "https://" + settings.siteName() + (settings.httpsPort() == 443 ? "" : ":" + settings.httpsPort());
    }

    private String siteOptions() {
        Host edge = zone.supportHost(settings.ingressHost());
        return "--cacert " + q(settings.caFile()) + " --resolve " + q(settings.siteName() + ":" + settings.httpsPort() + ":" + edge.address());
    }

    @When("a repository is created through the site and the daily backup job runs")
    public void createAndBackUp() {
        new Nemesis(zone).requireAllowed("restore-test");
        Host from = outside();
        probeRepository = "restore-probe-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String opts = siteOptions();
        // as root: the admin's password file is readable by root only
        CommandResult r = from.exec(from.asRoot(loggedIn(siteBase(), opts) + "curl -sS --max-time 5 " + opts + " -o /dev/null -w '%{http_code}\\n'"
                + " -H \"Authorization: Bearer $tok\" -H 'Content-Type: application/json' -d '{\"name\": \"" + probeRepository + "\"}' "
                + q(siteBase() + "/api/repos") + " && curl -sS --max-time 5 " + opts + " -H \"Authorization: Bearer $tok\" "
                + q(siteBase() + "/api/repos") + " | jq -r '.[].name'"));
        List<String> lines = r.stdout().lines().toList();
        check(r.ok() && !lines.isEmpty() && lines.get(0).equals("201"), "the repository " + probeRepository + " was not created through the site: "
                + r.stdout().strip().replace('\n', ' ') + " " + r.stderr().strip());
        latestRepositories = lines.subList(1, lines.size());
        check(latestRepositories.contains(probeRepository), "the site does not list the repository it just created");
        zone.evidence().figure("repositories on the site before the backup", latestRepositories.size() + " (the newest " + probeRepository + ")");
        Host repo = zone.supportHost(settings.repositoryHost());
        long t0 = System.nanoTime();
        CommandResult job = repo.exec(repo.asRoot("systemctl start " + q(settings.backupJob())), Duration.ofMinutes(10));
        check(job.ok(), "the daily backup job " + settings.backupJob() + " failed on " + repo.name() + ": " + job.stderr().strip());
        zone.evidence().figure("backup job", Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms");
    }

    @When("the newest backup is restored into a test database on the repository's host")
    public void restore() {
        Host repo = zone.supportHost(settings.repositoryHost());
        String cleanup = "systemctl stop forge-restore-test.service 2>/dev/null; systemctl reset-failed forge-restore-test.service 2>/dev/null;"
                + " { [ -f " + RESTORE_DIR + "/PG_VERSION ] && " + io.triad.tech.postgres.Db.binDirOf(RESTORE_DIR) + " && runuser -u postgres -- \"$bin/pg_ctl\" -D " + RESTORE_DIR
                + " -m immediate stop; } >/dev/null 2>&1;"
                + " rm -rf " + RESTORE_DIR + " /var/lib/phoenix/restore-test.conf /var/lib/phoenix/restore-forge.env; true";
        zone.faults().applied("the restore test's database and application on " + repo.name(), () -> repo.exec(repo.asRoot(cleanup)));
        restoreStarted = Instant.now();
        // its own pgBackRest configuration: the repository as the zone's, the test database's directory as pg1
        String conf = "[global]\nrepo1-path=" + settings.repositoryPath() + "\nlog-level-console=warn\n\n[" + settings.stanza() + "]\npg1-path="
                + RESTORE_DIR + "\n";
        String pgConf = "port = " + RESTORE_PORT + "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '/var/run/postgresql'\n"
                + "archive_mode = off\nshared_buffers = 32MB\n";
        String hba = "local all all peer\nhost all all 127.0.0.1/32 scram-sha-256\n";
        CommandResult r = repo.exec(repo.asRoot("cd / && " + cleanup + " && printf " + q(conf) + " > /var/lib/phoenix/restore-test.conf"
                + " && install -d -o postgres -g postgres -m 0700 " + RESTORE_DIR
                + " && runuser -u postgres -- pgbackrest --config=/var/lib/phoenix/restore-test.conf --stanza=" + q(settings.stanza())
                + " --type=immediate --target-action=promote restore"
                + " && printf " + q(pgConf) + " > " + RESTORE_DIR + "/postgresql.conf && printf " + q(hba) + " > " + RESTORE_DIR + "/pg_hba.conf"
                + " && chown postgres:postgres " + RESTORE_DIR + "/postgresql.conf " + RESTORE_DIR + "/pg_hba.conf"
                + " && " + io.triad.tech.postgres.Db.binDirOf(RESTORE_DIR) + " && runuser -u postgres -- \"$bin/pg_ctl\" -D " + RESTORE_DIR + " -l " + RESTORE_DIR + "/startup.log -w -t 120 start"),
                Duration.ofMinutes(5));
        check(r.ok(), "the newest backup could not be restored into a test database on " + repo.name() + ": "
                + (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip().lines().limit(3).toList());
        within(120, "the test database is promoted", () -> {
            CommandResult p = repo.exec(repo.asRoot("runuser -u postgres -- psql -p " + RESTORE_PORT + " -XAtc 'SELECT pg_is_in_recovery()'"));
            check(p.stdout().strip().equals("f"), "the test database is " + (p.ok() ? "still recovering" : "not answering: " + p.stderr().strip()));
        });
    }

    @Then("the application pointed at the test database logs in and lists the latest repositories")
    public void restoredServes() {
        Host repo = zone.supportHost(settings.repositoryHost());
        String env = "LISTEN=127.0.0.1:" + RESTORE_APP_PORT + "\nINSTANCE=restore-test\nDATABASE=host=127.0.0.1 port=" + RESTORE_PORT
                + " dbname=" + settings.database() + " user=" + settings.database() + " connect_timeout=3\nDATABASE_PASSWORD_FILE="
                + settings.secret(settings.database()) + "\nSECRET_FILE=" + settings.secret("forge-token") + "\n";
        String config = "/var/lib/phoenix/restore-forge.env";
        String command = settings.restoreCommand().replace("{config}", config).replace("{listen}", "127.0.0.1:" + RESTORE_APP_PORT)
                .replace("{db_port}", String.valueOf(RESTORE_PORT)).replace("{database}", settings.database())
                .replace("{password_file}", settings.secret(settings.database()));
        CommandResult start = repo.exec(repo.asRoot("printf " + q(env) + " > " + config + " && systemd-run --unit=forge-restore-test"
                + " --property=User=" + q(settings.restoreUser()) + " " + command));
        check(start.ok(), "the application could not be started against the test database: " + start.stderr().strip());
        String base = "http://127.0.0.1:" + RESTORE_APP_PORT;
        within(60, "the application serves from the test database", () -> {
            CommandResult h = repo.exec("curl -s -o /dev/null -w '%{http_code}' --max-time 2 " + base + "/healthz");
            check(h.stdout().strip().equals("200"), "its health answers " + h.stdout().strip());
        });
        CommandResult r = repo.exec(repo.asRoot(loggedIn(base, "") + "curl -sS --max-time 5 -H \"Authorization: Bearer $tok\" " + q(base + "/api/repos")
                + " | jq -r '.[].name'"));
        Duration took = Duration.between(restoreStarted, Instant.now());
        zone.evidence().figure("restore test", "from the restore's start to the application serving the test database and listing it: "
                + took.toMillis() + " ms");
        check(r.ok(), "log in to the application on the test database failed: " + (r.stdout() + r.stderr()).strip());
        List<String> restored = r.stdout().lines().toList();
        List<String> missing = latestRepositories.stream().filter(n -> !restored.contains(n)).toList();
        zone.evidence().figure("repositories in the test database", restored.size() + "");
        check(missing.isEmpty(), "the test database lacks " + missing.size() + " of the " + latestRepositories.size()
                + " repositories the site listed before the backup: " + missing);
    }
}
