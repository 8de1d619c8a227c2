package io.triad.zone;

import io.triad.host.CommandResult;
import io.triad.host.Host;

import java.util.ArrayList;
import java.util.List;

/**
 * What the harness may have left on a host (its dead-man timers, its nftables tables) and how to
 * undo it: every dead-man unit carries the undo of its fault, so healing runs each one's undo now
 * and disarms its timer; a table left without a timer is deleted. Used by {@code triad heal}.
 */
public final class Leftovers {

    private Leftovers() { }

    /** The dead-man timers of the harness armed on a host (unit names without ".timer"). */
    public static List<String> timers(Host h) {
        CommandResult r = h.exec("systemctl list-units --all --no-legend --plain --type=timer '" + Nemesis.DEAD_MAN_UNITS
                + "*' | awk '{print $1}'").requireOk();
        return r.stdout().lines().map(String::strip).filter(l -> l.endsWith(".timer"))
                .map(l -> l.substring(0, l.length() - ".timer".length())).toList();
    }

    /** The harness's nftables tables on a host, as "family name". */
    public static List<String> tables(Host h) {
        CommandResult r = h.exec("nft list tables 2>/dev/null | awk '$3 ~ /^" + Nemesis.FAULT_TABLES + "/ {print $2\" \"$3}'; true").requireOk();
        return r.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /** Whether any fault table or dead-man timer of the harness is left on a host (for tests of the heal). */
    public static String any(Host h) {
        CommandResult r = h.exec("nft list tables | grep " + Nemesis.FAULT_TABLES + "; systemctl list-units --all --no-legend '"
                + Nemesis.DEAD_MAN_UNITS + "*' | grep -v inactive; true");
        return r.stdout().strip();
    }

    /** Heals what the harness left on a host; returns what was done, one line each (empty: nothing was left). */
    public static List<String> heal(Host h) {
        List<String> done = new ArrayList<>();
        for (String unit : timers(h)) {
            CommandResult what = h.exec("systemctl show -p ExecStart --value " + unit + ".service | tr -d '\\n'");
            CommandResult r = h.exec("systemctl start " + unit + ".service && systemctl stop " + unit + ".timer");
            done.add(unit + ": " + (r.exitCode() == 0 ? "undo run, timer disarmed" : "undo FAILED: " + r.stderr().strip())
                    + undoOf(what.stdout()));
        }
        for (String table : tables(h)) {
            CommandResult r = h.exec("nft delete table " + table);
            done.add("nftables table " + table + ": " + (r.exitCode() == 0 ? "deleted" : "delete FAILED: " + r.stderr().strip()));
        }
        return done;
    }

    private static String undoOf(String execStart) {
        int argv = execStart.indexOf("argv[]=");
        if (argv < 0) {
            return "";
        }
        String cmd = execStart.substring(argv + 7);
        int end = cmd.indexOf(" ;");
        return " (" + (end < 0 ? cmd : cmd.substring(0, end)).strip() + ")";
    }
}
