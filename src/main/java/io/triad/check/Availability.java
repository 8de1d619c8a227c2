package io.triad.check;

import io.triad.history.History;
import io.triad.history.History.Op;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * "The zone keeps serving": between two instants, writes through the VIP keep being acknowledged,
 * with no interval longer than {@code maxGap} between one acknowledged write and the next (a
 * leader election may cost a moment; an outage may not). Reports the longest such interval and
 * the share of writes acknowledged.
 */
public final class Availability {

    private Availability() { }

    public static Verdict check(History history, Instant from, Instant to, Duration maxGap) {
        List<Op> writes = history.ops("write").stream()
                .filter(w -> !w.invoke().isBefore(from) && !w.complete().isAfter(to)).toList();
        Map<String, String> figures = new LinkedHashMap<>();
        long ok = writes.stream().filter(Op::ok).count();
        figures.put("writes acknowledged", ok + " of " + writes.size());
        Instant previous = from;
        Duration longest = Duration.ZERO;
        Instant longestFrom = from;
        for (Op w : writes) {
            if (w.ok()) {
                Duration gap = Duration.between(previous, w.complete());
                if (gap.compareTo(longest) > 0) {
                    longest = gap;
                    longestFrom = previous;
                }
                previous = w.complete();
            }
        }
        Duration tail = Duration.between(previous, to);
        if (tail.compareTo(longest) > 0) {
            longest = tail;
            longestFrom = previous;
        }
        figures.put("longest interval without an acknowledged write", Verdict.ms(longest));
        List<Long> latencies = writes.stream().filter(Op::ok).map(w -> w.latency().toMillis()).sorted().toList();
        if (!latencies.isEmpty()) {
            figures.put("acknowledged write latency (median / max)", latencies.get(latencies.size() / 2) + " ms / "
                    + latencies.get(latencies.size() - 1) + " ms");
        }
        StringBuilder evidence = new StringBuilder("judged from " + from + " to " + to + "; allowed interval without an"
                + " acknowledged write: " + maxGap.toMillis() + " ms\nlongest: from " + longestFrom + " (" + longest.toMillis() + " ms)\n");
        writes.stream().filter(w -> !w.ok()).limit(20).forEach(w -> evidence.append("not acknowledged: ")
                .append(FailoverWindow.line(w)).append('\n'));
        if (writes.isEmpty()) {
            return new Verdict("keeps serving", false, "no write was attempted between " + from + " and " + to, figures,
                    evidence.toString());
        }
        boolean pass = longest.compareTo(maxGap) <= 0;
        String summary = (pass ? "served throughout: " : "an outage: ") + ok + " of " + writes.size()
                + " writes acknowledged, longest interval without one " + longest.toMillis() + " ms (at most " + maxGap.toMillis() + " ms)";
        return new Verdict("keeps serving", pass, summary, figures, evidence.toString());
    }
}
