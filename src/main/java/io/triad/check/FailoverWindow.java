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

    /**
     * The first {@code kind} operation answered OK that was sent at or after the fault took effect,
     * by (or through) a node other than the faulted one: what a failover is. A write the faulted
     * node acknowledged, or one sent before the fault took effect, is not it.
     */
    public static Optional<Op> firstAfter(History history, String kind, Instant effect, String faulted) {
        return history.ops(kind).stream().filter(o -> o.ok() && !o.invoke().isBefore(effect) && !o.node().equals(faulted)).findFirst();
    }

    /**
     * A failover measured from the effect: from when the fault took effect (read on the node, not
     * when the harness sent it) to the first {@code kind} answered OK by another node than
     * {@code faulted}, sent after it ({@link #firstAfter}). Its resolution, stated with it, is the
     * span since the same client's previous request went out (the failover happened somewhere in it). A figure
     * below {@code floor}, the least the mechanism needs (Raft's election timeout, VRRP's master-down
     * interval; zero for none), fails as a measurement error: it measured something else.
     */
    public static Verdict measured(History history, String kind, Instant effect, Duration window, String faulted, Duration floor) {
        Map<String, String> figures = new LinkedHashMap<>();
        StringBuilder evidence = new StringBuilder("the fault on " + faulted + " took effect at " + effect + "; failover window "
                + window.toMillis() + " ms" + (floor.isZero() ? "" : "; the mechanism needs at least " + floor.toMillis() + " ms") + "\n");
        List<Op> after = history.ops(kind).stream().filter(o -> !o.invoke().isBefore(effect)).toList();
        after.stream().filter(o -> o.ok() && o.node().equals(faulted)).findFirst().ifPresent(o -> evidence.append("answered by ")
                .append(faulted).append(" itself after the fault, not counted: ").append(line(o)).append('\n'));
        Optional<Op> first = firstAfter(history, kind, effect, faulted);
        if (first.isEmpty()) {
            return new Verdict("failover from the effect", false, "no " + kind + " answered by another node than " + faulted
                    + " among the " + after.size() + " sent after the fault took effect", figures, evidence.toString());
        }
        Op f = first.get();
        Duration took = Duration.between(effect, f.complete());
        // the client's blind span: from when its previous request went out (a request held up on the dead
        // node until its timeout saw nothing) to this answer; the failover happened somewhere in it
        Duration resolution = history.ops(kind).stream().filter(o -> o.node().equals(f.node()) && o.invoke().isBefore(f.invoke()))
                .reduce((a, b) -> b).map(prev -> Duration.between(prev.invoke(), f.complete())).orElse(f.latency());
        figures.put("failover time (the fault's effect to the first " + kind + " answered by another node)", Verdict.ms(took)
                + " (by " + f.node() + ", resolution " + resolution.toMillis() + " ms)");
        evidence.append("first answered by another node: ").append(line(f)).append('\n');
        if (took.compareTo(floor) < 0) {
            return new Verdict("failover from the effect", false, "measurement error: " + f.node() + " answered a " + kind + " "
                    + took.toMillis() + " ms after the fault on " + faulted + " took effect, sooner than the mechanism's least "
                    + floor.toMillis() + " ms allows (the fault had not taken effect, or " + faulted + " was not the one that served)",
                    figures, evidence.toString());
        }
        boolean ok = took.compareTo(window) <= 0;
        return new Verdict("failover from the effect", ok, (ok ? "" : "too slow: ") + f.node() + " answered a " + kind + " "
                + took.toMillis() + " ms after the fault took effect (resolution " + resolution.toMillis() + " ms, window "
                + window.toMillis() + " ms)", figures, evidence.toString());
    }

    static String line(Op o) {
        return o.kind() + " " + o.id() + " invoked " + o.invoke() + ", completed " + o.complete() + ": " + o.outcome()
                + (o.status() > 0 ? " HTTP " + o.status() : "") + (o.node().isEmpty() ? "" : " from " + o.node())
                + (o.detail().isEmpty() ? "" : " (" + o.detail() + ")");
    }
}
