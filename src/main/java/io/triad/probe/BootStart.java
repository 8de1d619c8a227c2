package io.triad.probe;

import io.triad.host.Shell;

import java.util.List;
import java.util.Optional;

/**
 * "Enabled: it comes back by itself after a reboot", read from systemd as the next boot will act on
 * it, not from {@code systemctl is-enabled}'s exit code alone: the unit must be enabled for good
 * ({@code enabled}; {@code enabled-runtime} is gone at the next boot, and is-enabled exits 0 on it
 * all the same), and the target the node boots into must pull it in (a unit enabled into a target
 * the node never reaches, its {@code [Install]} naming another one, says {@code enabled} and does
 * not start at boot).
 */
public final class BootStart {
    private BootStart() { }

    /** Prints is-enabled's word, "--", the default target, "--", and that target's dependencies, one a line. */
    public static String command(String unit) {
        return "u=" + Shell.quote(unit) + "; systemctl is-enabled \"$u\" 2>&1; echo '--'; t=$(systemctl get-default); echo \"$t\"; echo '--'; "
                + "systemctl list-dependencies --plain --no-pager \"$t\" 2>&1";
    }

    /** Why {@code unit} does not start at the host's next boot, from {@link #command}'s output; empty when it does. */
    public static Optional<String> problem(String host, String unit, String output) {
        String[] parts = output.split("(?m)^--$", 3);
        if (parts.length < 3) {
            return Optional.of(unit + " on " + host + ": systemd's answer could not be read (" + output.strip().replace('\n', ' ') + ")");
        }
        String enablement = parts[0].strip();
        String target = parts[1].strip();
        List<String> pulledIn = parts[2].lines().map(String::strip).toList();
        if (!enablement.equals("enabled")) {
            String why = switch (enablement) {
                case "enabled-runtime" -> "enabled for this boot only (/run/systemd): not after a reboot";
                case "disabled" -> "disabled: nothing starts it after a reboot";
                case "masked", "masked-runtime" -> "masked: it cannot be started at all";
                case "static", "indirect", "generated", "transient", "alias", "linked", "linked-runtime" ->
                        enablement + ": not enabled itself, whatever else may start it";
                default -> enablement.isEmpty() ? "unknown to systemctl" : enablement;
            };
            return Optional.of(unit + " on " + host + " is " + why);
        }
        if (!pulledIn.contains(unit)) {
            return Optional.of(unit + " on " + host + " is enabled, but " + target + ", the target the host boots into, does not pull it in"
                    + " (its [Install] names a target the boot never reaches): it does not start after a reboot");
        }
        return Optional.empty();
    }
}
