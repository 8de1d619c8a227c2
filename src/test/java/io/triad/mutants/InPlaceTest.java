package io.triad.mutants;

import io.triad.env.InputError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mutants laid in place, without a zone: what the catalog may say ({@code in_place} lists units, [] for files no
 * unit reads, never with settings), what is restarted, what taking a mutant off runs, what counts as changed, and the
 * queue's preference for the catalog whose zone a lane holds. {@link MutantInPlaceZoneTest} lays
 * them on a real zone.
 */
class InPlaceTest {

    static final Path ROOT = Path.of(System.getProperty("triad.root", ".")).toAbsolutePath();

    @TempDir
    Path dir;

    private Path catalog(String mutant) throws Exception {
        Files.createDirectories(dir.resolve("overlay/etc"));
        return Files.writeString(dir.resolve("catalog.yaml"), """
                base: %s
                mutants:
                %s
                """.formatted(ROOT.resolve("environments/bsfg-triad/simulated.yaml"), mutant.indent(2)));
    }

    @Test
    void theCatalogSaysWhichMutantsAreLaidInPlaceAndRefusesWhatCannotBe() throws Exception {
        Mutants ok = Mutants.load(catalog("""
                - name: laid
                  broken: b
                  overlays: { beta: overlay }
                  in_place: [keepalived.service, pg-publish.socket]
                  scenarios: "@runbook:4.2"
                - name: fresh
                  broken: b
                  overlays: { beta: overlay }
                  scenarios: "@runbook:4.2"
                """));
        assertEquals(List.of("keepalived.service", "pg-publish.socket"), ok.mutant("laid").restart());
        assertTrue(ok.mutant("laid").inPlace());
        assertFalse(ok.mutant("fresh").inPlace(), "no in_place: a fresh zone of its own");

        // with settings: laid on a zone built with them, shared only by the mutants in place that set the same
        Mutants withSet = Mutants.load(catalog("""
                - name: set-too
                  broken: b
                  overlays: { beta: overlay }
                  set: { thresholds.backup_freshness: 1s, simulation.settle_deadline: 20s }
                  in_place: [cron.service]
                  scenarios: "@runbook:7.1"
                - name: same-settings
                  broken: b
                  overlays: { beta: overlay }
                  set: { simulation.settle_deadline: 20s, thresholds.backup_freshness: 1s }
                  in_place: [cron.service]
                  scenarios: "@runbook:7.1"
                - name: other-settings
                  broken: b
                  overlays: { beta: overlay }
                  set: { thresholds.backup_freshness: 2s, simulation.settle_deadline: 20s }
                  in_place: [cron.service]
                  scenarios: "@runbook:7.1"
                """));
        assertTrue(withSet.mutant("set-too").inPlace());
        assertEquals("simulation.settle_deadline=20s, thresholds.backup_freshness=1s", withSet.mutant("set-too").inPlaceGroup());
        assertEquals(withSet.mutant("set-too").inPlaceGroup(), withSet.mutant("same-settings").inPlaceGroup(), "the same settings in another order");
        assertNotEquals(withSet.mutant("set-too").inPlaceGroup(), withSet.mutant("other-settings").inPlaceGroup());
        assertEquals("", ok.mutant("laid").inPlaceGroup(), "no settings: the catalog's base zone");
        // the zone they are laid on has the settings and none of the overlays
        io.triad.env.Environment inPlaceEnv = withSet.inPlaceEnvironment(withSet.mutant("set-too"), 0);
        assertEquals(java.time.Duration.ofSeconds(20), inPlaceEnv.simulation().settleDeadline().orElseThrow());
        assertTrue(inPlaceEnv.simulation().overlays().isEmpty(), "no overlay on the zone mutants are laid on: " + inPlaceEnv.simulation().overlays());
        InputError notUnit = assertThrows(InputError.class, () -> Mutants.load(catalog("""
                - name: not-a-unit
                  broken: b
                  overlays: { beta: overlay }
                  in_place: [keepalived]
                  scenarios: "@runbook:4.2"
                """)));
        assertTrue(notUnit.getMessage().contains("'keepalived', not a systemd unit"), notUnit.getMessage());
        // files no unit reads (a stray secret): laid in place, nothing restarted
        Mutants filesOnly = Mutants.load(catalog("""
                - name: nothing-listed
                  broken: b
                  overlays: { beta: overlay }
                  in_place: []
                  scenarios: "@runbook:4.2"
                """));
        assertTrue(filesOnly.mutant("nothing-listed").inPlace());
        assertEquals(List.of(), filesOnly.mutant("nothing-listed").restart());
        assertEquals("systemctl daemon-reload", InPlace.restartScript(Map.of()));
        InputError notList = assertThrows(InputError.class, () -> Mutants.load(catalog("""
                - name: not-a-list
                  broken: b
                  overlays: { beta: overlay }
                  in_place: cron.service
                  scenarios: "@runbook:4.2"
                """)));
        assertTrue(notList.getMessage().contains("must list the units"), notList.getMessage());
    }

