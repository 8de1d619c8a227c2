package io.triad.zone;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NemesisTest {

    /** Route round trips as nats-server 2.12's /routez reports them (recorded from a slowed route and a direct one). */
    @Test
    void routeRoundTripsAreReadFromRoutez() {
        String routez = """
                {"server_id":"N1","now":"2026-11-21T13:10:40Z","num_routes":3,"routes":[
                  {"rid":1,"remote_name":"sim-gamma","ip":"10.213.77.13","port":6222,"rtt":"192.643266ms"},
                  {"rid":2,"remote_name":"sim-beta","ip":"10.213.77.12","port":33032,"rtt":"853µs"},
                  {"rid":3,"remote_name":"sim-beta","ip":"10.213.77.12","port":33044,"rtt":"1.5s"}]}
                """;
        assertEquals(List.of(Duration.ofNanos(192_643_266), Duration.ofNanos(853_000), Duration.ofMillis(1500)),
                Nemesis.routeRtts(routez));
        assertEquals(List.of(), Nemesis.routeRtts("not json"));
    }

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
