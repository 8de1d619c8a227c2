package io.triad.run;

import io.triad.host.CommandResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A scenario's failure names its class when it is not the scenario's own check: a command that
 * timed out (also wrapped in another failure), a zone that had not settled when it began; a check's
 * own failure, or a command that exited non-zero, gets no class.
 */
class FailureClassTest {

    private static CommandResult result(boolean timedOut, int exit) {
        return new CommandResult("beta", "systemctl is-active keepalived", "", "", exit, Instant.EPOCH, Duration.ofMillis(30_000), timedOut);
    }

    @Test
    void aTimedOutCommandIsNamedEvenWhenWrapped() {
        Throwable timedOut = new CommandResult.CommandFailed(result(true, -1));
        assertEquals("[a command timed out on beta after 30000 ms] ", CucumberRun.failureClass(timedOut, null));
        Throwable wrapped = new IllegalStateException("the sampler stopped", timedOut);
        assertEquals("[a command timed out on beta after 30000 ms] ", CucumberRun.failureClass(wrapped, null));
    }

    @Test
    void aZoneNotSettledBeforeTheScenarioIsNamed() {
        String c = CucumberRun.failureClass(new AssertionError("the VIP is on no node"), "after its start: not steady: no VIP holder");
        assertTrue(c.startsWith("[the zone had not settled before this scenario (after its start: not steady: no VIP holder)]"), c);
    }

    @Test
    void aChecksOwnFailureAndANonZeroExitHaveNoClass() {
        assertEquals("", CucumberRun.failureClass(new AssertionError("priority 100 on beta, expected 90"), null));
        assertEquals("", CucumberRun.failureClass(new CommandResult.CommandFailed(result(false, 3)), null));
        assertEquals("", CucumberRun.failureClass(null, null));
    }
}
