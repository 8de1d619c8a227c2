package io.triad.mutants;

import io.triad.run.CucumberRun.ScenarioResult;
import io.triad.run.Progress;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a mutant's runs are judged, on hand-built scenario results: caught only by the expected
 * scenario with every expected fragment; a run that failed otherwise runs once more (and says
 * so), a run whose scenarios all passed never does.
 */
class MutantJudgeTest {

    private static final Mutants.Mutant M = new Mutants.Mutant("reconcile-replicas", "forces R1 at every start",
            Map.<String, Path>of(), Map.of(), "@runbook:scale.3", "R3 holds after its restart", List.of("1 replica"));

    private static final String EXPECTED = "Scale to R3 - At R3 the old R1 holder can stop, every key stays readable, and R3 holds after its restart";

    private static Mutants.Run run(ScenarioResult... scenarios) {
        return new Mutants.Run(List.of(scenarios), null, Duration.ofSeconds(80));
    }

    private static ScenarioResult failed(String name, String message) {
        return new ScenarioResult(name, "FAILED", message, Duration.ofSeconds(60));
    }

    private static ScenarioResult passed(String name) {
        return new ScenarioResult(name, "PASSED", "", Duration.ofSeconds(60));
    }

    /** The runs handed out in turn, each asked for recorded. */
    private static final class Runs implements java.util.function.IntFunction<Mutants.Run> {
        final List<Integer> asked = new ArrayList<>();
        final List<Mutants.Run> runs;

        Runs(Mutants.Run... runs) {
            this.runs = List.of(runs);
        }

        @Override
        public Mutants.Run apply(int attempt) {
            asked.add(attempt);
            return runs.get(attempt - 1);
        }
    }

    @Test
    void caughtOnTheFirstRunRunsOnce() {
        Runs runs = new Runs(run(failed(EXPECTED, "not within 30 s: KV_UNIBUS_users has 1 replica(s)")));
        Mutants.Outcome o = Mutants.runJudged(M, Progress.silent(), runs);
        assertTrue(o.caught(), o.toString());
        assertEquals(EXPECTED, o.scenario());
        assertEquals(List.of(1), runs.asked);
    }

    @Test
    void theExpectedScenarioWithAnotherMessageIsNotCaught() {
        Mutants.Outcome o = Mutants.judge(M, run(failed(EXPECTED, "keys not readable as before")));
        assertFalse(o.caught());
        assertTrue(o.message().startsWith("failed otherwise: " + EXPECTED + ": keys not readable"), o.message());
    }

    @Test
    void anotherScenarioFailingIsNotCaught() {
        Mutants.Outcome o = Mutants.judge(M, run(failed("Verify - something else", "1 replica"), passed(EXPECTED)));
        assertFalse(o.caught());
        assertTrue(o.message().startsWith("failed otherwise: Verify - something else"), o.message());
    }

    @Test
    void aRunThatFailedOtherwiseRunsOnceMoreAndSaysSo() {
        Runs runs = new Runs(run(failed(EXPECTED, "keys not readable as before: Timeout")),
                run(failed(EXPECTED, "the control plane is not replicated: KV_UNIBUS_users has 1 replica(s)")));
        java.io.ByteArrayOutputStream said = new java.io.ByteArrayOutputStream();
        Mutants.Outcome o = Mutants.runJudged(M, new Progress(new java.io.PrintStream(said, true), false), runs);
        assertTrue(o.caught(), o.toString());
        assertEquals(List.of(1, 2), runs.asked);
        assertTrue(o.message().startsWith("caught on its second run: the control plane is not replicated"), o.message());
        assertTrue(o.message().contains("its first run failed otherwise: " + EXPECTED + ": keys not readable"), o.message());
        assertEquals(Duration.ofSeconds(160), o.took());
        assertTrue(said.toString().contains("mutant reconcile-replicas: its run failed otherwise: " + EXPECTED), said.toString());
        assertTrue(said.toString().contains("running it once more on a fresh zone"), said.toString());
    }

    @Test
    void twoRunsThatFailedOtherwiseAreNotCaught() {
        Runs runs = new Runs(run(failed(EXPECTED, "keys not readable as before")), run(failed("Other", "boom")));
        Mutants.Outcome o = Mutants.runJudged(M, Progress.silent(), runs);
        assertFalse(o.caught());
        assertTrue(o.message().startsWith("on its second run: failed otherwise: Other: boom"), o.message());
        assertTrue(o.message().contains("its first run failed otherwise: " + EXPECTED), o.message());
    }

    @Test
    void aMutantEveryScenarioPassedOnIsNeverRunAgain() {
        Runs runs = new Runs(run(passed(EXPECTED)), run(failed(EXPECTED, "1 replica")));
        Mutants.Outcome o = Mutants.runJudged(M, Progress.silent(), runs);
        assertFalse(o.caught());
        assertEquals("every selected scenario passed (1)", o.message());
        assertEquals(List.of(1), runs.asked);
    }

    @Test
    void aZoneThatDidNotStartIsNotRunAgainHere() {
        Runs runs = new Runs(new Mutants.Run(List.of(), "node magnus did not boot", Duration.ofSeconds(200)));
        Mutants.Outcome o = Mutants.runJudged(M, Progress.silent(), runs);
        assertFalse(o.caught());
        assertEquals("its zone did not start (twice): node magnus did not boot", o.message());
        assertEquals(List.of(1), runs.asked);
        // neither caught nor missed: the table says so and counts it apart
        assertTrue(o.noVerdict());
        Mutants.Outcome missed = Mutants.runJudged(M, Progress.silent(), new Runs(run(passed(EXPECTED))));
        assertFalse(missed.noVerdict());
        String table = Mutants.table(List.of(o, missed));
        assertTrue(table.contains("| no verdict |") && table.contains("| **NO** |"), table);
        assertTrue(table.contains("0 of 2 mutants caught (0%); 1 without a verdict (their zone did not start or settle"), table);
    }

    @Test
    void noScenarioSelected() {
        Mutants.Outcome o = Mutants.runJudged(M, Progress.silent(), new Runs(run()));
        assertFalse(o.caught());
        assertEquals("no scenario matched @runbook:scale.3", o.message());
    }
}
