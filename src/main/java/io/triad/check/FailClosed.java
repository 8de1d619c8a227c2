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
 * the health endpoint answers 503 and never 200. Reports how long the controller took to refuse.
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
            } else {
                noAnswer++;
            }
        }
        Optional<Op> firstRefusal = history.ops("health").stream()
                .filter(h -> !h.invoke().isBefore(lostAt) && h.status() == 503 && h.complete().isBefore(restoredAt)).findFirst();
        firstRefusal.ifPresent(r -> figures.put("quorum loss to first 503", Verdict.ms(Duration.between(lostAt, r.complete()))));
        figures.put("writes during the loss (acknowledged / refused)", (writes - refused) + " / " + refused);
        figures.put("health answers judged (503 / other non-200)", answers503 + " / " + noAnswer);
        evidence.append("writes invoked and completed during the loss: ").append(writes).append(", refused ").append(refused).append('\n');
        evidence.append("health probes judged: ").append(judgedProbes).append(" (503: ").append(answers503)
                .append(", no answer or other: ").append(noAnswer).append(")\n");
        violations.stream().limit(20).forEach(v -> evidence.append("VIOLATION ").append(v).append('\n'));
        if (violations.isEmpty() && answers503 == 0) {
            return new Verdict("fail-closed on quorum loss", false, "no health answer of 503 was observed while quorum was lost ("
                    + judgedProbes + " probes judged): nothing shows the controller refused", figures, evidence.toString());
        }
        String summary = violations.isEmpty()
                ? "refused throughout: " + refused + " writes refused, " + answers503 + " health answers 503, none healthy"
                : violations.size() + " violation(s), first: " + violations.get(0);
        return new Verdict("fail-closed on quorum loss", violations.isEmpty(), summary, figures, evidence.toString());
    }
}
