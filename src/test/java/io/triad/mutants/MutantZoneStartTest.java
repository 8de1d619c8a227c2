package io.triad.mutants;

import io.triad.run.Progress;
import io.triad.sim.SimulatedTriad;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A mutant whose zone cannot start is reported as not run, after a second try, and the run of the
 * catalog goes on (it used to end 'make mutants' with exit 2 at that mutant): here a node image
 * that does not exist, so nothing boots.
 */
class MutantZoneStartTest {

    @TempDir
    Path dir;

    @Test
    void aZoneThatDoesNotStartIsReportedNotCaughtAndTheCatalogGoesOn() throws Exception {
        Path base = SimulatedTriad.root().resolve("environments/bsfg-triad/simulated.yaml");
        Path catalog = Files.writeString(dir.resolve("catalog.yaml"), """
                base: %s
                mutants:
                  - name: no-image
                    broken: the node image does not exist
                    set: { simulation.image: "triad-no-such-image:0" }
                    scenarios: "@runbook:1.1"
                    caught_by: "anything"
                """.formatted(base));
        Mutants mutants = Mutants.load(catalog);
        Mutants.Outcome o = mutants.run(mutants.mutants().get(0), null, dir.resolve("reports"), Progress.silent());
        assertFalse(o.caught(), o.toString());
        assertTrue(o.message().startsWith("its zone did not start (twice): "), o.message());
        assertEquals("", o.scenario());
    }
}
