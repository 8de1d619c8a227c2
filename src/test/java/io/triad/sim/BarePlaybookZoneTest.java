package io.triad.sim;

import io.triad.env.Environment;
import io.triad.env.EnvironmentLoader;
import io.triad.run.CucumberRun;
import io.triad.run.ExitCodes;
import io.triad.run.Progress;
import io.triad.zone.Zone;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static io.triad.sim.RunbookFeaturesTest.ROOT;
import static io.triad.sim.RunbookFeaturesTest.reports;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A change gated as a pipeline gates it (issue 22), for each profile with generic provisioning:
 * bare nodes, given only the zone's identity, converged by the profile's reference configuration
 * written as a playbook (examples/provision/&lt;profile&gt;-bare/site.yml, run twice: the second run
 * changes nothing), pass the runbook one item after the other on one zone, as the zone the harness
 * renders does; the same as {@code make gate PROVISION=...}.
 * <ul>
 * <li>BSFG triad: the whole runbook and every drill (this replaced DrillsTest's drills-only run on a
 * rendered zone).</li>
 * <li>unibus: every item outside the drills (this replaced UnibusZoneTest's run on a rendered zone;
 * its drills run each alone on rendered zones in {@link EveryItemAloneTest}, and on the converged
 * zone by {@code make gate}, as the README records).</li>
 * </ul>
 */
class BarePlaybookZoneTest {

    record Case(String envFile, String playbook, String features, String tags, int atLeast, java.util.Map<String, Integer> mustRun) {
        @Override
        public String toString() {
            return playbook;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("environments/bsfg-triad/simulated.yaml", "bsfg-bare", "features/bsfg-triad", null, 60, java.util.Map.of("10 Drills", DrillsTest.DRILLS)),
                new Case("environments/unibus/simulated.yaml", "unibus-bare", "features/unibus", "not @drill", 16,
                        java.util.Map.of("Prerequisites", 5, "Seed the first admin into the KV", 2, "Verify", 3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void bareNodesConvergedByTheReferencePlaybookPassTheRunbook(Case c) throws Exception {
        Path playbook = ROOT.resolve("examples/provision/" + c.playbook() + "/site.yml");
        Environment env = EnvironmentLoader.load(ROOT.resolve(c.envFile()), root -> root.with("simulation")
                .putObject("provision").put("playbook", playbook.toString()));
        assertTrue(env.simulation().provision().orElseThrow().bare());
        try (Zone zone = Zone.open(env, Progress.stderr())) {
            var provisioning = zone.provisioning().orElseThrow();
            assertEquals(Optional.empty(), provisioning.problem());
            assertTrue(!provisioning.runs().get(0).changed().isEmpty(), "the first run converged the bare nodes");
            assertTrue(provisioning.runs().get(1).output().contains("changed=0"), provisioning.runs().get(1).output());
            CucumberRun.Result result = CucumberRun.run(zone, ROOT.resolve(c.features()), c.tags(), reports(c.playbook()),
                    Progress.stderr());
            assertTrue(result.scenarios().size() >= c.atLeast(), "scenarios run: " + result.scenarios().size());
            for (CucumberRun.ScenarioResult s : result.scenarios()) {
                boolean skippedWithReason = !s.passed() && !s.status().equals("FAILED")
                        && (s.message().startsWith("not applicable to zone " + env.zone()) || s.message().startsWith("not signed"));
                assertTrue(s.passed() || skippedWithReason, s.name() + ": " + s.status() + " " + s.message());
            }
            c.mustRun().forEach((section, n) -> assertTrue(result.scenarios().stream().filter(s -> s.name().startsWith(section)).count() >= n,
                    "at least " + n + " scenario(s) of " + section + " ran: " + result.scenarios()));
            assertTrue(result.halts().isEmpty(), "halts: " + result.halts());
            assertEquals(ExitCodes.PASSED, result.exitCode());
        }
    }
}
