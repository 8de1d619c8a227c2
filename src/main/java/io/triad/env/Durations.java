package io.triad.env;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in environment files: 250ms, 10s, 5m, 24h, 30d. */
public final class Durations {
    private static final Pattern FORM = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)\\s*");

    private Durations() { }

    public static Duration parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (write e.g. 250ms, 10s, 5m, 24h, 30d)");
        }
        double n = Double.parseDouble(m.group(1));
        long millis = switch (m.group(2)) {
            case "ms" -> Math.round(n);
            case "s" -> Math.round(n * 1_000);
            case "m" -> Math.round(n * 60_000);
            case "h" -> Math.round(n * 3_600_000);
            default -> Math.round(n * 86_400_000);
        };
        return Duration.ofMillis(millis);
    }

    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000 == 0 && ms > 0) return ms / 86_400_000 + "d";
        if (ms % 3_600_000 == 0 && ms > 0) return ms / 3_600_000 + "h";
        if (ms % 60_000 == 0 && ms > 0) return ms / 60_000 + "m";
        if (ms % 1_000 == 0) return ms / 1_000 + "s";
        return ms + "ms";
    }
}
