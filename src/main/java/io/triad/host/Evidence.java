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
        aside.set(into);
        try {
            return body.get();
        } finally {
            aside.remove();
        }
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
