package io.triad.cli;

import io.triad.report.Manifest;
import io.triad.run.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.triad.cli.BadInputTest.assertOneClearMessage;
import static io.triad.cli.BadInputTest.triad;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/triad verify-report: 0 on a run as written, 1 when one byte changed, 2 without a manifest;
 * with the manifest's SSH signature: 0 naming the signer, 1 after a changed file even when the
 * manifest was written again, 1 for a key no allowed signer holds, an unsigned run said so.
 */
class VerifyReportTest {

    @TempDir
    Path run;

    @Test
    void aRunAsWrittenPassesAndOneChangedByteFails() throws Exception {
        Files.writeString(run.resolve("report.html"), "<html><body>71 scenarios</body></html>\n");
        Files.writeString(run.resolve("junit.xml"), "<testsuite tests=\"71\"/>\n");
        Manifest.write(run);
        assertEquals(ExitCodes.PASSED, triad("verify-report", run.toString()).code());

        Files.writeString(run.resolve("report.html"), "<html><body>72 scenarios</body></html>\n");
        BadInputTest.Outcome tampered = triad("verify-report", run.toString());
        assertEquals(ExitCodes.FAILED, tampered.code(), tampered.stderr());
        assertTrue(tampered.stderr().contains("does not match its MANIFEST.sha256 (1 difference(s))"), tampered.stderr());
    }

    @Test
    void aDirectoryWithoutManifestIsBadInput() {
        assertOneClearMessage(triad("verify-report", run.toString()), run + " has no MANIFEST.sha256");
    }

    @Test
    void aSignedRunNamesItsSignerAndARegeneratedManifestFailsItsSignature() throws Exception {
        Files.writeString(run.resolve("junit.xml"), "<testsuite failures=\"2\"/>\n");
        Path keys = Files.createTempDirectory("verify-keys");
        Path key = keys.resolve("id_ed25519");
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "operator", "-f", key.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        Path allowed = Files.writeString(keys.resolve("allowed_signers"), "ops@plant-7 " + Files.readString(Path.of(key + ".pub")));
        Manifest.write(run);

        Both unsigned = both("verify-report", run.toString(), "--allowed-signers", allowed.toString());
        assertEquals(ExitCodes.PASSED, unsigned.code(), unsigned.err());
        assertTrue(unsigned.out().contains("signature: UNSIGNED") && unsigned.out().contains("VERIFIED FILES ONLY"), unsigned.out());
        assertEquals(ExitCodes.FAILED, both("verify-report", run.toString(), "--require-signature").code());

        io.triad.report.SshSig.Signer signer = io.triad.report.SshSig.ofKeyFile(key);
        Manifest.declareSigning(run, signer, java.time.Instant.parse("2026-11-23T08:00:00Z"));
        Manifest.write(run);
        Manifest.sign(run, signer);
        Both signed = both("verify-report", run.toString(), "--allowed-signers", allowed.toString());
        assertTrue(signed.out().contains(", at 2026-11-23T08:00:00Z"), "says when: " + signed.out());
        assertEquals(ExitCodes.PASSED, signed.code(), signed.err());
        assertTrue(signed.out().contains("signed by ops@plant-7 (key SHA256:") && signed.out().contains("VERIFIED: files and signature"),
                signed.out());

        Files.writeString(run.resolve("junit.xml"), "<testsuite failures=\"0\"/>\n");
        Manifest.write(run); // the files match the manifest again; the signature is the operator's, over the old one
        Both regenerated = both("verify-report", run.toString(), "--allowed-signers", allowed.toString());
        assertEquals(ExitCodes.FAILED, regenerated.code(), regenerated.out());
        assertTrue(regenerated.out().contains("SIGNATURE BROKEN") && regenerated.err().contains("its signature fails"),
                regenerated.out() + regenerated.err());

        Both badAllowed = both("verify-report", run.toString(), "--allowed-signers", keys.resolve("missing").toString());
        assertEquals(ExitCodes.BAD_INPUT, badAllowed.code());
        assertTrue(badAllowed.err().contains("cannot read the allowed-signers file"), badAllowed.err());
    }

    record Both(int code, String out, String err) { }

    /** The command's exit code with what it printed on both streams. */
    static Both both(String... args) {
        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        try {
            System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
            BadInputTest.Outcome o = triad(args);
            return new Both(o.code(), captured.toString(java.nio.charset.StandardCharsets.UTF_8), o.stderr());
        } finally {
            System.setOut(out);
        }
    }
}
