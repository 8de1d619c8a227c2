package io.triad.probe.parse;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CronLineTest {

    @Test
    void systemCrontabsOfThisMachine() {
        List<CronLine> e2scrub = CronLine.parseFile(Recorded.read("cron.d-e2scrub_all"), true);
        assertEquals(2, e2scrub.size());
        assertEquals(new CronLine("30", "3", "*", "*", "0", Optional.of("root"),
                "test -e /run/systemd/system || SERVICE_MODE=1 /usr/lib/x86_64-linux-gnu/e2fsprogs/e2scrub_all_cron"),
                e2scrub.get(0));
        List<CronLine> mdadm = CronLine.parseFile(Recorded.read("cron.d-mdadm"), true);
        assertEquals(1, mdadm.size(), "comment block skipped");
        assertTrue(mdadm.get(0).command().startsWith("if [ -x /usr/share/mdadm/checkarray ] && [ $(date +\\%d) -le 7 ]"));
    }

    @Test
    void userCrontabMacrosNamesRangesStepsAndEnvironment() {
        List<CronLine> lines = CronLine.parseFile("""
                SHELL=/bin/bash
                MAILTO = ops@triad.test
                # backups
                @daily /opt/bsfg/bin/backup --quiet
                */15 9-17 * jan-mar,dec mon-fri /opt/bsfg/bin/probe
                0 0 1-31/2 * 7 echo sunday
                """, false);
        assertEquals(3, lines.size());
        assertEquals(Optional.of("@daily"), lines.get(0).macro());
        assertEquals("", lines.get(0).hour());
        assertEquals(Optional.empty(), lines.get(0).user());
        assertEquals("/opt/bsfg/bin/backup --quiet", lines.get(0).command());
        assertEquals("jan-mar,dec", lines.get(1).month());
        assertEquals("mon-fri", lines.get(1).dayOfWeek());
        assertEquals(Optional.empty(), lines.get(1).macro());
        assertEquals(Optional.of("root"), CronLine.parse("@reboot root /opt/start", true).user());
    }

    @Test
    void invalidFieldsAreNamed() {
        assertInvalid("60 * * * * root x", true, "invalid minute 60 in '60': must be 0-59");
        assertInvalid("0 24 * * * root x", true, "invalid hour 24 in '24': must be 0-23");
        assertInvalid("0 0 0 * * root x", true, "invalid day of month 0 in '0': must be 1-31");
        assertInvalid("0 0 * 13 * root x", true, "invalid month 13 in '13': must be 1-12");
        assertInvalid("0 0 * foo * root x", true, "invalid month 'foo' in 'foo'");
        assertInvalid("0 0 * * 8 root x", true, "invalid day of week 8 in '8': must be 0-7");
        assertInvalid("*/0 * * * * root x", true, "invalid minute step '0' in '*/0'");
        assertInvalid("5-1 * * * * root x", true, "invalid minute range '5-1': start after end");
        assertInvalid("0 0 * *", false, "missing day of week field");
        assertInvalid("0 0 * * * root", true, "missing command");
        assertInvalid("@fortnightly x", false, "unknown macro '@fortnightly'");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CronLine.parseFile("# jobs\nMAILTO=\"\"\n0 3 * * * root ok\n0 25 * * * root bad\n", true));
        assertEquals("line 4: invalid hour 25 in '25': must be 0-23", e.getMessage());
    }

    private static void assertInvalid(String line, boolean system, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CronLine.parse(line, system));
        assertEquals(message, e.getMessage());
    }
}
