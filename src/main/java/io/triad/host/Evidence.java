package io.triad.host;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The evidence of the current scenario (secret material redacted before it is kept): every command run on every host, in order, and other
 * observations (HTTP answers, measured figures). Thread-safe; drained by the scenario hooks.
 */
public final class Evidence implements Consumer<CommandResult> {

    /** One piece of evidence: a command's transcript or a note (a probe's answer, a figure). */
    public record Item(String title, String body, CommandResult command) { }

    private final List<Item> items = new ArrayList<>();

    /** The plan of a dry run this evidence belongs to (null when the harness runs for real). */
    private volatile io.triad.plan.Plan plan;

    /** This evidence is a dry run's: what would be done goes into {@code plan} ({@link io.triad.zone.Zone#plan}). */
    public void planning(io.triad.plan.Plan plan) {
        this.plan = plan;
    }

    /** The plan of the dry run this evidence belongs to; empty when the harness runs for real. */
    public java.util.Optional<io.triad.plan.Plan> plan() {
        return java.util.Optional.ofNullable(plan);
    }

    /**
     * Where this thread's evidence goes instead, while it does its part of a read on several
     * hosts at once ({@link OnEach}): kept aside, then added in the hosts' order.
     */
    private final ThreadLocal<List<Item>> aside = new ThreadLocal<>();

    @Override
    public void accept(CommandResult result) {
        CommandResult safe = Redactor.redact(result);
        add(new Item(safe.describe(), safe.transcript(), safe));
    }

    /** A note; like every command's output, redacted ({@link Redactor}) before it is kept. */
    public void note(String title, String body) {
        add(new Item(Redactor.redact(title), Redactor.redact(body), null));
    }

    private void add(Item item) {
        List<Item> mine = aside.get();
        if (mine != null) {
            mine.add(item);
            return;
        }
        synchronized (this) {
            items.add(item);
        }
    }

    /** Runs {@code body} with this thread's evidence kept aside into {@code into} (in its order). */
    <T> T aside(List<Item> into, java.util.function.Supplier<T> body) {
        Evidence before = BOUND.get();
        aside.set(into);
        BOUND.set(this); // what the thread gathers goes here, also when its caller's evidence is a scenario's own
        try {
            return body.get();
        } finally {
            aside.remove();
            if (before == null) {
                BOUND.remove();
            } else {
                BOUND.set(before);
            }
        }
    }

    /** The evidence of the scenario this thread runs, when it has its own (it runs beside others). */
    private static final ThreadLocal<Evidence> BOUND = new ThreadLocal<>();

    /** This thread's own evidence if it has one ({@link #bind}), else {@code shared}. */
    public static Evidence boundOr(Evidence shared) {
        Evidence mine = BOUND.get();
        return mine != null ? mine : shared;
    }

    /** From now on what this thread gathers goes into a fresh evidence of its own (a scenario run beside others). */
    public static Evidence bind() {
        Evidence mine = new Evidence();
        BOUND.set(mine);
        return mine;
    }

    /** This thread's evidence is the shared one again. */
    public static void unbind() {
        BOUND.remove();
    }

    /** Adds what was kept aside, in order. */
    synchronized void addAll(List<Item> kept) {
        items.addAll(kept);
    }

    /** A measured figure (a name and its value with unit), kept as a note titled "figure: name". */
    public void figure(String name, String value) {
        note(FIGURE + name, value);
    }

    public static final String FIGURE = "figure: ";

    /** A position in the evidence, to drop what a superseded polling attempt gathered. */
    public synchronized int mark() {
        List<Item> mine = aside.get();
        return mine != null ? mine.size() : items.size();
    }

    public synchronized void rollback(int mark) {
        List<Item> mine = aside.get();
        List<Item> list = mine != null ? mine : items;
        while (list.size() > mark) {
            list.remove(list.size() - 1);
        }
    }

    /** Returns what was gathered since the last call and starts afresh. */
    public synchronized List<Item> drain() {
        List<Item> out = List.copyOf(items);
        items.clear();
        return out;
    }
}
