package io.triad.sim;

import io.triad.env.Environment;
import io.triad.env.EnvironmentLoader;
import io.triad.env.InputError;
import io.triad.host.CommandResult;
import io.triad.host.Evidence;
import io.triad.host.Host;
import io.triad.host.SshHosts;
import io.triad.run.Progress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SSH host layer against real sshd on the simulated nodes: evidence, timeouts, host keys, credentials, cleanup. */
class HostLayerTest {

    static Environment env;
    static SimulatedTriad triad;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        env = EnvironmentLoader.load(SimulatedTriad.root().resolve("environments/bsfg-triad/simulated.yaml"));
        triad = SimulatedTriad.start(env, Progress.stderr());
    }

    @AfterAll
    static void stop() {
        triad.close();
        // this process's containers only: another lane of 'make test' (bin/test-lanes) may have its zone up
        var left = DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(SimulatedTriad.LABEL, "simulated-triad", SimulatedTriad.OWNER_LABEL, SimulatedTriad.OWNER)).exec();
        assertTrue(left.isEmpty(), "containers left behind: " + left.size());
    }

    /** A client logging in as root with this identity, the triad's known_hosts, no evidence kept. */
    static SshHosts root(SshHosts.Identity identity) {
        return new SshHosts("root", identity, triad.knownHosts(), Duration.ofSeconds(5), Duration.ofSeconds(10), r -> { });
    }

    static SshHosts.Target alpha() {
        Environment.HostSpec h = env.host("alpha");
        return new SshHosts.Target(h.name(), h.role(), h.address().toString(), 22);
    }

    @Test
    void everyCommandIsKeptAsEvidenceOverOneReusedSession() {
        Evidence evidence = new Evidence();
        try (SshHosts ssh = new SshHosts("root", triad.identityFile(), triad.knownHosts(), Duration.ofSeconds(5),
                Duration.ofSeconds(10), evidence)) {
            Host alpha = ssh.host(alpha());
            CommandResult hostname = alpha.exec("hostname");
            assertEquals("sim-alpha", hostname.stdout().strip());
            CommandResult failing = alpha.exec("echo oops >&2; exit 3");
            assertEquals(3, failing.exitCode());
            assertEquals("oops", failing.stderr().strip());
            assertThrows(CommandResult.CommandFailed.class, failing::requireOk);
            CommandResult sshd = alpha.exec("ss -tnp state established '( sport = :22 )' | grep -c sshd");
            assertEquals("1", sshd.stdout().strip(), "one SSH connection serves every command");
            var items = evidence.drain();
            assertEquals(3, items.size());
            CommandResult first = items.get(0).command();
            assertEquals("alpha", first.host());
            assertEquals("hostname", first.command());
            assertTrue(items.get(1).body().contains("exit 3") && items.get(1).body().contains("[stderr]\noops"), items.get(1).body());
        }
    }

    /**
     * The recorder's samplers end with their streams: closing a stream sends end-of-file on the
     * command's input. A command that only writes is not stopped by sshd (no terminal, the
     * connection stays, its output drained): shown here, then removed by hand.
     */
    @Test
    void aStreamedCommandThatReadsItsInputEndsWhenTheStreamCloses() {
        try (SshHosts ssh = root(SshHosts.Identity.file(triad.identityFile()))) {
            Host alpha = ssh.host(alpha());
            String marker = "stream-marker-" + System.nanoTime();
            java.util.List<String> lines = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            Host.Stream listening = alpha.stream("exec bash -c ': " + marker + "-reads; while :; do echo tick || exit 0;"
                    + " read -r -t 0.05 z; (( $? > 128 )) || exit 0; done'", lines::add);
            Host.Stream deaf = alpha.stream("exec bash -c ': " + marker + "-writes; while :; do echo tick || exit 0;"
                    + " sleep 0.05; done'", line -> { });
            await("ticks").atMost(Duration.ofSeconds(10)).until(() -> lines.size() >= 3);
            String running = "pgrep -f '[s]" + marker.substring(1);
            assertEquals(0, alpha.exec(running + "-reads'").exitCode(), "the reading loop runs while its stream is open");
            listening.close();
            deaf.close();
            await("the reading loop ended with its stream").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                    .until(() -> alpha.exec(running + "-reads'").exitCode() == 1);
            await("the writing loop outlives its stream").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> alpha.exec(running + "-writes'").exitCode() == 0);
            assertEquals(0, alpha.exec("pkill -f '[s]" + marker.substring(1) + "-writes'").exitCode());
        }
    }

    /**
     * The dead-man switch on a real systemd: it fires by itself after its time-to-live, also when
     * systemd reloaded its units meanwhile (a transient timer's service was once unloaded before it
     * fired); the harness's own undo disarms it; one whose undo failed stays listed and triad
     * heal says so, then heals it once the undo can succeed.
     */
    @Test
    void theDeadManSwitchFiresByItselfIsDisarmedByTheHealAndAFailedUndoIsReported() {
        try (SshHosts ssh = root(SshHosts.Identity.file(triad.identityFile()))) {
            Host alpha = ssh.host(alpha());
            String mark = "/tmp/dead-man-" + System.nanoTime();

            io.triad.zone.Nemesis.DeadMan fires = io.triad.zone.Nemesis.DeadMan.on(alpha, "touch '" + mark + "-fired'");
            alpha.exec(fires.arm(Duration.ofSeconds(2)) + " && systemctl daemon-reload").requireOk();
            assertTrue(io.triad.zone.Leftovers.deadMen(alpha).contains(fires.unit()), "armed: listed");
            await("the dead-man fires by itself").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> alpha.exec("test -e '" + mark + "-fired'").ok());
            await("and is gone").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !io.triad.zone.Leftovers.deadMen(alpha).contains(fires.unit()));

            io.triad.zone.Nemesis.DeadMan healed = io.triad.zone.Nemesis.DeadMan.on(alpha, "touch '" + mark + "-healed'");
            alpha.exec(healed.arm(Duration.ofSeconds(2))).requireOk();
            alpha.exec(healed.healNow()).requireOk();
            assertTrue(alpha.exec("test -e '" + mark + "-healed' && rm '" + mark + "-healed'").ok(), "the heal ran the undo");
            assertFalse(io.triad.zone.Leftovers.deadMen(alpha).contains(healed.unit()), "and disarmed it");
            await("a disarmed dead-man does not fire").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> !alpha.exec("test -e '" + mark + "-healed'").ok());

            // A heal whose undo failed arms the dead-man anew with its own delay (it still fires if the heal is cut
            // short): that delay must outlast the test's next three commands, or the dead-man fires by itself before
            // the second heal and nothing is left to heal (a fresh-clone CI run, load average 18-24: 1 s did not)
            io.triad.zone.Nemesis.DeadMan failing = io.triad.zone.Nemesis.DeadMan.on(alpha, "rm '" + mark + "-flag'");
            alpha.exec(failing.arm(Duration.ofSeconds(6))).requireOk();
            await("the undo fails when it fires").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> alpha.exec("systemctl is-failed --quiet " + failing.unit() + ".service").ok());
            java.util.List<String> first = io.triad.zone.Leftovers.heal(alpha);
            assertEquals(1, first.size(), first.toString());
            assertTrue(first.get(0).startsWith(failing.unit() + ": undo FAILED: ") && first.get(0).endsWith("(rm '" + mark
                    + "-flag')"), first.toString());
            assertTrue(io.triad.zone.Leftovers.deadMen(alpha).contains(failing.unit()), "still there, armed again");
            alpha.exec("touch '" + mark + "-flag'").requireOk();
            assertEquals(java.util.List.of(failing.unit() + ": undo run, dead-man disarmed (rm '" + mark + "-flag')"),
                    io.triad.zone.Leftovers.heal(alpha));
            assertFalse(alpha.exec("test -e '" + mark + "-flag'").ok(), "the undo ran");
            assertEquals("", io.triad.zone.Leftovers.any(alpha), "nothing left");
        }
    }

    /**
     * Keys from the operator's ssh-agent (a real OpenSSH ssh-agent, the triad's key added with
     * ssh-add): the harness logs in without reading any key file. An agent holding no key, and
     * an agent socket that is not there, are each named in one message.
     */
    @Test
    void keysFromAnSshAgentLogInAndAnEmptyOrMissingAgentIsNamed() throws Exception {
        Path socket = dir.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            await("the ssh-agent listens").atMost(Duration.ofSeconds(10)).until(() -> Files.exists(socket));
            SshHosts.Identity fromAgent = SshHosts.Identity.agent(socket);
            InputError empty = assertThrows(InputError.class, () -> root(fromAgent).close());
            assertTrue(empty.getMessage().contains("holds no key: add the zone's key with ssh-add"), empty.getMessage());

            ProcessBuilder add = new ProcessBuilder("ssh-add", triad.identityFile().toString()).redirectErrorStream(true);
            add.environment().put("SSH_AUTH_SOCK", socket.toString());
            Process adding = add.start();
            String said = new String(adding.getInputStream().readAllBytes());
            assertEquals(0, adding.waitFor(), "ssh-add: " + said);
            try (SshHosts ssh = root(fromAgent)) {
                assertEquals("sim-alpha", ssh.host(alpha()).exec("hostname").requireOk().stdout().strip());
            }
        } finally {
            agent.destroy();
            agent.waitFor();
        }
        InputError missing = assertThrows(InputError.class, () -> root(SshHosts.Identity.agent(socket)).close());
        assertTrue(missing.getMessage().startsWith("the ssh-agent at " + socket + " (SSH_AUTH_SOCK) cannot be reached"),
                missing.getMessage());
    }

    @Test
    void aCommandPastItsTimeoutIsReportedAsTimedOut() {
        try (SshHosts ssh = root(SshHosts.Identity.file(triad.identityFile()))) {
            CommandResult r = ssh.host(alpha()).exec("sleep 5", Duration.ofMillis(500));
            assertTrue(r.timedOut());
            assertFalse(r.ok());
            assertTrue(r.duration().toMillis() < 3000, "gave up at the timeout: " + r.duration());
        }
    }

    @Test
    void anUnknownHostKeyIsRefusedWithItsFingerprint() throws Exception {
        Path empty = Files.writeString(dir.resolve("known_hosts"), "");
        try (SshHosts ssh = new SshHosts("root", triad.identityFile(), empty, Duration.ofSeconds(5), Duration.ofSeconds(10), r -> { })) {
            InputError e = assertThrows(InputError.class, () -> ssh.host(alpha()).exec("true"));
            assertTrue(e.getMessage().matches("host alpha \\(root@10\\.213\\.77\\.11:22\\): unknown host key ecdsa-sha2-nistp256 SHA256:\\S+ is not in known_hosts: refused"),
                    e.getMessage());
        }
    }

    @Test
    void aChangedHostKeyIsRefused() throws Exception {
        String other = SshKeys.generate("impostor").publicKeyLine();
        Path wrong = Files.writeString(dir.resolve("known_hosts"), "10.213.77.11 " + other + "\n");
        try (SshHosts ssh = new SshHosts("root", triad.identityFile(), wrong, Duration.ofSeconds(5), Duration.ofSeconds(10), r -> { })) {
            InputError e = assertThrows(InputError.class, () -> ssh.host(alpha()).exec("true"));
            assertTrue(e.getMessage().contains("host key changed: known_hosts has ecdsa-sha2-nistp256 SHA256:"), e.getMessage());
        }
    }

    @Test
    void refusedCredentialsAreNamed() throws Exception {
        Path stranger = Files.writeString(dir.resolve("id"), SshKeys.generate("stranger").privateKeyOpenSsh());
        try (SshHosts ssh = new SshHosts("root", stranger, triad.knownHosts(), Duration.ofSeconds(5), Duration.ofSeconds(10), r -> { })) {
            InputError e = assertThrows(InputError.class, () -> ssh.host(alpha()).exec("true"));
            assertEquals("host alpha (root@10.213.77.11:22): credentials refused (public key authentication with key file "
                    + stranger + " failed)", e.getMessage());
        }
    }

    @Test
    void theRenderedFilesAreWhereTheRunbookExpectsThem() {
        try (SshHosts ssh = root(SshHosts.Identity.file(triad.identityFile()))) {
            Host alpha = ssh.host(alpha());
            assertEquals("600 bsfg", alpha.exec("stat -c '%a %U' /opt/bsfg/certs/node.key").requireOk().stdout().strip(),
                    "the private key is readable by its owner only");
            assertTrue(alpha.exec("grep -c unicast_peer /etc/keepalived/keepalived.conf").ok());
            assertEquals("OK", alpha.exec("openssl verify -CAfile /opt/bsfg/certs/ca.crt /opt/bsfg/certs/node.crt | awk '{print $2}'")
                    .requireOk().stdout().strip());
            assertTrue(alpha.exec("findmnt -n /data/jetstream").ok(), "JetStream data on its own mount");
        }
    }
}
