package io.triad.sim;

import io.triad.host.Host;
import io.triad.run.CucumberRun;
import io.triad.run.Progress;
import io.triad.zone.Zone;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.triad.sim.RunbookFeaturesTest.ROOT;
import static io.triad.sim.RunbookFeaturesTest.reports;
import static io.triad.sim.RunbookFeaturesTest.simulated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The heal: a scenario failing in the middle of a partition, a freeze, a stopped service or a
 * crashed node leaves none of them behind. Every drill passing on the reference triad (which
 * holds the VIP and the controller under a lease: the link cut and the freeze and thaw included)
 * is shown by {@link BarePlaybookZoneTest}, on bare nodes converged by the reference configuration
 * written as a playbook, whose every file {@link PlaybookRendersTest} shows identical to the
 * harness's own rendering; the pattern as written (no lease) fails the link cut with two VIP
 * holders: the mutant catalog's pattern-as-written, run by {@code make mutants}.
 */
class DrillsTest {

    /** The drills of features/10-drills.feature. */
    static final int DRILLS = 8;

    @Test
    void aScenarioFailingMidFaultLeavesNoRulePausedNodeOrStoppedServiceBehind() throws Exception {
        try (Zone zone = Zone.open(simulated(), Progress.stderr())) {
            Path heal = ROOT.resolve("src/test/resources/features/heal");
            CucumberRun.Result result = CucumberRun.run(zone, heal, null, reports("heal"), Progress.stderr(), false);
            assertEquals(4, result.scenarios().size(), result.scenarios().toString());
            for (CucumberRun.ScenarioResult s : result.scenarios()) {
                assertEquals("FAILED", s.status(), s.toString());
                assertTrue(s.message().contains("failed here on purpose"), s.message());
            }
            SimulatedTriad sim = zone.simulation().orElseThrow();
            List<String> left = new ArrayList<>();
            for (Host h : zone.hosts()) {
                if (sim.frozen(h.name())) {
                    left.add(h.name() + " is still frozen");
                    continue;
                }
                String leftovers = io.triad.zone.Leftovers.any(h);
                if (!leftovers.isEmpty()) {
                    left.add(h.name() + ": " + leftovers);
                }
                String js = h.exec("systemctl is-active " + zone.unit("jetstream")).stdout().strip();
                if (!js.equals("active")) {
                    left.add(h.name() + ": JetStream is " + js);
                }
            }
            for (Host h : zone.vipHosts()) {
                String ka = h.exec("systemctl is-active " + zone.unit("keepalived")).stdout().strip();
                if (!ka.equals("active")) {
                    left.add(h.name() + ": keepalived is " + ka);
                }
            }
            sim.proxiesLeft().forEach(p -> left.add("Toxiproxy container " + p + " is still there"));
            assertEquals(List.of(), left, "left behind after the failed scenarios");
        }
    }
}
