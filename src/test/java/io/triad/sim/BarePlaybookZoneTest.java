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
            List<CucumberRun.ScenarioResult> outcomes = judgedAgainWhereOnlyTheWindowWasMissed(zone, c, result);
            for (CucumberRun.ScenarioResult s : outcomes) {
                boolean skippedWithReason = !s.passed() && !s.status().equals("FAILED")
                        && (s.message().startsWith("not applicable to zone " + env.zone()) || s.message().startsWith("not signed"));
                assertTrue(s.passed() || skippedWithReason, s.name() + ": " + s.status() + " " + s.message());
            }
            c.mustRun().forEach((section, n) -> assertTrue(result.scenarios().stream().filter(s -> s.name().startsWith(section)).count() >= n,
                    "at least " + n + " scenario(s) of " + section + " ran: " + result.scenarios()));
            assertTrue(result.halts().isEmpty(), "halts: " + result.halts());
            assertTrue(result.exitCode() == ExitCodes.PASSED || outcomes != result.scenarios(), "exit " + result.exitCode());
        }
    }

    /**
     * The message of a drill that failed on its failover window alone (its figure, not its history):
     * a failover later than the window, or none seen within the probes after the fault (a fresh-clone
     * run of 70b91b7: the freeze drill's beta had entered MASTER, no probe through the VIP answered
     * healthy in its 33, load average 18-24).
     */
    static boolean windowMissed(String message) {
        return message.startsWith("failover within the window: too slow") || message.startsWith("failover within the window: no healthy answer");
    }

    /**
     * The outcomes, a drill that failed only on its failover window run once more alone on the same
     * zone, its second outcome in place of the first (both printed). The CI runs this test beside
     * its mutant lanes on two cores (load average 25-30): twice in one run the reference triad's
     * failover, about 6 s alone, was measured at 15.2 and 15.6 s against the 15 s window, the harness's
     * own probes starved too. A second miss fails the test, as does any other failure: the mutant
     * runner's rule (a mutant that fails otherwise is run once more on a fresh zone), for the one
     * figure the machine's load moves.
     */
    static List<CucumberRun.ScenarioResult> judgedAgainWhereOnlyTheWindowWasMissed(Zone zone, Case c, CucumberRun.Result result)
            throws java.io.IOException {
        if (result.scenarios().stream().noneMatch(s -> s.status().equals("FAILED") && windowMissed(s.message()))) {
            return result.scenarios();
        }
        var index = io.triad.report.FeatureIndex.of(ROOT.resolve(c.features()));
        List<CucumberRun.ScenarioResult> out = new java.util.ArrayList<>();
        for (CucumberRun.ScenarioResult s : result.scenarios()) {
            if (!s.status().equals("FAILED") || !windowMissed(s.message())) {
                out.add(s);
                continue;
            }
            String drill = index.scenarios().stream().filter(x -> s.name().endsWith(" - " + x.name())).findFirst()
                    .flatMap(x -> x.tags().stream().filter(t -> t.startsWith("@drill:")).findFirst())
                    .orElseThrow(() -> new AssertionError(s.name() + ": " + s.message() + " (no @drill: tag to run it again by)"));
            System.err.println("[bare playbook] " + s.name() + " missed its window under the machine's load (" + s.message()
                    + "): run once more alone (" + drill + ")");
            CucumberRun.Result again = CucumberRun.run(zone, ROOT.resolve(c.features()), drill, reports(c.playbook() + "-again"), Progress.stderr());
            assertEquals(1, again.scenarios().size(), drill + ": " + again.scenarios());
            System.err.println("[bare playbook] " + s.name() + " the second time: " + again.scenarios().get(0).status() + " "
                    + again.scenarios().get(0).message());
            out.add(again.scenarios().get(0));
        }
        return out;
    }
}
