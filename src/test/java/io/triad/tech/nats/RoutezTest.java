package io.triad.tech.nats;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RoutezTest {

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
                Routez.rtts(routez));
        assertEquals(List.of(), Routez.rtts("not json"));
    }
}
