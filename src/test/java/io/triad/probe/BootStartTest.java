package io.triad.probe;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link BootStart} on what systemd 252 answered on a unibus node (recorded/systemd/README.md). */
class BootStartTest {
    static final String UNIT = "membershipd-cluster.service";

    static String recorded(String name) throws IOException {
        return io.triad.Recorded.text("systemd/boot-start-" + name + "-magnus.txt");
    }

    @Test
    void enabledAndPulledInByTheDefaultTarget() throws IOException {
        assertEquals(Optional.empty(), BootStart.problem("magnus", UNIT, recorded("enabled")));
    }

    @Test
    void enabledForThisBootOnlyIsNotEnabled() throws IOException {
        String p = BootStart.problem("magnus", UNIT, recorded("enabled-runtime")).orElseThrow();
        assertTrue(p.contains("enabled for this boot only"), p);
    }

    @Test
    void disabled() throws IOException {
        String p = BootStart.problem("magnus", UNIT, recorded("disabled")).orElseThrow();
        assertTrue(p.contains("is disabled"), p);
    }

    @Test
    void enabledIntoATargetTheBootNeverReaches() throws IOException {
        String p = BootStart.problem("magnus", "triad-other-target.service", recorded("other-target")).orElseThrow();
        assertTrue(p.contains("graphical.target, the target the host boots into, does not pull it in"), p);
    }

    @Test
    void anAnswerThatCannotBeReadIsAProblem() {
        assertTrue(BootStart.problem("magnus", UNIT, "bash: systemctl: command not found").isPresent());
    }
}
