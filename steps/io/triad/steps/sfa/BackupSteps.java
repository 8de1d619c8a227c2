package io.triad.steps.sfa;

import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.tech.postgres.Db;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * backup.1, backup.2, backup.4: the schedule, the RPO and the weekly verification, each read on the
 * backup host (what arrived there), the database's own account (pg_stat_archiver) held against it.
 */
public class BackupSteps extends SfaSupport {
    public BackupSteps(io.triad.run.Run run) {
        super(run);
    }

    @Then("the backup host's cron table runs {string} full backups, {string} WAL jobs and {string} verifications, each by a script that is there and executable")
    public void schedule(String full, String wal, String verify) {
        Host b = backupHost();
        List<io.triad.profile.sfa.Cron.Table> tables = cronTables(b);
        List<String> problems = new ArrayList<>();
        job(b, tables, full, "pg-backup.sh", "full", problems);
        job(b, tables, wal, "pg-backup.sh", "wal", problems);
        job(b, tables, verify, "pg-backup-verify.sh", null, problems);
        none(problems, "the backup schedule on " + b.name());
    }

    /**
     * A cron line with the schedule running the script (with the argument): present, not commented
     * out, in a table cron reads (its name, owner, mode), its script there and executable.
     */
    static void job(Host b, List<io.triad.profile.sfa.Cron.Table> tables, String schedule, String script, String argument, List<String> problems) {
        String what = script + (argument == null ? "" : " " + argument);
        java.util.Optional<io.triad.profile.sfa.Cron.Job> found = io.triad.profile.sfa.Cron.find(tables, schedule, script, argument);
        if (found.isEmpty()) {
            problems.add("no job runs " + what + " at \"" + schedule + "\"");
            return;
        }
        found.get().table().ignoredBecause().forEach(why -> problems.add("the job running " + what + " is in a table cron does not read: " + why));
        found.get().lineIgnoredBecause().ifPresent(why -> problems.add("the job running " + what + " is not run: " + why));
        String user = found.get().user();
        if (user != null && !b.exec("getent passwd " + q(user) + " >/dev/null").ok()) {
            problems.add("the job running " + what + " runs as " + user + ", a user " + b.name() + " does not have: cron runs nothing");
        }
        String path = found.get().script();
        CommandResult x = b.exec(b.asRoot("test -x " + q(path)));
        if (!x.ok()) {
            problems.add("the job at \"" + schedule + "\" runs " + path + ", which is not there or not executable");
        }
    }

    @Then("the newest base backup on the backup host is younger than the full-backup interval and holds the base and WAL archives")
    public void newestBase() {
        Host b = backupHost();
        String dir = settings.baseBackups();
        String out = output(b, "listing the base backups", b.asRoot("ls -1dt " + q(dir) + "/postgres-[0-9]* 2>/dev/null | head -1 | while read d; do "
                + "echo \"$d $(stat -c %Y \"$d\") $(date +%s)\"; ls -1 \"$d\"; done"));
        check(!out.isBlank(), "no base backup (" + dir + "/postgres-<date>) on " + b.name());
        String[] head = out.lines().findFirst().orElse("").split(" ");
        long age = Long.parseLong(head[2]) - Long.parseLong(head[1]);
        List<String> files = out.lines().skip(1).toList();
        zone.evidence().figure("newest base backup's age", age + " s (" + head[0] + ")");
        List<String> problems = new ArrayList<>();
        if (age > settings.fullBackupEvery().toSeconds()) {
            problems.add(head[0] + " is " + Duration.ofSeconds(age) + " old, over the full-backup interval " + settings.fullBackupEvery());
        }
        if (files.stream().noneMatch(f -> f.startsWith("base.tar"))) {
            problems.add(head[0] + " holds no base archive (base.tar*): " + files);
        }
        if (files.stream().noneMatch(f -> f.startsWith("pg_wal.tar"))) {
            problems.add(head[0] + " holds no WAL archive (pg_wal.tar*): it cannot be restored on its own: " + files);
        }
        none(problems, "the newest base backup");
    }

