package io.triad.mutants;

import io.triad.env.Environment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mutants as one queue that several lanes take from (make mutants), and a mutant moved beside
 * its file's subnets: no mutant is taken twice or lost when lanes take at once, one never taken or
 * never finished counts as not caught, and a moved mutant's overlays and messages name the moved
 * addresses and nothing else changes.
 */
class MutantQueueTest {

    static final Path ROOT = Path.of(System.getProperty("triad.root", ".")).toAbsolutePath();

    private static List<MutantQueue.Entry> entries(Mutants catalog) {
        List<MutantQueue.Entry> out = new ArrayList<>();
        double s = 100;
        for (Mutants.Mutant m : catalog.mutants()) {
            out.add(new MutantQueue.Entry("", catalog.path(), m.name(), s--));
        }
        return out;
    }

    @Test
    void lanesTakingAtOnceTakeEveryMutantExactlyOnce(@TempDir Path dir) throws Exception {
        Mutants catalog = Mutants.load(ROOT.resolve("fixtures/mutants/catalog.yaml"));
        MutantQueue.fill(dir, entries(catalog));
        int lanes = 6;
        List<String> taken = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(lanes);
        for (int i = 0; i < lanes; i++) {
            pool.submit(() -> {
                go.await();
                for (Optional<MutantQueue.Entry> e = MutantQueue.take(dir); e.isPresent(); e = MutantQueue.take(dir)) {
                    taken.add(e.get().mutant());
                }
                return null;
            });
        }
        go.countDown();
        pool.shutdown();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        List<String> expected = catalog.mutants().stream().map(Mutants.Mutant::name).sorted().toList();
        assertEquals(expected, taken.stream().sorted().toList(), "every mutant taken once, none twice");
    }

    @Test
    void aLightLaneTakesOnlyMutantsMeasuredLightAndLeavesTheRestToTheOthers(@TempDir Path dir) {
        Mutants catalog = Mutants.load(ROOT.resolve("fixtures/mutants/catalog.yaml"));
        List<Mutants.Mutant> m = catalog.mutants();
        // the queue's order: heavy (0.6 of a core), light (0.2), not measured, light at the bound (0.3), in place not measured
        MutantQueue.fill(dir, List.of(
                new MutantQueue.Entry("", catalog.path(), m.get(0).name(), 90, false, 0.6),
                new MutantQueue.Entry("", catalog.path(), m.get(1).name(), 80, false, 0.2),
                new MutantQueue.Entry("", catalog.path(), m.get(2).name(), 70),
                new MutantQueue.Entry("", catalog.path(), m.get(3).name(), 60, false, 0.3),
                new MutantQueue.Entry("", catalog.path(), m.get(4).name(), 50, true, 0)));
        List<String> light = new ArrayList<>();
        for (Optional<MutantQueue.Entry> e = MutantQueue.take(dir, null, 0.3); e.isPresent(); e = MutantQueue.take(dir, null, 0.3)) {
            light.add(e.get().mutant());
            assertEquals(e.get().mutant().equals(m.get(1).name()) ? 0.2 : 0.3, e.get().cpuShare(), "the share read back from the queue");
        }
        assertEquals(List.of(m.get(1).name(), m.get(3).name()), light, "the light ones, in the queue's order, and nothing else");
        List<String> rest = new ArrayList<>();
        for (Optional<MutantQueue.Entry> e = MutantQueue.take(dir); e.isPresent(); e = MutantQueue.take(dir)) {
            rest.add(e.get().mutant());
        }
        assertEquals(List.of(m.get(0).name(), m.get(2).name(), m.get(4).name()), rest,
                "a lane that is not light takes the heavy, the unmeasured and the one in place");
    }

    @Test
    void theQueueIsTakenInItsOrderAndWhatNoLaneFinishedIsNotCaught(@TempDir Path dir) {
        Mutants catalog = Mutants.load(ROOT.resolve("fixtures/mutants/catalog.yaml"));
        List<MutantQueue.Entry> all = entries(catalog);
        MutantQueue.fill(dir, all.subList(0, 3));
        MutantQueue.Entry first = MutantQueue.take(dir).orElseThrow();
        assertEquals(all.get(0).mutant(), first.mutant(), "the first entry is taken first");
        Mutants.Mutant m = catalog.mutants().get(0);
        MutantQueue.done(dir, first, catalog.name(), new Mutants.Outcome(m, true, "the scenario", "the message", Duration.ofSeconds(42)), "1");
        MutantQueue.take(dir).orElseThrow(); // taken, its lane never finishes it; the third is never taken

        List<Mutants.Outcome> outcomes = MutantQueue.outcomes(dir).get(catalog.name());
        assertEquals(3, outcomes.size());
        assertTrue(outcomes.get(0).caught());
        assertEquals(Duration.ofSeconds(42), outcomes.get(0).took());
        assertTrue(outcomes.get(0).message().contains("[lane 1]"), outcomes.get(0).message());
        assertFalse(outcomes.get(1).caught());
        assertTrue(outcomes.get(1).message().startsWith("not run to its end"), outcomes.get(1).message());
        assertFalse(outcomes.get(2).caught());
        assertTrue(outcomes.get(2).message().startsWith("not run: no lane took it"), outcomes.get(2).message());
    }

