package io.triad.host;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** One command run on one host, kept as evidence: what ran, where, when, for how long, and what it said. */
public record CommandResult(String host, String command, String stdout, String stderr, int exitCode,
                            Instant startedAt, Duration duration, boolean timedOut) {

    public boolean ok() {
        return exitCode == 0 && !timedOut;
    }

    /** Raises a check failure naming the host and command when the command did not succeed. */
    public CommandResult requireOk() {
        if (!ok()) {
            throw new CommandFailed(this);
        }
        return this;
    }

    public String describe() {
        return host + "$ " + command + " -> " + (timedOut ? "timed out" : "exit " + exitCode) + " in " + duration.toMillis() + " ms";
    }

    /** The transcript form used in reports. */
    public String transcript() {
        StringBuilder out = new StringBuilder();
        out.append("# ").append(startedAt).append(" on ").append(host).append(" (")
                .append(timedOut ? "timed out" : "exit " + exitCode).append(", ").append(duration.toMillis()).append(" ms)\n");
        out.append("$ ").append(command).append('\n');
        out.append(stdout);
        if (!stdout.isEmpty() && !stdout.endsWith("\n")) {
            out.append('\n');
        }
        if (!stderr.isEmpty()) {
            out.append("[stderr]\n").append(stderr);
            if (!stderr.endsWith("\n")) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** A command that had to succeed and did not. */
    public static final class CommandFailed extends AssertionError {
        private final CommandResult result;

        public CommandFailed(CommandResult result) {
            super(Redactor.redact(message(result)));
            this.result = result;
        }

        /**
         * One line first that says what went wrong (host, the command's first line, exit, the last
         * lines it wrote), so a summary that shows only a message's first line still shows the cause;
         * the whole command after it.
         */
        static String message(CommandResult r) {
            String said = r.stderr().isBlank() ? r.stdout() : r.stderr();
            List<String> lines = said.strip().lines().filter(l -> !l.isBlank()).toList();
            String tail = String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
            String command = r.command().strip();
            String head = command.lines().findFirst().orElse("");
            boolean shortened = head.length() > 100 || !head.equals(command);
            head = head.length() > 100 ? head.substring(0, 100) : head;
            return r.host() + ": '" + head + (shortened ? "…" : "") + "' " + (r.timedOut() ? "timed out" : "exited " + r.exitCode())
                    + (tail.isEmpty() ? "" : ": " + tail)
                    + (shortened ? "\n  the whole command: " + command : "");
        }

        public CommandResult result() {
            return result;
        }
    }
}
