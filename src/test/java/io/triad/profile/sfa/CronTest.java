package io.triad.profile.sfa;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Cron} on the output of its listing as a Debian host prints it (stat's "%U %a %h"). */
class CronTest {

    static final String GOOD = """
            #### /etc/crontab root 644 1
            SHELL=/bin/sh
            17 *	* * *	root    cd / && run-parts --report /etc/cron.hourly

            #### /etc/cron.d/e2scrub_all root 644 1
            30 3 * * 0 root test -e /run/systemd/system || SERVICE_MODE=1 /usr/lib/x86_64-linux-gnu/e2fsprogs/e2scrub_all_cron

            #### /etc/cron.d/pg-backup root 644 1
            # the runbook's schedule
            0 2 * * * root /usr/local/bin/pg-backup.sh full
            0 * * * * root /usr/local/bin/pg-backup.sh wal
            0 3 * * 0 root /usr/local/bin/pg-backup-verify.sh

            #### crontab-l
            """;

    @Test
    void aJobInATableCronReadsIsFoundWithItsScript() {
        List<Cron.Table> tables = Cron.parse(GOOD);
        assertEquals(List.of("/etc/crontab", "/etc/cron.d/e2scrub_all", "/etc/cron.d/pg-backup", "crontab-l"),
                tables.stream().map(Cron.Table::path).toList());
        Cron.Job wal = Cron.find(tables, "0 * * * *", "pg-backup.sh", "wal").orElseThrow();
        assertEquals("/etc/cron.d/pg-backup", wal.table().path());
        assertEquals("/usr/local/bin/pg-backup.sh", wal.script());
        assertEquals(List.of(), wal.table().ignoredBecause());
        assertTrue(Cron.find(tables, "0 3 * * 0", "pg-backup-verify.sh", null).isPresent());
        assertTrue(Cron.find(tables, "0 2 * * *", "pg-backup.sh", "wal").isEmpty(), "the full backup's schedule does not run the WAL job");
    }

    @Test
    void aTableCronDoesNotReadIsNamedWithWhy() {
        assertIgnored("/etc/cron.d/pg-backup.cron root 644 1", "not made of letters");
        assertIgnored("/etc/cron.d/pg-backup postgres 644 1", "owned by postgres");
        assertIgnored("/etc/cron.d/pg-backup root 664 1", "mode 664");
        assertIgnored("/etc/cron.d/pg-backup root 646 1", "mode 646");
        assertIgnored("/etc/cron.d/pg-backup root 644 2", "2 hard links");
        assertIgnored("/etc/crontab root 666 1", "mode 666");
    }

    private static void assertIgnored(String head, String why) {
        String listing = "#### " + head + "\n0 * * * * root /usr/local/bin/pg-backup.sh wal\n\n#### crontab-l\n";
        Cron.Job job = Cron.find(Cron.parse(listing), "0 * * * *", "pg-backup.sh", "wal").orElseThrow();
        List<String> ignored = job.table().ignoredBecause();
        assertEquals(1, ignored.size(), ignored.toString());
        assertTrue(ignored.get(0).contains(why), ignored.get(0));
    }

    @Test
    void anExecutableOrPrivateTableIsRead() {
        for (String head : List.of("/etc/cron.d/pg-backup root 755 1", "/etc/cron.d/pg-backup root 600 1", "/etc/cron.d/pg_backup-2 root 644 1")) {
            String listing = "#### " + head + "\n0 * * * * root /usr/local/bin/pg-backup.sh wal\n\n#### crontab-l\n";
            assertEquals(List.of(), Cron.find(Cron.parse(listing), "0 * * * *", "pg-backup.sh", "wal").orElseThrow().table().ignoredBecause(), head);
        }
    }

    @Test
    void rootsOwnCrontabHasNoUserFieldAndIsRead() {
        String listing = "#### /etc/crontab root 644 1\n\n#### crontab-l\n0 * * * * /usr/local/bin/pg-backup.sh wal\n";
        Cron.Job job = Cron.find(Cron.parse(listing), "0 * * * *", "pg-backup.sh", "wal").orElseThrow();
        assertEquals("crontab-l", job.table().path());
        assertEquals(List.of(), job.table().ignoredBecause());
    }

    @Test
    void aSystemTablesLineWithoutItsUserFieldRunsNothing() {
        Cron.Job good = Cron.find(Cron.parse(GOOD), "0 * * * *", "pg-backup.sh", "wal").orElseThrow();
        assertEquals("root", good.user());
        assertEquals(List.of(), good.notRunBecause());
        for (String head : List.of("/etc/cron.d/pg-backup root 644 1", "/etc/crontab root 644 1")) {
            String listing = "#### " + head + "\n0 * * * * /usr/local/bin/pg-backup.sh wal\n\n#### crontab-l\n";
            Cron.Job job = Cron.find(Cron.parse(listing), "0 * * * *", "pg-backup.sh", "wal").orElseThrow();
            assertEquals(null, job.user(), head);
            assertEquals("/usr/local/bin/pg-backup.sh", job.script());
            assertEquals(1, job.notRunBecause().size(), job.notRunBecause().toString());
            assertTrue(job.notRunBecause().get(0).contains("has no user field"), job.notRunBecause().get(0));
        }
        String asPostgres = "#### /etc/cron.d/pg-backup root 644 1\n0 * * * * postgres /usr/local/bin/pg-backup.sh wal\n\n#### crontab-l\n";
        assertEquals("postgres", Cron.find(Cron.parse(asPostgres), "0 * * * *", "pg-backup.sh", "wal").orElseThrow().user());
        assertEquals("root", Cron.find(Cron.parse("#### crontab-l\n0 * * * * /usr/local/bin/pg-backup.sh wal\n"), "0 * * * *", "pg-backup.sh", "wal")
                .orElseThrow().user(), "root's own crontab has no user field: it runs as root");
    }

    @Test
    void aCommentedOutJobIsNotFound() {
        String listing = "#### /etc/cron.d/pg-backup root 644 1\n# 0 * * * * root /usr/local/bin/pg-backup.sh wal\n\n#### crontab-l\n";
        assertTrue(Cron.find(Cron.parse(listing), "0 * * * *", "pg-backup.sh", "wal").isEmpty());
    }
}
