package io.triad.zone;

import io.triad.history.History;

import java.time.Instant;

/**
 * A drill's history being recorded in the background: the BSFG triad's {@link Recorder}, or a
 * profile's own client and samplers. The zone holds one at a time; the common hooks stop it after
 * the scenario, keep its history and draw its timeline, whatever the profile.
 */
public interface Recording {

    History history();

    /** Stops the background work (again: nothing); the history keeps everything recorded so far. */
    History stop();

    Instant started();

    /** Adds the nodes' own log lines of the recording's time to its history, where the recording reads them. */
    default void readNodeLogs() { }
}
