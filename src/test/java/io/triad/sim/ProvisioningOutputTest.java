package io.triad.sim;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ansible-playbook's default output, as ansible-core 2.17.7 printed it (recorded: a task that
 * changes something on both hosts, a task that fails on beta), read into what changed and what
 * failed; and the verdicts a provisioning's runs give.
 */
class ProvisioningOutputTest {

    static String recorded() throws Exception {
        return Files.readString(Path.of("src/test/resources/recorded/ansible/playbook-changed-and-failed.txt"));
    }

    @Test
    void theFailedTaskAndItsMessageAreNamedPerHost() throws Exception {
        Map<String, String> failed = Provisioning.failedTasks(recorded());
        assertEquals(Map.of("beta", "The site's local CA bundle is present (non-zero return code)"), failed);
    }

    @Test
    void theTasksThatChangedSomethingAreListedPerHost() throws Exception {
        Map<String, List<String>> changed = Provisioning.changedTasks(recorded());
        assertEquals(Map.of("alpha", List.of("Stamp the provisioning time"), "beta", List.of("Stamp the provisioning time")), changed);
        assertEquals(Map.of(), Provisioning.changedTasks("PLAY RECAP ****\nalpha : ok=2 changed=0 unreachable=0 failed=0\n"));
    }

    @Test
    void aHandlerThatRanIsItsOwnChangeNotThePreviousTasks() {
        String out = """
                TASK [keepalived : VRRP priority of this node] *********************************
                ok: [alpha]
                ok: [beta]

                RUNNING HANDLER [keepalived : restart keepalived] ******************************
                changed: [beta]
                """;
        assertEquals(Map.of("beta", List.of("keepalived : restart keepalived")), Provisioning.changedTasks(out));
    }

    static Provisioning.Run run(int n, int exit, Map<String, List<String>> changed, Map<String, String> failed) {
        return new Provisioning.Run(n, exit, "last line of output\n", Duration.ofSeconds(1), changed, failed);
    }

    @Test
    void theVerdicts() {
        Path inv = Path.of("inventory.yaml");
        assertEquals(Optional.empty(), new Provisioning.Result("p", inv, "", List.of(run(1, 0, Map.of("alpha", List.of("a")), Map.of()),
                run(2, 0, Map.of(), Map.of())), Map.of()).problem(), "changes in the first run only: converged");
        assertEquals(Optional.of("provisioning failed on beta: t (m)"), new Provisioning.Result("p", inv, "",
                List.of(run(1, 2, Map.of(), Map.of("beta", "t (m)"))), Map.of()).problem());
        assertEquals(Optional.of("provisioning failed: the command 'x' exited 3: last line of output"), new Provisioning.Result(
                "the command 'x'", inv, "", List.of(run(1, 3, Map.of(), Map.of())), Map.of()).problem());
        assertEquals(Optional.of("provisioning is not idempotent: its second run changed alpha: stamp; beta: /etc/x"),
                new Provisioning.Result("p", inv, "", List.of(run(1, 0, Map.of(), Map.of()), run(2, 0, Map.of("alpha", List.of("stamp")),
                        Map.of())), Map.of("beta", List.of("/etc/x"))).problem());
        assertTrue(new Provisioning.Result("p", inv, "", List.of(run(1, 0, Map.of(), Map.of()), run(2, 1, Map.of(), Map.of())), Map.of())
                .problem().orElseThrow().startsWith("provisioning is not repeatable: its second run failed (exit 1)"));
    }
}
