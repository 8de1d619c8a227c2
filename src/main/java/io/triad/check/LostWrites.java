package io.triad.check;

import io.triad.history.History;
import io.triad.history.History.Op;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * "No acknowledged write lost": every write acknowledged (ok) is present in the final read after
 * the heal. Writes whose outcome is unknown (a timeout) may land either way; failed writes that
 * are present anyway are reported, not judged (a refusal after a publish timeout is indeterminate).
 */
public final class LostWrites {

    private LostWrites() { }

    public static Verdict check(History history) {
        List<Op> writes = history.ops("write");
        Map<String, String> figures = new LinkedHashMap<>();
        if (history.finalRead().isEmpty() || !history.finalRead().get().complete()) {
            String why = history.finalRead().map(History.FinalRead::detail).orElse("no final read was made");
            return new Verdict("no lost acknowledged writes", false, "the final read after the heal did not complete: " + why,
                    figures, why + "\n");
        }
        var present = history.finalRead().get().ids();
        List<String> lost = new ArrayList<>();
        int acknowledged = 0;
        int failed = 0;
        int unknown = 0;
        int unknownLanded = 0;
        int failedLanded = 0;
        for (Op w : writes) {
            switch (w.outcome()) {
                case OK -> {
                    acknowledged++;
                    if (!present.contains(w.id())) {
                        lost.add(FailoverWindow.line(w));
                    }
                }
                case UNKNOWN -> {
                    unknown++;
                    if (present.contains(w.id())) {
                        unknownLanded++;
                    }
                }
                case FAIL -> {
                    failed++;
                    if (present.contains(w.id())) {
                        failedLanded++;
                    }
                }
            }
        }
        figures.put("writes acknowledged", String.valueOf(acknowledged));
        figures.put("acknowledged writes lost", String.valueOf(lost.size()));
        figures.put("writes failed", String.valueOf(failed));
        figures.put("writes unknown (landed / not)", unknownLanded + " / " + (unknown - unknownLanded));
        StringBuilder evidence = new StringBuilder(writes.size() + " writes; final read at " + history.finalRead().get().at()
                + " found " + present.size() + " of this drill's ids (" + history.finalRead().get().detail() + ")\n");
        if (failedLanded > 0) {
            evidence.append(failedLanded).append(" write(s) refused by the controller are present anyway (refused after a publish"
                    + " timeout: indeterminate, not judged)\n");
        }
        lost.stream().limit(20).forEach(l -> evidence.append("LOST ").append(l).append('\n'));
        if (writes.isEmpty()) {
            return new Verdict("no lost acknowledged writes", false, "no write was attempted: nothing shows writes survive",
                    figures, evidence.toString());
        }
        boolean ok = lost.isEmpty() && acknowledged > 0;
        String summary = !lost.isEmpty() ? lost.size() + " of " + acknowledged + " acknowledged writes are missing after the heal"
                : acknowledged == 0 ? "no write was acknowledged in " + writes.size() + " attempts"
                : "all " + acknowledged + " acknowledged writes are present after the heal (" + unknown + " unknown, "
                + unknownLanded + " of them landed)";
        return new Verdict("no lost acknowledged writes", ok, summary, figures, evidence.toString());
    }
}
