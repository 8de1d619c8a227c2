package io.triad.check;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a checker decided about a history: pass or fail, one line saying why, the measured figures
 * (name to value with its unit), and the evidence that decided it, as text a person can read.
 */
public record Verdict(String checker, boolean ok, String summary, Map<String, String> figures, String evidence) {

    public Verdict {
        figures = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    }

    @Override
    public String toString() {
        return checker + ": " + (ok ? "PASS" : "FAIL") + ": " + summary;
    }

    static String ms(java.time.Duration d) {
        return d.toMillis() + " ms";
    }
}
