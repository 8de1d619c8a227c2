package io.triad.zone;

import io.triad.env.EnvironmentLoader;
import io.triad.host.Evidence;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenarios that run beside others ({@code --jobs}) on one zone: each has its own evidence, tags
 * and set-ups (a scratch server is removed at the end of the scenario that set it up, never at the
 * end of another, which once removed the backup restore's scratch server under it), and the
 * zone's close removes what those still running had set up. A zone of a dry run: nothing is
 * reached.
 */
class BesideOthersTest {

    private static Zone zone() {
        return Zone.plan(EnvironmentLoader.load(io.triad.sim.SimulatedTriad.root().resolve("environments/bsfg-triad/example-live.yaml")),
                new io.triad.plan.Plan(new java.io.PrintStream(java.io.OutputStream.nullOutputStream())));
    }

    @Test
    void eachScenarioBesideOthersUndoesOnlyWhatItSetUpAndKeepsItsOwnEvidenceAndTags() throws Exception {
        Zone zone = zone();
        List<String> removed = new CopyOnWriteArrayList<>();
        CountDownLatch bothSetUp = new CountDownLatch(2);
        CountDownLatch firstEnded = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<List<String>> first = threads.submit(() -> {
                zone.beginScenario(List.of("@runbook:7.5"), true);
                zone.faults().applied("scratch server one", () -> removed.add("one"));
                zone.evidence().note("one's note", "");
                bothSetUp.countDown();
                bothSetUp.await(5, TimeUnit.SECONDS);
                zone.faults().healAll(zone.evidence()); // its end (Hooks)
                List<String> kept = zone.evidence().drain().stream().map(Evidence.Item::title).toList();
                zone.endScenario();
                firstEnded.countDown();
                return kept;
            });
            Future<List<String>> second = threads.submit(() -> {
                zone.beginScenario(List.of("@runbook:8.1"), true);
                assertEquals(List.of("@runbook:8.1"), List.copyOf(zone.scenarioTags()), "its own tags");
                zone.faults().applied("scratch server two", () -> removed.add("two"));
                bothSetUp.countDown();
                firstEnded.await(5, TimeUnit.SECONDS);
                assertEquals(List.of("one"), removed, "the first one's end removed only what it had set up");
                assertTrue(zone.faults().inPlace().size() == 1, "the second's set-up is still in place");
                // it does not end: the run is interrupted in the middle of its steps
                return zone.evidence().drain().stream().map(Evidence.Item::title).toList();
            });
            assertEquals(List.of("one's note", "removed: scratch server one on zone"), first.get(10, TimeUnit.SECONDS));
            assertEquals(List.of(), second.get(10, TimeUnit.SECONDS), "nothing of the first one's in the second's evidence");
            assertEquals(List.of(), zone.evidence().drain(), "nothing in the zone's shared evidence");
            zone.close(); // the run is interrupted while the second one's set-up is still in place
            assertEquals(List.of("one", "two"), removed, "the zone's close removes what a scenario beside others left");
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aScenarioBesideOthersMayStartNoRecording() throws Exception {
        Zone zone = zone();
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            IllegalStateException refused = thread.submit(() -> {
                zone.beginScenario(List.of("@runbook:5.1"), true);
                try {
                    return assertThrows(IllegalStateException.class, () -> zone.record(new Recording() {
                        @Override
                        public io.triad.history.History history() {
                            return null;
                        }

                        @Override
                        public io.triad.history.History stop() {
                            return null;
                        }

                        @Override
                        public java.time.Instant started() {
                            return java.time.Instant.now();
                        }
                    }));
                } finally {
                    zone.endScenario();
                }
            }).get(10, TimeUnit.SECONDS);
            assertTrue(refused.getMessage().contains("a recording needs the zone to itself"), refused.getMessage());
        } finally {
            thread.shutdownNow();
        }
    }
}
