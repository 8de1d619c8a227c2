package io.triad.cli;

import io.triad.run.ExitCodes;
import io.triad.sim.SshKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input ends the command line with exit 2 and one message naming what is wrong, never a stack trace. */
class BadInputTest {

    @TempDir
    Path dir;

    record Outcome(int code, String stderr) { }

    static Outcome triad(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Outcome(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }

    static void assertOneClearMessage(Outcome outcome, String expected) {
        assertEquals(ExitCodes.BAD_INPUT, outcome.code(), outcome.stderr());
        assertTrue(outcome.stderr().contains("triad: " + expected), outcome.stderr());
        assertFalse(outcome.stderr().contains("Exception"), "no stack trace: " + outcome.stderr());
        assertFalse(outcome.stderr().contains("\tat "), "no stack trace: " + outcome.stderr());
    }

    @Test
    void aMissingEnvironmentFile() {
        Path missing = dir.resolve("missing.yaml");
        assertOneClearMessage(triad("drill", "--env", missing.toString(), "--reports", dir.resolve("r").toString()),
                "environment file " + missing + " does not exist");
    }

    @Test
    void malformedYaml() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yaml"), "zone: x\nhosts: [\n");
        assertOneClearMessage(triad("drill", "--env", file.toString(), "--reports", dir.resolve("r").toString()),
                "environment file " + file + " is not valid YAML at line");
    }

    /**
     * Issue 35: a part a zone lacks declared under a key nothing reads is refused, not recorded as if it
     * applied ({@code nonsense}, the issue's own example; redis, monitoring and backups are parts an SFA
     * zone may lack since stop 59, and are among the known ones the message names).
     */
    @Test
    void aNotApplicableCapabilityNoScenarioNeeds() throws Exception {
        String sim = Files.readString(Path.of(System.getProperty("user.dir"), "environments/sfa/simulated.yaml"));
        Path file = Files.writeString(dir.resolve("sfa-nonsense-absent.yaml"), sim.replace("\nnot_applicable:\n",
                "\nnot_applicable:\n  nonsense: x\n"));
        assertTrue(Files.readString(file).contains("  nonsense: x"), "the environment names nonsense");
        Outcome o = triad("drill", "--env", file.toString(), "--reports", dir.resolve("r").toString());
        assertOneClearMessage(o, file + ": not_applicable names a capability no scenario of profile sfa needs: nonsense");
        assertTrue(o.stderr().contains("known: ") && o.stderr().contains("mongodb") && o.stderr().contains("redis")
                && o.stderr().contains("monitoring") && o.stderr().contains("backups"), o.stderr());
        assertFalse(Files.exists(dir.resolve("r")) && Files.list(dir.resolve("r")).findAny().isPresent(), "nothing run");
    }

    @Test
    void anUnknownOption() {
        Outcome o = triad("drill", "--envv", "x");
        assertEquals(ExitCodes.BAD_INPUT, o.code());
        assertTrue(o.stderr().contains("Unknown options: '--envv'"), o.stderr());
    }

    /** A live zone on loopback addresses with a port where nothing listens: the harness's own machine, refused at once. */
    Path loopbackZone(String ssh) throws Exception {
        Files.writeString(dir.resolve("known_hosts"), "");
        return Files.writeString(dir.resolve("live.yaml"), """
                zone: loopback
                kind: live
                hosts:
                  - { name: alpha, role: alpha, address: 127.0.0.11, ssh_port: 1 }
                  - { name: beta,  role: beta,  address: 127.0.0.12, ssh_port: 1 }
                  - { name: gamma, role: gamma, address: 127.0.0.13, ssh_port: 1 }
                vip: 127.0.0.10/8
                ssh: %s
                """.formatted(ssh));
    }

    @Test
    void provisioningGivenWrongly() throws Exception {
        assertOneClearMessage(triad("drill", "--reference", "keep", "--reports", dir.resolve("r").toString()),
                "--reference needs --provision");
        assertOneClearMessage(triad("drill", "--provision", dir.resolve("no-such.yml").toString(), "--reports", dir.resolve("r").toString()),
                "--provision: " + dir.resolve("no-such.yml") + " is not a file (an Ansible playbook)");
        Path playbook = Files.writeString(dir.resolve("site.yml"), "- hosts: nodes\n  tasks: []\n");
        assertOneClearMessage(triad("drill", "--env", loopbackZone("{ known_hosts: known_hosts }").toString(), "--provision", playbook.toString(),
                "--reports", dir.resolve("r").toString()), "--provision: " + dir.resolve("live.yaml") + " is not a simulated zone");
        assertFalse(Files.exists(dir.resolve("r")), "nothing started, nothing written");
    }

    @Test
    void aSigningKeyThatCannotSignIsNamedBeforeAnythingRuns() throws Exception {
        Path env = loopbackZone("{ known_hosts: known_hosts }");
        assertOneClearMessage(triad("drill", "--env", env.toString(), "--sign-with", dir.resolve("no-such-key").toString(),
                "--reports", dir.resolve("r").toString()), "the signing key " + dir.resolve("no-such-key") + " does not exist or cannot be read");
        Path locked = dir.resolve("locked");
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "a passphrase", "-f", locked.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        Outcome passphrase = triad("drill", "--env", env.toString(), "--sign-with", locked.toString(), "--reports", dir.resolve("r").toString());
        assertOneClearMessage(passphrase, "cannot read the signing key " + locked);
        assertTrue(passphrase.stderr().contains("signs through ssh-agent"), passphrase.stderr());
        assertFalse(Files.exists(dir.resolve("r")), "nothing started, nothing written");
    }

    @Test
    void anUnreachableHostIsNamed() throws Exception {
        Files.writeString(dir.resolve("id"), SshKeys.generate("test").privateKeyOpenSsh());
        Path env = loopbackZone("{ user: audit, identity_file: id, known_hosts: known_hosts, connect_timeout: 2s }");
        assertOneClearMessage(triad("drill", "--env", env.toString(), "--reports", dir.resolve("r").toString()),
                "host alpha (audit@127.0.0.11:1) is unreachable: connection refused");
    }

    @Test
    void aMissingIdentityFileIsNamed() throws Exception {
        Path env = loopbackZone("{ identity_file: no-such-key, known_hosts: known_hosts }");
        assertOneClearMessage(triad("drill", "--env", env.toString(), "--reports", dir.resolve("r").toString()),
                "SSH identity file " + dir.resolve("no-such-key") + " does not exist or cannot be read");
    }

    @Test
    void theBenchmarkRefusesALiveZoneAndZeroRepetitions() throws Exception {
        Files.writeString(dir.resolve("id"), SshKeys.generate("test").privateKeyOpenSsh());
        Path env = loopbackZone("{ user: audit, identity_file: id, known_hosts: known_hosts }");
        assertOneClearMessage(triad("bench", "--env", env.toString(), "--out", dir.resolve("bench").toString()),
                "the benchmark runs on the simulated triad only; " + env + " describes a live zone");
        assertFalse(Files.exists(dir.resolve("bench")), "nothing written for a refused benchmark");
        assertOneClearMessage(triad("bench", "--reps", "0", "--out", dir.resolve("bench").toString()),
                "--reps must be 1 or more");
    }
}
