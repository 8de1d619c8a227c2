package io.triad.steps.common;

import io.cucumber.picocontainer.CucumberPicoProvider;
import io.triad.run.Run;

/**
 * Gives the step definitions the run they are part of: PicoContainer calls {@link #provide} for
 * every step class whose constructor takes a {@link Run} ({@link Support} and {@link Hooks}), once
 * per scenario, and the run is the one {@code io.triad.run.CucumberRun} is launching.
 */
@CucumberPicoProvider
public final class RunProvider implements org.picocontainer.injectors.Provider {

    public Run provide() {
        return Run.current();
    }
}
