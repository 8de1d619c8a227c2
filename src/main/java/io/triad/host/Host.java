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

    /**
     * A command that needs root, as this host runs it: through {@code sudo -n} when the zone logs
     * in as another account with {@code ssh.sudo}, as it is otherwise. Every call site that needs
     * root says so with this; nothing else runs through sudo.
     */
    default String asRoot(String command) {
        return command;
    }

    /** Runs a command with the environment's default timeout. A non-zero exit is a result, not an error. */
    CommandResult exec(String command);

    CommandResult exec(String command, Duration timeout);

    /**
     * Runs a command without keeping it as evidence: for samplers that run hundreds of commands
     * and keep what they saw in their own record instead.
     */
    CommandResult execUnrecorded(String command, Duration timeout);

    /**
     * Runs a long-lived command whose standard output is handed over line by line as it arrives
     * (for recorders that sample on the node itself). Not recorded as evidence. Closing the
     * handle sends end-of-file on the command's input, then closes the channel: a command meant
     * to end with its stream reads its input and stops at its end (sshd does not stop it).
     */
    Stream stream(String command, java.util.function.Consumer<String> lines);

    /** A local TCP port forwarded through the host's SSH session to {@code remoteHost:remotePort} as the host sees it. */
    Tunnel tunnel(String remoteHost, int remotePort);

    /** Drops the cached session, so the next command connects anew (after the host was restarted). */
    void reconnect();

    /** A running streamed command. */
    interface Stream extends AutoCloseable {
        boolean isOpen();

        @Override
        void close();
    }

    /** A forwarded port on 127.0.0.1. */
    interface Tunnel extends AutoCloseable {
        int localPort();

        @Override
        void close();
    }
}
