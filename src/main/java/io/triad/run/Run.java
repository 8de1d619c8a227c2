package io.triad.run;

import io.triad.runbook.Ledger;
import io.triad.zone.Zone;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One run of the features against a zone: the zone, what the run has proven item by item (its
 * {@link Ledger}, with the halt in force), its run directory (the drills' histories and timelines
 * go there; none in a dry run) and when each scenario may start and end ({@link Turns}). Made by
 * {@link CucumberRun} for each launch and handed to the step definitions by constructor injection
 * (Cucumber's PicoContainer, {@code io.triad.steps.common.RunProvider}), so that nothing of a run
 * is kept in a static field: two runs in one JVM (two zones, two profiles) keep apart.
 *
 * <p>The one handover Cucumber leaves no other way for: its plugins and its object factory are
 * made by class name, on the thread that launches the run. {@link #bind} makes this run the one
 * that thread (and the threads it starts for parallel scenarios) launches; {@link #current} is read
 * by the provider and the plugins when Cucumber makes them, and nowhere else.
 */
public final class Run {

    private static final InheritableThreadLocal<Run> LAUNCHING = new InheritableThreadLocal<>();

    private final Zone zone;
    private final Ledger ledger;
    private final Path runDirectory;
    private final Turns turns;

    public Run(Zone zone, Ledger ledger, Path runDirectory, Turns turns) {
        this.zone = java.util.Objects.requireNonNull(zone, "zone");
        this.ledger = java.util.Objects.requireNonNull(ledger, "ledger");
        this.runDirectory = runDirectory;
        this.turns = java.util.Objects.requireNonNull(turns, "turns");
    }

    public Zone zone() {
        return zone;
    }

    /** What this run has proven, item by item, and the halt in force. */
    public Ledger ledger() {
        return ledger;
    }

    /** The run directory (the drills' histories and timelines go there); none in a dry run. */
    public Optional<Path> runDirectory() {
        return Optional.ofNullable(runDirectory);
    }

    /** When each scenario of this run may start and end. */
    public Turns turns() {
        return turns;
    }

    /** While the returned binding is open, the run the current thread launches (see the class comment). */
    Binding bind() {
        Run before = LAUNCHING.get();
        LAUNCHING.set(this);
        return () -> {
            if (before == null) {
                LAUNCHING.remove();
            } else {
                LAUNCHING.set(before);
            }
        };
    }

    /** A {@link #bind}ing, closed when the launch ends. */
    interface Binding extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * The run being launched on this thread, for what Cucumber makes by class name (the provider of
     * the step definitions' run, the plugins); a clear error outside a launch.
     */
    public static Run current() {
        Run r = LAUNCHING.get();
        if (r == null) {
            throw new IllegalStateException("no run is being launched on this thread: the step definitions and the harness's plugins"
                    + " run only inside io.triad.run.CucumberRun");
        }
        return r;
    }
}
