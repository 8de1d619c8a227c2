package io.triad.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Medians, aims judged on the worst repetition, drill walls from Cucumber messages, the table. */
class BenchTablesTest {

    @Test
    void medianAndSpread() {
        Stats s = Stats.of(List.of(30.0, 10.0, 20.0, 40.0));
        assertEquals(25.0, s.median());
        assertEquals(10.0, s.min());
        assertEquals(40.0, s.max());
        assertEquals(20.0, Stats.of(List.of(20)).median());
        assertTrue(Double.isNaN(Stats.of(List.of()).median()));
    }

    @Test
    void anAimIsMetOnlyWhenEveryRepetitionMeetsIt() {
        assertTrue(Bench.aim("triad", "up", "s", Stats.of(List.of(21.0, 24.0, 29.9)), 30, true).met());
        assertEquals(false, Bench.aim("triad", "up", "s", Stats.of(List.of(21.0, 24.0, 31.0)), 30, true).met(),
                "one slow repetition in three misses the aim although the median meets it");
        assertEquals(false, Bench.aim("sampling", "rate", "Hz", Stats.of(List.of(19.0, 9.5)), 10, false).met());
        assertNull(Bench.aim("triad", "up", "s", Stats.of(List.of()), 30, true).met(), "no data is not a verdict");
    }

    @Test
    void drillWallsComeFromCucumbersOwnStartAndFinish() {
        List<String> lines = List.of(
                "{\"pickle\":{\"id\":\"p1\",\"name\":\"Crash\",\"tags\":[{\"name\":\"@section:10\"},{\"name\":\"@drill:crash\"}]}}",
                "{\"pickle\":{\"id\":\"p2\",\"name\":\"Not a drill\",\"tags\":[{\"name\":\"@runbook:5.1\"}]}}",
                "{\"testCase\":{\"id\":\"c1\",\"pickleId\":\"p1\"}}",
                "{\"testCase\":{\"id\":\"c2\",\"pickleId\":\"p2\"}}",
                "{\"testCaseStarted\":{\"id\":\"s2\",\"testCaseId\":\"c2\",\"timestamp\":{\"seconds\":100,\"nanos\":0}}}",
                "{\"testCaseFinished\":{\"testCaseStartedId\":\"s2\",\"timestamp\":{\"seconds\":101,\"nanos\":0}}}",
                "{\"testCaseStarted\":{\"id\":\"s1\",\"testCaseId\":\"c1\",\"timestamp\":{\"seconds\":101,\"nanos\":500000000}}}",
                "{\"testCaseFinished\":{\"testCaseStartedId\":\"s1\",\"timestamp\":{\"seconds\":119,\"nanos\":750000000}}}");
        assertEquals(Map.of("crash", 18250.0), ScenarioTimes.drillWalls(lines));
    }

