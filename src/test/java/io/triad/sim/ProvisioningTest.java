package io.triad.sim;

import io.triad.env.Environment;
import io.triad.env.EnvironmentLoader;
import io.triad.host.Host;
import io.triad.run.CucumberRun;
import io.triad.run.Progress;
import io.triad.zone.Zone;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A change gated by the user's own provisioning (simulation.provision): the example playbook
 * (examples/provision/bsfg-onto-reference: the VRRP priorities and the controller's enablement,
 * managed by Ansible on top of the BSFG reference configuration) converges the simulated zone,
 * its second run changes nothing, and the items it touches pass; its broken variants are caught:
 * two by the items that name them, a failing task and a non-idempotent run by the provisioning's
 * own verdict. One zone: each variant is provisioned onto it in turn, the good playbook last.
 */
class ProvisioningTest {

    static final Path ROOT = SimulatedTriad.root();
    static final Path EXAMPLE = ROOT.resolve("examples/provision/bsfg-onto-reference");
    static final String ITEMS = "@runbook:4.2 or @runbook:4.4";

    static Environment provisioned(String playbook) {
        return EnvironmentLoader.load(ROOT.resolve("environments/bsfg-triad/simulated.yaml"), root -> root.with("simulation")
                .putObject("provision").put("playbook", EXAMPLE.resolve(playbook).toString()).put("reference", "keep"));
    }

    static Provisioning.Result converge(Zone zone, Environment env, Path workDir) {
        List<Host> nodes = zone.hosts();
        return Provisioning.converge(env, env.simulation().provision().orElseThrow(), nodes, zone.simulation().orElseThrow().identityFile(),
                zone.simulation().orElseThrow().knownHosts(), workDir, Progress.stderr());
    }

    static CucumberRun.ScenarioResult scenario(CucumberRun.Result r, String name) {
        return r.scenarios().stream().filter(s -> s.name().contains(name)).findFirst().orElseThrow(() -> new AssertionError(name + " did not run"));
    }

