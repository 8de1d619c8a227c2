package io.triad.tech.nats;

import io.triad.host.CommandResult;
import io.triad.zone.SteadyPart;
import io.triad.zone.Zone;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/** The steady-state part "JetStream settled", for the profiles whose zone runs a JetStream cluster (BSFG triad, unibus). */
public final class JetStreamSettled {

    private JetStreamSettled() { }

    /** JetStream settled on every node running {@code service}, its monitoring on 127.0.0.1:{@code monitorPort} of each. */
    public static SteadyPart on(String service, ToIntFunction<Zone> monitorPort) {
        return new SteadyPart("jetstream-settled", false, zone -> unhealthyJetStream(zone, service, monitorPort.applyAsInt(zone)));
    }

    /**
     * JetStream settled: every server healthy by its own {@code /healthz} (a meta leader, its
     * streams and consumers current; {@code ?js-enabled-only=true} answered ok for 7 s on a fresh
     * cluster that had no meta leader yet), and from {@code /jsz?streams=true} one meta leader and
     * every stream led by one server that sees each replica current ({@link JetStreamView}).
     */
    static List<String> unhealthyJetStream(Zone zone, String service, int monitor) {
        record Seen(String host, List<String> problems, JetStreamView view) { }
        List<Seen> seen = zone.onEach(zone.hostsRunning(service), h -> {
            List<String> problems = new ArrayList<>();
            CommandResult health = h.exec("curl -s -m 2 -w '\\nHTTP %{http_code}' 'http://127.0.0.1:" + monitor + "/healthz'");
            String answer = health.stdout().strip();
            if (!answer.endsWith("HTTP 200")) {
                problems.add("JetStream on " + h.name() + " is not healthy: /healthz answered "
                        + (answer.isEmpty() ? "nothing" : answer.replace('\n', ' ')));
            }
            CommandResult jsz = h.exec("curl -sf -m 2 'http://127.0.0.1:" + monitor + "/jsz?streams=true&config=true'");
            if (!jsz.ok()) {
                problems.add("JetStream on " + h.name() + " does not answer /jsz");
                return new Seen(h.name(), problems, null);
            }
            try {
                return new Seen(h.name(), problems, JetStreamView.parse(jsz.stdout()));
            } catch (IllegalArgumentException e) {
                problems.add(h.name() + ": " + e.getMessage());
                return new Seen(h.name(), problems, null);
            }
        });
        List<String> problems = new ArrayList<>();
        java.util.Map<String, JetStreamView> views = new java.util.LinkedHashMap<>();
        for (Seen s : seen) {
            problems.addAll(s.problems());
            if (s.view() != null) {
                views.put(s.host(), s.view());
            }
        }
        problems.addAll(JetStreamView.problems(views));
        return problems;
    }
}