    /** A profile's headline figures, read from the figures of a recorded ThreePhoenix run (cucumber.ndjson's attachments). */
    @Test
    void aProfilesFiguresComeFromItsRunsEvidence() throws Exception {
        List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of("src/test/resources/recorded/cucumber/three-phoenix-figures.ndjson"));
        Map<String, Double> f = ScenarioTimes.figures(lines, List.of("replacement serving after", "restore test", "backup job",
                "failover: from the crash to the first write confirmed by another node", "primary", "no such figure"));
        assertEquals(Map.of("replacement serving after", 2389.0, "restore test", 2985.0, "backup job", 8050.0,
                "failover: from the crash to the first write confirmed by another node", 12381.0), f,
                "the first duration in ms of each named figure; 'primary' holds none ('phoenix-a on timeline 1 at ...'), an absent name is absent");
    }

    @Test
    void theTableSaysWhichAimsAreNotMet() {
        String text = Table.render(List.of(Bench.aim("triad", "bring-up to zone is up (warm)", "s", Stats.of(List.of(25.0, 31.0)),
                        30, true), Bench.aim("sampling", "rate, alpha", "Hz", Stats.of(List.of(19.8, 20.1)), 10, false)),
                List.of(new Table.DrillRow("crash", Stats.of(List.of(18250.0)), Stats.of(List.of(6820.0)),
                        Stats.of(List.of(11430.0)), Stats.of(List.of(8000.0)), Stats.of(List.of(6200.0)),
                        Stats.of(List.of(6170.0)), Stats.of(List.of(30.0)), Stats.of(List.of(3100.0)), "lease agent",
                        Map.of("steady-state wait", Stats.of(List.of(3210.0)))),
                        new Table.DrillRow("lose-quorum", Stats.of(List.of(20000.0)), Stats.of(List.of()), Stats.of(List.of()),
                                Stats.of(List.of(9000.0)), Stats.of(List.of()), Stats.of(List.of()), Stats.of(List.of()),
                                Stats.of(List.of()), "", Map.of())),
                java.time.Instant.parse("2026-11-21T10:00:00Z"), Map.of("cores", 2, "memory_gib", 24, "reps", 2, "cold_reps", 0));
        assertTrue(text.contains("2 cores, 24 GiB"), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("bring-up to zone is up") && l.endsWith("NOT MET")), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("rate, alpha") && l.endsWith("met")), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("crash ") && l.contains("6820") && l.contains("30.0")), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("lose-quorum ") && l.contains(" - ")), text);
        assertTrue(text.contains("Drills' wall time by phase"), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("crash ") && l.contains(" 3210 ")), "the steady-state wait of crash: " + text);
    }

    @Test
    void aDrillsWallIsSplitIntoPhasesFromItsStepsDurations() {
        List<String> lines = List.of(
                "{\"pickle\":{\"id\":\"p1\",\"tags\":[{\"name\":\"@drill:crash\"}],\"steps\":["
                        + "{\"id\":\"a\",\"type\":\"Context\",\"text\":\"within 60 seconds the zone is steady with alpha active\"},"
                        + "{\"id\":\"b\",\"type\":\"Context\",\"text\":\"a history is recorded\"},"
                        + "{\"id\":\"c\",\"type\":\"Action\",\"text\":\"the active node crashes\"},"
                        + "{\"id\":\"d\",\"type\":\"Outcome\",\"text\":\"another node answers healthy\"},"
                        + "{\"id\":\"e\",\"type\":\"Action\",\"text\":\"the faults are healed\"},"
                        + "{\"id\":\"f\",\"type\":\"Outcome\",\"text\":\"the VIP moved at most 1 time in the 10 seconds\"}]}}",
                "{\"testCase\":{\"id\":\"c1\",\"pickleId\":\"p1\",\"testSteps\":[{\"id\":\"h0\",\"hookId\":\"x\"},"
                        + "{\"id\":\"t1\",\"pickleStepId\":\"a\"},{\"id\":\"t2\",\"pickleStepId\":\"b\"},{\"id\":\"t3\",\"pickleStepId\":\"c\"},"
                        + "{\"id\":\"t4\",\"pickleStepId\":\"d\"},{\"id\":\"t5\",\"pickleStepId\":\"e\"},{\"id\":\"t6\",\"pickleStepId\":\"f\"},"
                        + "{\"id\":\"h1\",\"hookId\":\"y\"}]}}",
                "{\"testCaseStarted\":{\"id\":\"s1\",\"testCaseId\":\"c1\",\"timestamp\":{\"seconds\":100,\"nanos\":0}}}",
                finished("h0", 20), finished("t1", 3000), finished("t2", 400), finished("t3", 150), finished("t4", 6800),
                finished("t5", 900), finished("t6", 10500), finished("h1", 3300));
        Map<String, Double> phases = ScenarioTimes.drillPhases(lines).get("crash");
        assertEquals(List.copyOf(ScenarioTimes.PHASES), List.copyOf(phases.keySet()), "every phase, in order");
        assertEquals(List.of(3000.0, 400.0, 150.0, 6800.0, 900.0, 10500.0, 3320.0), List.copyOf(phases.values()));
    }

    static String finished(String step, long ms) {
        return "{\"testStepFinished\":{\"testCaseStartedId\":\"s1\",\"testStepId\":\"" + step + "\",\"testStepResult\":{\"duration\":"
                + "{\"seconds\":" + ms / 1000 + ",\"nanos\":" + (ms % 1000) * 1_000_000 + "}}}}";
    }

    @Test
    void aReadOnlyRunMayFailOnlyForTheHandoffCriteriaThatNeedADrill() throws Exception {
        java.nio.file.Path log = java.nio.file.Files.createTempFile("read-only", ".log");
        String wanting = "  FAILED Handoff criterion 9.3: Controller failover tested (09-handoff.feature:23): handoff criterion 9.3"
                + " (Controller failover tested) does not hold: 6.3 (Test demotion stops controller) was not run in this run: no evidence";
        java.nio.file.Files.writeString(log, "[ 17.9s] 61 scenario(s)\nWhat fails this run:\n" + wanting + "\nVERDICT: FAILED\n");
        assertTrue(Bench.onlyForWantOfDrills(log));
        java.nio.file.Files.writeString(log, "What fails this run:\n" + wanting
                + "\n  FAILED The host firewall is in place (01-preconditions.feature:40): runbook 1.6: ...\nVERDICT: FAILED\n");
        assertEquals(false, Bench.onlyForWantOfDrills(log), "a real failure in a read-only run is a problem");
        java.nio.file.Files.writeString(log, "triad: internal error: boom\n");
        assertEquals(false, Bench.onlyForWantOfDrills(log), "a run that ended without a verdict is a problem");
        java.nio.file.Files.delete(log);
    }
}