    @Then("the leader's pg_stat_archiver shows no failure since its last archived segment, archived within the RPO")
    public void archiver() {
        Db.NodeState primary = primary(states());
        Host leader = zone.host(primary.node());
        List<List<String>> rows = Db.rows(leader, "postgres", "SELECT archived_count, coalesce(last_archived_wal, ''), "
                + "coalesce(extract(epoch FROM now() - last_archived_time)::bigint, -1), failed_count, coalesce(last_failed_wal, ''), "
                + "coalesce(extract(epoch FROM last_failed_time - last_archived_time)::bigint, -1), current_setting('archive_mode'), "
                + "current_setting('archive_command') <> '' FROM pg_stat_archiver");
        List<String> r = rows.get(0);
        zone.evidence().note("pg_stat_archiver on " + primary.node(), String.join("|", r));
        List<String> problems = new ArrayList<>();
        if (!r.get(6).equals("on") && !r.get(6).equals("always")) {
            problems.add("archive_mode is " + r.get(6));
        }
        long sinceArchived = Long.parseLong(r.get(2));
        if (sinceArchived < 0) {
            problems.add("no segment was ever archived");
        } else {
            zone.evidence().figure("last archived segment's age (pg_stat_archiver)", sinceArchived + " s");
            if (sinceArchived > settings.rpo().toSeconds()) {
                problems.add("the last segment was archived " + sinceArchived + " s ago, over the RPO of " + settings.rpo().toSeconds() + " s");
            }
        }
        if (Long.parseLong(r.get(5)) > 0) {
            problems.add("archiving failed since the last success (" + r.get(4) + ", " + r.get(3) + " failures in all)");
        }
        none(problems, "WAL archiving on " + primary.node());
    }

    @Then("the leader's archive_timeout switches a quiet segment within the RPO")
    public void archiveTimeout() {
        Db.NodeState primary = primary(states());
        long timeout = Long.parseLong(Db.rows(zone.host(primary.node()), "postgres", "SELECT " + ARCHIVE_TIMEOUT).get(0).get(0));
        zone.evidence().figure("archive_timeout on " + primary.node() + " (the longest a quiet segment waits to be archived)", timeout + " s");
        List<String> problems = new ArrayList<>();
        timeoutBounds(timeout, problems);
        none(problems, "WAL archiving on " + primary.node());
    }

    @Then("every replica would archive as the leader does once promoted: archive_mode, archive_command, archive_timeout and the program it runs alike")
    public void archivingAlike() {
        Db.NodeState primary = primary(states());
        Map<String, List<String>> byNode = new LinkedHashMap<>();
        for (Host h : nodes()) {
            List<String> r = new ArrayList<>(Db.rows(h, "postgres", "SELECT current_setting('archive_mode'), current_setting('archive_command'), "
                    + ARCHIVE_TIMEOUT).get(0));
            String program = r.get(1).strip().split("\\s+")[0];
            // what the command runs, as bytes: a program changed on one node archives nothing there
            CommandResult sum = program.startsWith("/") ? h.exec(h.asRoot("sha256sum " + q(program))) : null;
            r.add(sum == null ? "(not a path: " + program + ")" : sum.ok() ? sum.stdout().strip().split("\\s+")[0] : "missing: " + program);
            byNode.put(h.name(), r);
            zone.evidence().note("archiving settings on " + h.name(), String.join(" | ", r));
        }
        List<String> leader = byNode.get(primary.node());
        String[] what = {"archive_mode", "archive_command", "archive_timeout", "archive_command program (sha256)"};
        List<String> problems = new ArrayList<>();
        byNode.forEach((node, r) -> {
            for (int i = 0; i < what.length; i++) {
                if (!r.get(i).equals(leader.get(i))) {
                    problems.add(node + "'s " + what[i] + " is " + r.get(i) + ", the leader " + primary.node() + "'s " + leader.get(i));
                }
            }
        });
        none(problems, "archiving after a failover");
    }

    /** The effective archive_timeout in seconds (0: off), as the server runs it, not as a file says. */
    static final String ARCHIVE_TIMEOUT = "(SELECT setting FROM pg_settings WHERE name = 'archive_timeout')";

    /**
     * A write is archived when its segment is: when 16 MiB of WAL have filled it, or when
     * archive_timeout switches it. On a quiet database only archive_timeout bounds that wait, so
     * the RPO holds only when archive_timeout is on and within it, however fast the pipeline is.
     */
    void timeoutBounds(long timeout, List<String> problems) {
        long rpo = settings.rpo().toSeconds();
        if (timeout <= 0) {
            problems.add("archive_timeout is 0 (off): a write waits in the current WAL segment until 16 MiB of WAL fill it;"
                    + " on a quiet database nothing bounds its wait for the archive by the RPO of " + rpo + " s");
        } else if (timeout >= rpo) {
            problems.add("archive_timeout is " + timeout + " s: a write on a quiet database may wait that long for the archive,"
                    + " not within the RPO of " + rpo + " s");
        }
    }

