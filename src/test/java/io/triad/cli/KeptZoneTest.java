package io.triad.cli;

import io.triad.env.Environment;
import io.triad.env.EnvironmentLoader;
import io.triad.env.InputError;
import io.triad.run.ExitCodes;
import io.triad.run.Progress;
import io.triad.sim.KeptZone;
import io.triad.sim.SimulatedTriad;
import io.triad.zone.Zone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.triad.cli.LiveSafetyTest.triad;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A zone that stays up: {@code triad up} starts the simulated zone and leaves it running with an
 * environment of kind live that reaches it; drills against that file need no bring-up (read-only
 * by default, the allowed drills with --allow-destructive), twice in a row on the same zone; no
 * other run sweeps it away; {@code triad down} leaves no container, network, volume or file.
 */
class KeptZoneTest {

    static final Path ROOT = SimulatedTriad.root();

    @AfterAll
    static void down() {
        triad("down");
    }

    @Test
    void upDrillTwiceThenDownLeavesNothing() throws Exception {
        LiveSafetyTest.Outcome up = triad("up", "--env", ROOT.resolve("environments/bsfg-triad/simulated.yaml").toString());
        assertEquals(ExitCodes.PASSED, up.code(), up.err());
        Path env = KeptZone.environmentFile("sim");
        assertTrue(up.out().contains("zone sim is up (kept running), reached as a live zone through .triad/up/sim.yaml"), up.out());
        assertTrue(up.err().contains("zone settled"), "handed over settled: " + up.err());
        Environment live = EnvironmentLoader.load(env);
        assertEquals(Environment.Kind.LIVE, live.kind());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(live.ssh().identityFile().orElseThrow())), "the kept zone's key is its owner's only");
        assertFalse(labelled("triad.kept=true").isEmpty(), "its containers are labelled kept");

        // Another run of the simulated zone does not sweep it away, and says what to do instead.
        Environment simulated = EnvironmentLoader.load(ROOT.resolve("environments/bsfg-triad/simulated.yaml"));
        InputError refused = assertThrows(InputError.class, () -> Zone.open(simulated, Progress.silent()).close());
        assertTrue(refused.getMessage().contains("a simulated zone kept up by 'triad up' is running"), refused.getMessage());
        assertTrue(refused.getMessage().contains("'make down' (bin/triad down)"), refused.getMessage());

        Path reports = Files.createDirectories(ROOT.resolve("target/test-reports/kept-zone"));
        List<List<String>> evidence = new java.util.ArrayList<>();
        for (int run = 1; run <= 2; run++) {
            // the second audit runs four scenarios side by side (--jobs 4): the same evidence in the same order
            LiveSafetyTest.Outcome audit = triad("drill", "--env", env.toString(), "--reports", reports.toString(),
                    "--tags", "not @disruptive and not @runbook:9.2 and not @runbook:9.3", // 9.2, 9.3 rest on a demotion
                    "--jobs", run == 1 ? "1" : "4");
            assertEquals(ExitCodes.PASSED, audit.code(), "read-only audit " + run + ": " + audit.err());
            assertTrue(audit.err().contains("read-only run"), audit.err());
            assertFalse(audit.err().contains("starting 3 nodes"), "no bring-up: " + audit.err());
            assertFalse(audit.err().contains("settled") && audit.err().contains("after its start"),
                    "a zone this run did not start is not waited for before its first scenario: " + audit.err());
            evidence.add(evidenceOrder(reports.resolve("latest").toRealPath().resolve("cucumber.ndjson")));
        }
        assertTrue(evidence.get(0).size() > 300, "commands kept as evidence: " + evidence.get(0).size());
        assertEquals(evidence.get(0), evidence.get(1), "the evidence (host and command of every attachment) in the same order"
                + " in both audits, although every host is read at once, and the second ran four scenarios at a time");
        LiveSafetyTest.Outcome drill = triad("drill", "--env", env.toString(), "--reports", reports.toString(),
                "--allow-destructive", "--tags", "@drill:controlled-demotion");
        assertEquals(ExitCodes.PASSED, drill.code(), drill.err());
        assertTrue(drill.err().contains("zone settled"), "settled after its heal: " + drill.err());

        // A live zone's run is signed with the key the harness logs in with; its operator is the allowed signer.
        Path key = live.ssh().identityFile().orElseThrow();
        String publicKey = org.apache.sshd.common.config.keys.PublicKeyEntry.toString(
                new org.apache.sshd.common.keyprovider.FileKeyPairProvider(key).loadKeys(null).iterator().next().getPublic());
        Path allowed = Files.writeString(reports.resolve("allowed_signers"), "operator@sim " + publicKey + "\n");
        Path lastRun = reports.resolve("latest").toRealPath();
        assertTrue(drill.err().contains("signed: " + lastRun.resolve("MANIFEST.sha256.sig")), drill.err());
        VerifyReportTest.Both verified = VerifyReportTest.both("verify-report", lastRun.toString(), "--allowed-signers", allowed.toString());
        assertEquals(ExitCodes.PASSED, verified.code(), verified.out() + verified.err());
        assertTrue(verified.out().contains("signed by operator@sim (key SHA256:"), verified.out());

        LiveSafetyTest.Outcome down = triad("down");
        assertEquals(ExitCodes.PASSED, down.code(), down.err());
        assertTrue(down.out().startsWith("removed "), down.out());
        // what the kept zone made (all of it labelled kept): another lane of 'make test' (bin/test-lanes) may have its own zone up
        assertEquals(List.of(), labelled("triad.kept=true"), "containers left");
        assertEquals("", docker("network", "ls", "-q", "--filter", "label=triad.kept=true"), "networks left");
        assertEquals("", docker("volume", "ls", "-q", "--filter", "label=triad.kept=true"), "volumes left");
        assertFalse(Files.exists(KeptZone.dir()), "the environment file and key are removed");
        assertEquals("no simulated zone was up; nothing to remove", triad("down").out().strip());
    }

    /**
     * {@code triad down} removes what a dead run left, and a kept zone, never the zone of a harness
     * run still in progress on the machine (another terminal, a CI job): it once took a running
     * test's zone from under it. Two labelled containers stand for the zones: one owned by a live
     * process, one by a process that ended (a dead run's).
     */
    @Test
    void downLeavesTheZoneOfARunStillInProgress() throws Exception {
        Process run = new ProcessBuilder("sleep", "300").start();
        // the leftover's run, alive until just before 'triad down': another harness process starting a
        // zone meanwhile (make test mutants' light lane) would sweep a dead run's leftover first
        Process ended = new ProcessBuilder("sleep", "300").start();
        String inProgress = null;
        String leftover = null;
        try {
            String owner = run.pid() + "@" + run.toHandle().info().startInstant().orElseThrow();
            inProgress = docker("run", "-d", "--label", "triad.acceptance=simulated-triad", "--label", "triad.owner=" + owner,
                    "debian:bookworm-slim", "sleep", "infinity");
            leftover = docker("run", "-d", "--label", "triad.acceptance=simulated-triad", "--label", "triad.owner="
                    + ended.pid() + "@" + ended.toHandle().info().startInstant().orElseThrow(), "debian:bookworm-slim", "sleep", "infinity");
            ended.destroy();
            assertTrue(ended.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "the leftover's run ended");
            LiveSafetyTest.Outcome down = triad("down");
            assertEquals(ExitCodes.PASSED, down.code(), down.err());
            assertTrue(down.out().startsWith("removed "), down.out());
            assertTrue(down.err().contains("left alone: the zone of another harness run still in progress on this machine (process "), down.err());
            assertTrue(down.err().contains(owner), "names the run it left alone: " + down.err());
            List<String> left = labelled("triad.acceptance=simulated-triad");
            assertTrue(left.contains(inProgress.substring(0, 12)), "the run in progress keeps its zone: " + left);
            assertFalse(left.contains(leftover.substring(0, 12)), "the dead run's zone is gone: " + left);
        } finally {
            for (String c : new String[] {inProgress, leftover}) {
                if (c != null) {
                    new ProcessBuilder("docker", "rm", "-f", c).start().waitFor();
                }
            }
            run.destroyForcibly().waitFor();
            ended.destroyForcibly().waitFor();
        }
    }

    /**
     * The commands a run kept as evidence, scenario by scenario in the features' order (scenarios
     * side by side start in another order), each scenario's in the order it kept them, as
     * "scenario: host$ command" (durations, numbers and run-unique hex ids left out).
     */
    static List<String> evidenceOrder(Path ndjson) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        java.util.Map<String, String> pickleOf = new java.util.HashMap<>();   // test case -> pickle
        java.util.Map<String, String> caseOf = new java.util.HashMap<>();     // test case started -> test case
        java.util.Map<String, List<String>> kept = new java.util.HashMap<>(); // pickle -> its commands
        java.util.Map<String, String> name = new java.util.HashMap<>();
        java.util.Map<String, List<String>> picklesOfUri = new java.util.TreeMap<>();
        for (String line : Files.readAllLines(ndjson)) {
            com.fasterxml.jackson.databind.JsonNode m = json.readTree(line);
            if (m.has("pickle")) {
                String id = m.get("pickle").get("id").asText();
                name.put(id, m.get("pickle").get("name").asText());
                picklesOfUri.computeIfAbsent(m.get("pickle").get("uri").asText(), u -> new java.util.ArrayList<>()).add(id);
            } else if (m.has("testCase")) {
                pickleOf.put(m.get("testCase").get("id").asText(), m.get("testCase").get("pickleId").asText());
            } else if (m.has("testCaseStarted")) {
                caseOf.put(m.get("testCaseStarted").get("id").asText(), m.get("testCaseStarted").get("testCaseId").asText());
            } else if (m.has("attachment") && m.get("attachment").has("fileName")) {
                String file = m.get("attachment").get("fileName").asText().replaceAll(" -> .*", "");
                if (file.contains("$ ")) {
                    String pickle = pickleOf.get(caseOf.get(m.get("attachment").get("testCaseStartedId").asText()));
                    kept.computeIfAbsent(pickle, p -> new java.util.ArrayList<>()).add(file.replaceAll("[0-9a-f]*[0-9][0-9a-f]*", "#"));
                }
            }
        }
        List<String> out = new java.util.ArrayList<>();
        picklesOfUri.values().forEach(ids -> ids.forEach(id -> kept.getOrDefault(id, List.of())
                .forEach(c -> out.add(name.get(id) + ": " + c))));
        return out;
    }

    static List<String> labelled(String label) throws Exception {
        String out = docker("ps", "-aq", "--filter", "label=" + label);
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }

    static String docker(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
        return out;
    }
}
