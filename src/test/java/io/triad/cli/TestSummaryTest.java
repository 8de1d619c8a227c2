package io.triad.cli;

import io.triad.sim.SimulatedTriad;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * make test's closing line (bin/test-summary) counts the reports of both lanes of bin/test-lanes
 * and names what failed in either, from Surefire's reports in their own format (the testsuite's
 * counts, a testcase with a failure or an error under it).
 */
class TestSummaryTest {

    @TempDir
    Path dir;

    static String suite(String name, int tests, int failures, int errors, int skipped, double time, String cases) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="https://maven.apache.org/surefire/maven-surefire-plugin/xsd/surefire-test-report.xsd" version="3.0.2" name="%s" time="%s" tests="%d" errors="%d" skipped="%d" failures="%d">
                  <properties>
                    <property name="java.specification.version" value="17"/>
                  </properties>
                %s</testsuite>
                """.formatted(name, time, tests, errors, skipped, failures, cases);
    }

    static String summary(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(SimulatedTriad.root().resolve("bin/test-summary").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void bothLanesAreCountedAndTheFailedNamed() throws Exception {
        Path main = Files.createDirectories(dir.resolve("main"));
        Path side = Files.createDirectories(dir.resolve("side"));
        Files.writeString(main.resolve("TEST-io.triad.probe.parse.OsReleaseTest.xml"), suite("io.triad.probe.parse.OsReleaseTest", 3, 0, 0, 0, 0.028, """
                  <testcase name="malformed" classname="io.triad.probe.parse.OsReleaseTest" time="0.007"/>
                  <testcase name="ubuntuAndSidWithoutVersionId" classname="io.triad.probe.parse.OsReleaseTest" time="0.005"/>
                  <testcase name="thisMachine" classname="io.triad.probe.parse.OsReleaseTest" time="0.001"/>
                """));
        Files.writeString(side.resolve("TEST-io.triad.profile.sfa.SfaZoneTest.xml"), suite("io.triad.profile.sfa.SfaZoneTest", 2, 1, 0, 1, 314.368, """
                  <testcase name="theZoneAsBuiltPassesEveryItemSoFar" classname="io.triad.profile.sfa.SfaZoneTest" time="314.3">
                    <failure message="pg.1 FAILED" type="org.opentest4j.AssertionFailedError"><![CDATA[org.opentest4j.AssertionFailedError: pg.1 FAILED]]></failure>
                  </testcase>
                  <testcase name="skippedOne" classname="io.triad.profile.sfa.SfaZoneTest" time="0">
                    <skipped/>
                  </testcase>
                """));

        String both = summary(main.toString(), "1", side.toString());
        assertTrue(both.startsWith("make test: 5 tests run, 1 failed (1 failures, 0 errors), 1 skipped, 3 passed; 314 s in tests"), both);
        assertTrue(both.contains("  FAILED io.triad.profile.sfa.SfaZoneTest.theZoneAsBuiltPassesEveryItemSoFar"), both);

        String mainOnly = summary(main.toString(), "0");
        assertEquals("make test: 3 tests run, 0 failed (0 failures, 0 errors), 0 skipped, 3 passed; 0 s in tests\n", mainOnly);
    }
}