    @Test
    void aMovedMutantNamesTheMovedAddressesInItsOverlaysAndMessages(@TempDir Path dir) throws Exception {
        Path overlay = dir.resolve("overlay");
        Files.createDirectories(overlay.resolve("etc/app"));
        Files.writeString(overlay.resolve("etc/app/peers.conf"), "peer 10.213.77.12:9443\nself 10.213.77.11\nother 10.214.77.1\n");
        Files.setPosixFilePermissions(overlay.resolve("etc/app/peers.conf"), PosixFilePermissions.fromString("rwxr-x---"));
        byte[] binary = {0x7f, 'E', 'L', 'F', 0, '1', '0', '.', '2', '1', '3', '.', '7', '7', '.', '1'};
        Files.write(overlay.resolve("etc/app/blob"), binary);
        Files.createSymbolicLink(overlay.resolve("etc/app/link"), Path.of("peers.conf"));
        Mutants.Mutant m = new Mutants.Mutant("peer-moved", "a peer", Map.of("alpha", overlay), Map.of(), "@runbook:1.1", "the scenario",
                List.of("beta (10.213.77.12:9443 takes a connection)", "no address"));

        Mutants.Mutant moved = Mutants.beside(m, 30, dir.resolve("scratch"));
        Path copy = moved.overlays().get("alpha");
        assertEquals("peer 10.213.107.12:9443\nself 10.213.107.11\nother 10.214.77.1\n",
                Files.readString(copy.resolve("etc/app/peers.conf"), StandardCharsets.UTF_8));
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(copy.resolve("etc/app/peers.conf"))));
        assertArrayEquals(binary, Files.readAllBytes(copy.resolve("etc/app/blob")), "a binary file is copied as it is");
        assertEquals(Path.of("peers.conf"), Files.readSymbolicLink(copy.resolve("etc/app/link")));
        assertEquals(List.of("beta (10.213.107.12:9443 takes a connection)", "no address"), moved.message());
        assertEquals(m.scenarios(), moved.scenarios());
        assertEquals(m.caughtBy(), moved.caughtBy());
        assertTrue(Mutants.beside(m, 0, dir) == m, "offset 0 is the mutant itself");
    }

    @Test
    void theScratchCopiesOfALaneWhoseProcessEndedAreSweptAndALiveLanesKept() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Path dead = Files.createDirectories(tmp.resolve(Mutants.SCRATCH + ended.pid() + "-1"));
        Files.createDirectories(dead.resolve("m/alpha/etc"));
        Path live = Files.createDirectories(tmp.resolve(Mutants.SCRATCH + ProcessHandle.current().pid() + "-2"));
        try {
            Mutants.sweepScratch();
            assertFalse(Files.exists(dead), "the copies of a lane that ended are swept");
            assertTrue(Files.exists(live), "a live lane's copies are kept");
        } finally {
            Mutants.deleteTree(live);
            Mutants.deleteTree(dead);
        }
    }

    @Test
    void aMovedMutantsEnvironmentIsOnTheMovedSubnetsWithItsSettings() {
        Mutants catalog = Mutants.load(ROOT.resolve("fixtures/three-phoenix/mutants/catalog.yaml"));
        Mutants.Mutant m = catalog.mutants().stream().filter(x -> x.name().equals("backup-older-than-policy")).findFirst().orElseThrow();
        Environment plain = catalog.environment(m);
        Environment moved = catalog.environment(m, 40);
        assertEquals(plain.zone() + "-m40", moved.zone());
        for (int i = 0; i < plain.hosts().size(); i++) {
            String[] o = plain.hosts().get(i).address().toString().split("\\.");
            assertEquals(o[0] + "." + o[1] + "." + (Integer.parseInt(o[2]) + 40) + "." + o[3], moved.hosts().get(i).address().toString());
        }
        assertEquals(plain.simulation().subnet().toString().replace("10.213.80.", "10.213.120."), moved.simulation().subnet().toString());
    }
}
