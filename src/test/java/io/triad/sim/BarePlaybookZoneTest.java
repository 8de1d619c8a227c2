package io.triad.sim;

import io.triad.env.Environment;
import io.triad.env.EnvironmentLoader;
import io.triad.run.CucumberRun;
import io.triad.run.ExitCodes;
import io.triad.run.Progress;
import io.triad.zone.Zone;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static io.triad.sim.RunbookFeaturesTest.ROOT;
import static io.triad.sim.RunbookFeaturesTest.reports;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A change gated as a pipeline gates it (issue 22): bare BSFG nodes, given only the zone's
 * identity, converged by the reference configuration written as a playbook
 * (examples/provision/bsfg-bare/site.yml, run twice: the second run changes nothing), pass the
 * whole runbook and every drill, as the zone the harness renders does; the same as
 * {@code make gate PROVISION=examples/provision/bsfg-bare/site.yml}.
 */
class BarePlaybookZoneTest {

    @Test
    void bareNodesConvergedByTheReferencePlaybookPassTheWholeRunbookAndTheDrills() throws Exception {
        Environment env = EnvironmentLoader.load(ROOT.resolve("environments/bsfg-triad/simulated.yaml"), root -> root.with("simulation")
                .putObject("provision").put("playbook", ROOT.resolve("examples/provision/bsfg-bare/site.yml").toString()));
        assertTrue(env.simulation().provision().orElseThrow().bare());
        try (Zone zone = Zone.open(env, Progress.stderr())) {
            var provisioning = zone.provisioning().orElseThrow();
            assertEquals(Optional.empty(), provisioning.problem());
            assertTrue(!provisioning.runs().get(0).changed().isEmpty(), "the first run converged the bare nodes");
            assertTrue(provisioning.runs().get(1).output().contains("changed=0"), provisioning.runs().get(1).output());
            CucumberRun.Result result = CucumberRun.run(zone, RunbookFeaturesTest.FEATURES, null, reports("bare-playbook"),
                    Progress.stderr());
            assertTrue(result.scenarios().size() >= 60, "scenarios run: " + result.scenarios().size());
            for (CucumberRun.ScenarioResult s : result.scenarios()) {
                boolean skippedWithReason = !s.passed() && !s.status().equals("FAILED")
                        && (s.message().startsWith("not applicable to zone " + env.zone()) || s.message().startsWith("not signed"));
                assertTrue(s.passed() || skippedWithReason, s.name() + ": " + s.status() + " " + s.message());
            }
            assertTrue(result.scenarios().stream().filter(s -> s.name().startsWith("10 Drills")).count() >= DrillsTest.DRILLS,
                    "the drills ran: " + result.scenarios());
            assertEquals(ExitCodes.PASSED, result.exitCode());
        }
    }
}
