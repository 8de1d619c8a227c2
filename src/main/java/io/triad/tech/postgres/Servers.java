package io.triad.tech.postgres;

import io.triad.host.CommandResult;
import io.triad.host.Host;

import java.util.ArrayList;
import java.util.List;

/**
 * Every PostgreSQL server running on a host, found by what it is (a postmaster: a process named
 * {@code postgres} whose parent is not one and whose children are), not by the zone's configuration: its data directory
 * (its {@code -D}, else its working directory: reading another user's working directory needs
 * CAP_SYS_PTRACE, which a container's root lacks), the port and socket directory its {@code postmaster.pid}
 * records, and what it says of itself when asked over that socket as postgres: in recovery or not,
 * and its database system identifier. A copy of the zone's database (a restore, a base backup
 * started without {@code standby.signal}) has the same identifier; an unrelated cluster has its
 * own. So "exactly one primary" can be tried on every server of every host: a writable fork
 * anywhere is a second primary of the same database, whatever port or host it runs on.
 */
public final class Servers {

    /** One server: its postmaster's PID, data directory, port, socket directory; its answer (null: it could not be asked, {@code error} says why). */
    public record Server(String host, int pid, String dataDirectory, String port, String socket, Boolean inRecovery, String systemIdentifier,
                         String error) {
        public boolean writable() {
            return Boolean.FALSE.equals(inRecovery);
        }

        @Override
        public String toString() {
            return host + " " + dataDirectory + " (port " + port + ", PID " + pid + "): "
                    + (error != null ? "not asked (" + error + ")" : (inRecovery ? "in recovery" : "accepts writes") + ", system " + systemIdentifier);
        }
    }

    /**
     * Prints "pid|datadir|port|socket|answer" for every postmaster on the host (answer: "f|id" or
     * "t|id", or psql's first error line). A server is a postgres process with postgres children (its
     * checkpointer, writer, ...): a short-lived one (pg_ctlcluster's {@code postgres -C}, initdb's
     * bootstrap) or one gone between pgrep and the look at it is passed over, not reported unaskable.
     */
    static final String SCRIPT = "cd / && " + Db.FIND_PSQL + "for p in $(pgrep -x postgres); do "
            + "pp=$(awk '{print $4}' /proc/$p/stat 2>/dev/null); [ -n \"$pp\" ] || continue; "
            + "[ \"$(cat /proc/$pp/comm 2>/dev/null)\" = postgres ] && continue; pgrep -P $p -x postgres >/dev/null || continue; "
            + "c=$(tr '\\0' ' ' < /proc/$p/cmdline 2>/dev/null); [ -n \"$c\" ] || continue; d=$(printf '%s\\n' \"$c\" | sed -nE 's/.* -D ([^ ]+).*/\\1/p'); "
            + "[ -n \"$d\" ] || d=$(readlink /proc/$p/cwd 2>/dev/null); f=\"$d/postmaster.pid\"; "
            + "if [ ! -r \"$f\" ]; then echo \"$p|$d|||no postmaster.pid\"; continue; fi; "
            + "port=$(sed -n 4p \"$f\"); sock=$(sed -n 5p \"$f\"); "
            + "a=$(runuser -u postgres -- \"$P\" -h \"${sock:-127.0.0.1}\" -p \"$port\" -d postgres -XAtq -F '|' "
            + "-c 'SELECT pg_is_in_recovery(), system_identifier FROM pg_control_system()' 2>&1 | head -n 1); "
            + "echo \"$p|$d|$port|$sock|$a\"; done; true";

    private Servers() { }

    /** Every PostgreSQL server running on {@code h} (none where no postmaster runs). */
    public static List<Server> on(Host h) {
        CommandResult r = h.exec(h.asRoot(SCRIPT));
        r.requireOk();
        return parse(h.name(), r.stdout());
    }

    static List<Server> parse(String host, String out) {
        List<Server> servers = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] f = line.strip().split("\\|", -1);
            if (f.length < 5 || !f[0].matches("\\d+")) {
                continue;
            }
            String answer = String.join("|", java.util.Arrays.copyOfRange(f, 4, f.length));
            Boolean inRecovery = null;
            String id = null;
            String error = null;
            if (f.length == 6 && (f[4].equals("t") || f[4].equals("f")) && f[5].matches("\\d+")) {
                inRecovery = f[4].equals("t");
                id = f[5];
            } else {
                error = answer.isBlank() ? "no answer" : answer;
            }
            servers.add(new Server(host, Integer.parseInt(f[0]), f[1], f[2], f[3], inRecovery, id, error));
        }
        return servers;
    }
}
