package io.triad.probe.parse;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VersionsTest {

    @Test
    void firstDottedNumberOfEachTool() {
        Map<String, String> expected = Map.ofEntries(
                Map.entry("version-keepalived.txt", "2.2.7"),
                Map.entry("version-openssl.txt", "3.0.19"),
                Map.entry("version-nats-server.txt", "2.12.1"),
                Map.entry("version-rsyslogd.txt", "8.2302.0"),
                Map.entry("version-rclone.txt", "1.60.1"),
                Map.entry("version-smartctl.txt", "7.3"),
                Map.entry("version-mdadm.txt", "4.2"),
                Map.entry("version-mdadm-upstream.txt", "4.2"),
                Map.entry("version-docker.txt", "28.2.2"),
                Map.entry("version-docker-debian.txt", "20.10.24"),
                Map.entry("version-docker-compose.txt", "2.20.2"),
                Map.entry("version-chronyc.txt", "4.3"),
                Map.entry("version-nft.txt", "1.0.6"),
                Map.entry("version-lsblk.txt", "2.38.1"));
        expected.forEach((file, version) ->
                assertEquals(Optional.of(version), Versions.extract(Recorded.read(file), Versions.FIRST_DOTTED), file));
    }

    @Test
    void toolSpecificPatterns() {
        assertEquals(Optional.of("2.2.7"), Versions.extract(Recorded.read("version-keepalived.txt"),
                Pattern.compile("^Keepalived v(\\S+)")));
        assertEquals(Optional.of("1.60.1-DEV"), Versions.extract(Recorded.read("version-rclone.txt"),
                Pattern.compile("rclone v(\\S+)")));
        assertEquals(Optional.of("20.10.24+dfsg1"), Versions.extract(Recorded.read("version-docker-debian.txt"),
                Pattern.compile("Docker version ([^,]+),")));
        assertEquals(Optional.empty(), Versions.extract("bash: keepalived: command not found", Versions.FIRST_DOTTED));
    }

    @Test
    void lenientComparison() {
        assertTrue(Versions.compare("2.2.7", "2.2") > 0);
        assertEquals(0, Versions.compare("2.2", "2.2.0"));
        assertTrue(Versions.compare("3.0.15", "3.0.2") > 0, "numeric, not lexicographic");
        assertEquals(0, Versions.compare("v2.12.1", "2.12.1"));
        assertEquals(0, Versions.compare("1:2.2.7-1+b2", "2.2.7"));
        assertEquals(0, Versions.compare("20.10.24+dfsg1", "20.10.24"));
        assertEquals(0, Versions.compare("1.60.1-DEV", "1.60.1"));
        assertTrue(Versions.atLeast("8.2302.0", "8.2102"));
        assertFalse(Versions.atLeast("2.2.7", "2.3"), "keepalived 2.2.7 is below a 2.3 minimum");
        assertFalse(Versions.atLeast("v2.9.25", "2.10.0"), "nats-server 2.9 is below 2.10");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Versions.compare("unknown", "1.0"));
        assertEquals("not a numeric version: 'unknown'", e.getMessage());
    }
}
