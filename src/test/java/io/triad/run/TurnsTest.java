package io.triad.run;

import io.triad.runbook.Runbook;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When scenarios may start and end beside others ({@code --jobs}): each scenario here is a thread
 * that asks for its turn the way the run's listener and hooks do. "Does not start" is checked as
 * "has not started 300 ms after everything it could wait for was in place".
 */
class TurnsTest {

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    private static Turns.Planned p(String id, String... tags) {
        return new Turns.Planned(id, List.of(tags), 0);
    }

    /** A scenario on its own thread, as the run's listener and hooks take it through its turn. */
    private final class Scenario {
        final CompletableFuture<Turns.Turn> started = new CompletableFuture<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        private final java.util.concurrent.CountDownLatch work = new java.util.concurrent.CountDownLatch(1);

        Scenario(Turns turns, String id) {
            threads.execute(() -> {
                try {
                    started.complete(turns.awaitStart(id).orElseThrow()); // the listener's executionStarted
                    work.await();                                         // its steps
                    turns.awaitEarlier();                                 // its last hook
                    turns.finished(List.of(id));                          // the listener's executionFinished
                    done.complete(null);
                } catch (Throwable t) {
                    started.completeExceptionally(t);
                    done.completeExceptionally(t);
                }
            });
        }

        /** Its steps are over. */
        void work() {
            work.countDown();
        }
    }

    private static void waiting(CompletableFuture<?> f, String what) {
        assertThrows(TimeoutException.class, () -> f.get(300, TimeUnit.MILLISECONDS), what);
    }

