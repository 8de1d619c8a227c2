package io.triad.probe.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads version strings out of {@code --version} style outputs (keepalived, openssl, nats-server, rsyslogd, rclone,
 * smartctl, mdadm, docker ...) and compares dotted numeric versions leniently.
 */
public final class Versions {

    /** The first dotted number, with an optional leading "v": "v2.12.1" gives "2.12.1", "7.3 2022-02-28" gives "7.3". */
    public static final Pattern FIRST_DOTTED = Pattern.compile("(?<![\\w.])v?(\\d+(?:\\.\\d+)+)");

    private static final Pattern UPSTREAM = Pattern.compile("^(?:\\d+:)?[vV]?(\\d+(?:\\.\\d+)*)");

    private Versions() { }

    /** The first group of the first match of {@code pattern} in {@code output}, if any. */
    public static Optional<String> extract(String output, Pattern pattern) {
        Matcher m = pattern.matcher(output);
        return m.find() ? Optional.ofNullable(m.groupCount() >= 1 ? m.group(1) : m.group()) : Optional.empty();
    }

    /**
     * Compares the numeric upstream parts: an epoch ("1:"), a leading "v" and anything after the dotted numbers
     * ("-1+b2", "+dfsg1", "-DEV") are ignored; missing components count as 0, so "2.2" equals "2.2.0".
     *
     * @throws IllegalArgumentException when a version does not start with a number
     */
    public static int compare(String a, String b) {
        List<Long> x = numbers(a);
        List<Long> y = numbers(b);
        for (int i = 0; i < Math.max(x.size(), y.size()); i++) {
            int c = Long.compare(i < x.size() ? x.get(i) : 0, i < y.size() ? y.get(i) : 0);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** {@code compare(actual, minimum) >= 0}. */
    public static boolean atLeast(String actual, String minimum) {
        return compare(actual, minimum) >= 0;
    }

    private static List<Long> numbers(String version) {
        Matcher m = UPSTREAM.matcher(version.trim());
        if (!m.find()) {
            throw new IllegalArgumentException("not a numeric version: '" + version + "'");
        }
        List<Long> out = new ArrayList<>();
        for (String part : m.group(1).split("\\.")) {
            out.add(Long.parseLong(part));
        }
        return out;
    }
}
