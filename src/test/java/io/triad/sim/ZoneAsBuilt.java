package io.triad.sim;

import io.triad.env.Environment;
import io.triad.run.CucumberRun;
import io.triad.run.ExitCodes;
import io.triad.run.Progress;
import io.triad.zone.Zone;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A profile's simulated zone as built, logged in as the nodes' operator account with sudo (as a
 * live zone would be: a check that needs root and does not say so fails), runs every feature of the
 * profile: each scenario passes, or is skipped as not applicable to the zone with the environment's
 * reason; nothing halts and the run's exit is 0. The profiles' zone tests share it.
 */
public final class ZoneAsBuilt {

    private ZoneAsBuilt() { }

    /**
     * Runs {@code features/<profile>} on {@code environments/<profile>/simulated.yaml}: {@code scenarios}
     * scenarios, exactly {@code notApplicable} of them skipped as not applicable to zone {@code zoneName}
     * ({@code which} says which, in the failure).
     */
    public static void passesEveryItemOrSkipsIt(String profile, String zoneName, int scenarios, int notApplicable, String which) throws Exception {
        passesEveryItemOrSkipsIt(profile, zoneName, scenarios, notApplicable, which, 0);
    }

    /**
     * As {@link #passesEveryItemOrSkipsIt(String, String, int, int, String)}, the zone moved {@code offset}
     * subnets up ({@link io.triad.env.Beside}, its name kept): beside the tests of its profile on the file's
     * subnets, in the other lane of make test (bin/lanes.sh).
     */
    public static void passesEveryItemOrSkipsIt(String profile, String zoneName, int scenarios, int notApplicable, String which,
                                                int offset) throws Exception {
        Path root = SimulatedTriad.root();
        Environment asOperator = OperatorLogin.load(root.resolve("environments/" + profile + "/simulated.yaml"),
                tree -> io.triad.env.Beside.move(tree, offset, ""));
        Path reports = Files.createDirectories(root.resolve("target/test-reports/" + profile));
        List<Path> stores;
        try (Zone zone = Zone.open(asOperator, Progress.stderr())) {
            stores = zone.simulation().orElseThrow().memoryStores();
            // the profiles' recipes put their stores in memory where the machine can (MemoryVolumes): not silently on disk
            MemoryVolumes.unavailable(System.getenv()).ifPresentOrElse(
                    why -> System.err.println("[zone as built] stores on disk: " + why),
                    () -> assertTrue(!stores.isEmpty(), profile + ": no store of the zone is in memory"));
            CucumberRun.Result result = CucumberRun.run(zone, root.resolve("features/" + profile), null, reports, Progress.stderr());
            assertEquals(scenarios, result.scenarios().size(), "scenarios run: " + result.scenarios());
            int skipped = 0;
            for (CucumberRun.ScenarioResult s : result.scenarios()) {
                boolean skippedHere = !s.passed() && !s.status().equals("FAILED") && s.message().startsWith("not applicable to zone " + zoneName);
                skipped += skippedHere ? 1 : 0;
                assertTrue(s.passed() || skippedHere, s.name() + ": " + s.status() + " " + s.message());
            }
            assertEquals(notApplicable, skipped, "not applicable here: " + which);
            assertTrue(result.halts().isEmpty(), "halts: " + result.halts());
            assertEquals(ExitCodes.PASSED, result.exitCode());
        }
        for (Path store : stores) {
            assertFalse(Files.exists(store), "the store in memory " + store + " is left after its zone closed");
        }
    }
}
