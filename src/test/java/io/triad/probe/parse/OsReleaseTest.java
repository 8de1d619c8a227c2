package io.triad.probe.parse;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OsReleaseTest {

    @Test
    void thisMachine() {
        OsRelease os = OsRelease.parse(Recorded.read("os-release-debian12.txt"));
        assertEquals("debian", os.id());
        assertEquals("12", os.versionId());
        assertEquals("Debian GNU/Linux 12 (bookworm)", os.prettyName());
        assertEquals(Optional.of("bookworm"), os.get("VERSION_CODENAME"));
    }

    @Test
    void ubuntuAndSidWithoutVersionId() {
        OsRelease ubuntu = OsRelease.parse(Recorded.read("os-release-ubuntu2204.txt"));
        assertEquals("ubuntu", ubuntu.id());
        assertEquals("22.04", ubuntu.versionId());
        assertEquals(Optional.of("debian"), ubuntu.get("ID_LIKE"));
        OsRelease sid = OsRelease.parse(Recorded.read("os-release-debian-sid.txt"));
        assertEquals("", sid.versionId(), "testing/sid has no VERSION_ID");
        assertNotEquals("12", sid.versionId(), "so a 'Debian 12' check fails");
    }

    @Test
    void malformed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OsRelease.parse("ID=debian\ncat: /etc/os-release: No such file or directory\n"));
        assertEquals("line 2: not a KEY=value assignment: 'cat: /etc/os-release: No such file or directory'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OsRelease.parse("ID=debian\nPRETTY_NAME=\"Debian\n"));
        assertTrue(e.getMessage().startsWith("line 2: unterminated double quote"), e.getMessage());
        assertEquals("a \"b\" $c", OsRelease.parse("NAME=\"a \\\"b\\\" \\$c\"").get("NAME").orElseThrow());
    }
}