    @Test
    void theUnitsThatRanAreRestartedThoseTheOverlayAddsStartedAndTheOthersLeftAlone() {
        Map<String, String> states = new LinkedHashMap<>();
        states.put("keepalived.service", "loaded active");
        states.put("pg-publish.socket", "not-found inactive");
        states.put("bsfg-controller.service", "loaded inactive"); // started by a promotion only: never by a mutant's start
        String script = InPlace.restartScript(states);
        assertEquals("systemctl daemon-reload && systemctl restart --no-block 'keepalived.service'"
                + " && systemctl start --no-block 'pg-publish.socket'", script);
        assertFalse(script.contains("bsfg-controller"), script);
    }

    @Test
    void takingAMutantOffStopsItsUnitsRemovesItsFilesPutsBackTheSavedAndTheDirectoriesItMade() {
        Map<String, String> states = new LinkedHashMap<>();
        states.put("nginx.service", "loaded active");
        InPlace.Overlay o = new InPlace.Overlay(List.of("/etc/systemd/system/nginx.service.d/mutant.conf", "/etc/nginx/x.conf"),
                List.of("/etc/systemd", "/etc/systemd/system/nginx.service.d"), states, "", "");
        String script = InPlace.takeOffScript(o);
        assertTrue(script.startsWith("cd /; systemctl stop 'nginx.service' 2>/dev/null; rm -f '/etc/systemd/system/nginx.service.d/mutant.conf'"
                + " '/etc/nginx/x.conf'; tar -xpf " + InPlace.DIR + "/mutant.tar; "), script);
        assertTrue(script.indexOf("rmdir '/etc/systemd/system/nginx.service.d'") < script.indexOf("rmdir '/etc/systemd'"),
                "the deepest directory first: " + script);
    }

    @Test
    void aUnitTheMutantAddedIsResetWhenTakenOffSoThatItsFailedStateDoesNotOutliveItsFile() {
        Map<String, String> states = new LinkedHashMap<>();
        states.put("bsfg-relay.service", "not-found inactive"); // the mutant's own unit
        states.put("keepalived.service", "loaded failed"); // failed before the mutant: left as it was
        InPlace.Overlay o = new InPlace.Overlay(List.of("/etc/systemd/system/bsfg-relay.service"), List.of(), states, "", "");
        String script = InPlace.takeOffScript(o);
        assertTrue(script.contains("tar -xpf " + InPlace.DIR + "/mutant.tar; systemctl reset-failed 'bsfg-relay.service' 2>/dev/null; "), script);
        assertFalse(script.contains("reset-failed 'keepalived.service'"), script);
    }

    @Test
    void whatChangedIsEveryPathWhoseFingerprintLineIsNew() {
        String was = "644 0 0 aaa /etc/a\nabsent /etc/b\nlink x /etc/c\n";
        String now = "600 0 0 aaa /etc/a\n644 0 0 bbb /etc/b\nlink x /etc/c\n";
        assertEquals(List.of("/etc/a", "/etc/b"), InPlace.changedPaths(was, now));
        assertEquals(List.of(), InPlace.changedPaths(was, was));
        assertEquals("600 0 0 aaa /etc/a, 644 0 0 bbb /etc/b", InPlace.differences(was, now));
        assertEquals(Set.of("/etc/x", "/opt/y"), InPlace.parentsOf(List.of("/etc/x/a", "/etc/x/b", "/opt/y/c")));
    }

