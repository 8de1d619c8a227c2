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

/** bin/triad verify-report: 0 on a run as written, 1 when one byte changed, 2 without a manifest. */
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
}
