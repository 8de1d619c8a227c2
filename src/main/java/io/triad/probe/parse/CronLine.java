package io.triad.probe.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one crontab line: five time fields (or an {@code @daily}-style macro), the user in a system crontab
 * (/etc/crontab, /etc/cron.d/*), then the command. Fields accept {@code *}, numbers, names (months jan-dec, days
 * sun-sat), ranges {@code a-b}, steps {@code /n} and lists {@code a,b}; out-of-range values are rejected.
 *
 * <p>For a macro line, {@code minute} holds the macro (e.g. "@daily") and the other four fields are "".
 */
public record CronLine(String minute, String hour, String dayOfMonth, String month, String dayOfWeek,
                       Optional<String> user, String command) {

    private static final Set<String> MACROS = Set.of("@reboot", "@yearly", "@annually", "@monthly", "@weekly", "@daily",
            "@midnight", "@hourly");
    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
            "oct", "nov", "dec");
    private static final List<String> DAYS = List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");
    private static final Pattern ENV = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*\\s*=.*");

    /** The macro of a macro line. */
    public Optional<String> macro() {
        return minute.startsWith("@") ? Optional.of(minute) : Optional.empty();
    }

    public static CronLine parse(String line, boolean systemCrontab) {
        String rest = line.trim();
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("empty crontab line");
        }
        String[] f = new String[5];
        if (rest.startsWith("@")) {
            String macro = word(rest);
            if (!MACROS.contains(macro.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("unknown macro '" + macro + "'");
            }
            f = new String[] {macro, "", "", "", ""};
            rest = after(rest, macro);
        } else {
            String[] names = {"minute", "hour", "day of month", "month", "day of week"};
            for (int i = 0; i < 5; i++) {
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException("missing " + names[i] + " field");
                }
                f[i] = word(rest);
                rest = after(rest, f[i]);
            }
            check(f[0], "minute", 0, 59, List.of());
            check(f[1], "hour", 0, 23, List.of());
            check(f[2], "day of month", 1, 31, List.of());
            check(f[3], "month", 1, 12, MONTHS);
            check(f[4], "day of week", 0, 7, DAYS);
        }
        Optional<String> user = Optional.empty();
        if (systemCrontab) {
            if (rest.isEmpty()) {
                throw new IllegalArgumentException("missing user field");
            }
            user = Optional.of(word(rest));
            rest = after(rest, user.get());
        }
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("missing command");
        }
        return new CronLine(f[0], f[1], f[2], f[3], f[4], user, rest);
    }

    /** Every job of a crontab, skipping blank lines, comments and NAME=value assignments; errors name the line. */
    public static List<CronLine> parseFile(String text, boolean systemCrontab) {
        List<CronLine> out = new ArrayList<>();
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty() || line.startsWith("#") || ENV.matcher(line).matches()) {
                continue;
            }
            try {
                out.add(parse(line, systemCrontab));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static void check(String field, String name, int min, int max, List<String> names) {
        for (String item : field.split(",", -1)) {
            String range = item;
            int slash = item.indexOf('/');
            if (slash >= 0) {
                range = item.substring(0, slash);
                String step = item.substring(slash + 1);
                if (!step.matches("\\d+") || Integer.parseInt(step) < 1) {
                    throw new IllegalArgumentException("invalid " + name + " step '" + step + "' in '" + field + "'");
                }
            }
            if (range.equals("*")) {
                continue;
            }
            int dash = range.indexOf('-');
            int lo = value(dash < 0 ? range : range.substring(0, dash), name, field, min, max, names);
            if (dash >= 0 && lo > value(range.substring(dash + 1), name, field, min, max, names)) {
                throw new IllegalArgumentException("invalid " + name + " range '" + range + "': start after end");
            }
        }
    }

    private static int value(String v, String name, String field, int min, int max, List<String> names) {
        int n;
        if (v.matches("\\d+")) {
            n = Integer.parseInt(v);
        } else {
            int i = names.indexOf(v.toLowerCase(Locale.ROOT));
            if (i < 0) {
                throw new IllegalArgumentException("invalid " + name + " '" + v + "' in '" + field + "'");
            }
            n = names == MONTHS ? i + 1 : i;
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("invalid " + name + " " + n + " in '" + field + "': must be " + min + "-" + max);
        }
        return n;
    }

    private static String word(String s) {
        int sp = 0;
        while (sp < s.length() && !Character.isWhitespace(s.charAt(sp))) {
            sp++;
        }
        return s.substring(0, sp);
    }

    private static String after(String s, String word) {
        return s.substring(word.length()).trim();
    }
}
