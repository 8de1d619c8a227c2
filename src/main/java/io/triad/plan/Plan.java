package io.triad.plan;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The plan of a dry run, printed as it is made: scenario by scenario and step by step, every
 * command each host would run, every request the harness itself would send, every fault with its
 * dead-man switch and its heal, the waits and the guard rails. Made by running the step
 * definitions against hosts that run nothing ({@link PlanHost}); while it is made, checks do not
 * fail and waits do not wait.
 */
public final class Plan {

    /** One command a host (or the harness: "harness") would run, in the order of the plan. */
    public record Command(String host, String command, String scenario) { }

    private final PrintStream out;
    private final List<Command> commands = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();
    private String scenario = "";
    private String lastPoll;

    public Plan(PrintStream out) {
        this.out = out;
    }

    private synchronized void line(String text) {
        lines.add(text);
        out.println(text);
    }

    synchronized void scenario(String name, String location, List<String> tags) {
        scenario = name;
        line("");
        line("SCENARIO " + name + "  (" + location + ")");
        line("  tags: " + String.join(" ", tags));
    }

    synchronized void step(String text) {
        lastPoll = null;
        line("  STEP " + text);
    }

    /** A command run on a host over SSH. */
    public synchronized void command(String host, String command) {
        commands.add(new Command(host, command, scenario));
        line("      " + host + "$ " + command);
    }

    /** A request the harness itself sends (HTTPS or NATS to the VIP). */
    public synchronized void request(String what) {
        commands.add(new Command("harness", what, scenario));
        line("      harness: " + what);
    }

    public synchronized void note(String text) {
        line("    " + text);
    }

    /** A wait: the commands that follow are repeated every 200 ms until the condition holds or the deadline passes. */
    public synchronized void poll(String what, Duration deadline) {
        String text = "repeat every 200 ms, for up to " + deadline.toSeconds() + " s, until: " + what;
        if (!text.equals(lastPoll)) {
            note(text);
            lastPoll = text;
        }
    }

    public synchronized void fault(String description, String deadMan) {
        line("    FAULT " + description + (deadMan == null ? "" : "  [dead-man switch: " + deadMan + "]"));
    }

    public synchronized void heal(String description) {
        line("    HEAL " + description);
    }

    public synchronized List<Command> commands() {
        return List.copyOf(commands);
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
