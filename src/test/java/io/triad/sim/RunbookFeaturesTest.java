package io.triad.sim;

import io.triad.env.Environment;
import io.triad.env.EnvironmentLoader;
import io.triad.run.CucumberRun;
import io.triad.run.ExitCodes;
import io.triad.run.Progress;
import io.triad.zone.Zone;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runbook's features against the simulated triad as built (every item passes or is skipped
 * as not applicable, with the environment's reason) and against broken variants: a zone with one
 * defect in every section (each named by the matching item's failure, the run continued past
 * halts to show them all; and, without that flag, halted after section 1), and the promotion-flow
 * mutants of the foundation.
 */
class RunbookFeaturesTest {

    static final Path ROOT = SimulatedTriad.root();
    static final Path FEATURES = ROOT.resolve("features/bsfg-triad");
    static final Path MUTANTS = ROOT.resolve("fixtures/mutants");

    static Environment simulated() {
        return EnvironmentLoader.load(ROOT.resolve("environments/bsfg-triad/simulated.yaml"));
    }

    static Path reports(String name) throws IOException {
        return Files.createDirectories(ROOT.resolve("target/test-reports/" + name));
    }

    static void assertFails(CucumberRun.Result result, String scenario, String... fragments) {
        CucumberRun.ScenarioResult s = result.scenario(scenario);
        assertEquals("FAILED", s.status(), scenario + " should fail on the broken variant, but: " + s);
        for (String fragment : fragments) {
            assertTrue(s.message().contains(fragment), "failure of '" + scenario + "' should name '" + fragment + "': " + s.message());
        }
        assertEquals(ExitCodes.FAILED, result.exitCode());
    }

    /**
     * Logged in as the nodes' operator account (not root) with ssh.sudo, as a live zone would be:
     * every check that needs root must say so (Host.asRoot), or it fails here on a denied read.
     */
    @Test
    void theTriadAsBuiltPassesEveryItemOrSkipsItAsNotApplicableAndUndefinedOrPendingStepsFail() throws Exception {
        Environment asOperator = io.triad.sim.OperatorLogin.load(ROOT.resolve("environments/bsfg-triad/simulated.yaml"));
        assertTrue(asOperator.ssh().sudo());
        try (Zone zone = Zone.open(asOperator, Progress.stderr())) {
            CucumberRun.Result result = CucumberRun.run(zone, FEATURES, "not @drill", reports("as-built"), Progress.stderr());
            assertTrue(result.scenarios().size() >= 60, "scenarios run: " + result.scenarios().size());
            for (CucumberRun.ScenarioResult s : result.scenarios()) {
                boolean skippedWithReason = !s.passed() && !s.status().equals("FAILED")
                        && (s.message().startsWith("not applicable to zone sim") || s.message().startsWith("not signed"));
                assertTrue(s.passed() || skippedWithReason, s.name() + ": " + s.status() + " " + s.message());
            }
            assertTrue(result.halts().isEmpty(), "halts: " + result.halts());
            assertEquals(ExitCodes.PASSED, result.exitCode());

            Path strictness = ROOT.resolve("src/test/resources/features/strictness");
            CucumberRun.Result strict = CucumberRun.run(zone, strictness, null, reports("strictness"), Progress.stderr());
            CucumberRun.ScenarioResult undefined = strict.scenario("Strictness - A scenario with an undefined step");
            assertEquals("FAILED", undefined.status(), undefined.toString());
            assertTrue(undefined.message().startsWith("undefined step"), undefined.message());
            CucumberRun.ScenarioResult pending = strict.scenario("Strictness - A scenario with a pending step");
            assertEquals("FAILED", pending.status(), pending.toString());
            assertTrue(pending.message().startsWith("pending step"), pending.message());
            assertEquals(ExitCodes.FAILED, strict.exitCode());
        }
    }

