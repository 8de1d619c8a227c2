package io.triad.zone;

import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertEquals;

class NemesisTest {

    /** A fault's effect is read on the node (date +%s.%N after the command), kept between the command and now. */
    @Test
    void aFaultTookEffectWhenTheNodeSaysWithinTheCommandAndNow() {
        java.time.Instant commanded = java.time.Instant.now().minusMillis(500);
        java.time.Instant node = commanded.plusMillis(40);
        String out = "armed\n" + node.getEpochSecond() + "." + String.format("%09d", node.getNano()) + "\n";
        assertEquals(node, Nemesis.tookEffect(out, commanded));
        // a node clock behind the harness's is not believed before the command, one ahead not after now
        java.time.Instant behind = commanded.minusSeconds(3);
        assertEquals(commanded, Nemesis.tookEffect(behind.getEpochSecond() + ".5", commanded));
        java.time.Instant before = java.time.Instant.now();
        java.time.Instant ahead = Nemesis.tookEffect((java.time.Instant.now().getEpochSecond() + 60) + ".1", commanded);
        assertEquals(true, !ahead.isBefore(before) && !ahead.isAfter(java.time.Instant.now()), ahead.toString());
        // no time in the output: now
        java.time.Instant none = Nemesis.tookEffect("nft: done", commanded);
        assertEquals(true, !none.isBefore(before), none.toString());
    }
}
