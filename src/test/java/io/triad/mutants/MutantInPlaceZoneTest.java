package io.triad.mutants;

import io.triad.run.Progress;
import io.triad.sim.SimulatedTriad;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mutants laid in place on a real BSFG zone: a catalog's mutant (Beta's VRRP priority made equal
 * by a drop-in that edits the rendered keepalived.conf before keepalived starts) is caught by its
 * scenario, taken off, its edit of the rendered file put back, and the zone proven back and kept
 * for the next; a hand-built mutant whose unit leaves a second drop-in beside its own when it is
 * stopped is taken off and the zone is not back (the directory it laid into holds the stray):
 * the zone is closed, and the next mutant would get one of its own.
 */
class MutantInPlaceZoneTest {

    @TempDir
    Path dir;

    @Test
    void aMutantLaidInPlaceIsCaughtAndTakenOffAndOneThatLeavesAStrayIsNotBack() throws Exception {
        Path root = SimulatedTriad.root();
        Path stray = dir.resolve("stray/etc/systemd/system/rsyslog.service.d");
        Files.createDirectories(stray);
        Files.writeString(stray.resolve("50-variant.conf"), """
                # a mutant that is not taken off whole: stopped, its unit copies its drop-in beside itself
                [Service]
                ExecStopPost=/bin/cp /etc/systemd/system/rsyslog.service.d/50-variant.conf /etc/systemd/system/rsyslog.service.d/60-stray.conf
                """);
        Path catalog = Files.writeString(dir.resolve("catalog.yaml"), """
                base: %s
                mutants:
                  - name: equal-priorities
                    broken: Beta's VRRP priority equals Alpha's
                    overlays: { beta: %s }
                    in_place: [keepalived.service]
                    scenarios: "@runbook:4.2"
                    caught_by: "Keepalived is configured alike on Alpha and Beta, Alpha first"
                    message: ["priority"]
                  - name: stray-drop-in
                    broken: its unit leaves a drop-in behind when stopped
                    overlays: { gamma: %s }
                    in_place: [rsyslog.service]
                    scenarios: "@runbook:3.6"
                    caught_by: "nothing catches it: the zone's proof does"
                """.formatted(root.resolve("environments/bsfg-triad/simulated.yaml"), root.resolve("fixtures/mutants/equal-priorities"),
                dir.resolve("stray")));
        Mutants mutants = Mutants.load(catalog);
        try (InPlace inPlace = new InPlace(Progress.silent())) {
            Mutants.Outcome o = mutants.run(mutants.mutant("equal-priorities"), null, dir.resolve("reports"), Progress.silent(), 0, inPlace);
            assertTrue(o.caught() && o.message().endsWith("(laid in place)"), o.toString());
            assertTrue(inPlace.lastNotBack().isEmpty(), "the zone is back after equal-priorities: " + inPlace.lastNotBack());
            assertTrue(inPlace.holdsZone(), "the zone is kept for the next mutant");

            var run = inPlace.run(mutants, mutants.mutant("stray-drop-in"), 0, null, dir.resolve("reports/stray"));
            assertTrue(run.isPresent(), "laid in place");
            String notBack = inPlace.lastNotBack().orElse("");
            assertTrue(notBack.contains("gamma") && notBack.contains("/etc/systemd/system/rsyslog.service.d/60-stray.conf"), notBack);
            assertFalse(inPlace.holdsZone(), "a zone not back is closed");
        }
    }
}
