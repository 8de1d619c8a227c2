package io.triad.sim;

import io.triad.env.Environment;
import io.triad.env.EnvironmentLoader;
import io.triad.run.CucumberRun;
import io.triad.run.ExitCodes;
import io.triad.run.Progress;
import io.triad.zone.Zone;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The second profile end to end: the unibus cluster (seed 003) as its simulated zone is built
 * passes every item it has a scenario for outside the drills, one after the other on one zone, as
 * an audit runs them, from the profile's own features, glue, renderer and steady state. Its drills
 * run each alone on a fresh zone in {@link EveryItemAloneTest}; its mutants in {@code make mutants}.
 */
class UnibusZoneTest {

    static final Path ROOT = SimulatedTriad.root();

    @Test
    void theClusterAsBuiltPassesEveryItemOutsideTheDrillsInOneRun() throws Exception {
        Environment env = EnvironmentLoader.load(ROOT.resolve("environments/unibus/simulated.yaml"));
        assertEquals("unibus", env.profile().name());
        try (Zone zone = Zone.open(env, Progress.stderr())) {
            CucumberRun.Result result = CucumberRun.run(zone, ROOT.resolve("features/unibus"), "not @drill",
                    Files.createDirectories(ROOT.resolve("target/test-reports/unibus")), Progress.stderr());
            assertTrue(result.scenarios().size() >= 16, "scenarios run: " + result.scenarios().size());
            for (CucumberRun.ScenarioResult s : result.scenarios()) {
                assertTrue(s.passed(), s.name() + ": " + s.status() + " " + s.message());
            }
            assertTrue(result.halts().isEmpty(), "halts: " + result.halts());
            assertEquals(ExitCodes.PASSED, result.exitCode());
        }
    }
}
