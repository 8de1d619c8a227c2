package io.triad.steps.common;

import io.triad.check.LogClaims;
import io.triad.history.History;

import java.util.List;
import java.util.function.Supplier;

/**
 * What a scenario's drill recorded about the resources only one node may hold at a time (the
 * profile's {@link io.triad.env.Profile#exclusive()}): the samples of who held what, and where a
 * profile reads them, the nodes' own log claims. One per scenario, shared by picocontainer between
 * the profile's drill steps (which record the history and say how to read it) and the shared
 * sentence that judges it ({@link DrillVocabularySteps}): the profile says what it recorded, the
 * judgement is the same for every profile.
 */
public final class Exclusive {

    /** The history's samples, and the log claims (null: the profile reads no logs). */
    public record Evidence(List<History.Sample> samples, List<LogClaims.Claim> claims) { }

    private Supplier<Evidence> recorded;
    private String by;

    /**
     * {@code evidence}: how the drill's history is read once the drill is over (stopping its
     * sampler first); {@code by}: which steps recorded it. A scenario has one drill history: a
     * second, different recorder is a mistake in the glue, refused.
     */
    public void recordedBy(String by, Supplier<Evidence> evidence) {
        if (recorded != null && !by.equals(this.by)) {
            throw new IllegalStateException("two drill histories in one scenario: " + this.by + " and " + by);
        }
        this.recorded = evidence;
        this.by = by;
    }

    /** The recorded evidence; a failure naming the missing history when no step of this scenario recorded one. */
    Evidence evidence() {
        if (recorded == null) {
            throw new AssertionError("no drill history was recorded in this scenario: a step that starts the profile's"
                    + " client or sampler must come before the history is judged");
        }
        return recorded.get();
    }
}
