package io.triad.check;

import io.triad.history.History;
import io.triad.history.History.Op;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * "No read staler than promised": a client's reads of its own writes, each asked for a write
 * confirmed at least the zone's lag bound before (kind {@code read}: OK found, FAIL missing).
 * Read after {@code from} (the zone settled again), every one must find its write; the reads
 * before it (during a failover, a standby not yet following) are counted, not judged. Each node
 * that answered is named with its count, so a check that never reached a standby shows it.
 */
public final class StaleReads {

    private StaleReads() { }

    public static Verdict check(History history, Instant from) {
        return check(history, List.<Instant[]>of(new Instant[] {from, Instant.MAX}));
    }

    /**
     * The same, judging the reads made within any of {@code windows} ({from, until}: the zone
     * settled after a step, until the next step began); the others are counted, not judged.
     */
    public static Verdict check(History history, List<Instant[]> windows) {
        Instant from = windows.isEmpty() ? Instant.MAX : windows.get(0)[0];
        String name = "no stale read once settled";
        List<Op> reads = history.ops("read");
        Map<String, String> figures = new LinkedHashMap<>();
        Map<String, Integer> byNode = new TreeMap<>();
        int judged = 0;
        int staleBefore = 0;
        int unknown = 0;
        StringBuilder evidence = new StringBuilder("reads of the client's own writes, each confirmed at least the lag bound before;"
                + " judged " + (windows.size() == 1 && windows.get(0)[1].equals(Instant.MAX) ? "from " + from : "within "
                + windows.stream().map(w -> w[0] + ".." + w[1]).collect(java.util.stream.Collectors.joining(", "))) + "\n");
        List<Op> stale = new java.util.ArrayList<>();
        for (Op r : reads) {
            if (r.outcome() == History.Outcome.UNKNOWN) {
                unknown++;
                continue;
            }
            if (windows.stream().noneMatch(w -> !r.invoke().isBefore(w[0]) && r.invoke().isBefore(w[1]))) {
                if (r.outcome() == History.Outcome.FAIL) {
                    staleBefore++;
                }
                continue;
            }
            judged++;
            byNode.merge(r.node(), 1, Integer::sum);
            if (r.outcome() == History.Outcome.FAIL) {
                stale.add(r);
            }
        }
        figures.put("reads judged (after the zone settled)", String.valueOf(judged));
        figures.put("stale reads after the zone settled", String.valueOf(stale.size()));
        figures.put("stale reads outside it (not judged)", String.valueOf(staleBefore));
        figures.put("reads that failed (not judged)", String.valueOf(unknown));
        evidence.append("answered by: ").append(byNode).append('\n');
        stale.stream().limit(20).forEach(r -> evidence.append("STALE ").append(r.invoke()).append(' ').append(r.detail()).append('\n'));
        if (judged == 0) {
            return new Verdict(name, false, "no read was made after the zone settled: nothing shows reads are fresh", figures,
                    evidence.toString());
        }
        String nodes = String.join(", ", stale.stream().map(Op::node).distinct().toList());
        return new Verdict(name, stale.isEmpty(), stale.isEmpty() ? "all " + judged + " reads after the zone settled found the write they"
                + " asked for (answered by " + byNode.keySet() + ")"
                : stale.size() + " of " + judged + " reads after the zone settled missed a write confirmed at least the lag bound"
                + " before (answered by " + nodes + ")", figures, evidence.toString());
    }
}
