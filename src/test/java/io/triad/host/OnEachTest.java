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
    record Answering(String name, CountDownLatch started, long delayMs) implements Host {
        public String role() {
            return name;
        }

        public String address() {
            return "192.0.2.1";
        }

        public CommandResult exec(String command) {
            return exec(command, Duration.ofSeconds(1));
        }

        public CommandResult exec(String command, Duration timeout) {
            return execUnrecorded(command, timeout);
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

        public Stream stream(String command, java.util.function.Consumer<String> lines) {
            throw new UnsupportedOperationException();
        }

        public Tunnel tunnel(String remoteHost, int remotePort) {
            throw new UnsupportedOperationException();
        }

        public void reconnect() { }
    }

    static List<Host> hosts(CountDownLatch started) {
        return List.of(new Answering("alpha", started, 300), new Answering("beta", started, 150), new Answering("gamma", started, 0));
    }

    @Test
    void answersAndEvidenceInTheHostsOrder() {
        Evidence evidence = new Evidence();
        List<String> answers = OnEach.read(hosts(new CountDownLatch(3)), Duration.ofSeconds(1), evidence, h -> {
            h.exec("hostname");
            return h.exec("uptime").stdout().strip();
        });
        assertEquals(List.of("alpha", "beta", "gamma"), answers);
        assertEquals(List.of("alpha hostname", "alpha uptime", "beta hostname", "beta uptime", "gamma hostname", "gamma uptime"),
                evidence.drain().stream().map(i -> i.command().host() + " " + i.command().command()).toList());
    }

    @Test
    void theFirstFailureInTheHostsOrderIsRethrownAfterEveryHostIsDoneAndKept() {
        Evidence evidence = new Evidence();
        AssertionError e = assertThrows(AssertionError.class, () -> OnEach.read(hosts(new CountDownLatch(3)), Duration.ofSeconds(1),
                evidence, h -> {
                    h.exec(h.name().equals("alpha") ? "true" : "false").requireOk();
                    return h.name();
                }));
        assertTrue(e.getMessage().contains("beta"), e.getMessage());
        assertEquals(3, evidence.drain().size(), "every host's command is kept, the failed ones too");
    }
}
