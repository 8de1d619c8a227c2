package io.triad.check;

import io.triad.history.History;
import io.triad.history.History.Op;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * "Fail-closed on quorum loss": while quorum is lost, no write is acknowledged (none at all: an
 * acknowledgement needs the quorum) and, once the controller has had {@code detection} to notice,
 * the health endpoint never answers 200. Closed is shown by probes answered 503, or by probes no
 * node accepted (the VIP released: where the VIP is held under a lease, a zone without quorum can
 * renew no lease, so nobody holds the VIP); probes sent and never answered show neither. Reports
 * how long the controller took to refuse and how the zone was closed.
 */
public final class FailClosed {

    private FailClosed() { }

    public static Verdict check(History history, Instant lostAt, Instant restoredAt, Duration detection) {
        Instant judged = lostAt.plus(detection);
        List<String> violations = new ArrayList<>();
        Map<String, String> figures = new LinkedHashMap<>();
        StringBuilder evidence = new StringBuilder("quorum lost from " + lostAt + " to " + restoredAt
                + "; health judged from " + judged + " (detection allowance " + detection.toMillis() + " ms)\n");
        int writes = 0;
        int refused = 0;
        for (Op w : history.ops("write")) {
            if (w.invoke().isBefore(lostAt) || w.complete().isAfter(restoredAt)) {
                continue;
            }
            writes++;
            if (w.ok()) {
                violations.add("write acknowledged without quorum: " + FailoverWindow.line(w));
            } else {
                refused++;
            }
        }
        int answers503 = 0;
        int unreachable = 0;
        int noAnswer = 0;
        int judgedProbes = 0;
        for (Op h : history.ops("health")) {
            if (h.invoke().isBefore(judged) || h.complete().isAfter(restoredAt)) {
                continue;
            }
            judgedProbes++;
            if (h.status() == 200) {
                violations.add("healthy answer without quorum: " + FailoverWindow.line(h));
            } else if (h.status() == 503) {
                answers503++;
            } else if (h.outcome() == History.Outcome.FAIL && h.status() < 0) {
                unreachable++;
            } else {
                noAnswer++;
            }
        }
        Optional<Op> firstRefusal = history.ops("health").stream()
                .filter(h -> !h.invoke().isBefore(lostAt) && h.status() == 503 && h.complete().isBefore(restoredAt)).findFirst();
        firstRefusal.ifPresent(r -> figures.put("quorum loss to first 503", Verdict.ms(Duration.between(lostAt, r.complete()))));
        figures.put("writes during the loss (acknowledged / refused)", (writes - refused) + " / " + refused);
        figures.put("health probes judged (503 / VIP not held / no answer)", answers503 + " / " + unreachable + " / " + noAnswer);
        evidence.append("writes invoked and completed during the loss: ").append(writes).append(", refused ").append(refused).append('\n');
        evidence.append("health probes judged: ").append(judgedProbes).append(" (503: ").append(answers503)
                .append(", not accepted by any node: ").append(unreachable).append(", no answer or other: ").append(noAnswer).append(")\n");
        violations.stream().limit(20).forEach(v -> evidence.append("VIOLATION ").append(v).append('\n'));
        if (violations.isEmpty() && answers503 + unreachable == 0) {
            return new Verdict("fail-closed on quorum loss", false, "no health probe was answered 503 or turned away while quorum was lost ("
                    + judgedProbes + " probes judged): nothing shows the zone refused", figures, evidence.toString());
        }
        String closed = answers503 + " health answers 503" + (unreachable > 0 ? ", " + unreachable + " probes accepted by no node (VIP released)" : "");
        String summary = violations.isEmpty()
                ? "refused throughout: " + refused + " writes refused, " + closed + ", none healthy"
                : violations.size() + " violation(s), first: " + violations.get(0);
        return new Verdict("fail-closed on quorum loss", violations.isEmpty(), summary, figures, evidence.toString());
    }
}
