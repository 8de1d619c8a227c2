package io.triad.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Volumes whose store lives in this machine's memory: a directory under {@code /dev/shm}
 * (tmpfs) that Docker binds where the volume goes ({@code local} driver, {@code type=none,o=bind}).
 * The node sees a mount of its own, as with a plain volume; the store outlives a crash of its
 * node (a kill and a start of the container keep the directory) and is removed with the zone.
 * <p>
 * Why: a simulated zone's databases write and delete thousands of files (a cluster's first boot,
 * a standby's clone, a backup), and on this machine's root filesystem (ext4 without a journal)
 * every new file's inode is looked for past the recently deleted ones: {@code perf} over a
 * database zone's start put about 12 % of all samples in {@code find_inode_bit},
 * {@code recently_deleted} and their block lookups, under the database's server, its clone and its
 * backup tool (2026-11-27, docs/ci.md). With its stores in memory the same start took 35 to 38 CPU
 * seconds against 42 to 44.
 * <p>
 * Only where a recipe says a store may be in memory ({@link ZoneRecipe#inMemory}: no check reads
 * the filesystem it is on), and only when the harness can keep and remove the directories: the
 * Docker daemon is this machine's, the harness runs as root (the stores' files belong to the
 * nodes' users), and more than {@link #MIN_AVAILABLE} of memory is available (tmpfs pages are
 * not reclaimed without swap). Otherwise, or with {@code TRIAD_MEMORY_VOLUMES=0}, a plain volume.
 */
final class MemoryVolumes {

    private MemoryVolumes() {
    }

    /** Where the stores live: one directory per volume, named as the volume. */
    static final Path ROOT = Path.of("/dev/shm/triad-volumes");

    /** The label on a volume in memory naming its directory (removed with the volume, by close and by the sweep). */
    static final String DIR_LABEL = "triad.memory-dir";

    /** Memory that must be available for a new store in memory (a database node's store is about 200 MB). */
    static final long MIN_AVAILABLE = 4L << 30;

    /** A directory with no volume of that name is an orphan once it is this old (a volume is made within a second of it). */
    static final Duration ORPHAN_AGE = Duration.ofMinutes(5);

    /** Why a new store cannot be in memory now, or empty when it can. */
    static Optional<String> unavailable(Map<String, String> environment) {
        if ("0".equals(environment.get("TRIAD_MEMORY_VOLUMES"))) {
            return Optional.of("TRIAD_MEMORY_VOLUMES=0");
        }
        String dockerHost = environment.getOrDefault("DOCKER_HOST", "");
        if (!dockerHost.isBlank() && !dockerHost.startsWith("unix://")) {
            return Optional.of("the Docker daemon is not this machine's (DOCKER_HOST=" + dockerHost + ")");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("the harness does not run as root (it could not remove the nodes' files)");
        }
        if (!Files.isDirectory(ROOT.getParent()) || !Files.isWritable(ROOT.getParent())) {
            return Optional.of(ROOT.getParent() + " is not a writable directory");
        }
        long available = available();
        if (available < MIN_AVAILABLE) {
            return Optional.of("only " + (available >> 20) + " MiB of memory available");
        }
        return Optional.empty();
    }

    /** MemAvailable from /proc/meminfo, in bytes (0 when it cannot be read). */
    static long available() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    /** The directory of the volume's store, made (empty: Docker fills it from the image at the first mount). */
    static Path make(String volume) {
        Path dir = ROOT.resolve(volume);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot make the store " + dir, e);
        }
        return dir;
    }

    /** The driver options of a volume bound to {@code dir}. */
    static Map<String, String> driverOptions(Path dir) {
        return Map.of("type", "none", "o", "bind", "device", dir.toString());
    }

    /** Removes the store a volume's labels name (nothing when they name none or one outside {@link #ROOT}). */
    static void remove(Map<String, String> labels) {
        String dir = labels == null ? null : labels.get(DIR_LABEL);
        if (dir != null) {
            remove(Path.of(dir));
        }
    }

    /** Removes a store, whole (nothing outside {@link #ROOT}). */
    static void remove(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        if (!d.startsWith(ROOT) || d.equals(ROOT)) {
            return;
        }
        SimulatedTriad.deleteQuietly(d);
    }

    /**
     * Removes the stores whose volume is gone (a harness killed between the two), those older than
     * {@link #ORPHAN_AGE}: a store another process has just made for its volume is left alone.
     * How many it removed.
     */
    static int sweepOrphans(Set<String> volumes, Instant now) {
        return sweepOrphans(ROOT, volumes, now);
    }

    /** As {@link #sweepOrphans(Set, Instant)}, under {@code root}. */
    static int sweepOrphans(Path root, Set<String> volumes, Instant now) {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        int removed = 0;
        try (var dirs = Files.list(root)) {
            for (Path d : dirs.toList()) {
                String name = d.getFileName().toString();
                if (volumes.contains(name)) {
                    continue;
                }
                try {
                    if (Files.getLastModifiedTime(d).toInstant().isAfter(now.minus(ORPHAN_AGE))) {
                        continue;
                    }
                } catch (IOException e) {
                    continue;
                }
                SimulatedTriad.deleteQuietly(d);
                removed++;
            }
        } catch (IOException e) {
            return removed;
        }
        return removed;
    }
}
