package io.triad.report;

import io.triad.cli.Main;
import io.triad.run.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fleet page and the per-item history on hand-built runs (acceptance.json as the harness
 * writes it): zones of two profiles side by side, the overdue one marked, the failing items named,
 * when every drill last passed, a waiver ending soon; an item that failed twice in the last five
 * runs said so; the command's exit codes; a hundred zones.
 */
class FleetTest {

    @TempDir
    Path dir;

    static final Instant NOW = Instant.parse("2026-11-23T08:00:00Z");

    /** A run directory with the summary the harness writes. */
    static Path run(Path reports, String zone, String profile, Instant finished, String outcome, Map<String, String> items,
                    Map<String, String> drills, String waivers) throws Exception {
        Path run = Files.createDirectories(reports.resolve(zone + "-" + finished.toEpochMilli()));
        StringBuilder i = new StringBuilder();
        items.forEach((k, v) -> i.append(i.isEmpty() ? "" : ",").append('"').append(k).append("\":\"").append(v).append('"'));
        StringBuilder d = new StringBuilder();
        drills.forEach((k, v) -> d.append(d.isEmpty() ? "" : ",").append('"').append(k).append("\":\"").append(v).append('"'));
        Files.writeString(run.resolve(RunSummary.FILE), """
                {"zone":"%s","profile":"%s","runbook":"the %s runbook","kind":"live","started":"%s","finished":"%s","outcome":"%s",
                 "items":{%s},"drills":{%s},"failures":[],"waivers":[%s]}
                """.formatted(zone, profile, profile, finished.minusSeconds(600), finished, outcome, i, d, waivers));
        Files.writeString(run.resolve(AcceptanceDocument.FILE), "<html></html>");
        return run;
    }

    @Test
    void zonesOfTwoProfilesSideBySideWithTheOverdueOneMarked() throws Exception {
        Path reports = Files.createDirectories(dir.resolve("reports"));
        LocalDate soon = LocalDate.ofInstant(NOW, ZoneOffset.UTC).plusDays(10);
        run(reports, "plant-7", "bsfg-triad", NOW.minus(Duration.ofDays(40)), "ACCEPTED", Map.of("4.1", "PASSED"),
                Map.of("drill:crash", "PASSED"), "");
        run(reports, "plant-7", "bsfg-triad", NOW.minus(Duration.ofDays(2)), "REJECTED", Map.of("4.1", "FAILED", "4.2", "PASSED"),
                Map.of("drill:crash", "NOT_SELECTED"), "{\"item\":\"4.2\",\"expires\":\"" + soon + "\",\"in_force\":true}");
        run(reports, "bus-eu", "unibus", NOW.minus(Duration.ofDays(120)), "ACCEPTED", Map.of("pre.1", "PASSED"),
                Map.of("drill:stop-two", "PASSED"), "");

        List<Fleet.Zone> zones = Fleet.zones(List.of(reports), Duration.ofDays(90), NOW);
        assertEquals(List.of("bus-eu", "plant-7"), zones.stream().map(Fleet.Zone::zone).toList());
        Fleet.Zone bus = zones.get(0);
        Fleet.Zone plant = zones.get(1);
        assertTrue(bus.overdue() && bus.accepted(), "accepted 120 days ago: overdue");
        assertFalse(plant.overdue() || plant.accepted());
        assertEquals(List.of("4.1"), plant.failing());
        assertEquals(NOW.minus(Duration.ofDays(40)), plant.drillsLastPassed().orElseThrow().finished(), "the last run did not run the drill");
        assertEquals(List.of("4.2"), plant.waiversEnding(LocalDate.ofInstant(NOW, ZoneOffset.UTC)).stream().map(RunSummary.Waiver::item).toList());

        Path page = Fleet.write(zones, reports.resolve(Fleet.FILE), Duration.ofDays(90), NOW);
        String html = Files.readString(page);
        assertFalse(html.contains("<script"));
        assertTrue(html.contains("2 zone(s): 1 accepted by their last run, 1 not; 1 overdue"), html);
        assertTrue(html.contains("<tr class=\"zone overdue\" data-zone=\"bus-eu\""), html);
        assertTrue(html.contains("href=\"plant-7-" + NOW.minus(Duration.ofDays(2)).toEpochMilli() + "/acceptance.html\""),
                "the zone links to its last run's document: " + html);
        assertTrue(html.contains("4.2 (" + soon + ")"), html);
    }

    @Test
    void anItemThatFailedTwiceInTheLastFiveRunsIsSaidSo() throws Exception {
        Path reports = Files.createDirectories(dir.resolve("reports"));
        String[] verdicts = {"PASSED", "FAILED", "PASSED", "WAIVED", "PASSED", "FAILED"}; // oldest first; the oldest is beyond five
        for (int i = 0; i < verdicts.length; i++) {
            run(reports, "plant-7", "bsfg-triad", NOW.minus(Duration.ofDays(10 - i)), "ACCEPTED", Map.of("3.7", verdicts[i]), Map.of(), "");
        }
        List<RunSummary> previous = RunSummary.under(reports).stream().limit(AcceptanceDocument.HISTORY).toList();
        String history = AcceptanceDocument.history("3.7", previous, false);
        assertTrue(history.contains("failed 3 of the last 5 runs"), history); // newest first: F P W P F (a waived failure is a failure)
        assertTrue(history.replaceAll("<[^>]+>", "").startsWith("FPWPF"), history);
        assertTrue(AcceptanceDocument.history("9.9", previous, false).replaceAll("<[^>]+>", "").equals("-----"), "not in those runs");
        assertTrue(AcceptanceDocument.history("3.7", List.of(), false).contains("no earlier run"));
    }

    @Test
    void theCommandsExitCodesAndAHundredZones() throws Exception {
        Path reports = Files.createDirectories(dir.resolve("many"));
        for (int z = 0; z < 100; z++) {
            for (int r = 0; r < 3; r++) {
                run(reports, "zone-" + z, z % 2 == 0 ? "bsfg-triad" : "unibus", Instant.now().minus(Duration.ofDays(r + 1)), "ACCEPTED",
                        Map.of("1.1", "PASSED", "4.1", "PASSED"), Map.of("drill:crash", "PASSED"), "");
            }
        }
        long t0 = System.nanoTime();
        assertEquals(ExitCodes.PASSED, Main.run(new String[] {"fleet", reports.toString()}));
        System.out.println("fleet of 100 zones, 300 runs: " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertEquals(100, Files.readString(reports.resolve(Fleet.FILE)).split("<tr class=\"zone").length - 1);

        run(reports, "zone-7", "unibus", Instant.now(), "REJECTED", Map.of("4.1", "FAILED"), Map.of(), "");
        assertEquals(ExitCodes.FAILED, Main.run(new String[] {"fleet", reports.toString()}), "a zone not accepted fails the fleet");
        assertEquals(ExitCodes.BAD_INPUT, Main.run(new String[] {"fleet", Files.createDirectories(dir.resolve("empty")).toString()}));
        assertEquals(ExitCodes.BAD_INPUT, Main.run(new String[] {"fleet", dir.resolve("no-such").toString()}));
    }
}
