package io.triad.zone;

import io.triad.host.CommandResult;
import io.triad.host.Host;

import java.util.ArrayList;
import java.util.List;

/**
 * What the harness may have left on a host (its dead-man switches, its nftables tables) and how to
 * undo it: every dead-man service carries the undo of its fault in its environment, so healing
 * runs each one's undo now and disarms it; a table left without a dead-man is deleted. Used by
 * {@code triad heal}.
 */
public final class Leftovers {

    private Leftovers() { }

    /**
     * The dead-man switches of the harness on a host (unit names without ".service"): armed ones
     * (running) and fired ones whose undo failed (failed). One that fired and undid its fault is
     * gone.
     */
    public static List<String> deadMen(Host h) {
        CommandResult r = h.exec("systemctl list-units --all --no-legend --plain --type=service '" + Nemesis.DEAD_MAN_UNITS
                + "*' | awk '$2 == \"loaded\" {print $1}'").requireOk();
        return r.stdout().lines().map(String::strip).filter(l -> l.endsWith(".service"))
                .map(l -> l.substring(0, l.length() - ".service".length())).toList();
    }

    /** The harness's nftables tables on a host, as "family name". */
    public static List<String> tables(Host h) {
        CommandResult r = h.exec(h.asRoot("nft list tables 2>/dev/null | awk '$3 ~ /^" + Nemesis.FAULT_TABLES
                + "/ {print $2\" \"$3}'; true")).requireOk();
        return r.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /** Whether any fault table or dead-man switch of the harness is left on a host (for tests of the heal). */
    public static String any(Host h) {
        CommandResult r = h.exec(h.asRoot("nft list tables | grep " + Nemesis.FAULT_TABLES + "; systemctl list-units --all"
                + " --no-legend '" + Nemesis.DEAD_MAN_UNITS + "*' | grep -v inactive; true"));
        return r.stdout().strip();
    }

    /** Heals what the harness left on a host; returns what was done, one line each (empty: nothing was left). */
    public static List<String> heal(Host h) {
        List<String> done = new ArrayList<>();
        for (String unit : deadMen(h)) {
            CommandResult r = h.exec(h.asRoot(healScript(unit + ".service")));
            String undo = r.stdout().lines().findFirst().orElse("").strip();
            String what = undo.isEmpty() ? "" : " (" + undo + ")";
            done.add(unit + ": " + (r.exitCode() == 0 ? "undo run, dead-man disarmed" : "undo FAILED: " + (r.stderr().isBlank()
                    ? "exit " + r.exitCode() : r.stderr().strip())) + what);
        }
        for (String table : tables(h)) {
            CommandResult r = h.exec(h.asRoot("nft delete table " + table));
            done.add("nftables table " + table + ": " + (r.exitCode() == 0 ? "deleted" : "delete FAILED: " + r.stderr().strip()));
        }
        return done;
    }

    /**
     * One dead-man, healed now: a fired one whose undo failed is started again (armed anew, so it
     * still fires if this heal is cut short), its undo read exactly from its process environment and
     * printed, run, and only when it succeeded the dead-man is stopped.
     */
    static String healScript(String unit) {
        String var = Nemesis.DeadMan.UNDO_VARIABLE;
        return "u=" + unit + "; systemctl is-active --quiet $u || systemctl start $u || exit 90;"
                + " pid=$(systemctl show -p MainPID --value $u);"
                + " undo=$(tr '\\0' '\\n' < /proc/$pid/environ 2>/dev/null | sed -n 's/^" + var + "=//p');"
                + " [ -n \"$undo\" ] || { echo \"no " + var + " in the environment of $u (main PID $pid)\" >&2; exit 91; };"
                + " printf '%s\\n' \"$undo\"; /bin/sh -c \"$undo\" && systemctl stop $u";
    }
}
