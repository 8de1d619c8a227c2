package io.triad.report;

import io.triad.env.InputError;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The manifest's signature in OpenSSH's SSHSIG format, checked against OpenSSH itself on this
 * machine: what the harness signs, {@code ssh-keygen -Y verify} accepts (and refuses once the
 * message changed); what {@code ssh-keygen -Y sign} signs, the harness verifies; keys of the
 * three types, a key file and an ssh-agent. And the run directory: a changed file with its
 * manifest written again verifies as files-match but fails the signature.
 */
class SshSigTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ed25519", "rsa", "ecdsa"})
    void whatTheHarnessSignsOpenSshVerifiesAndTheOtherWayRound(String type) throws Exception {
        Path key = keygen(type, "auditor@example");
        Path allowed = Files.writeString(dir.resolve("allowed_signers"),
                "auditor@example namespaces=\"" + SshSig.NAMESPACE + "\" " + Files.readString(Path.of(key + ".pub")));
        byte[] message = "3f2a  report.html\n".getBytes(StandardCharsets.UTF_8);
        Path file = Files.write(dir.resolve("MANIFEST.sha256"), message);

        String sig = SshSig.sign(message, SshSig.NAMESPACE, SshSig.ofKeyFile(key));
        Files.writeString(dir.resolve("ours.sig"), sig);
        Result verify = run(file, "ssh-keygen", "-Y", "verify", "-f", allowed.toString(), "-I", "auditor@example", "-n",
                SshSig.NAMESPACE, "-s", dir.resolve("ours.sig").toString());
        assertEquals(0, verify.code(), verify.output());
        assertTrue(verify.output().contains("Good \"" + SshSig.NAMESPACE + "\" signature for auditor@example"), verify.output());

        Files.write(dir.resolve("changed"), "3f2b  report.html\n".getBytes(StandardCharsets.UTF_8));
        Result refused = run(dir.resolve("changed"), "ssh-keygen", "-Y", "verify", "-f", allowed.toString(), "-I", "auditor@example",
                "-n", SshSig.NAMESPACE, "-s", dir.resolve("ours.sig").toString());
        assertTrue(refused.code() != 0, refused.output());

        Result theirs = run(file, false, "ssh-keygen", "-Y", "sign", "-f", key.toString(), "-n", SshSig.NAMESPACE);
        assertEquals(0, theirs.code(), theirs.output());
        SshSig.Verified v = SshSig.verify(theirs.output(), message, SshSig.NAMESPACE);
        assertEquals(fingerprint(key), v.fingerprint());
        assertEquals(Optional.of("auditor@example"), SshSig.AllowedSigners.read(allowed).principalsOf(v.key(), SshSig.NAMESPACE));
        InputError changed = assertThrows(InputError.class, () -> SshSig.verify(theirs.output(), "3f2b".getBytes(), SshSig.NAMESPACE));
        assertTrue(changed.getMessage().contains("does not match"), changed.getMessage());
        InputError otherNamespace = assertThrows(InputError.class, () -> SshSig.verify(sig, message, "file"));
        assertTrue(otherNamespace.getMessage().contains("namespace"), otherNamespace.getMessage());
    }

    @Test
    void anAgentSignsWithoutTheHarnessSeeingTheKey() throws Exception {
        Path key = keygen("ed25519", "agent-held");
        Path socket = dir.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString()).redirectErrorStream(true).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.exists(socket) && System.nanoTime() < deadline) {
                Thread.sleep(20); // polled against the deadline: the agent makes its socket when it is ready
            }
            ProcessBuilder add = new ProcessBuilder("ssh-add", key.toString()).redirectErrorStream(true);
            add.environment().put("SSH_AUTH_SOCK", socket.toString());
            Process p = add.start();
            p.getInputStream().readAllBytes();
            assertEquals(0, p.waitFor());
            Files.delete(key); // only the agent holds it now

            byte[] message = "signed by the agent\n".getBytes(StandardCharsets.UTF_8);
            String sig = SshSig.sign(message, SshSig.NAMESPACE, SshSig.ofAgent(socket, Optional.of(Path.of(key + ".pub"))));
            assertEquals(fingerprint(Path.of(key + ".pub")), SshSig.verify(sig, message, SshSig.NAMESPACE).fingerprint());
            Path other = keygen("ed25519", "not-in-agent");
            InputError notHeld = assertThrows(InputError.class, () -> SshSig.ofAgent(socket, Optional.of(Path.of(other + ".pub"))));
            assertTrue(notHeld.getMessage().contains("does not hold the key"), notHeld.getMessage());
        } finally {
            agent.destroy();
        }
    }

    @Test
    void aChangedFileWithItsManifestWrittenAgainFailsTheSignature() throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.writeString(run.resolve("junit.xml"), "<testsuite failures=\"1\"/>\n");
        Files.writeString(run.resolve("report.html"), "<p>FAILED</p>\n");
        Path key = keygen("ed25519", "operator@zone");
        Path other = keygen("ed25519", "someone-else");
        SshSig.AllowedSigners allowed = SshSig.AllowedSigners.read(Files.writeString(dir.resolve("allowed"),
                "operator@zone " + Files.readString(Path.of(key + ".pub"))));
        Manifest.write(run);
        Manifest.sign(run, SshSig.ofKeyFile(key));
        assertEquals(List.of(), Manifest.verify(run));
        Manifest.Signature good = Manifest.signature(run, Optional.of(allowed));
        assertEquals(Manifest.Signature.Status.VALID, good.status());
        assertEquals(Optional.of("operator@zone"), good.signer());
        assertTrue(good.describe().startsWith("signed by operator@zone (key SHA256:"), good.describe());

        // someone turns the failure into a pass and writes the manifest again: the files match it, the signature does not
        Files.writeString(run.resolve("junit.xml"), "<testsuite failures=\"0\"/>\n");
        Manifest.write(run);
        assertEquals(List.of(), Manifest.verify(run));
        Manifest.Signature broken = Manifest.signature(run, Optional.of(allowed));
        assertEquals(Manifest.Signature.Status.INVALID, broken.status(), broken.describe());
        assertTrue(broken.describe().contains("does not match"), broken.describe());

        // ... and signs it again with a key of their own: valid, by a key no allowed signer holds
        Manifest.sign(run, SshSig.ofKeyFile(other));
        assertEquals(Manifest.Signature.Status.UNKNOWN_SIGNER, Manifest.signature(run, Optional.of(allowed)).status());
        assertEquals(Manifest.Signature.Status.VALID, Manifest.signature(run, Optional.empty()).status());
        assertTrue(Manifest.signature(run, Optional.empty()).describe().contains("not checked against an allowed-signers file"));

        // the declared signer (signing.json, covered by the manifest) must be the key that signed
        Manifest.declareSigning(run, SshSig.ofKeyFile(key), java.time.Instant.now());
        Manifest.write(run);
        Manifest.sign(run, SshSig.ofKeyFile(other));
        Manifest.Signature mismatch = Manifest.signature(run, Optional.empty());
        assertEquals(Manifest.Signature.Status.INVALID, mismatch.status());
        assertTrue(mismatch.describe().contains("signing.json names key " + fingerprint(Path.of(key + ".pub"))), mismatch.describe());
        Files.delete(run.resolve(Manifest.SIGNING));
        Manifest.write(run);

        Files.delete(run.resolve(Manifest.SIGNATURE));
        Manifest.Signature none = Manifest.signature(run, Optional.of(allowed));
        assertEquals(Manifest.Signature.Status.UNSIGNED, none.status());
        assertTrue(none.describe().startsWith("UNSIGNED"), none.describe());
    }

    @Test
    void allowedSignersLinesAsSshKeygenReadsThem() throws Exception {
        Path a = keygen("ed25519", "a");
        Path b = keygen("ed25519", "b");
        String pubA = Files.readString(Path.of(a + ".pub")).strip();
        String pubB = Files.readString(Path.of(b + ".pub")).strip();
        SshSig.AllowedSigners allowed = SshSig.AllowedSigners.read(Files.writeString(dir.resolve("allowed"), """
                # auditors
                alice@plant,alice@hq namespaces="git,%s" %s
                bob@plant namespaces="git" %s
                """.formatted(SshSig.NAMESPACE, pubA, pubB)));
        var keyA = SshSig.verify(SshSig.sign(new byte[1], SshSig.NAMESPACE, SshSig.ofKeyFile(a)), new byte[1], SshSig.NAMESPACE).key();
        var keyB = SshSig.verify(SshSig.sign(new byte[1], SshSig.NAMESPACE, SshSig.ofKeyFile(b)), new byte[1], SshSig.NAMESPACE).key();
        assertEquals(Optional.of("alice@plant,alice@hq"), allowed.principalsOf(keyA, SshSig.NAMESPACE));
        assertEquals(Optional.empty(), allowed.principalsOf(keyB, SshSig.NAMESPACE), "bob may sign git commits, not reports");
        InputError ca = assertThrows(InputError.class, () -> SshSig.AllowedSigners.read(Files.writeString(dir.resolve("ca"),
                "*@plant cert-authority " + pubA + "\n")));
        assertTrue(ca.getMessage().contains("line 1") && ca.getMessage().contains("cert-authority"), ca.getMessage());
        InputError garbage = assertThrows(InputError.class, () -> SshSig.AllowedSigners.read(Files.writeString(dir.resolve("bad"),
                "\nalice ssh-ed25519 notbase64!\n")));
        assertTrue(garbage.getMessage().contains("line 2"), garbage.getMessage());
        InputError missing = assertThrows(InputError.class, () -> SshSig.ofKeyFile(dir.resolve("no-such-key")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }

    private Path keygen(String type, String comment) throws Exception {
        Path key = dir.resolve("id_" + type + "_" + comment.replaceAll("[^a-z]", ""));
        List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", comment, "-f", key.toString()));
        if (type.equals("rsa")) {
            cmd.addAll(List.of("-b", "2048"));
        }
        Result r = run(null, cmd.toArray(String[]::new));
        assertEquals(0, r.code(), r.output());
        return key;
    }

    private String fingerprint(Path key) throws Exception {
        Result r = run(null, "ssh-keygen", "-l", "-E", "sha256", "-f", key.toString());
        return r.output().split("\\s+")[1];
    }

    record Result(int code, String output) { }

    private static Result run(Path stdin, String... cmd) throws IOException, InterruptedException {
        return run(stdin, true, cmd);
    }

    /** The command's exit code and its output: stdout, with stderr too when asked (ssh-keygen -Y sign says what it signs there). */
    private static Result run(Path stdin, boolean withStderr, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(withStderr);
        if (!withStderr) {
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        }
        if (stdin != null) {
            pb.redirectInput(stdin.toFile());
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Result(p.exitValue(), out);
    }
}