    @Then("a WAL segment switched on the leader now arrives whole in the backup host's WAL archive within the RPO, the time it took recorded")
    public void switchArrives() {
        Db.NodeState primary = primary(states());
        Host leader = zone.host(primary.node());
        // something to switch away from: a segment with no record is not switched
        Db.rows(leader, settings.database(), MARKER_TABLE + "; INSERT INTO triad_marker (id) VALUES ('rpo-" + System.nanoTime() + "')");
        String segment = Db.rows(leader, "postgres", "SELECT pg_walfile_name(pg_switch_wal())").get(0).get(0);
        Host b = backupHost();
        String path = settings.walArchive() + "/" + segment;
        Duration took = awaitArchived(leader, primary.node(), segment);
        CommandResult size = b.exec(b.asRoot("stat -c %s " + q(path) + " 2>/dev/null"));
        if (size.ok()) {
            check(size.stdout().strip().equals("16777216"), path + " is " + size.stdout().strip() + " bytes, not a whole 16 MiB segment");
        }
        zone.evidence().figure("RPO: a switched segment to the archive on the backup host", took.toMillis() + " ms (objective " + objective(settings.rpo()) + ")");
        // the longest a committed write waits for the archive on a quiet database: archive_timeout's
        // switch, then the pipeline just measured
        long timeout = Long.parseLong(Db.rows(leader, "postgres", "SELECT " + ARCHIVE_TIMEOUT).get(0).get(0));
        List<String> problems = new ArrayList<>();
        timeoutBounds(timeout, problems);
        none(problems, "the RPO on " + primary.node());
        long bound = timeout * 1000 + took.toMillis();
        zone.evidence().figure("RPO: the longest a committed write waits for the archive (archive_timeout " + timeout
                + " s + the switched segment's arrival)", bound + " ms (objective " + objective(settings.rpo()) + ")");
        check(bound <= settings.rpo().toMillis(), "a committed write may wait " + bound + " ms for the archive (archive_timeout "
                + timeout + " s + " + took.toMillis() + " ms to arrive), over the RPO of " + objective(settings.rpo()));
    }

    /** The newest base backup's directory on the backup host (by time, as the runbook's scripts find it). */
    private String newestBaseBackup(Host b) {
        return output(b, "finding the newest base backup", b.asRoot("ls -1dt " + q(settings.baseBackups()) + "/postgres-[0-9]* | head -1")).strip();
    }

    /** The damaged copy laid as the newest base backup, removed by the heal. */
    private String damaged;

    /**
     * A copy of the newest base backup with one file of its base archive changed (PG_VERSION one
     * byte longer), laid as the newest: its archives read whole (gzip, tar), only a check against
     * the backup's manifest sees it. A verification that passes it does not verify what it names.
     */
    @When("a copy of the newest base backup, one file of its base archive changed, is laid as the newest on the backup host")
    public void layDamaged() {
        new io.triad.zone.Nemesis(zone).requireAllowed("damaged-backup");
        Host b = backupHost();
        String newest = newestBaseBackup(b);
        check(!newest.isEmpty(), "no base backup on " + b.name() + " to copy");
        // named after any date a backup can have, so that it is the newest by name as by time
        damaged = settings.baseBackups() + "/postgres-99991231-235959-triad-damaged";
        String dir = damaged;
        zone.faults().applied("a damaged copy of " + newest + " laid as the newest base backup at " + dir, b.name(), java.time.Instant.now(),
                io.triad.zone.Faults.Impact.NONE, () -> b.exec(b.asRoot("rm -rf " + q(dir))).requireOk());
        b.exec(b.asRoot("set -e; s=$(mktemp -d /var/tmp/triad-damaged.XXXXXX); trap 'rm -rf \"$s\"' EXIT; mkdir -p " + q(dir)
                + "; tar -xzf " + q(newest + "/base.tar.gz") + " -C \"$s\"; printf x >> \"$s/PG_VERSION\"; tar -czf " + q(dir + "/base.tar.gz")
                + " -C \"$s\" .; cp " + q(newest + "/pg_wal.tar.gz") + " " + q(newest + "/backup_manifest") + " " + q(dir) + "/; touch " + q(dir)),
                Duration.ofMinutes(3)).requireOk();
    }

    @Then("the weekly verification script fails on it")
    public void verificationRefuses() {
        Host b = backupHost();
        CommandResult r = b.exec(b.asRoot("/usr/local/bin/pg-backup-verify.sh"), Duration.ofMinutes(5));
        zone.evidence().note("pg-backup-verify.sh on " + b.name() + " with " + damaged + " the newest", r.stdout() + r.stderr());
        check(!r.ok(), "pg-backup-verify.sh passed (exit 0) with " + damaged + " the newest, a copy of the newest base backup whose PG_VERSION"
                + " differs from its manifest: it does not verify the backup (" + Db.firstLine(r.stdout()) + ")");
    }

    @Then("the weekly verification script passes on the backup host, naming the newest base backup")
    public void verification() {
        Host b = backupHost();
        CommandResult r = b.exec(b.asRoot("/usr/local/bin/pg-backup-verify.sh"));
        zone.evidence().note("pg-backup-verify.sh on " + b.name(), r.stdout() + r.stderr());
        check(r.ok(), "pg-backup-verify.sh failed on " + b.name() + " (exit " + r.exitCode() + "): " + Db.firstLine(r.stderr().isBlank() ? r.stdout() : r.stderr()));
        String newest = newestBaseBackup(b);
        check(r.stdout().contains(newest), "pg-backup-verify.sh passed without naming the newest base backup " + newest);
    }
}
