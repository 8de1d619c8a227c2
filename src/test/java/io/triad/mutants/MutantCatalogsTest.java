package io.triad.mutants;

import io.triad.env.Environment;
import io.triad.sim.SimulatedTriad;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every mutant of every public catalog makes a valid environment (its overlays and its settings laid
 * on the base): a setting the loader refuses (a switch written as text, a path that is not there) is
 * found here, not after a lane has waited for the mutant's turn.
 */
class MutantCatalogsTest {

    @Test
    void everyMutantOfEveryCatalogMakesAValidEnvironment() {
        List<Path> catalogs = Mutants.catalogs(SimulatedTriad.root().resolve("fixtures"));
        assertEquals(5, catalogs.size(), catalogs.toString());
        List<String> refused = new ArrayList<>();
        int n = 0;
        for (Path c : catalogs) {
            Mutants catalogue = Mutants.load(c);
            for (Mutants.Mutant m : catalogue.mutants()) {
                n++;
                try {
                    Environment env = catalogue.environment(m, 0);
                    assertTrue(env.simulated(), m.name());
                } catch (RuntimeException e) {
                    refused.add(c.getParent().getFileName() + "/" + m.name() + ": " + e.getMessage());
                }
            }
        }
        assertTrue(n > 100, n + " mutants");
        assertEquals(List.of(), refused);
        // the switch the bare-playbook mutants set (simulation.provision.idempotence: false) reaches the environment as one
        Mutants bsfg = Mutants.load(SimulatedTriad.root().resolve("fixtures/mutants/catalog.yaml"));
        Mutants.Mutant playbook = bsfg.mutants().stream().filter(m -> m.name().equals("playbook-controller-enabled")).findFirst().orElseThrow();
        assertFalse(bsfg.environment(playbook, 0).simulation().provision().orElseThrow().idempotence());
    }

    /**
     * Every mutant's caught_by names a scenario its tags select: a scenario renamed without its
     * mutants' caught_by leaves them "failed otherwise" in every run (stop 52: PlasmaCloud 6.4's).
     */
    @Test
    void everyCaughtByNamesAScenarioTheMutantsTagsSelect() {
        List<String> dangling = new ArrayList<>();
        for (Path c : Mutants.catalogs(SimulatedTriad.root().resolve("fixtures"))) {
            Mutants catalogue = Mutants.load(c);
            for (Mutants.Mutant m : catalogue.mutants()) {
                Environment env = catalogue.environment(m, 0);
                List<io.triad.report.FeatureIndex.Scenario> all = io.triad.report.FeatureIndex.of(
                        SimulatedTriad.root().resolve(env.profile().featuresDir())).scenarios();
                java.util.Set<String> tags = new java.util.HashSet<>();
                java.util.regex.Matcher t = java.util.regex.Pattern.compile("@[^\\s()]+").matcher(m.scenarios());
                while (t.find()) {
                    tags.add(t.group());
                }
                boolean named = all.stream().filter(s -> s.tags().stream().anyMatch(tags::contains))
                        .anyMatch(s -> s.name().contains(m.caughtBy()));
                if (!named) {
                    dangling.add(c.getParent().getParent().getFileName() + "/" + m.name() + ": no scenario tagged " + tags
                            + " is named with '" + m.caughtBy() + "'");
                }
            }
        }
        assertEquals(List.of(), dangling);
    }

    /** Two mutants of one catalog under one name: refused when the catalog is read, naming the name (one was run twice, the other never). */
    @Test
    void aNameTwiceInACatalogIsRefused(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path catalog = dir.resolve("catalog.yaml");
        java.nio.file.Files.createDirectories(dir.resolve("broken"));
        java.nio.file.Files.writeString(catalog, """
                base: %s
                mutants:
                  - { name: twice, broken: one, overlays: { alpha: broken }, scenarios: "@runbook:5.5", caught_by: "", message: ["a"] }
                  - { name: twice, broken: two, overlays: { beta: broken }, scenarios: "@runbook:5.5", caught_by: "", message: ["b"] }
                """.formatted(SimulatedTriad.root().resolve("environments/bsfg-triad/simulated.yaml")));
        io.triad.env.InputError e = org.junit.jupiter.api.Assertions.assertThrows(io.triad.env.InputError.class, () -> Mutants.load(catalog));
        assertTrue(e.getMessage().contains("mutant 2") && e.getMessage().contains("another mutant of this catalog is named 'twice'"), e.getMessage());
    }

    /**
     * A catalog's base_set is laid on every mutant's environment and on the zone mutants are laid on
     * in place; a mutant's own set wins: the three-phoenix mutants leave the control plane out but
     * app-spread-preferred, which reads it.
     */
    @Test
    void theCatalogsBaseSettingsReachEveryMutantAndAMutantsOwnWin() {
        Mutants phoenix = Mutants.load(SimulatedTriad.root().resolve("fixtures/three-phoenix/mutants/catalog.yaml"));
        java.util.function.Function<String, Boolean> simulated = name -> phoenix.environment(phoenix.mutants().stream()
                .filter(m -> m.name().equals(name)).findFirst().orElseThrow(), 0)
                .settings(io.triad.profile.threephoenix.Settings.class).kubernetes().simulate();
        assertFalse(simulated.apply("lb-off"));
        assertTrue(simulated.apply("app-spread-preferred"));
        assertFalse(phoenix.baseEnvironment(0).settings(io.triad.profile.threephoenix.Settings.class).kubernetes().simulate());
    }
}
