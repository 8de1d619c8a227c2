package io.triad.zone;

import io.triad.host.Evidence;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Faults currently applied to the zone, each with its undo. Healed in reverse order after every
 * scenario (also when a step failed) and when the zone is closed.
 */
public final class Faults {

    /** An applied fault and how to undo it. */
    public record Applied(String description, Instant since, Runnable undo) { }

    private final Deque<Applied> applied = new ArrayDeque<>();

    public synchronized void applied(String description, Runnable undo) {
        applied.push(new Applied(description, Instant.now(), undo));
    }

    public synchronized boolean isEmpty() {
        return applied.isEmpty();
    }

    /** Undoes every applied fault, newest first; an undo that fails is reported and the rest still run. */
    public synchronized void healAll(Evidence evidence) {
        RuntimeException first = null;
        while (!applied.isEmpty()) {
            Applied fault = applied.pop();
            try {
                fault.undo().run();
                evidence.note("healed: " + fault.description(), "fault applied at " + fault.since() + ", healed at " + Instant.now());
            } catch (RuntimeException e) {
                evidence.note("heal FAILED: " + fault.description(), String.valueOf(e.getMessage()));
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