    /** The simulated environment with one defect per section, given as environment edits and overlays. */
    static Environment brokenZone() throws Exception {
        Path dir = Files.createDirectories(ROOT.resolve("target/broken-zone"));
        String yaml = Files.readString(ROOT.resolve("environments/bsfg-triad/simulated.yaml"))
                .replaceFirst("(inventory:\\n(\\s+.*\\n)*?)\\s+at: [0-9-]+\\n(\\s+reference: .*\\n)\\s+expires: [0-9-]+",
                        "$1    at: 2025-01-01\n$3    expires: 2026-01-01")
                .replace("alert_endpoint: 10.213.77.20:9093", "alert_endpoint: \"\"")
                .replace("  overlays: {}", "  overlays: {}\n  unmounted: [\"beta:/artifacts\"]");
        Path file = Files.writeString(dir.resolve("broken-zone.yaml"), yaml);
        Map<String, List<String>> defects = new LinkedHashMap<>();
        defects.put("alpha", List.of("firewall-open", "short-cert-threshold"));
        defects.put("beta", List.of("firewall-open", "short-cert-threshold", "key-world-readable"));
        defects.put("gamma", List.of("firewall-open", "short-cert-threshold", "controller-on-gamma", "old-os", "rclone-wrong-user"));
        Map<String, Path> overlays = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : defects.entrySet()) {
            Path overlay = dir.resolve("overlay-" + e.getKey());
            new ProcessBuilder("rm", "-rf", overlay.toString()).inheritIO().start().waitFor();
            Files.createDirectories(overlay);
            for (String mutant : e.getValue()) {
                Process cp = new ProcessBuilder("cp", "-a", MUTANTS.resolve(mutant) + "/.", overlay.toString()).inheritIO().start();
                assertEquals(0, cp.waitFor(), "copying mutant " + mutant);
            }
            overlays.put(e.getKey(), overlay);
        }
        return EnvironmentLoader.load(file).withOverlays(overlays);
    }

    @Test
    void aZoneWithOneDefectPerSectionFailsTheMatchingItemsAndHaltsAfterThePreconditions() throws Exception {
        Environment broken = brokenZone();
        assertTrue(broken.acceptance().attestations().get("inventory").expires().toString().equals("2026-01-01"));
        try (Zone zone = Zone.open(broken, Progress.stderr())) {
            CucumberRun.Result all = CucumberRun.run(zone, FEATURES, "not @drill", reports("broken-zone"), Progress.stderr(), true);
            assertTrue(all.continuedPastHalt());
            assertFails(all, "1 Preconditions - The host inventory is approved and the hosts answer as it says",
                    "the 'inventory' attestation", "expired on 2026-01-01");
            assertFails(all, "1 Preconditions - The host firewall is in place",
                    "runbook 1.6", "policy accept", "expected policy drop");
            assertFails(all, "2 Inputs required - Every required input is present and well formed",
                    "runbook 2", "ALERT_ENDPOINT is missing");
            assertFails(all, "3 Host preparation - The OS is within the supported matrix and no reboot is deferred",
                    "runbook 3.1", "gamma runs Debian GNU/Linux 10 (buster)", "outside the supported matrix");
            assertFails(all, "3 Host preparation - The artifact storage is mounted on Alpha and Beta",
                    "runbook 3.4", "/artifacts is not a mount point on beta");
            assertFails(all, "4 Service installation - The controller's artifacts are in place: certificates, manifest, approved image, bound to the VIP",
                    "runbook 4.3", "beta: /opt/bsfg/certs/node.key has mode 644, readable beyond its owner");
            assertFails(all, "5 Bootstrap sequence - Gamma runs no controller",
                    "the controller is active on gamma (role gamma), which must run none");
            assertFails(all, "7 Backup setup - The remote backup target is reachable, authenticated and writable",
                    "runbook 7.2", "is not reachable from gamma");
            assertFails(all, "8 Monitoring bring-up - The certificate expiry check has the policy's threshold, passes, and alerts",
                    "runbook 8.5", "alerts 7 days ahead, less than the policy's 30 days");
            CucumberRun.ScenarioResult backupVerified = all.scenarios().stream()
                    .filter(s -> s.name().endsWith("Handoff criterion 9.5: Backup verified")).findFirst().orElseThrow();
            assertEquals("FAILED", backupVerified.status(), backupVerified.toString());
            assertTrue(backupVerified.message().contains("7.2 (Remote backup target configuration) failed"), backupVerified.message());

            // Four scenarios at a time (--jobs 4): the same scenarios end the same way, in the same order.
            CucumberRun.Result side = CucumberRun.run(zone, FEATURES, "not @drill", reports("broken-zone-jobs"), Progress.stderr(),
                    true, java.util.Set.of(), 4);
            assertEquals(outcomes(all), outcomes(side), "the run with --jobs 4 against the one-after-the-other run");

            // Without --continue-past-halt, the failed precondition halts: later sections are not run, and say why.
            CucumberRun.Result halted = CucumberRun.run(zone, FEATURES, "@section:1 or @section:2 or @section:3",
                    reports("broken-zone-halted"), Progress.stderr(), false);
            assertFalse(halted.continuedPastHalt());
            assertEquals("1.1", halted.halts().get(0).item().id());
            assertEquals("FAILED", halted.scenario("1 Preconditions - The host firewall is in place").status(),
                    "the rest of section 1 still runs");
            for (String later : List.of("2 Inputs required - Every required input is present and well formed",
                    "3 Host preparation - The OS is within the supported matrix and no reboot is deferred")) {
                CucumberRun.ScenarioResult s = halted.scenario(later);
                assertTrue(!s.passed() && !s.status().equals("FAILED"), later + ": " + s);
                assertTrue(s.message().startsWith("not run: halted by 1.1 (Host inventory approved)"), s.message());
            }
            assertEquals(ExitCodes.FAILED, halted.exitCode());

            // With scenarios side by side, later sections may start beside section 1; the halt still applies to
            // them once 1.1's failure is recorded: reported not run, as one after the other (TurnsTest: either way).
            CucumberRun.Result sideHalted = CucumberRun.run(zone, FEATURES, "@section:1 or @section:2 or @section:3",
                    reports("broken-zone-halted-jobs"), Progress.stderr(), false, java.util.Set.of(), 4);
            assertEquals(outcomes(halted), outcomes(sideHalted), "halted, --jobs 4 against one after the other");
        }
    }

    /** Each scenario's name and status, and for one not run the halt that kept it (its first words), in order. */
    static List<String> outcomes(CucumberRun.Result r) {
        return r.scenarios().stream().map(s -> s.name() + " " + s.status()
                + (s.message().startsWith("not run:") ? " " + s.message().split(":", 3)[1] : "")).toList();
    }

    static Environment mutant(String name) {
        Path overlay = MUTANTS.resolve(name);
        return simulated().withOverlays(Map.of("alpha", overlay, "beta", overlay));
    }

    static CucumberRun.Result run(String name, Environment env, String tags) throws Exception {
        return run(name, env, tags, false);
    }

    static CucumberRun.Result run(String name, Environment env, String tags, boolean continuePastHalt) throws Exception {
        try (Zone zone = Zone.open(env, Progress.stderr())) {
            return CucumberRun.run(zone, FEATURES, tags, reports(name), Progress.stderr(), continuePastHalt);
        }
    }
}
