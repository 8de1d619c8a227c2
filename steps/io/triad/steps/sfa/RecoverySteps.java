package io.triad.steps.sfa;

import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.tech.postgres.Db;
import io.triad.zone.Nemesis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * backup.3: the runbook's point-in-time recovery test, on the backup host: rows written before and
 * after a target time on the leader, the newest base backup unpacked into a scratch instance with
 * the WAL archive as its restore_command and the target time as its recovery target, the rows
 * counted there, the recovery's duration held against the RTO. The scratch instance listens on its
 * own socket only and never archives; it and the rows are removed afterwards.
 */
public class RecoverySteps extends SfaSupport {
    public RecoverySteps(io.triad.run.Run run) {
        super(run);
    }

    static final String TABLE = "triad_pitr";
    static final int SCRATCH_PORT = 5499;

    private int before;
    private int after;
    private String target;
    private String scratch;
    private Duration recovery;

    @When("{int} rows are written on the leader before a target time and {int} after it, and the WAL holding them is archived")
    public void rows(int rowsBefore, int rowsAfter) {
        new Nemesis(zone).requireAllowed("pitr-test");
        Db.NodeState primary = primary(states());
        Host leader = zone.host(primary.node());
        before = rowsBefore;
        after = rowsAfter;
        zone.faults().applied("the point-in-time recovery test's rows (" + TABLE + ")", leader.name(), Instant.now(), io.triad.zone.Faults.Impact.NONE,
                () -> zone.host(primary(states()).node()).exec(zone.host(primary(states()).node()).asRoot(Db.psql(settings.database(),
                        "DROP TABLE IF EXISTS " + TABLE))));
        Db.rows(leader, settings.database(), "DROP TABLE IF EXISTS " + TABLE + "; CREATE TABLE " + TABLE + " (id int PRIMARY KEY, side text NOT NULL)");
        Db.rows(leader, settings.database(), "INSERT INTO " + TABLE + " SELECT g, 'before' FROM generate_series(1, " + rowsBefore + ") g");
        target = Db.rows(leader, settings.database(), "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'")
                .get(0).get(0);
        Db.rows(leader, settings.database(), "INSERT INTO " + TABLE + " SELECT g, 'after' FROM generate_series(" + (rowsBefore + 1) + ", "
                + (rowsBefore + rowsAfter) + ") g");
        String segment = Db.rows(leader, "postgres", "SELECT pg_walfile_name(pg_switch_wal())").get(0).get(0);
        awaitArchived(leader, primary.node(), segment);
        zone.evidence().note("target time", target + " (the leader's clock, between the " + rowsBefore + " rows before and the " + rowsAfter
                + " after; the segment holding them, " + segment + ", archived)");
    }

