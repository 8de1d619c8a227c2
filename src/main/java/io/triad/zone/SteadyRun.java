package io.triad.zone;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Looks at the steady state in time order, and the run of good looks they end with: a look that
 * finds a problem starts the run over. "Held" means the run began at least a hold before the end
 * of the period looked at, and the last look was good.
 */
final class SteadyRun {

    private Instant since;
    private String lastProblems = "";

    /** One look, at {@code at}: the problems it found (none: steady). */
    void look(Instant at, List<String> problems) {
        if (problems.isEmpty()) {
            since = since == null ? at : since;
        } else {
            since = null;
            lastProblems = String.join("; ", problems);
        }
    }

    /** The start of the run of good looks when it has lasted {@code hold} by {@code end}. */
    Optional<Instant> heldBy(Instant end, Duration hold) {
        return since != null && Duration.between(since, end).compareTo(hold) >= 0 ? Optional.of(since) : Optional.empty();
    }

    /** What the last look that was not steady found ("" when every look was steady). */
    String lastProblems() {
        return lastProblems;
    }

    /** A look that never came: the run cannot be said to have held. */
    void missed(String why) {
        since = null;
        lastProblems = why;
    }
}
