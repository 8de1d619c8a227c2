package io.triad.host;

import java.time.Duration;

/**
 * One node of a zone, reached one way for live and simulated zones alike. Every command run
 * through it is kept as evidence.
 */
public interface Host {
    /** The host's name in the environment (alpha, beta, gamma, ...). */
    String name();

    String role();

    String address();

    /** Runs a command with the environment's default timeout. A non-zero exit is a result, not an error. */
    CommandResult exec(String command);

    CommandResult exec(String command, Duration timeout);

    /**
     * Runs a command without keeping it as evidence: for samplers that run hundreds of commands
     * and keep what they saw in their own record instead.
     */
    CommandResult execUnrecorded(String command, Duration timeout);
}
