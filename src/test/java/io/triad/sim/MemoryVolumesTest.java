package io.triad.sim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stores in memory: when they are not used (said, not silent), what the sweep removes and
 * what it leaves (another process's store just made, a store whose volume is there), and that a
 * removal never leaves {@link MemoryVolumes#ROOT}. That a store outlives a crash of its node is
 * not tested here: it rests on Docker binding the same directory again at the container's start
 * (the drills that crash a node run on zones whose stores are in memory).
 */
class MemoryVolumesTest {

    @Test
    void turnedOffOrARemoteDaemonKeepsTheStoresOnDisk() {
        assertEquals("TRIAD_MEMORY_VOLUMES=0", MemoryVolumes.unavailable(Map.of("TRIAD_MEMORY_VOLUMES", "0")).orElseThrow());
        assertTrue(MemoryVolumes.unavailable(Map.of("DOCKER_HOST", "tcp://10.0.0.1:2375")).orElseThrow()
                .contains("not this machine's"));
    }

    @Test
    void theSweepRemovesOnlyOldStoresWithoutTheirVolume(@TempDir Path root) throws Exception {
        Instant now = Instant.now();
        Path orphan = store(root, "triad-a-node1-var-lib-x-1", now.minus(Duration.ofMinutes(6)));
        Path fresh = store(root, "triad-a-node2-var-lib-x-2", now.minus(Duration.ofSeconds(10)));
        Path inUse = store(root, "triad-a-node3-var-lib-x-3", now.minus(Duration.ofHours(1)));
        int removed = MemoryVolumes.sweepOrphans(root, Set.of("triad-a-node3-var-lib-x-3"), now);
        assertEquals(1, removed);
        assertFalse(Files.exists(orphan), "a store with no volume, six minutes old, is an orphan");
        assertTrue(Files.exists(fresh.resolve("data/file")), "a store another process has just made is left");
        assertTrue(Files.exists(inUse.resolve("data/file")), "a store whose volume is there is left");
    }

    @Test
    void aRemovalNeverLeavesTheRoot(@TempDir Path elsewhere) throws Exception {
        Path file = Files.writeString(elsewhere.resolve("keep"), "x");
        MemoryVolumes.remove(elsewhere);
        MemoryVolumes.remove(Map.of(MemoryVolumes.DIR_LABEL, elsewhere.toString()));
        MemoryVolumes.remove(Map.of(MemoryVolumes.DIR_LABEL, MemoryVolumes.ROOT + "/../" + elsewhere.getFileName()));
        MemoryVolumes.remove(MemoryVolumes.ROOT.resolve(".."));
        assertTrue(Files.exists(file));
    }

    private static Path store(Path root, String name, Instant modified) throws Exception {
        Path d = Files.createDirectories(root.resolve(name).resolve("data"));
        Files.writeString(d.resolve("file"), "x");
        Files.setLastModifiedTime(root.resolve(name), FileTime.from(modified));
        return root.resolve(name);
    }
}
