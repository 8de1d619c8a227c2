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
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The first feature against the simulated triad as built (it must pass) and against broken
 * variants given as overlays (each must fail the matching scenario, naming what is wrong).
 */
class ZoneUpFeatureTest {

    static final Path ROOT = SimulatedTriad.root();
    static final Path FEATURES = ROOT.resolve("features");
    static final String FEATURE = "The zone is up - ";

    static Environment simulated() {
        return EnvironmentLoader.load(ROOT.resolve("environments/simulated.yaml"));
    }

    static CucumberRun.Result run(String name, Environment env) throws Exception {
        Path reports = Files.createDirectories(ROOT.resolve("target/test-reports/" + name));
        try (Zone zone = Zone.open(env, Progress.stderr())) {
            return CucumberRun.run(zone, FEATURES, "@zone-up", reports, Progress.stderr());
        }
    }

    static Environment mutant(String name) {
        Path overlay = ROOT.resolve("fixtures/mutants/" + name);
        return simulated().withOverlays(Map.of("alpha", overlay, "beta", overlay));
    }

    static void assertFails(CucumberRun.Result result, String scenario, String... fragments) {
        CucumberRun.ScenarioResult s = result.scenario(FEATURE + scenario);
        assertEquals("FAILED", s.status(), scenario + " should fail on the mutant, but: " + s);
        for (String fragment : fragments) {
            assertTrue(s.message().contains(fragment), "failure of '" + scenario + "' should name '" + fragment + "': " + s.message());
        }
        assertEquals(ExitCodes.FAILED, result.exitCode());
    }

    @Test
    void theTriadAsBuiltPassesEveryScenarioAndUndefinedOrPendingStepsFail() throws Exception {
        Path reports = Files.createDirectories(ROOT.resolve("target/test-reports/as-built"));
        try (Zone zone = Zone.open(simulated(), Progress.stderr())) {
            CucumberRun.Result result = CucumberRun.run(zone, FEATURES, "@zone-up", reports, Progress.stderr());
            assertEquals(7, result.scenarios().size(), "scenarios run: " + result.scenarios());
            for (CucumberRun.ScenarioResult s : result.scenarios()) {
                assertTrue(s.passed(), s.name() + ": " + s.status() + " " + s.message());
            }
            assertEquals(ExitCodes.PASSED, result.exitCode());

            Path strictness = ROOT.resolve("src/test/resources/features/strictness");
            CucumberRun.Result strict = CucumberRun.run(zone, strictness, null,
                    Files.createDirectories(ROOT.resolve("target/test-reports/strictness")), Progress.stderr());
            CucumberRun.ScenarioResult undefined = strict.scenario("Strictness - A scenario with an undefined step");
            assertEquals("FAILED", undefined.status(), undefined.toString());
            assertTrue(undefined.message().startsWith("undefined step"), undefined.message());
            CucumberRun.ScenarioResult pending = strict.scenario("Strictness - A scenario with a pending step");
            assertEquals("FAILED", pending.status(), pending.toString());
            assertTrue(pending.message().startsWith("pending step"), pending.message());
            assertEquals(ExitCodes.FAILED, strict.exitCode());
        }
    }

    @Test
    void aControllerEnabledAtBootFailsRunbookItem44() throws Exception {
        assertFails(run("controller-enabled", mutant("controller-enabled")),
                "The controller is installed but not enabled to start on its own",
                "bsfg-controller.service is enabled to start on its own on alpha (systemctl is-enabled: enabled)", "runbook 4.4");
    }

    /** Beta's controller, started on promotion, must stop when Alpha takes the VIP back (Beta enters BACKUP). */
    @Test
    void aNotifyHookThatNeverStopsTheControllerFailsTheDemotion() throws Exception {
        assertFails(run("notify-never-stops", mutant("notify-never-stops")),
                "The controller follows the VIP when the active node is demoted",
                "the controller is running on beta (active), which does not hold the VIP");
    }

    @Test
    void aControllerBoundToTheWildcardFailsTheBindCheck() throws Exception {
        assertFails(run("bind-wildcard", mutant("bind-wildcard")),
                "The controller runs on the VIP holder only, bound to the VIP only",
                "listens on [*:9443", "(a wildcard address)", "expected 10.213.77.10:9443 only");
    }
}
