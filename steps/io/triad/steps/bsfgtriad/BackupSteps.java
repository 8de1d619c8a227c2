package io.triad.steps.bsfgtriad;

import io.triad.profile.bsfgtriad.Settings;
import io.triad.steps.common.Support;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.profile.bsfgtriad.Probes;
import io.triad.probe.parse.CronLine;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Runbook section 7: the snapshot backup, its remote, its schedule, the restore procedure, a real restore. */
public class BackupSteps extends Support {
    public BackupSteps(io.triad.run.Run run) {
        super(run);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Probes probes = new Probes(zone);
    private JsonNode streamBefore;
    private String backupStamp;

    private Settings.Backup backup() {
        return Settings.of(zone.env()).backup();
    }

    @Then("the backup script is present and executable on the backup node")
    public void scriptPresent() {
        Host h = BackupNode.of(zone);
        String script = backup().script();
        check(h.exec("test -f " + q(script)).ok(), "runbook 7.1: the backup script " + script + " is missing on " + h.name());
        check(h.exec("test -x " + q(script)).ok(), "runbook 7.1: the backup script " + script + " on " + h.name() + " is not executable");
    }

    private List<CronLine> schedule(Host h) {
        String file = backup().schedule();
        try {
            return CronLine.parseFile(read(h, file), file.startsWith("/etc/cron.d/") || file.equals("/etc/crontab"));
        } catch (IllegalArgumentException e) {
            throw new AssertionError("the backup schedule " + file + " on " + h.name() + " does not parse: " + e.getMessage());
        }
    }

    @Then("the backup schedule on the backup node runs the backup script")
    public void scheduled() {
        Host h = BackupNode.of(zone);
        List<CronLine> lines = schedule(h);
        check(lines.stream().anyMatch(l -> l.command().contains(backup().script())), "runbook 7.1: " + backup().schedule()
                + " on " + h.name() + " does not run " + backup().script() + " (entries: " + lines + ")");
    }

    @Then("the scheduler is active on the backup node")
    public void cronActive() {
        Host h = BackupNode.of(zone);
        String state = h.exec("systemctl is-active cron.service || systemctl is-active crond.service").stdout().strip();
        check(state.contains("active") && !state.contains("inactive"), "runbook 7.1: the scheduler on " + h.name() + " is " + state);
    }

    @Then("the backup node reaches and authenticates to the backup remote")
    public void remoteReachable() {
        Host h = BackupNode.of(zone);
        CommandResult r = h.exec(h.asRoot("rclone lsf --max-depth 1 " + q(backup().remote()) + " 2>&1"), Duration.ofSeconds(60));
        check(r.ok(), "runbook 7.2: the backup remote " + backup().remote() + " is not reachable from " + h.name() + ": "
                + r.stdout().strip().lines().filter(l -> l.contains("ERROR") || l.contains("Failed") || l.contains("failed"))
                .findFirst().orElse(r.stdout().strip()));
    }

    @Then("the backup node can write to and delete from the zone's directory on the backup remote")
    public void remoteWritable() {
        Host h = BackupNode.of(zone);
        String probe = backup().remote().replaceAll("/?$", "/") + ".triad-write-check-" + UUID.randomUUID().toString().substring(0, 8);
        CommandResult w = h.exec(h.asRoot("echo triad-acceptance | rclone rcat " + q(probe) + " 2>&1"), Duration.ofSeconds(60));
        check(w.ok(), "runbook 7.2: cannot write to " + backup().remote() + " from " + h.name() + ": " + w.stdout().strip());
        CommandResult r = h.exec(h.asRoot("rclone cat " + q(probe) + " 2>&1"), Duration.ofSeconds(60));
        check(r.ok() && r.stdout().strip().equals("triad-acceptance"), "runbook 7.2: what was written to " + probe + " does not read back");
        CommandResult d = h.exec(h.asRoot("rclone deletefile " + q(probe) + " 2>&1"), Duration.ofSeconds(60));
        check(d.ok(), "runbook 7.2: cannot delete " + probe + ": " + d.stdout().strip());
    }

    @Then("the backup schedule has a valid time, runs as the backup user and names the backup script")
    public void scheduleIdentity() {
        Host h = BackupNode.of(zone);
        List<CronLine> lines = schedule(h).stream().filter(l -> l.command().contains(backup().script())).toList();
        check(lines.size() == 1, "runbook 7.3: " + lines.size() + " entries of " + backup().schedule() + " run " + backup().script()
                + ", expected one");
        if (lines.isEmpty()) {
            return; // a dry run: nothing answered
        }
        CronLine line = lines.get(0);
        check(line.user().map(u -> u.equals(backup().user())).orElse(false), "runbook 7.3: the backup runs as "
                + line.user().orElse("(no user field)") + ", expected " + backup().user());
        String command = line.command().strip().split("\\s+")[0];
        check(command.equals(backup().script()), "runbook 7.3: the schedule runs " + command + ", expected " + backup().script());
        zone.evidence().note("backup schedule", h.name() + ": " + line);
    }

    @Then("the restore procedure is on every node and names the backup remote")
    public void restoreDoc() {
        List<String> problems = onEachHost(zone.hosts(), (h, found) -> {
            CommandResult r = h.exec("cat " + q(backup().restoreDoc()));
            if (!r.ok() || r.stdout().isBlank()) {
                found.add(backup().restoreDoc() + " is missing on " + h.name());
            } else if (!r.stdout().contains(backup().remote())) {
                found.add(backup().restoreDoc() + " on " + h.name() + " does not name the backup remote " + backup().remote());
            }
        });
        none(problems, "runbook 7.4: restore procedure not in place");
    }

    // ---- beyond the runbook: a backup restores ---------------------------------------------------

    @Given("within {int} seconds {int} writes are acknowledged through the VIP")
    public void writes(int seconds, int count) {
        within(seconds, "controller accepts writes", () -> {
            Probes.HealthAnswer a = probes.writeThroughVip("{\"probe\":\"ready\"}", Duration.ofSeconds(5));
            check(a.status() == 200, "the controller did not acknowledge a write through the VIP: " + a);
        });
        for (int i = 0; i < count; i++) {
            Probes.HealthAnswer a = probes.writeThroughVip("{\"write\":" + i + "}", Duration.ofSeconds(5));
            check(a.status() == 200, "write " + i + " through the VIP was not acknowledged: " + a);
        }
    }

    private JsonNode streamState(Host h, String server, String stream) {
        CommandResult r = h.exec("nats --server " + server + " stream info " + stream + " --json").requireOk();
        try {
            return JSON.readTree(r.stdout()).path("state");
        } catch (IOException e) {
            throw new AssertionError("nats stream info " + stream + " on " + h.name() + " is not JSON: " + e.getMessage());
        }
    }

    @When("the backup job runs on the backup node")
    public void runBackup() {
        Host h = BackupNode.of(zone);
        streamBefore = streamState(h, "nats://127.0.0.1:" + Settings.of(zone.env()).ports().natsClient(), "BSFG_WRITES");
        backupStamp = runBackupJob();
    }

    @Given("the backup job has run on the backup node")
    public void backupHasRun() {
        runBackupJob();
    }

    /** Runs the backup job now; returns the stamp of the backup it took (its last line of output). */
    private String runBackupJob() {
        Host h = BackupNode.of(zone);
        CommandResult r = h.exec(h.asRoot(backup().script() + " 2>&1"), Duration.ofSeconds(120));
        check(r.ok(), "the backup job failed on " + h.name() + ": " + r.stdout().strip());
        return r.stdout().strip().lines().reduce((a, b) -> b).orElse("");
    }

    @Then("the newest backup restored into a scratch JetStream server holds the stream's messages")
    public void restoreIntoScratch() {
        check(backupStamp != null && !backupStamp.isEmpty(), "no backup was taken in this scenario");
        Host h = BackupNode.of(zone);
        String scratch = "/var/tmp/triad-restore-" + UUID.randomUUID().toString().substring(0, 8);
        String unit = "triad-scratch-nats";
        int port = 14222;
        zone.faults().applied("scratch JetStream server on " + h.name(), () -> {
            h.exec(h.asRoot("systemctl stop " + unit + "; systemctl reset-failed " + unit + " 2>/dev/null; rm -rf " + q(scratch)));
        });
        h.exec(h.asRoot("mkdir -p " + q(scratch) + " && rclone copy " + q(backup().remote().replaceAll("/?$", "/") + backupStamp + "/")
                + " " + q(scratch + "/backup") + " 2>&1"), Duration.ofSeconds(120)).requireOk();
        h.exec(h.asRoot("systemd-run --unit " + unit + " --property=Type=exec /usr/local/bin/nats-server -js -a 127.0.0.1 -p " + port
                + " -sd " + q(scratch + "/store") + " -n triad-scratch")).requireOk();
        String server = "nats://127.0.0.1:" + port;
        within(30, "scratch server up", () -> check(h.exec("nats --server " + server + " server check connection").ok(),
                "the scratch JetStream server does not answer"));
        CommandResult restore = h.exec("nats --server " + server + " stream restore --no-progress --replicas 1 "
                + q(scratch + "/backup/BSFG_WRITES") + " 2>&1", Duration.ofSeconds(120));
        check(restore.ok(), "the backup " + backupStamp + " does not restore: " + restore.stdout().strip());
        JsonNode after = streamState(h, server, "BSFG_WRITES");
        zone.evidence().note("restore of backup " + backupStamp, "live stream at backup time: " + streamBefore
                + "\nrestored into a scratch server: " + after);
        check(after.path("messages").asLong() == streamBefore.path("messages").asLong()
                        && after.path("last_seq").asLong() == streamBefore.path("last_seq").asLong(),
                "the restored stream holds " + after.path("messages") + " messages up to seq " + after.path("last_seq")
                        + ", the live stream held " + streamBefore.path("messages") + " up to " + streamBefore.path("last_seq"));
        check(streamBefore.path("messages").asLong() > 0, "the stream was empty: the restore proves nothing");
    }
}
