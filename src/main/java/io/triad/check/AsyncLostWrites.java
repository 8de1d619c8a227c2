package io.triad.check;

import io.triad.history.History;
import io.triad.history.History.Op;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * "No confirmed write lost beyond the replication lag bound", for a zone that replicates
 * asynchronously: a primary that crashes may take with it what it committed in its last moments,
 * before any standby received it, and no more than its lag bound allows. Every confirmed write
 * missing from the final read is counted and listed, never hidden; the verdict fails when one was
 * confirmed earlier than {@code bound} before the fault (the standbys were further behind than
 * promised) or after the fault (the new primary's writes must all survive: a write confirmed
 * after the failover and lost is a split brain's or a rewind's casualty).
 */
public final class AsyncLostWrites {

    private AsyncLostWrites() { }

    public static Verdict check(History history, Instant faultAt, Duration bound) {
        String name = "no confirmed write lost beyond the lag bound";
        Map<String, String> figures = new LinkedHashMap<>();
        if (history.finalRead().isEmpty() || !history.finalRead().get().complete()) {
            String why = history.finalRead().map(History.FinalRead::detail).orElse("no final read was made");
            return new Verdict(name, false, "the final read after the heal did not complete: " + why, figures, why + "\n");
        }
        var present = history.finalRead().get().ids();
        Instant boundStart = faultAt.minus(bound);
        List<Op> within = new ArrayList<>();
        List<Op> before = new ArrayList<>();
        List<Op> after = new ArrayList<>();
        int confirmed = 0;
        for (Op w : history.ops("write")) {
            if (!w.ok()) {
                continue;
            }
            confirmed++;
            if (present.contains(w.id())) {
                continue;
            }
            if (!w.complete().isBefore(faultAt)) {
                after.add(w);
            } else if (w.complete().isBefore(boundStart)) {
                before.add(w);
            } else {
                within.add(w);
            }
        }
        int lost = within.size() + before.size() + after.size();
        figures.put("writes confirmed", String.valueOf(confirmed));
        figures.put("confirmed writes lost", String.valueOf(lost));
        figures.put("lost within the lag bound before the fault (" + bound.toMillis() + " ms)", String.valueOf(within.size()));
        within.stream().map(Op::complete).min(Instant::compareTo).ifPresent(first ->
                figures.put("oldest lost write, confirmed before the fault by", Duration.between(first, faultAt).toMillis() + " ms"));
        StringBuilder evidence = new StringBuilder("fault at " + faultAt + "; lag bound " + bound.toMillis() + " ms; final read at "
                + history.finalRead().get().at() + " (" + history.finalRead().get().detail() + ")\n");
        before.stream().limit(20).forEach(o -> evidence.append("LOST, confirmed before the lag bound: ").append(FailoverWindow.line(o)).append('\n'));
        after.stream().limit(20).forEach(o -> evidence.append("LOST, confirmed after the fault: ").append(FailoverWindow.line(o)).append('\n'));
        within.stream().limit(20).forEach(o -> evidence.append("lost within the lag bound: ").append(FailoverWindow.line(o)).append('\n'));
        if (confirmed == 0) {
            return new Verdict(name, false, "no write was confirmed: nothing shows writes survive", figures, evidence.toString());
        }
        boolean ok = before.isEmpty() && after.isEmpty();
        String summary = !after.isEmpty() ? after.size() + " write(s) confirmed after the fault are missing"
                : !before.isEmpty() ? before.size() + " write(s) confirmed more than " + bound.toMillis() + " ms before the fault are missing"
                + " (the standbys were further behind than the lag bound)"
                : lost == 0 ? "all " + confirmed + " confirmed writes are present"
                : lost + " of " + confirmed + " confirmed writes lost, every one confirmed within the lag bound before the fault"
                + " (asynchronous replication)";
        return new Verdict(name, ok, summary, figures, evidence.toString());
    }
}
