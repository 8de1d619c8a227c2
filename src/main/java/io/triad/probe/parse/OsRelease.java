package io.triad.probe.parse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code /etc/os-release}: KEY=value lines, values optionally in double quotes (with \" \\ \$ \` escapes)
 * or single quotes; comments and blank lines are skipped.
 */
public record OsRelease(Map<String, String> values) {

    private static final Pattern LINE = Pattern.compile("^([A-Z][A-Z0-9_]*)=(.*)$");

    public OsRelease {
        values = Map.copyOf(values);
    }

    public static OsRelease parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("line " + (i + 1) + ": not a KEY=value assignment: '" + line + "'");
            }
            values.put(m.group(1), unquote(m.group(2), i + 1));
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException("os-release is empty");
        }
        return new OsRelease(values);
    }

    /** ID, "linux" when absent (the os-release default). */
    public String id() {
        return values.getOrDefault("ID", "linux");
    }

    /** VERSION_ID, "" when absent (Debian testing/sid, rolling distributions). */
    public String versionId() {
        return values.getOrDefault("VERSION_ID", "");
    }

    /** PRETTY_NAME, "Linux" when absent (the os-release default). */
    public String prettyName() {
        return values.getOrDefault("PRETTY_NAME", "Linux");
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    private static String unquote(String v, int line) {
        if (v.length() >= 1 && (v.charAt(0) == '"' || v.charAt(0) == '\'')) {
            char q = v.charAt(0);
            if (v.length() < 2 || v.charAt(v.length() - 1) != q) {
                throw new IllegalArgumentException("line " + line + ": unterminated " + (q == '"' ? "double" : "single")
                        + " quote in " + v);
            }
            String inner = v.substring(1, v.length() - 1);
            return q == '"' ? inner.replaceAll("\\\\([\"\\\\$`])", "$1") : inner;
        }
        return v;
    }
}
