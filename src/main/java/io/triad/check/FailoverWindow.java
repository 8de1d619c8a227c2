package io.triad.check;

import io.triad.history.History;
import io.triad.history.History.Op;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * "Failover within the window": from the fault to the first healthy answer (HTTP 200) through the
 * VIP, measured from the recorded health probes, not asserted by a deadline. When the node that
 * served before the fault is named, only an answer from another node counts as the failover.
 */
public final class FailoverWindow {

    private FailoverWindow() { }

    /** The last healthy answer through the VIP that completed before the fault. */
    public static Optional<Op> lastHealthyBefore(History history, Instant faultAt) {
        return history.ops("health").stream().filter(o -> o.ok() && o.complete().isBefore(faultAt)).reduce((a, b) -> b);
    }

    /**
     * The failover: the first healthy answer through the VIP asked at or after the fault, from a
     * node other than {@code servedBefore} (from any node when it is null).
     */
    public static Optional<Op> firstHealthyAfter(History history, Instant faultAt, String servedBefore) {
        return history.ops("health").stream()
                .filter(o -> o.ok() && !o.invoke().isBefore(faultAt) && (servedBefore == null || !servedBefore.equals(o.node())))
                .findFirst();
    }

    public static Verdict check(History history, Instant faultAt, Duration window, String servedBefore) {
        List<Op> health = history.ops("health");
        Optional<Op> lastBefore = lastHealthyBefore(history, faultAt);
        Optional<Op> first = firstHealthyAfter(history, faultAt, servedBefore);
        Map<String, String> figures = new LinkedHashMap<>();
        StringBuilder evidence = new StringBuilder("fault at " + faultAt + "; failover window " + window.toMillis() + " ms"
                + (servedBefore == null ? "" : "; served before the fault by " + servedBefore) + "\n");
        evidence.append("last healthy answer before the fault: ").append(lastBefore.map(FailoverWindow::line).orElse("none")).append('\n');
        Instant until = first.map(Op::complete).orElse(Instant.MAX);
        long fail = 0;
        long unknown = 0;
        long staleOk = 0;
        for (Op o : health) {
            if (o.invoke().isBefore(faultAt) || !o.complete().isBefore(until)) {
                continue;
            }
            switch (o.outcome()) {
                case FAIL -> fail++;
                case UNKNOWN -> unknown++;
                case OK -> staleOk++;
            }
        }
        evidence.append("answers between the fault and the first healthy answer: ").append(fail).append(" failed, ")
                .append(unknown).append(" unknown (timed out)").append(staleOk > 0 ? ", " + staleOk + " still from "
                        + servedBefore : "").append('\n');
        if (first.isEmpty()) {
            long after = health.stream().filter(o -> !o.invoke().isBefore(faultAt)).count();
            evidence.append("no healthy answer").append(servedBefore == null ? "" : " from a node other than " + servedBefore)
                    .append(" after the fault in ").append(after).append(" probes\n");
            return new Verdict("failover within the window", false, "no healthy answer through the VIP"
                    + (servedBefore == null ? "" : " from a node other than " + servedBefore) + " after the fault ("
                    + after + " probes)", figures, evidence.toString());
        }
        Duration took = Duration.between(faultAt, first.get().complete());
        figures.put("failover time (fault to first healthy answer)", Verdict.ms(took));
        lastBefore.ifPresent(b -> figures.put("unavailable through the VIP (last healthy answer to first)",
                Verdict.ms(Duration.between(b.complete(), first.get().complete()))));
        evidence.append("first healthy answer after the fault: ").append(line(first.get())).append('\n');
        boolean ok = took.compareTo(window) <= 0;
        return new Verdict("failover within the window", ok, (ok ? "" : "too slow: ") + first.get().node()
                + " answered healthy " + took.toMillis() + " ms after the fault (window " + window.toMillis() + " ms)",
                figures, evidence.toString());
    }

    static String line(Op o) {
        return o.kind() + " " + o.id() + " invoked " + o.invoke() + ", completed " + o.complete() + ": " + o.outcome()
                + (o.status() > 0 ? " HTTP " + o.status() : "") + (o.node().isEmpty() ? "" : " from " + o.node())
                + (o.detail().isEmpty() ? "" : " (" + o.detail() + ")");
    }
}
