package io.triad.probe;

import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.host.Redactor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Why an expected change did not come (a failover, a new leader, a rejoin): what the zone's own HA
 * manager logged on the candidates since the fault, quoted in the failure so that a CI log shows the
 * cause without opening the report. The most telling lines are those that say what the manager
 * would not do or could not do (warnings and errors, and lines with "not", "cannot", "refus",
 * "fail", "manual", "disabled", ...); when none says so, the last lines; when the unit logged
 * nothing, its state (a manager that is not running is the cause).
 */
public final class Why {

    /** Words of a line that says what did not or could not happen. */
    static final Pattern TELLING = Pattern.compile("(?i)\\b(not|no|cannot|can't|unable|refus\\w*|fail\\w*|error|denied|manual\\w*"
            + "|disabled?|won't|abort\\w*|timeout|timed out|unreachable|lost|without|skip\\w*|insufficient|quorum|fault\\w*)\\b");

    /** Quoted lines per host, at most. */
    static final int LINES = 3;

    /** Longest quoted line. */
    static final int WIDTH = 220;

    private Why() { }

    /**
     * What {@code unit} logged on each host since {@code since}, the most telling lines first chosen
     * (see above), as one sentence: {@code the HA manager (unit) said: on b: "..." | "..."; on c: not running (inactive)}.
     */
    public static String said(List<Host> hosts, String unit, Instant since) {
        List<String> parts = new ArrayList<>();
        for (Host h : hosts) {
            String said;
            try {
                said = onHost(h, unit, since);
            } catch (RuntimeException e) {
                said = "not reached (" + e.getMessage() + ")"; // a candidate cut off or down: the failure's message still comes
            }
            parts.add("on " + h.name() + ": " + said);
        }
        return "the HA manager (" + unit + ") said " + String.join("; ", parts);
    }

    static String onHost(Host h, String unit, Instant since) {
        String q = io.triad.host.Shell.quote(unit);
        // the unit's current run, not only since the fault: a manager that could not take over before the fault (a
        // failing check, a FAULT state) said so once, when it began. Read from its activation's timestamp (to the
        // second), then kept to the entries of its current invocation where journald marked them.
        CommandResult r = h.execUnrecorded(h.asRoot("t=$(systemctl show -p ActiveEnterTimestamp --value " + q + " 2>/dev/null); journalctl -u " + q
                + " ${t:+--since \"$t\"} -o json --no-pager -n 300"
                + "; echo \"state=$(systemctl is-active " + q + ")\"; echo \"invocation=$(systemctl show -p InvocationID --value " + q + ")\""),
                Duration.ofSeconds(15));
        String state = r.stdout().lines().filter(l -> l.startsWith("state=")).reduce((a, b) -> b).map(l -> l.substring(6)).orElse("unknown");
        String invocation = r.stdout().lines().filter(l -> l.startsWith("invocation=")).reduce((a, b) -> b).map(l -> l.substring(11).strip()).orElse("");
        return judged(currentRun(UnitJournal.parse(r.stdout()), invocation), unit, state, since);
    }

    /** The entries of the unit's current run: those of {@code invocation}, or unmarked; all when it is not known. */
    static List<UnitJournal.Entry> currentRun(List<UnitJournal.Entry> entries, String invocation) {
        if (invocation.isEmpty()) {
            return entries;
        }
        return entries.stream().filter(e -> e.invocation().isEmpty() || e.invocation().equals(invocation)).toList();
    }

    /**
     * What to quote of a unit's journal: the telling lines since the fault (else its last lines);
     * when it logged nothing since, the telling lines of its current run from before the fault, said
     * as such (a state it was already in: a FAULT entered at its start, a check failing since).
     */
    static String judged(List<UnitJournal.Entry> run, String unit, String state, Instant since) {
        List<String> after = run.stream().filter(e -> !e.at().isBefore(since)).map(UnitJournal.Entry::message).toList();
        List<String> quoted = telling(after);
        String tail = "active".equals(state) ? "" : " (" + unit + " " + state + ")";
        if (!quoted.isEmpty()) {
            return quote(quoted) + tail;
        }
        List<String> before = lastOfEach(run.stream().filter(e -> e.at().isBefore(since)).map(UnitJournal.Entry::message)
                .map(String::strip).filter(m -> TELLING.matcher(m).find()).toList());
        if (before.isEmpty()) {
            return "nothing since the fault (" + unit + " " + state + ")";
        }
        return "nothing since the fault; before it, in its current run: " + quote(before.subList(Math.max(0, before.size() - LINES), before.size())) + tail;
    }

    private static String quote(List<String> lines) {
        return String.join(" | ", lines.stream().map(l -> "\"" + Redactor.redact(shorten(l)) + "\"").toList());
    }

    /**
     * The lines to quote: the last {@link #LINES} telling ones in their order, else the last {@link #LINES};
     * a line said again counts once, at its last place (a manager repeating one warning would fill the quote).
     */
    static List<String> telling(List<String> messages) {
        List<String> lines = lastOfEach(messages.stream().map(String::strip).filter(m -> !m.isEmpty()).toList());
        List<String> telling = lines.stream().filter(m -> TELLING.matcher(m).find()).toList();
        List<String> from = telling.isEmpty() ? lines : telling;
        return from.subList(Math.max(0, from.size() - LINES), from.size());
    }

    /** Each line once, at its last place, the order otherwise kept. */
    static List<String> lastOfEach(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.subList(i + 1, lines.size()).indexOf(lines.get(i)) < 0) {
                out.add(lines.get(i));
            }
        }
        return out;
    }

    static String shorten(String line) {
        return line.length() <= WIDTH ? line : line.substring(0, WIDTH - 3) + "...";
    }
}
