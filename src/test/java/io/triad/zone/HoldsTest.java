package io.triad.zone;

import io.triad.env.InputError;
import io.triad.host.CommandResult;
import io.triad.host.CommandOnlyHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulated zone's handover waits for its hosts' holds ({@link Zone#released}): the very command a
 * simulated host runs, run here by this machine's shell on a directory of its own. No hold: no wait; a
 * hold a unit removes: waited for; a hold never removed: named, with its host, once the deadline ran out.
 */
class HoldsTest {

    /** This machine as a host: the command runs in sh, as sshd runs it on a node. */
    record Local(String name) implements CommandOnlyHost {
        public String address() {
            return "127.0.0.1";
        }

        public Duration timeout() {
            return Duration.ofSeconds(30);
        }

        public CommandResult execUnrecorded(String command, Duration timeout) {
            Instant start = Instant.now();
            try {
                Process p = new ProcessBuilder("sh", "-c", command).start();
                boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!done) {
                    p.destroyForcibly();
                }
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                return new CommandResult(name, command, out, err, done ? p.exitValue() : -1, start, Duration.between(start, Instant.now()), !done);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void noHoldsNoWait(@TempDir Path dir) {
        assertFalse(Zone.released(new Local("ops"), dir.resolve("absent").toString(), 5), "no holds directory: nothing to wait for");
        assertFalse(Zone.released(new Local("ops"), dir.toString(), 5), "an empty holds directory: nothing to wait for");
    }

    @Test
    void aHoldRemovedIsWaitedFor(@TempDir Path dir) throws Exception {
        Path hold = Files.createFile(dir.resolve("cron-table-renamed"));
        Thread unit = new Thread(() -> {
            try {
                Thread.sleep(700); // the mutant's unit acting, then removing its hold
                Files.delete(hold);
            } catch (InterruptedException | IOException e) {
                throw new IllegalStateException(e);
            }
        });
        unit.start();
        long start = System.nanoTime();
        assertTrue(Zone.released(new Local("ops"), dir.toString(), 10), "a hold was there: waited for");
        assertTrue(System.nanoTime() - start >= 600_000_000L, "returned before the hold was removed");
        assertFalse(Files.exists(hold));
        unit.join();
    }

    @Test
    void aHoldNeverRemovedIsNamed(@TempDir Path dir) throws Exception {
        Files.createFile(dir.resolve("redis-node-outside"));
        InputError e = assertThrows(InputError.class, () -> Zone.released(new Local("db3"), dir.toString(), 1));
        assertTrue(e.getMessage().contains("db3") && e.getMessage().contains("redis-node-outside") && e.getMessage().contains("after 1 s"),
                e.getMessage());
    }
}
