package io.triad.probe;

import io.triad.host.Shell;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TCP connection attempts from one host to many address:port targets at once, in one command
 * (bash's {@code /dev/tcp}, each attempt in the background with its own timeout), and what each
 * attempt met: a listener ({@link State#OPEN}), a reset ({@link State#REFUSED}: the firewall let
 * the SYN through and nothing listens), silence until the timeout ({@link State#FILTERED}: a drop),
 * or an ICMP error ({@link State#UNREACHABLE}: a reject). Open and refused both mean the port
 * answers from there: the firewall does not stop it.
 */
public final class TcpProbes {

    public enum State {
        OPEN, REFUSED, FILTERED, UNREACHABLE, ERROR;

        public boolean answers() {
            return this == OPEN || this == REFUSED;
        }

        @Override
        public String toString() {
            return name().toLowerCase();
        }
    }

    private TcpProbes() { }

    /** The command that tries every target ("address:port") at once, waiting at most {@code timeoutSeconds} for each. */
    public static String command(List<String> targets, int timeoutSeconds) {
        String script = "for t in \"$@\"; do (r=$(timeout " + timeoutSeconds + " bash -c 'exec 3<>\"/dev/tcp/${0%:*}/${0##*:}\"' \"$t\" 2>&1);"
                + " c=$?; echo \"probe $t $c ${r//$'\\n'/ }\") & done; wait";
        StringBuilder cmd = new StringBuilder("bash -c ").append(Shell.quote(script)).append(" probe");
        targets.forEach(t -> cmd.append(' ').append(Shell.quote(t)));
        return cmd.toString();
    }

    /** Each target's state from the command's output ("probe address:port exit-code message"), in the targets' order. */
    public static Map<String, State> parse(List<String> targets, String output) {
        Map<String, State> found = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            String[] parts = line.strip().split(" ", 4);
            if (parts.length < 3 || !parts[0].equals("probe")) {
                continue;
            }
            String message = parts.length > 3 ? parts[3].toLowerCase() : "";
            State state = switch (parts[2]) {
                case "0" -> State.OPEN;
                case "124" -> State.FILTERED;
                default -> message.contains("refused") ? State.REFUSED
                        : message.contains("no route") || message.contains("unreachable") ? State.UNREACHABLE : State.ERROR;
            };
            found.put(parts[1], state);
        }
        Map<String, State> ordered = new LinkedHashMap<>();
        targets.forEach(t -> ordered.put(t, found.getOrDefault(t, State.ERROR)));
        return ordered;
    }
}
