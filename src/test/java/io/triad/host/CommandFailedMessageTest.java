package io.triad.host;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A failed command's message says the cause on its first line: a CI summary shows no more. */
class CommandFailedMessageTest {

    private static CommandResult result(String command, String stdout, String stderr, int exit) {
        return new CommandResult("node-a", command, stdout, stderr, exit, Instant.EPOCH, Duration.ofMillis(5), false);
    }

    @Test
    void aScriptsFailureLeadsWithItsExitAndLastLinesOfOutput() {
        String script = "sudo -n -- /bin/sh -c 'bash -c '\\''set -e\nsystemctl stop x\nrepmgr node rejoin'\\'''";
        String m = new CommandResult.CommandFailed(result(script, "", "NOTICE: starting\nERROR: pg_rewind failed\nDETAIL: no common ancestor\n", 1)).getMessage();
        String first = m.lines().findFirst().orElseThrow();
        assertEquals("node-a: 'sudo -n -- /bin/sh -c 'bash -c '\\''set -e…' exited 1: NOTICE: starting | ERROR: pg_rewind failed | DETAIL: no common ancestor", first);
        assertTrue(m.contains("the whole command: " + script), m);
    }

    @Test
    void aOneLineCommandIsShownWholeAndStdoutStandsInForAnEmptyStderr() {
        String m = new CommandResult.CommandFailed(result("systemctl is-active x", "inactive\n", "", 3)).getMessage();
        assertEquals("node-a: 'systemctl is-active x' exited 3: inactive", m);
    }

    @Test
    void keepsOnlyTheLastThreeLines() {
        String m = new CommandResult.CommandFailed(result("c", "", "1\n2\n3\n4\n5\n", 2)).getMessage();
        assertEquals("node-a: 'c' exited 2: 3 | 4 | 5", m);
    }
}
