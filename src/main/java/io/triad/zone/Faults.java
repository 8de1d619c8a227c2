package io.triad.zone;

import io.triad.history.History;
import io.triad.host.Evidence;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Faults currently applied to the zone, each with its undo. Healed in reverse order after every
 * scenario (also when a step failed) and when the zone is closed. While a drill records a
 * history, each fault's start and the start of its undo are written into it.
 */
public final class Faults {

    /**
     * What a fault takes down, for the guard rails: per guard rail's group (the profile's
     * {@link io.triad.env.FaultCatalogue.GuardRail#group}), the hosts out of it.
     */
    public record Impact(java.util.Map<String, java.util.Set<String>> down) {
        public static final Impact NONE = new Impact(java.util.Map.of());

        public Impact {
            down = java.util.Map.copyOf(down);
        }

        public java.util.Set<String> down(String group) {
            return down.getOrDefault(group, java.util.Set.of());
        }
    }

    /** An applied fault and how to undo it; {@code index} is its entry in the history being recorded, or -1. */
    public record Applied(String name, String target, Instant since, Runnable undo, History history, int index, Impact impact) {
        public String description() {
            return name + " on " + target;
        }

        /**
         * A fault on the zone's hosts or services, as opposed to something the harness set up
         * beside them and removes after the scenario (a scratch server, a check file): only the
         * former's heal leaves the zone to settle.
         */
        public boolean disturbs() {
            return impact != Impact.NONE || !target.equals(SET_UP);
        }
    }

    /** The target of what the harness set up beside the zone's services ({@link #applied(String, Runnable)}). */
    static final String SET_UP = "zone";

    private final Deque<Applied> applied = new ArrayDeque<>();
    private volatile History recording;

    /** Faults applied from now on are recorded in this history (null: none). */
    public void recordInto(History history) {
        this.recording = history;
    }

    /** Registers a fault that has just been applied, at {@code since}, with its undo and what it takes down. */
    public synchronized void applied(String name, String target, Instant since, Impact impact, Runnable undo) {
        History h = recording;
        int index = h == null ? -1 : h.faultStarted(name, target, since);
        applied.push(new Applied(name, target, since, undo, h, index, impact));
    }

    /** Something the harness set up and must remove after the scenario (not a fault on the zone's service). */
    public void applied(String description, Runnable undo) {
        applied(description, SET_UP, Instant.now(), Impact.NONE, undo);
    }

    /** The faults in place, oldest first. */
    public synchronized List<Applied> inPlace() {
        List<Applied> out = new java.util.ArrayList<>(applied);
        java.util.Collections.reverse(out);
        return out;
    }

    public synchronized boolean isEmpty() {
        return applied.isEmpty();
    }

    /** The most recently applied fault still in place. */
    public synchronized java.util.Optional<Applied> latest() {
        return java.util.Optional.ofNullable(applied.peek());
    }

    /** Undoes the applied faults of that name on that target (the rest stay); false when there was none. */
    public synchronized boolean heal(String name, String target, Evidence evidence) {
        List<Applied> matching = applied.stream().filter(a -> a.name().equals(name) && a.target().equals(target)).toList();
        for (Applied fault : matching) {
            applied.remove(fault);
            undo(fault, evidence);
        }
        return !matching.isEmpty();
    }

    private volatile Instant lastHealed = Instant.EPOCH;

    /** When a fault was last undone (the epoch when none was): a zone settles for a while after a heal. */
    public Instant lastHealed() {
        return lastHealed;
    }

    private void undo(Applied fault, Evidence evidence) {
        Instant healing = Instant.now();
        if (evidence.plan().isPresent()) {
            evidence.plan().get().heal(fault.description());
        }
        if (fault.history() != null) {
            fault.history().healed(fault.index(), healing);
        }
        try {
            fault.undo().run();
        } finally {
            if (fault.disturbs()) {
                lastHealed = Instant.now();
            }
        }
        evidence.note((fault.disturbs() ? "healed: " : "removed: ") + fault.description(), (fault.disturbs() ? "fault applied at " : "set up at ") + fault.since() + ", undo began at "
                + healing + ", healed at " + Instant.now());
    }

    /** Undoes every applied fault, newest first; an undo that fails is reported and the rest still run. */
    public synchronized void healAll(Evidence evidence) {
        RuntimeException first = null;
        while (!applied.isEmpty()) {
            Applied fault = applied.pop();
            try {
                undo(fault, evidence);
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
