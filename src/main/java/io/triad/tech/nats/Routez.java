package io.triad.tech.nats;

import io.triad.host.Host;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The round trips of a NATS server's routes, from its monitoring endpoint {@code /routez}. */
public final class Routez {

    private Routez() { }

    /** On a node: its routes' round trips, read from its monitoring on 127.0.0.1:{@code monitorPort} (none when it does not answer). */
    public static Function<Host, List<Duration>> roundTrips(int monitorPort) {
        return h -> rtts(h.exec("curl -sf -m 2 http://127.0.0.1:" + monitorPort + "/routez").stdout());
    }

    /** The round trips of the routes in nats-server's /routez (Go durations: "203.05ms", "850µs", "1.2s"). */
    static List<Duration> rtts(String routez) {
        List<Duration> out = new ArrayList<>();
        try {
            for (var route : new com.fasterxml.jackson.databind.ObjectMapper().readTree(routez).path("routes")) {
                String rtt = route.path("rtt").asText("");
                var m = java.util.regex.Pattern.compile("([0-9.]+)(ns|µs|us|ms|s)").matcher(rtt);
                double nanos = 0;
                while (m.find()) {
                    double v = Double.parseDouble(m.group(1));
                    nanos += switch (m.group(2)) {
                        case "ns" -> v;
                        case "µs", "us" -> v * 1e3;
                        case "ms" -> v * 1e6;
                        default -> v * 1e9;
                    };
                }
                out.add(Duration.ofNanos((long) nanos));
            }
        } catch (java.io.IOException e) {
            return List.of();
        }
        return out;
    }
}
