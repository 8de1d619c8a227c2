package io.triad.probe;

import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.host.Shell;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A systemd unit's own restart policy and where it stands, read on the host ({@code systemctl show}):
 * the mechanism that can start a service again with no one asking, so a promise that a service stays
 * down (a fenced database, a stopped controller) is tried past the point where it would act, not
 * only at one instant.
 */
public final class Restarts {

    /** What {@code systemctl show} says of the unit's restart: its policy, interval, restarts so far and state. */
    public record State(String policy, Duration interval, int restartsSoFar, String active, String sub) {
        /** Whether the unit restarts itself at all ({@code Restart=} other than {@code no}). */
        public boolean restarts() {
            return !policy.equals("no");
        }

        /** Whether a start of the unit is under way (its start commands running, or its restart interval running out). */
        public boolean starting() {
            return active.equals("activating");
        }

        @Override
        public String toString() {
            return "Restart=" + policy + ", RestartSec=" + interval.toMillis() + " ms, restarted " + restartsSoFar + " time(s), " + active + " (" + sub + ")";
        }
    }

    private Restarts() { }

    public static State of(Host h, String unit) {
        CommandResult r = h.exec("systemctl show -p Restart -p RestartUSec -p NRestarts -p ActiveState -p SubState " + Shell.quote(unit));
        r.requireOk();
        return parse(r.stdout(), unit);
    }

    static State parse(String show, String unit) {
        Map<String, String> p = new HashMap<>();
        for (String line : show.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                p.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        for (String k : new String[] {"Restart", "RestartUSec", "NRestarts", "ActiveState", "SubState"}) {
            if (!p.containsKey(k)) {
                throw new IllegalStateException("systemctl show " + unit + " printed no " + k + " (systemd before 235 has no NRestarts): " + show.strip());
            }
        }
        return new State(p.get("Restart"), span(p.get("RestartUSec")), Integer.parseInt(p.get("NRestarts")), p.get("ActiveState"), p.get("SubState"));
    }

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(us|ms|s|min|h|d)\\b");

    /** A systemd time span as {@code systemctl show} prints it ("100ms", "5s", "1min 30s", "0"). */
    static Duration span(String text) {
        Matcher m = PART.matcher(text);
        double micros = 0;
        boolean any = false;
        while (m.find()) {
            any = true;
            double v = Double.parseDouble(m.group(1));
            micros += v * switch (m.group(2)) {
                case "us" -> 1;
                case "ms" -> 1_000;
                case "s" -> 1_000_000;
                case "min" -> 60_000_000;
                case "h" -> 3_600_000_000.0;
                default -> 86_400_000_000.0;
            };
        }
        if (!any && !text.strip().equals("0")) {
            throw new IllegalStateException("not a systemd time span: " + text);
        }
        return Duration.ofNanos((long) (micros * 1000));
    }
}
