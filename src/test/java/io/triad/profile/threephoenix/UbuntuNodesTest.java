package io.triad.profile.threephoenix;

import io.triad.probe.parse.OsRelease;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * 2.1's judgment on recorded os-release files (src/test/resources/recorded/parse/README.md says
 * where each came from): Ubuntu passes; Debian (the simulated nodes' own, declared not applicable
 * there) and a derivative that names Ubuntu only as ID_LIKE fail, each saying what it runs.
 */
class UbuntuNodesTest {
    private static OsRelease recorded(String name) throws Exception {
        return OsRelease.parse(Files.readString(Path.of("src/test/resources/recorded/parse", name)));
    }

    @Test
    void ubuntuPasses() throws Exception {
        assertEquals(Optional.empty(), UbuntuNodes.problem("phoenix-a", recorded("os-release-ubuntu1804.txt")));
    }

    @Test
    void debianFails() throws Exception {
        assertEquals(Optional.of("phoenix-b runs Debian GNU/Linux 12 (bookworm) (ID=debian), not Ubuntu"),
                UbuntuNodes.problem("phoenix-b", recorded("os-release-debian12.txt")));
    }

    @Test
    void aDerivativeIsAnotherSystem() throws Exception {
        assertEquals(Optional.of("phoenix-c runs Linux Mint 19.1 (ID=linuxmint, ID_LIKE=ubuntu), not Ubuntu"),
                UbuntuNodes.problem("phoenix-c", recorded("os-release-linuxmint19.txt")));
    }
}
