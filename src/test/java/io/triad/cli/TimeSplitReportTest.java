package io.triad.cli;

import io.triad.run.TimeSplit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where the time went, read from Surefire's own reports (recorded from make test on 2026-11-26:
 * src/test/resources/recorded/surefire, written by maven-surefire-plugin 3.5.2) and the records
 * the zones and mutants append: each item with its seconds, test classes credited with the zones
 * they started, mutants with their phases, the most expensive first; a line cut short is skipped.
 */
class TimeSplitReportTest {

    static final Path RECORDED = Path.of(System.getProperty("triad.root", ".")).resolve("src/test/resources/recorded/surefire");

    private static Map<String, Long> phases(long... kv) {
        String[] names = {"up_ms", "settle_ms", "used_ms", "teardown_ms", "scenarios_ms", "total_ms"};
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i++) {
            m.put(names[i], kv[i]);
        }
        return m;
    }

    @Test
    void testClassesMutantsAndLanesMostExpensiveFirst(@TempDir Path dir) throws Exception {
        Path records = dir.resolve("records/test.jsonl");
        Map<String, Long> first = phases(12_000, 9_000, 380_000, 2_000);
        first.put("containers_cpu_ms", 300_000L);
        first.put("harness_cpu_ms", 20_000L);
        TimeSplit.append(records, "zone", "sfa-sim on 10.213.82.0/24", "SfaZoneTest", first);
        TimeSplit.append(records, "zone", "sfa-sim on 10.213.82.0/24", "SfaZoneTest", phases(11_000, 8_000, 0, 1_500));
        Map<String, Long> mutant = new LinkedHashMap<>();
        mutant.put("up_ms", 10_000L);
        mutant.put("settle_ms", 8_000L);
        mutant.put("scenarios_ms", 4_000L);
        mutant.put("teardown_ms", 2_000L);
        mutant.put("total_ms", 500_000L);
        TimeSplit.append(records, "mutant", "three-phoenix/old-primary-unfenced", "mutant lane 1", mutant);
        // a mutant a test class ran is its class's time, not one of the catalogs' mutants (the split said 137 of 135)
        TimeSplit.append(records, "mutant", "tmp/equal-priorities", "MutantInPlaceZoneTest", mutant);
        Files.writeString(records, "{\"kind\":\"lane\",\"name\":\"make test: main\",\"wall_ms\":1300000}\n{\"kind\":\"zone\",\"na",
                java.nio.file.StandardOpenOption.APPEND);

        TimeSplitReport report = TimeSplitReport.read(List.of(RECORDED, dir.resolve("records"), dir.resolve("absent")));
        assertEquals(List.of("mutant", "test", "test"), report.items.stream().map(TimeSplitReport.Item::kind).toList());
        assertEquals("three-phoenix/old-primary-unfenced", report.items.get(0).name());
        assertEquals(500.0, report.items.get(0).seconds(), 0.01);
        TimeSplitReport.Item sfa = report.items.get(1);
        assertEquals("io.triad.profile.sfa.SfaZoneTest", sfa.name());
        assertEquals(403.013, sfa.seconds(), 0.001, "Surefire's own figure");
        assertEquals(2, sfa.zones());
        assertEquals(23.0, sfa.phases().get("up"), 0.01);
        assertEquals(3.5, sfa.phases().get("teardown"), 0.01);
        assertEquals(320.0, sfa.phases().get("cpu"), 0.01, "the containers' and the harness's CPU");
        assertEquals("io.triad.zone.HoldsTest", report.items.get(2).name());
        assertEquals(0, report.items.get(2).zones());
        assertEquals(Map.of("make test: main", 1300.0), report.lanes);
        assertEquals(2, report.zoneCount, "the line cut short is not counted");
        assertEquals(4.0, report.mutantPhase("scenarios"), 0.01);
        assertTrue(report.topTen().get(0).contains("three-phoenix/old-primary-unfenced"), report.topTen().get(0));
        assertTrue(report.markdown().contains("- mutants: 1, 500 s (zone up 10, settle 8, scenarios 4, teardown 2)"), report.markdown());
        assertTrue(report.json().contains("\"seconds\" : 403.0"), report.json());
    }
}