    @Test
    void theFingerprintOfFilesIsTheirModeOwnerAndContentTheirLinkTargetOrTheirAbsence() throws Exception {
        Path file = Files.writeString(dir.resolve("a.conf"), "x = 1\n");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        Path link = Files.createSymbolicLink(dir.resolve("b.link"), Path.of("a.conf"));
        Path absent = dir.resolve("c.missing");
        List<String> paths = List.of(file.toString(), link.toString(), absent.toString());
        // the real find and sha256sum of this machine, as on a node
        String first = InPlace.fingerprintOf(paths, sh(InPlace.fingerprintCommand(paths)));
        int uid = (Integer) Files.getAttribute(file, "unix:uid");
        int gid = (Integer) Files.getAttribute(file, "unix:gid");
        List<String> lines = first.lines().toList();
        assertEquals(3, lines.size(), first);
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest("x = 1\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals("640 " + uid + " " + gid + " " + sha + " " + file, lines.get(0));
        assertEquals("link a.conf " + link, lines.get(1));
        assertEquals("absent " + absent, lines.get(2));
        assertEquals(first, InPlace.fingerprintOf(paths, sh(InPlace.fingerprintCommand(paths))), "the same files, the same fingerprint");

        Files.writeString(file, "x = 2\n"); // content changed, mode kept
        String changed = InPlace.fingerprintOf(paths, sh(InPlace.fingerprintCommand(paths)));
        assertEquals(List.of(file.toString()), InPlace.changedPaths(first, changed));
        Files.writeString(file, "x = 1\n");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--")); // mode changed
        assertEquals(List.of(file.toString()), InPlace.changedPaths(first, InPlace.fingerprintOf(paths, sh(InPlace.fingerprintCommand(paths)))));
        Files.writeString(absent, ""); // a file where there was none
        assertTrue(InPlace.changedPaths(first, InPlace.fingerprintOf(paths, sh(InPlace.fingerprintCommand(paths)))).contains(absent.toString()));
    }

    private static String sh(String command) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), command);
        return out;
    }

    @Test
    void aLaneHoldingACatalogsZoneTakesThatCatalogsMutantsInPlaceFirst() {
        Path a = ROOT.resolve("fixtures/mutants/catalog.yaml");
        Path b = ROOT.resolve("fixtures/sfa/mutants/catalog.yaml");
        Path queue = dir.resolve("queue");
        MutantQueue.fill(queue, List.of(new MutantQueue.Entry("", a, "one", 90, false), new MutantQueue.Entry("", a, "two", 80, true),
                new MutantQueue.Entry("", b, "three", 70, false), new MutantQueue.Entry("", b, "four", 60, true),
                new MutantQueue.Entry("", b, "five", 50, true)));
        assertEquals("four", MutantQueue.take(queue, b).map(MutantQueue.Entry::mutant).orElseThrow(), "its catalog's first laid in place");
        Optional<MutantQueue.Entry> next = MutantQueue.take(queue, b);
        assertEquals("five", next.map(MutantQueue.Entry::mutant).orElseThrow());
        assertTrue(next.get().inPlace());
        assertEquals("one", MutantQueue.take(queue, b).map(MutantQueue.Entry::mutant).orElseThrow(), "none left of it: the queue's order");
        assertEquals("two", MutantQueue.take(queue, null).map(MutantQueue.Entry::mutant).orElseThrow());
        assertEquals("three", MutantQueue.take(queue, a).map(MutantQueue.Entry::mutant).orElseThrow(), "a's in place taken: the order");
        assertTrue(MutantQueue.take(queue, a).isEmpty());
    }

    @Test
    void theMutantsOfAZoneInPlaceGoToTheLaneThatClaimedItAndToOthersOnlyWhenNothingElseIsLeft() {
        Path b = ROOT.resolve("fixtures/sfa/mutants/catalog.yaml");
        Path queue = dir.resolve("queue-claims");
        String kube = "sfa.kubernetes.simulate=true";
        MutantQueue.fill(queue, List.of(new MutantQueue.Entry("", b, "kube-a", 90, true, -1, kube),
                new MutantQueue.Entry("", b, "fresh-b", 80, false, -1, ""), new MutantQueue.Entry("", b, "kube-c", 70, true, -1, kube),
                new MutantQueue.Entry("", b, "plain-d", 65, true, -1, ""), new MutantQueue.Entry("", b, "fresh-e", 60, false, -1, "")));
        MutantQueue.Entry first = MutantQueue.takeForLane(queue, "1", null, null).orElseThrow();
        assertEquals("kube-a", first.mutant());
        assertEquals(kube, first.group(), "the group read back from the queue");
        // lane 2 leaves kube-c to lane 1, which claimed its zone; plain-d's zone is nobody's: lane 2 claims it
        assertEquals("fresh-b", MutantQueue.takeForLane(queue, "2", null, null).orElseThrow().mutant());
        assertEquals("plain-d", MutantQueue.takeForLane(queue, "2", null, null).orElseThrow().mutant());
        assertEquals("fresh-e", MutantQueue.takeForLane(queue, "3", null, null).orElseThrow().mutant(), "kube-c is lane 1's");
        // nothing else left: another lane takes it rather than stand idle
        assertEquals("kube-c", MutantQueue.takeForLane(queue, "3", null, null).orElseThrow().mutant());
        assertTrue(MutantQueue.takeForLane(queue, "3", null, null).isEmpty());
    }

    @Test
    void aLaneThatGivesItsClaimUpLeavesTheZonesMutantsToTheOthers() {
        Path b = ROOT.resolve("fixtures/sfa/mutants/catalog.yaml");
        Path queue = dir.resolve("queue-release");
        MutantQueue.fill(queue, List.of(new MutantQueue.Entry("", b, "in-a", 90, true), new MutantQueue.Entry("", b, "in-c", 80, true),
                new MutantQueue.Entry("", b, "fresh-b", 70, false), new MutantQueue.Entry("", b, "fresh-d", 60, false)));
        assertEquals("in-a", MutantQueue.takeForLane(queue, "1", null, null).orElseThrow().mutant());
        assertEquals("fresh-b", MutantQueue.takeForLane(queue, "2", null, null).orElseThrow().mutant(), "in-c is lane 1's");
        MutantQueue.release(queue, "1");
        assertEquals("in-c", MutantQueue.takeForLane(queue, "2", null, null).orElseThrow().mutant(), "given up: the first left again");
        assertEquals("fresh-d", MutantQueue.takeForLane(queue, "1", null, null).orElseThrow().mutant(), "lane 2 claimed in-c's zone");
        // a lane keeps the claim on the zone of the mutant it took, and gives up the others
        Path q2 = dir.resolve("queue-release-but");
        String kube = "sfa.kubernetes.simulate=true";
        MutantQueue.fill(q2, List.of(new MutantQueue.Entry("", b, "in-a", 90, true), new MutantQueue.Entry("", b, "kube-b", 80, true, -1, kube),
                new MutantQueue.Entry("", b, "in-c", 70, true), new MutantQueue.Entry("", b, "kube-d", 60, true, -1, kube),
                new MutantQueue.Entry("", b, "fresh-e", 50, false)));
        MutantQueue.takeForLane(q2, "1", null, null).orElseThrow(); // in-a: lane 1 claims the base zone
        MutantQueue.Entry kubeB = MutantQueue.takeForLane(q2, "1", null, null).orElseThrow();
        assertEquals("kube-b", kubeB.mutant());
        MutantQueue.releaseBut(q2, "1", kubeB);
        assertEquals("in-c", MutantQueue.takeForLane(q2, "2", null, null).orElseThrow().mutant(), "the base zone given up");
        assertEquals("fresh-e", MutantQueue.takeForLane(q2, "2", null, null).orElseThrow().mutant(), "kube-d's zone still lane 1's");
    }

    @Test
    void aLaneHoldingAZoneBuiltWithSomeSettingsTakesTheMutantsInPlaceWithTheSameSettingsFirst() {
        Path b = ROOT.resolve("fixtures/sfa/mutants/catalog.yaml");
        Path queue = dir.resolve("queue-settings");
        MutantQueue.fill(queue, List.of(new MutantQueue.Entry("", b, "plain", 90, true), new MutantQueue.Entry("", b, "kube-a", 80, true),
                new MutantQueue.Entry("", b, "kube-b", 70, true)));
        java.util.Set<String> kube = java.util.Set.of("kube-a", "kube-b"); // as if they set the same settings
        java.util.function.Predicate<MutantQueue.Entry> sameZone = e -> e.inPlace() && kube.contains(e.mutant());
        assertEquals("kube-a", MutantQueue.takePreferring(queue, sameZone, null).map(MutantQueue.Entry::mutant).orElseThrow());
        assertEquals("kube-b", MutantQueue.takePreferring(queue, sameZone, null).map(MutantQueue.Entry::mutant).orElseThrow());
        assertEquals("plain", MutantQueue.takePreferring(queue, sameZone, null).map(MutantQueue.Entry::mutant).orElseThrow(),
                "none left with those settings: the queue's order");
    }
}
