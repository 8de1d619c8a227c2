package io.triad.profile.bsfgtriad;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verdicts of a controller tried without the lease, on outputs the node printed (see the resources' README). */
class ControllerWithoutLeaseTest {

    private static String recorded(String name) throws IOException {
        try (InputStream in = ControllerWithoutLeaseTest.class.getResourceAsStream("/recorded/controller-without-lease/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aControllerThatEndedItselfRefused() throws IOException {
        assertEquals(Optional.empty(), ControllerWithoutLease.problem("beta", recorded("refused.txt")));
    }

    @Test
    void aControllerThatAnsweredServesWithoutTheLease() throws IOException {
        String p = ControllerWithoutLease.problem("beta", recorded("served.txt")).orElseThrow();
        assertTrue(p.startsWith("a controller started on beta, which holds no lease, answered /health with 200"), p);
        assertTrue(p.contains("state=serving bind=127.0.0.1:19443"), p);
    }

    /** Ended, but not by its lease: the refusal was not shown (a bind failure, a bad setting), so it fails too. */
    @Test
    void anEndForAnotherReasonShowsNothing() throws IOException {
        String other = recorded("refused.txt").replace("ENDED 75", "ENDED 1").replaceAll("state=lease-lost[^\n]*", "state=failed reason=\"bind\"");
        String p = ControllerWithoutLease.problem("beta", other).orElseThrow();
        assertTrue(p.contains("ended with status 1, not 75"), p);
        assertTrue(ControllerWithoutLease.problem("beta", "RUNNING\n").orElseThrow().contains("still running after 20 s"));
        assertTrue(ControllerWithoutLease.problem("beta", "").orElseThrow().startsWith("the controller could not be tried on beta: no answer"));
    }
}