    @When("the newest base backup is restored into a scratch instance on the backup host, recovering to the target time from the WAL archive")
    public void restore() {
        Host b = backupHost();
        scratch = "/var/tmp/triad-pitr-" + Long.toString(System.nanoTime(), 36);
        zone.faults().applied("the point-in-time recovery's scratch instance " + scratch, b.name(), Instant.now(), io.triad.zone.Faults.Impact.NONE,
                () -> b.exec(b.asRoot("{ " + Db.binDirOf(scratch) + " && runuser -u postgres -- \"$bin/pg_ctl\" -D " + q(scratch)
                        + " stop -m immediate; } >/dev/null 2>&1; rm -rf " + q(scratch))));
        String script = """
                set -euo pipefail
                scratch=%1$s
                newest=$(ls -1dt %2$s/postgres-[0-9]* | head -1)
                echo "base backup: $newest"
                install -d -m 0700 -o postgres -g postgres "$scratch"
                runuser -u postgres -- tar -xzf "$newest/base.tar.gz" -C "$scratch"
                rm -f "$scratch/postgresql.auto.conf" "$scratch/standby.signal" "$scratch/postmaster.pid"
                %7$s
                cat > "$scratch/postgresql.conf" <<CONF
                # the point-in-time recovery test's scratch instance: its own socket only, never archiving
                listen_addresses = ''
                port = %3$d
                unix_socket_directories = '$scratch'
                hba_file = '$scratch/pg_hba.conf'
                ident_file = '$scratch/pg_ident.conf'
                archive_mode = off
                restore_command = 'cp %4$s/%%f %%p'
                recovery_target_time = '%5$s'
                recovery_target_action = 'promote'
                hot_standby = on
                max_connections = 100
                max_wal_senders = 10
                max_replication_slots = 10
                shared_buffers = 32MB
                CONF
                printf 'local all all peer\\n' > "$scratch/pg_hba.conf"
                : > "$scratch/pg_ident.conf"
                chown postgres:postgres "$scratch/postgresql.conf" "$scratch/pg_hba.conf" "$scratch/pg_ident.conf"
                touch "$scratch/recovery.signal" && chown postgres:postgres "$scratch/recovery.signal"
                cd / && runuser -u postgres -- "$bin/pg_ctl" -D "$scratch" -l "$scratch/recovery.log" -w -t %6$d start
                """.formatted(q(scratch), settings.baseBackups(), SCRATCH_PORT, settings.walArchive(), target, settings.rto().toSeconds(), Db.binDirOf(scratch));
        Instant t0 = Instant.now();
        CommandResult r = b.exec(b.asRoot("bash -c " + q(script)), settings.rto().plusMinutes(1));
        try {
            check(r.ok(), "the scratch instance did not recover and start from the newest base backup and the WAL archive " + settings.walArchive()
                    + " (exit " + r.exitCode() + "): " + Db.firstLine(r.stderr().isBlank() ? r.stdout() : r.stderr())
                    + " (its log is in the evidence)");
            // pg_ctl -w returns once the instance accepts connections: with hot_standby that is at the
            // consistent state, before the replay has reached the target. The recovery is over when
            // the instance has promoted itself at the target (recovery_target_action = 'promote').
            long left = Math.max(1, settings.rto().minus(Duration.between(t0, Instant.now())).toSeconds());
            within((int) left, "the scratch instance recovered to the target time and promoted", () -> {
                CommandResult q = scratchSql("SELECT pg_is_in_recovery()");
                if (!q.ok() && !b.exec(b.asRoot(Db.binDirOf(scratch) + " && runuser -u postgres -- \"$bin/pg_ctl\" -D " + q(scratch) + " status")).ok()) {
                    throw new io.triad.zone.Within.Decided("the scratch instance stopped during its recovery from the WAL archive " + settings.walArchive() + " (its log is in the evidence): "
                            + Db.firstLine(q.stderr()));
                }
                check(q.ok() && q.stdout().strip().equals("f"), "still replaying WAL: " + (q.ok() ? "in recovery" : Db.firstLine(q.stderr())));
            });
            recovery = Duration.between(t0, Instant.now());
        } finally {
            zone.evidence().note("the recovery's log", b.exec(b.asRoot("tail -n 15 " + q(scratch + "/recovery.log"))).stdout());
        }
    }

    /** One statement on the scratch instance, over its own socket, as postgres. */
    private CommandResult scratchSql(String sql) {
        Host b = backupHost();
        return b.exec(b.asRoot("cd / && runuser -u postgres -- psql -XAtq -F '|' -h " + q(scratch) + " -p " + SCRATCH_PORT + " -d "
                + q(settings.database()) + " -c " + q(sql)));
    }

    @Then("every row written before the target time is there and none written after it, the recovery within the RTO")
    public void judged() {
        CommandResult r = scratchSql("SELECT count(*) FILTER (WHERE side = 'before'), count(*) FILTER (WHERE side = 'after') FROM " + TABLE);
        check(r.ok(), "the scratch instance does not answer: " + Db.firstLine(r.stderr()));
        String[] counts = r.stdout().strip().split("\\|");
        int foundBefore = Integer.parseInt(counts[0]);
        int foundAfter = Integer.parseInt(counts[1]);
        zone.evidence().figure("RTO: point-in-time recovery, base backup unpacked to the instance promoted at the target", recovery.toMillis() + " ms (objective "
                + objective(settings.rto()) + ")");
        zone.evidence().figure("rows in the recovered instance", foundBefore + " of " + before + " before the target, " + foundAfter + " of " + after + " after");
        check(foundBefore == before, "the recovered instance has " + foundBefore + " of the " + before + " rows written before the target time");
        check(foundAfter == 0, "the recovered instance has " + foundAfter + " rows written after the target time: it recovered past it");
        check(recovery.compareTo(settings.rto()) <= 0, "the recovery took " + recovery.toSeconds() + " s, beyond the RTO of " + settings.rto().toSeconds() + " s");
    }
}
