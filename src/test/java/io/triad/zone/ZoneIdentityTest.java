package io.triad.zone;

import io.triad.env.Environment;
import io.triad.env.EnvironmentLoader;
import io.triad.env.InputError;
import io.triad.host.SshHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where a live zone's login key comes from: the file named, else the ssh-agent, else ~/.ssh's default keys. */
class ZoneIdentityTest {

    static final Path EXAMPLE = io.triad.sim.SimulatedTriad.root().resolve("environments/bsfg-triad/example-live.yaml");

    @TempDir
    Path home;

    static Environment withoutKeyFile() {
        return EnvironmentLoader.load(EXAMPLE, root -> ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("ssh"))
                .remove("identity_file"));
    }

    @Test
    void theKeyFileNamedWinsOverTheAgent() {
        Environment env = EnvironmentLoader.load(EXAMPLE);
        SshHosts.Identity id = Zone.identity(env, Map.of("SSH_AUTH_SOCK", "/run/agent.sock"), home);
        assertEquals(env.ssh().identityFile().orElseThrow(), id.keyFile());
    }

    @Test
    void withoutAKeyFileTheAgentThenTheDefaultKeys() throws Exception {
        Environment env = withoutKeyFile();
        assertEquals(Path.of("/run/agent.sock"), Zone.identity(env, Map.of("SSH_AUTH_SOCK", "/run/agent.sock"), home).agentSocket());
        InputError none = assertThrows(InputError.class, () -> Zone.identity(env, Map.of(), home));
        assertTrue(none.getMessage().contains("set ssh.identity_file") && none.getMessage().contains("SSH_AUTH_SOCK"),
                none.getMessage());
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/id_ecdsa"), "a key");
        assertEquals(home.resolve(".ssh/id_ecdsa"), Zone.identity(env, Map.of("SSH_AUTH_SOCK", ""), home).keyFile());
    }
}
