package io.triad.tech.postgres;

import io.triad.check.LogClaims;
import io.triad.history.History;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a PostgreSQL server's own log says of whether it accepted writes: the lines of its
 * postmaster that open and end a span in which it took writes, for the dual-active checker beside
 * the samples ({@link LogClaims}). Read from every place a server on the node may have logged
 * ({@link #everywhere}): a line is recognised by PostgreSQL's {@code %m [%p]} prefix (the default
 * {@code log_line_prefix} and the one the zones set), wherever in the line it stands, in UTC.
 *
 * <p>Opening: "database system is ready to accept connections" (a primary's start, or a standby's
 * end of recovery after a promotion; a standby says "ready to accept read-only connections").
 * Ending: a fast or immediate shutdown request (from then on no transaction commits: active ones
 * are aborted), "database system is shut down", and the postmaster's reinitialisation after a
 * backend crashed ("terminating any other active server processes"). A smart shutdown request
 * ends nothing: sessions go on writing until they end.
 */
public final class ServerLog {

    /** The exclusive resource the PostgreSQL profiles' samples name: a node that accepts writes. */
    public static final String WRITABLE = "writable";

    /** The source the lines are recorded under in a history. */
    public static final String SOURCE = "postgres";

    private static final Pattern LINE = Pattern.compile(
            "(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,6})?) (UTC|GMT) \\[(\\d+)\\] (?:\\S*@\\S* )?(LOG|FATAL|PANIC):\\s+(.*)$");

    private static final List<String> OPENS = List.of("database system is ready to accept connections");
    private static final List<String> ENDS = List.of("received fast shutdown request", "received immediate shutdown request",
            "database system is shut down", "terminating any other active server processes");

    private ServerLog() { }

    /** Where a Debian or PGDG server logs when started by {@code pg_ctlcluster} (its unit) without a logging collector. */
    static final String DISTRIBUTION_LOGS = "/var/log/postgresql/*.log";

    /**
     * A command that prints, on a database node, every place a PostgreSQL server there may have
     * logged since {@code since}: the files named (the zone's configured server log; a file that is
     * not there is passed over), every file in the distribution's log directory, and the node's whole
     * journal, not only the journal of the unit the zone runs its server under. A server started
     * another way (a boot job, another unit, an operator's {@code pg_ctl} without {@code -l}) logs
     * to its starter's output, and the writes it took while the zone's own server was stopped make
     * it as much a second writer as the zone's own would be. Its exit status is the journal's: a node
     * whose journal cannot be read is said so.
     */
    public static String everywhere(Instant since, String... files) {
        StringBuilder s = new StringBuilder("for f in");
        for (String f : files) {
            s.append(' ').append(io.triad.host.Shell.quote(f));
        }
        return s.append(' ').append(DISTRIBUTION_LOGS).append("; do [ -f \"$f\" ] && tail -n 20000 -- \"$f\"; done; ")
                .append("journalctl -q -o cat --no-pager --since @").append(since.getEpochSecond() - 1).toString();
    }

    /**
     * The lines of {@code text} (a log file's, or a journal's of the server's unit) that open or end
     * a span of writes, at or after {@code since}, as {@code node}'s log lines.
     */
    public static List<History.Log> parse(String node, String text, Instant since) {
        List<History.Log> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = LINE.matcher(line.strip());
            if (!m.find()) {
                continue;
            }
            String message = m.group(5).strip();
            if (changes(message).isEmpty()) {
                continue;
            }
            Instant at = LocalDateTime.parse(m.group(1).replace(' ', 'T')).toInstant(ZoneOffset.UTC);
            if (!at.isBefore(since)) {
                out.add(new History.Log(node, at, SOURCE, message));
            }
        }
        return out;
    }

    /** What one line says of the node's taking writes (nothing, for a line that says nothing of it). */
    public static List<LogClaims.Change> changes(History.Log log) {
        return SOURCE.equals(log.source()) ? changes(log.message()) : List.of();
    }

    static List<LogClaims.Change> changes(String message) {
        if (OPENS.stream().anyMatch(message::startsWith)) {
            return List.of(new LogClaims.Change(WRITABLE, true));
        }
        if (ENDS.stream().anyMatch(message::startsWith)) {
            return List.of(new LogClaims.Change(WRITABLE, false));
        }
        return List.of();
    }
}