    @Test
    void theExamplePlaybookConvergesTheZoneAndItsBrokenVariantsAreCaught() throws Exception {
        Environment good = provisioned("site.yml");
        Path reports = Files.createDirectories(ROOT.resolve("target/test-reports/provisioning"));
        try (Zone zone = Zone.open(good, Progress.stderr())) {
            Provisioning.Result converged = zone.provisioning().orElseThrow(() -> new AssertionError("the zone was not provisioned"));
            assertEquals(Optional.empty(), converged.problem());
            assertEquals(2, converged.runs().size(), "run twice: the second run is the idempotence check");
            assertTrue(converged.runs().get(1).output().contains("changed=0"), converged.runs().get(1).output());
            assertTrue(converged.inventoryText().contains("role_alpha"), "the inventory groups the nodes by role");
            CucumberRun.Result passing = CucumberRun.run(zone, ROOT.resolve("features/bsfg-triad"), ITEMS, reports.resolve("good"),
                    Progress.stderr());
            passing.scenarios().forEach(s -> assertTrue(s.passed(), s.name() + ": " + s.message()));
            assertEquals(2, passing.scenarios().size());

            Path work = Files.createTempDirectory("provision-variants");
            // Broken, caught by the item that names it.
            converge(zone, provisioned("broken-equal-priorities.yml"), work);
            CucumberRun.Result equal = CucumberRun.run(zone, ROOT.resolve("features/bsfg-triad"), ITEMS, reports.resolve("equal"),
                    Progress.stderr());
            CucumberRun.ScenarioResult alike = scenario(equal, "Keepalived is configured alike on Alpha and Beta, Alpha first");
            assertEquals("FAILED", alike.status(), alike.toString());
            assertTrue(alike.message().contains("priority"), alike.message());

            converge(zone, provisioned("broken-controller-enabled.yml"), work);
            CucumberRun.Result enabled = CucumberRun.run(zone, ROOT.resolve("features/bsfg-triad"), ITEMS, reports.resolve("enabled"),
                    Progress.stderr());
            CucumberRun.ScenarioResult notEnabled = scenario(enabled, "the controller is installed but not enabled");
            assertEquals("FAILED", notEnabled.status(), notEnabled.toString());

            // Broken, caught by the provisioning's own verdict.
            Provisioning.Failed fails = assertThrows(Provisioning.Failed.class,
                    () -> converge(zone, provisioned("broken-task-fails.yml"), work));
            assertTrue(fails.getMessage().startsWith("provisioning failed on beta: The site's local CA bundle is present"), fails.getMessage());
            assertEquals(1, fails.result().runs().size(), "no second run after a failed first one");

            Provisioning.Failed repeats = assertThrows(Provisioning.Failed.class,
                    () -> converge(zone, provisioned("broken-not-idempotent.yml"), work));
            assertTrue(repeats.getMessage().startsWith("provisioning is not idempotent: its second run changed"), repeats.getMessage());
            assertTrue(repeats.getMessage().contains("Stamp the provisioning time"), repeats.getMessage());
            assertTrue(repeats.getMessage().contains("alpha: /etc/bsfg-provisioned-at"), "the file it changed is named: " + repeats.getMessage());

            // A command provisioner that changes a file on every run: found by the files the second run changed.
            Environment command = EnvironmentLoader.load(ROOT.resolve("environments/bsfg-triad/simulated.yaml"), root -> root.with("simulation")
                    .putObject("provision").put("command", "for a in $(sed -n 's/^ *ansible_host: *//p' \"$TRIAD_INVENTORY\"); do"
                            + " ssh -i \"$TRIAD_SSH_KEY\" -o UserKnownHostsFile=\"$TRIAD_KNOWN_HOSTS\" -o BatchMode=yes root@$a"
                            + " 'date +%N > /etc/stamp-by-command' || exit 1; done").put("reference", "keep"));
            Provisioning.Failed commandRepeats = assertThrows(Provisioning.Failed.class, () -> converge(zone, command, work));
            assertEquals(2, commandRepeats.result().runs().size(), "the command ran twice: " + commandRepeats.getMessage()
                    + "\n" + commandRepeats.result().runs().get(0).output());
            assertTrue(commandRepeats.getMessage().startsWith("provisioning is not idempotent: its second run changed alpha: /etc/stamp-by-command"),
                    commandRepeats.getMessage());

            // A deploy that is one-shot by design (it refuses a node it already deployed, as autobase's deploy refuses an
            // initialised data directory): run twice, its second run fails and says so; with a second_run that is the
            // deployment's repeatable part (here: a check that changes nothing), the second run is that one.
            String ssh = "for a in $(sed -n 's/^ *ansible_host: *//p' \"$TRIAD_INVENTORY\"); do ssh -i \"$TRIAD_SSH_KEY\" -o UserKnownHostsFile=\"$TRIAD_KNOWN_HOSTS\""
                    + " -o BatchMode=yes root@$a ";
            String deploy = ssh + "'test ! -e /etc/triad-one-shot || { echo already deployed >&2; exit 1; }; touch /etc/triad-one-shot' || exit 1; done";
            // the inventory names every host, the support hosts too
            Runnable undo = () -> java.util.stream.Stream.concat(zone.hosts().stream(), zone.supportHosts().stream())
                    .forEach(h -> h.exec(h.asRoot("rm -f /etc/triad-one-shot")).requireOk());
            Environment oneShot = EnvironmentLoader.load(ROOT.resolve("environments/bsfg-triad/simulated.yaml"), root -> root.with("simulation")
                    .putObject("provision").put("command", deploy).put("reference", "keep"));
            assertTrue(oneShot.simulation().provision().orElseThrow().repeatability().startsWith("a second run, of the command"));
            undo.run();
            Provisioning.Failed refused = assertThrows(Provisioning.Failed.class, () -> converge(zone, oneShot, work));
            assertTrue(refused.getMessage().startsWith("provisioning is not repeatable: its second run failed (exit 1)"), refused.getMessage());
            Environment withSecond = EnvironmentLoader.load(ROOT.resolve("environments/bsfg-triad/simulated.yaml"), root -> {
                com.fasterxml.jackson.databind.node.ObjectNode pr = root.with("simulation").putObject("provision");
                pr.put("command", deploy).put("reference", "keep");
                pr.putObject("second_run").put("command", ssh + "'test -e /etc/triad-one-shot' || exit 1; done");
            });
            undo.run();
            Provisioning.Result deployed = converge(zone, withSecond, work);
            assertEquals(Optional.empty(), deployed.problem());
            assertEquals(2, deployed.runs().size());
            assertEquals(0, deployed.runs().get(1).exitCode());
            assertTrue(withSecond.simulation().provision().orElseThrow().repeatability().contains("the environment's second_run"));
            // declared one-shot: one run, and the document says it is not proven repeatable
            Environment declared = EnvironmentLoader.load(ROOT.resolve("environments/bsfg-triad/simulated.yaml"), root -> root.with("simulation")
                    .putObject("provision").put("command", deploy).put("reference", "keep").put("idempotence", false));
            undo.run();
            assertEquals(1, converge(zone, declared, work).runs().size());
            assertTrue(declared.simulation().provision().orElseThrow().repeatability().startsWith("not proven: declared one-shot"));
            undo.run();

            // The user's own ansible-playbook (simulation.provision.ansible_playbook): a wrapper that says so and runs the harness's.
            Path own = work.resolve("own-ansible-playbook");
            Files.writeString(own, "#!/bin/sh\necho 'the user-s own ansible-playbook'\nexec " + Provisioning.ansible(Progress.stderr()) + " \"$@\"\n");
            own.toFile().setExecutable(true);
            Environment ownAnsible = EnvironmentLoader.load(ROOT.resolve("environments/bsfg-triad/simulated.yaml"), root -> root.with("simulation")
                    .putObject("provision").put("playbook", EXAMPLE.resolve("site.yml").toString()).put("reference", "keep")
                    .put("idempotence", false).put("ansible_playbook", own.toString()));
            Provisioning.Result byOwn = converge(zone, ownAnsible, work);
            assertEquals(Optional.empty(), byOwn.problem());
            assertTrue(byOwn.runs().get(0).output().startsWith("the user-s own ansible-playbook"), byOwn.runs().get(0).output());
            // the harness's own is the community package: the collections common playbooks use are there
            Process galaxy = new ProcessBuilder(Provisioning.ansible(Progress.stderr()).resolveSibling("ansible-galaxy").toString(), "collection", "list",
                    "community.postgresql").redirectErrorStream(true).start();
            String listed = new String(galaxy.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(galaxy.waitFor() == 0 && listed.contains("community.postgresql"), listed);

            // The good playbook again: the zone is back as it was, the items pass.
            Provisioning.Result again = converge(zone, good, work);
            assertEquals(Optional.empty(), again.problem());
            CucumberRun.Result back = CucumberRun.run(zone, ROOT.resolve("features/bsfg-triad"), ITEMS, reports.resolve("back"),
                    Progress.stderr());
            back.scenarios().forEach(s -> assertTrue(s.passed(), s.name() + ": " + s.message()));
        }
    }

    @Test
    void bareNodesGetTheZonesIdentityAndNotItsReferenceConfiguration() throws Exception {
        // A provisioning that lays nothing: what is on the nodes is what the harness gave them.
        Environment bare = EnvironmentLoader.load(ROOT.resolve("environments/bsfg-triad/simulated.yaml"), root -> {
            com.fasterxml.jackson.databind.node.ObjectNode sim = root.with("simulation");
            sim.put("settle_deadline", "3s"); // a bare zone runs nothing to settle
            sim.putObject("provision").put("command", "test -s \"$TRIAD_INVENTORY\"");
        });
        assertTrue(bare.simulation().provision().orElseThrow().bare(), "bare is the default");
        try (Zone zone = Zone.open(bare, Progress.stderr())) {
            assertEquals(Optional.empty(), zone.provisioning().orElseThrow().problem());
            for (Host h : zone.hosts()) {
                String present = h.exec("for f in /etc/hostname /opt/bsfg/certs/node.key /opt/bsfg/certs/ca.crt /root/.ssh/authorized_keys"
                        + " /etc/keepalived/keepalived.conf /opt/bsfg/jetstream.conf /opt/bsfg/zone.env; do [ -e $f ] && echo $f; done").stdout();
                assertTrue(present.contains("/etc/hostname") && present.contains("/opt/bsfg/certs/node.key")
                        && present.contains("/opt/bsfg/certs/ca.crt") && present.contains("/root/.ssh/authorized_keys"),
                        h.name() + " has its identity: " + present);
                assertTrue(!present.contains("/opt/bsfg/jetstream.conf") && !present.contains("/opt/bsfg/zone.env"),
                        h.name() + " has none of the reference configuration: " + present);
                if (!h.role().equals("gamma")) {
                    assertTrue(!present.contains("keepalived.conf"), h.name() + " has no keepalived configuration: " + present);
                }
            }
        }
    }

    @Test
    void aProvisioningStepNamesEitherAPlaybookOrACommand() {
        io.triad.env.InputError both = assertThrows(io.triad.env.InputError.class, () -> EnvironmentLoader.load(
                ROOT.resolve("environments/bsfg-triad/simulated.yaml"), root -> root.with("simulation").putObject("provision")
                        .put("playbook", EXAMPLE.resolve("site.yml").toString()).put("command", "true")));
        assertTrue(both.getMessage().endsWith("simulation.provision.command: give either a playbook (an Ansible playbook file) or a command, not both"),
                both.getMessage());
        io.triad.env.InputError missing = assertThrows(io.triad.env.InputError.class, () -> EnvironmentLoader.load(
                ROOT.resolve("environments/bsfg-triad/simulated.yaml"), root -> root.with("simulation").putObject("provision")
                        .put("playbook", "no-such-playbook.yml")));
        assertTrue(missing.getMessage().contains("simulation.provision.playbook: ") && missing.getMessage().endsWith("no-such-playbook.yml is not a file"),
                missing.getMessage());
        io.triad.env.InputError reference = assertThrows(io.triad.env.InputError.class, () -> EnvironmentLoader.load(
                ROOT.resolve("environments/bsfg-triad/simulated.yaml"), root -> root.with("simulation").putObject("provision")
                        .put("command", "true").put("reference", "some")));
        assertTrue(reference.getMessage().contains("simulation.provision.reference: 'some' is neither 'bare'"), reference.getMessage());
        io.triad.env.InputError oneShotAndSecond = assertThrows(io.triad.env.InputError.class, () -> EnvironmentLoader.load(
                ROOT.resolve("environments/bsfg-triad/simulated.yaml"), root -> {
                    com.fasterxml.jackson.databind.node.ObjectNode pr = root.with("simulation").putObject("provision").put("command", "true");
                    pr.put("idempotence", false).putObject("second_run").put("command", "true");
                }));
        assertTrue(oneShotAndSecond.getMessage().contains("simulation.provision.second_run: names what the second run runs, and idempotence: false runs none"),
                oneShotAndSecond.getMessage());
        io.triad.env.InputError secondBoth = assertThrows(io.triad.env.InputError.class, () -> EnvironmentLoader.load(
                ROOT.resolve("environments/bsfg-triad/simulated.yaml"), root -> root.with("simulation").putObject("provision").put("command", "true")
                        .putObject("second_run").put("command", "true").put("playbook", EXAMPLE.resolve("site.yml").toString())));
        assertTrue(secondBoth.getMessage().contains("simulation.provision.second_run.command: give either a playbook"), secondBoth.getMessage());
        io.triad.env.InputError secondUnknown = assertThrows(io.triad.env.InputError.class, () -> EnvironmentLoader.load(
                ROOT.resolve("environments/bsfg-triad/simulated.yaml"), root -> root.with("simulation").putObject("provision").put("command", "true")
                        .putObject("second_run").put("command", "true").put("reference", "keep")));
        assertTrue(secondUnknown.getMessage().contains("second_run"), secondUnknown.getMessage());
        io.triad.env.InputError noAnsible = assertThrows(io.triad.env.InputError.class, () -> EnvironmentLoader.load(
                ROOT.resolve("environments/bsfg-triad/simulated.yaml"), root -> root.with("simulation").putObject("provision")
                        .put("playbook", EXAMPLE.resolve("site.yml").toString()).put("ansible_playbook", "/nonexistent/ansible-playbook")));
        assertTrue(noAnsible.getMessage().contains("simulation.provision.ansible_playbook: /nonexistent/ansible-playbook is not an executable file"),
                noAnsible.getMessage());
        assertTrue(Duration.ofMinutes(15).equals(EnvironmentLoader.load(ROOT.resolve("environments/bsfg-triad/simulated.yaml"),
                root -> root.with("simulation").putObject("provision").put("command", "true")).simulation().provision().orElseThrow().timeout()));
    }
}
