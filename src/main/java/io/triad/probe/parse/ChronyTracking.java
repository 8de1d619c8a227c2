package io.triad.probe.parse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code chronyc tracking} ("Name : value" lines) and, with {@link #parseProperties}, {@code timedatectl show}.
 */
public final class ChronyTracking {

    /**
     * The tracking state. {@code referenceId} is as printed, e.g. "0AD54D01 (10.213.77.1)"; the system time offset
     * is positive when the clock is fast of NTP time, negative when slow.
     */
    public record Tracking(String referenceId, int stratum, double systemTimeOffsetSeconds, double lastOffsetSeconds,
                           String leapStatus) {
        /**
         * Leap status Normal, stratum 1-15 and a real reference: not 00000000 (no source) and not an empty name
         * "()" (none, or the local clock as in "7F7F0101 ()").
         */
        public boolean synchronised() {
            return leapStatus.equals("Normal") && stratum >= 1 && stratum <= 15
                    && !referenceId.startsWith("00000000") && !referenceId.endsWith("()");
        }
    }

    private static final Pattern LINE = Pattern.compile("^([A-Za-z][A-Za-z ()]*?)\\s*:\\s(.*)$");
    private static final Pattern SYSTEM_TIME = Pattern.compile("^([+-]?[\\d.]+) seconds (fast|slow) of NTP time$");
    private static final Pattern SECONDS = Pattern.compile("^([+-]?[\\d.]+) seconds$");

    private ChronyTracking() { }

    public static Tracking parse(String output) {
        Map<String, String> f = new LinkedHashMap<>();
        for (String line : output.split("\r?\n")) {
            Matcher m = LINE.matcher(line.trim());
            if (m.matches()) {
                f.put(m.group(1).trim(), m.group(2).trim());
            }
        }
        String ref = required(f, "Reference ID", output);
        int stratum;
        try {
            stratum = Integer.parseInt(required(f, "Stratum", output));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Stratum is not a number: '" + f.get("Stratum") + "'");
        }
        Matcher st = SYSTEM_TIME.matcher(required(f, "System time", output));
        if (!st.matches()) {
            throw new IllegalArgumentException("unreadable System time: '" + f.get("System time") + "'");
        }
        double offset = Double.parseDouble(st.group(1)) * (st.group(2).equals("slow") ? -1 : 1);
        Matcher last = SECONDS.matcher(required(f, "Last offset", output));
        if (!last.matches()) {
            throw new IllegalArgumentException("unreadable Last offset: '" + f.get("Last offset") + "'");
        }
        return new Tracking(ref, stratum, offset, Double.parseDouble(last.group(1)), required(f, "Leap status", output));
    }

    /** {@code timedatectl show}: KEY=value lines (NTPSynchronized=yes ...). A line without '=' is an error. */
    public static Map<String, String> parseProperties(String output) {
        Map<String, String> out = new LinkedHashMap<>();
        String[] lines = output.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            int eq = lines[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("line " + (i + 1) + ": not a KEY=value property: '" + lines[i].trim() + "'");
            }
            out.put(lines[i].substring(0, eq), lines[i].substring(eq + 1));
        }
        return out;
    }

    private static String required(Map<String, String> fields, String name, String output) {
        String v = fields.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no '" + name + "' in chronyc tracking output: " + BlockDevices.firstLine(output));
        }
        return v;
    }
}