    private static <T> T reached(CompletableFuture<T> f, String what) throws Exception {
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(what + ": still waiting after 10 s");
        }
    }

    @Test
    void readersRunSideBySideUpToTheJobsAndAScenarioWithAFaultRunsAlone() throws Exception {
        Turns turns = new Turns(2, null);
        turns.plan(List.of(p("a1"), p("a2"), p("a3"), p("fault", "@fault:partition-node"), p("after")));
        Scenario a1 = new Scenario(turns, "a1");
        Scenario a2 = new Scenario(turns, "a2");
        assertFalse(reached(a1.started, "a1 starts").alone(), "a reader runs beside others");
        reached(a2.started, "a2 starts beside a1");
        Scenario a3 = new Scenario(turns, "a3");
        waiting(a3.started, "a3 while a1 and a2 hold both places");
        Scenario fault = new Scenario(turns, "fault");
        Scenario after = new Scenario(turns, "after");
        waiting(fault.started, "the fault scenario while a1, a2, a3 are not done");
        waiting(after.started, "a reader after the fault scenario, before the fault scenario is done");

        a2.work(); // a2 gives its place to a3, and waits for a1 before it is done
        reached(a3.started, "a3 takes a2's place");
        waiting(a2.done, "a2 done before a1");
        a1.work();
        reached(a1.done, "a1 done");
        reached(a2.done, "a2 done once a1 is");
        waiting(fault.started, "the fault scenario while a3 is not done");
        a3.work();
        assertTrue(reached(fault.started, "the fault scenario once every scenario before it is done").alone());
        waiting(after.started, "a reader after the fault scenario, while it runs");
        fault.work();
        reached(after.started, "the reader after the fault scenario once it is done");
        after.work();
        reached(after.done, "the last one done");
    }

    /**
     * Two readers asking for their turn at the same instant both start at once: the one that found the
     * other first among those waiting must be woken when the other takes its place (it once was not,
     * and stayed waiting until some scenario ended: --jobs ran fewer side by side than it said).
     */
    @Test
    void readersAskingAtOnceBothStart() throws Exception {
        for (int round = 0; round < 300; round++) {
            Turns turns = new Turns(2, null);
            turns.plan(List.of(p("a1"), p("a2")));
            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
            List<CompletableFuture<Turns.Turn>> started = List.of(new CompletableFuture<>(), new CompletableFuture<>());
            for (int i = 0; i < 2; i++) {
                String id = "a" + (i + 1);
                CompletableFuture<Turns.Turn> mine = started.get(i);
                threads.execute(() -> {
                    try {
                        together.await();
                        mine.complete(turns.awaitStart(id).orElseThrow());
                    } catch (Throwable t) {
                        mine.completeExceptionally(t);
                    }
                });
            }
            int r = round;
            for (int i = 0; i < 2; i++) {
                try {
                    started.get(i).get(5, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    throw new AssertionError("round " + r + ": a" + (i + 1) + " still waiting after 5 s with a place free");
                }
            }
        }
    }

    @Test
    void aPlaceThatComesFreeGoesToTheEarliestScenarioWaiting() throws Exception {
        Turns turns = new Turns(2, null);
        turns.plan(List.of(p("a1"), p("a2"), p("a3"), p("a4")));
        Scenario a1 = new Scenario(turns, "a1");
        Scenario a2 = new Scenario(turns, "a2");
        reached(a1.started, "a1");
        reached(a2.started, "a2");
        Scenario a4 = new Scenario(turns, "a4"); // asks first
        waiting(a4.started, "a4 while both places are held");
        Scenario a3 = new Scenario(turns, "a3");
        waiting(a3.started, "a3 while both places are held");
        a1.work();
        reached(a3.started, "a3, the earliest waiting, takes a1's place");
        waiting(a4.started, "a4 while a2 and a3 hold the places");
        a2.work();
        reached(a4.started, "a4 takes a2's place");
    }

    @Test
    void aScenarioAnEarlierFailureWouldHaltStartsWhenThatOneIsDone() throws Exception {
        Runbook runbook = Runbook.forProfile("bsfg-triad");
        assertTrue(runbook.item("1.1").orElseThrow().halt().isPresent(), "1.1 has a 'Halt if'");
        Turns turns = new Turns(4, runbook);
        turns.plan(List.of(p("inventory", "@runbook:1.1"), p("firewall", "@runbook:1.6"), p("os", "@runbook:3.1")));
        Scenario inventory = new Scenario(turns, "inventory");
        reached(inventory.started, "1.1");
        Scenario firewall = new Scenario(turns, "firewall");
        reached(firewall.started, "1.6 beside 1.1: a halt of section 1 does not stop section 1");
        Scenario os = new Scenario(turns, "os");
        waiting(os.started, "3.1 while 1.1, whose failure halts section 3, is not done");
        inventory.work();
        assertTrue(runbook.item("1.6").orElseThrow().halt().isPresent(), "1.6 has a 'Halt if' too");
        waiting(os.started, "3.1 while 1.6 is not done");
        firewall.work();
        reached(os.started, "3.1 once 1.1 and 1.6 are done (their halts, if any, now in force)");
    }

    @Test
    void anOptimisticRunDoesNotWaitForHaltsAndSaysWhichRanUnderOne() throws Exception {
        Turns turns = new Turns(4, Runbook.forProfile("bsfg-triad"), true);
        turns.plan(List.of(p("inventory", "@runbook:1.1"), p("os", "@runbook:3.1")));
        Scenario inventory = new Scenario(turns, "inventory");
        reached(inventory.started, "1.1");
        Scenario os = new Scenario(turns, "os");
        reached(os.started, "3.1 beside 1.1: an optimistic run does not wait for the halts");
        assertEquals(List.of(), turns.ranUnderHalt());
        turns.ranUnderHalt("os"); // what its last hook says when 1.1 failed (Hooks)
        assertEquals(List.of("os"), turns.ranUnderHalt());
    }

    @Test
    void aFreePlaceGoesToTheLongestLastTimeAmongThoseThatMayStart() throws Exception {
        Turns turns = new Turns(2, Runbook.forProfile("bsfg-triad"));
        // "long" (7.2) took long last time but the halts of 1.1, 1.6, 1.3 may apply to it: it waits for them
        turns.plan(List.of(new Turns.Planned("inventory", List.of("@runbook:1.1"), 10), new Turns.Planned("firewall", List.of("@runbook:1.6"), 10),
                new Turns.Planned("short", List.of("@runbook:1.3"), 5), new Turns.Planned("long", List.of("@runbook:7.2"), 2000),
                new Turns.Planned("longer", List.of("@runbook:1.7"), 3000)));
        Scenario inventory = new Scenario(turns, "inventory");
        reached(inventory.started, "1.1");
        Scenario firewall = new Scenario(turns, "firewall");
        reached(firewall.started, "1.6");
        Scenario shortOne = new Scenario(turns, "short");
        Scenario longOne = new Scenario(turns, "long");
        Scenario longer = new Scenario(turns, "longer");
        waiting(longer.started, "both places held");
        inventory.work();
        reached(longer.started, "the longest last time among those that may start (section 1, like the halters)");
        waiting(shortOne.started, "both places held again");
        firewall.work();
        reached(shortOne.started, "7.2 took longer but waits for 1.1, 1.6 and 1.3 before it, whose halts may apply to it: 1.3 goes first");
        longer.work();
        waiting(longOne.started, "7.2 while 1.3, before it, is not done");
        shortOne.work();
        reached(longOne.started, "7.2 once every halt before it is known");
    }

    @Test
    void oneJobIsOneAfterTheOther() throws Exception {
        Turns turns = new Turns(1, null);
        turns.plan(List.of(p("a1"), p("a2")));
        Scenario a1 = new Scenario(turns, "a1");
        reached(a1.started, "a1");
        Scenario a2 = new Scenario(turns, "a2");
        waiting(a2.started, "a2 before a1 is done, with one job");
        a1.work();
        assertTrue(reached(a2.started, "a2 after a1").alone());
    }

    @Test
    void aScenarioLeftOutCountsAsDoneAndEndsAreInTheRunsOrder() throws Exception {
        Turns turns = new Turns(3, null);
        turns.plan(List.of(p("a1"), p("skipped"), p("a3")));
        Scenario a1 = new Scenario(turns, "a1");
        Scenario a3 = new Scenario(turns, "a3");
        reached(a1.started, "a1");
        reached(a3.started, "a3 beside a1");
        a3.work();
        waiting(a3.done, "a3 done before the two before it");
        turns.finished(List.of("skipped")); // a scenario the tags left out is reported skipped, never started
        waiting(a3.done, "a3 done before a1");
        a1.work();
        reached(a1.done, "a1 done (nothing before it)");
        reached(a3.done, "a3 done once a1 and the skipped one are");
    }

    @Test
    void aHandoffCriterionReadsWhatTheScenariosBeforeItProvedSoItStartsAfterThem() throws Exception {
        Runbook runbook = Runbook.forProfile("bsfg-triad");
        String derived = runbook.items().stream().filter(i -> !i.derivedFrom().isEmpty()).findFirst().orElseThrow().id();
        Turns turns = new Turns(4, runbook);
        assertTrue(turns.alone(List.of("@runbook:" + derived)), derived + " is derived from other items");
        assertFalse(turns.alone(List.of("@runbook:1.1")), "1.1 reads the zone");
        turns.plan(List.of(p("reader", "@runbook:1.1"), p("criterion", "@runbook:" + derived)));
        Scenario reader = new Scenario(turns, "reader");
        reached(reader.started, "reader");
        Scenario criterion = new Scenario(turns, "criterion");
        waiting(criterion.started, "the criterion before the reader is done");
        reader.work();
        reached(criterion.started, "the criterion once the reader is done");
    }

    @Test
    void aDrillRunsAloneAndJobsBelowOneAreRefused() {
        Turns turns = new Turns(4, null);
        assertTrue(turns.alone(List.of("@drill:crash-alpha")));
        assertTrue(turns.alone(List.of("@fault:stop-jetstream")));
        assertTrue(turns.alone(List.of("@disruptive")));
        assertFalse(turns.alone(List.of("@runbook:3.1", "@section:3")));
        assertTrue(Turns.sequential().alone(List.of("@runbook:3.1")), "one job: everything in turn");
        assertEquals("jobs must be at least 1, not 0",
                assertThrows(IllegalArgumentException.class, () -> new Turns(0, null)).getMessage());
    }
}
