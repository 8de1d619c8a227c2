package io.triad.host;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads on every host at once: the hosts' parts run at the same time (each waits until all three
 * have started: run one after the other, the first would wait in vain), and the answers and the
 * evidence come back in the hosts' order although the last host answers first.
 */
class OnEachTest {

    /** A host that answers its commands with its own name, after the others have started and after its delay. */
    record Answering(String name, CountDownLatch started, long delayMs, Evidence evidence) implements CommandOnlyHost {
        public String address() {
            return "192.0.2.1";
        }

        public Duration timeout() {
            return Duration.ofSeconds(1);
        }

        @Override
        public CommandResult exec(String command, Duration timeout) {
            CommandResult r = execUnrecorded(command, timeout);
            evidence.accept(r); // as the SSH hosts do: into the evidence they were made with
            return r;
        }

        public CommandResult execUnrecorded(String command, Duration timeout) {
            started.countDown();
            try {
                assertTrue(started.await(5, TimeUnit.SECONDS), name + " waited for the other hosts' parts: not run at once");
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return new CommandResult(name, command, name + "\n", "", command.equals("false") ? 1 : 0, Instant.now(),
                    Duration.ofMillis(delayMs), false);
        }
    }

    static List<Host> hosts(CountDownLatch started, Evidence evidence) {
        return List.of(new Answering("alpha", started, 300, evidence), new Answering("beta", started, 150, evidence),
                new Answering("gamma", started, 0, evidence));
    }

    @Test
    void answersAndEvidenceInTheHostsOrder() {
        Evidence evidence = new Evidence();
        List<Host> hosts = hosts(new CountDownLatch(3), evidence);
        List<String> answers = OnEach.read(hosts, evidence, h -> {
            h.exec("hostname");
            evidence.note("seen on " + h.name(), "");
            return h.exec("uptime").stdout().strip() + " " + hosts.indexOf(h);
        });
        assertEquals(List.of("alpha 0", "beta 1", "gamma 2"), answers, "each part gets the host itself (identity: indexOf finds it)");
        assertEquals(List.of("alpha hostname", "seen on alpha", "alpha uptime", "beta hostname", "seen on beta", "beta uptime",
                        "gamma hostname", "seen on gamma", "gamma uptime"),
                evidence.drain().stream().map(i -> i.command() == null ? i.title() : i.command().host() + " " + i.command().command()).toList());
    }

    /**
     * A scenario that runs beside others has evidence of its own (bound to its thread, as
     * Zone.beginScenario does): what its reads on every host gather goes there, in the hosts'
     * order, although the SSH hosts hand each result to whatever evidence the calling thread has
     * (Zone.evidence()); nothing lands in the zone's shared evidence. Two such scenarios at once
     * keep theirs apart.
     */
    @Test
    void aScenarioBesideOthersKeepsItsOwnEvidenceAlsoFromItsReadsOnEveryHost() throws Exception {
        Evidence shared = new Evidence();
        java.util.concurrent.ExecutorService scenarios = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<List<String>>> kept = new java.util.ArrayList<>();
            for (String scenario : List.of("one", "two")) {
                kept.add(scenarios.submit(() -> {
                    Evidence mine = Evidence.bind();
                    try {
                        Evidence routed = Evidence.boundOr(shared);
                        assertTrue(routed == mine, "the thread's own evidence");
                        List<Host> hosts = List.of(new Answering("alpha", new CountDownLatch(1), 100, null),
                                new Answering("beta", new CountDownLatch(1), 0, null));
                        OnEach.read(hosts, routed, h -> {
                            CommandResult r = h.execUnrecorded(scenario, Duration.ofSeconds(1));
                            Evidence.boundOr(shared).accept(r); // what the SSH hosts do with every result
                            return r;
                        });
                        return mine.drain().stream().map(i -> i.command().host() + " " + i.command().command()).toList();
                    } finally {
                        Evidence.unbind();
                    }
                }));
            }
            assertEquals(List.of("alpha one", "beta one"), kept.get(0).get(10, TimeUnit.SECONDS));
            assertEquals(List.of("alpha two", "beta two"), kept.get(1).get(10, TimeUnit.SECONDS));
            assertEquals(List.of(), shared.drain(), "nothing in the zone's shared evidence");
            assertTrue(Evidence.boundOr(shared) == shared, "a thread with no scenario of its own uses the shared evidence");
        } finally {
            scenarios.shutdownNow();
        }
    }

    @Test
    void theFirstFailureInTheHostsOrderIsRethrownAfterEveryHostIsDoneAndKept() {
        Evidence evidence = new Evidence();
        AssertionError e = assertThrows(AssertionError.class, () -> OnEach.read(hosts(new CountDownLatch(3), evidence),
                evidence, h -> {
                    h.exec(h.name().equals("alpha") ? "true" : "false").requireOk();
                    return h.name();
                }));
        assertTrue(e.getMessage().contains("beta"), e.getMessage());
        assertEquals(3, evidence.drain().size(), "every host's command is kept, the failed ones too");
    }
}
