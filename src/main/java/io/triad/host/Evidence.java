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

    @Override
    public synchronized void accept(CommandResult result) {
        CommandResult safe = Redactor.redact(result);
        items.add(new Item(safe.describe(), safe.transcript(), safe));
    }

    /** A note; like every command's output, redacted ({@link Redactor}) before it is kept. */
    public synchronized void note(String title, String body) {
        items.add(new Item(Redactor.redact(title), Redactor.redact(body), null));
    }

    /** A measured figure (a name and its value with unit), kept as a note titled "figure: name". */
    public void figure(String name, String value) {
        note(FIGURE + name, value);
    }

    public static final String FIGURE = "figure: ";

    /** A position in the evidence, to drop what a superseded polling attempt gathered. */
    public synchronized int mark() {
        return items.size();
    }

    public synchronized void rollback(int mark) {
        while (items.size() > mark) {
            items.remove(items.size() - 1);
        }
    }

    /** Returns what was gathered since the last call and starts afresh. */
    public synchronized List<Item> drain() {
        List<Item> out = List.copyOf(items);
        items.clear();
        return out;
    }
}
