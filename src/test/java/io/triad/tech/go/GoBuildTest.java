package io.triad.tech.go;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GoBuild on its command's real outputs (recorded/go-build/README.md): a static linux/amd64 build and a CGO one. */
class GoBuildTest {

    static GoBuild recorded(String name) throws Exception {
        return GoBuild.parse(Files.readString(Path.of("src/test/resources/recorded/go-build", name)));
    }

    @Test
    void theZonesStaticBuildHasNoProblem() throws Exception {
        GoBuild b = recorded("membershipd-unibus-node.txt");
        assertEquals("/opt/unibus/membershipd", b.exe());
        assertEquals("ee904c64d6058e0a40aa25fe5f8e7e6e185093e3e8aab430e9de23972893e99a", b.sha256());
        assertEquals("0", b.settings().get("CGO_ENABLED"));
        assertTrue(b.isStatic());
        assertEquals(List.of(), b.problems("linux", "amd64"));
    }

    @Test
    void aCgoBuildIsNamedTwiceAnotherTargetOnce() throws Exception {
        GoBuild b = recorded("membershipd-cgo.txt");
        assertFalse(b.isStatic());
        List<String> problems = b.problems("linux", "amd64");
        assertEquals(2, problems.size(), problems.toString());
        assertEquals("/tmp/mb/membershipd-cgo was built with CGO_ENABLED=1, not 0", problems.get(0));
        assertTrue(problems.get(1).startsWith("/tmp/mb/membershipd-cgo needs a dynamic loader and the C library (ldd: linux-vdso.so.1"), problems.get(1));
        assertEquals(List.of("/opt/unibus/membershipd was built with GOARCH=amd64, not arm64"), recorded("membershipd-unibus-node.txt").problems("linux", "arm64"));
    }

    @Test
    void aBinaryWithoutBuildInformationIsSaid() {
        GoBuild b = GoBuild.parse("exe /usr/sbin/sshd\nsha256 00\nldd \tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6\n");
        assertEquals(2, b.problems("linux", "amd64").size());
        assertTrue(b.problems("linux", "amd64").get(0).contains("holds no Go build information"));
    }
}
