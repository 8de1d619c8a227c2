package io.triad.host;

import java.time.Duration;

/**
 * A test's host that only runs commands: the tests of the parts that send commands to hosts (reads on
 * every host at once, the simulated zone's holds) implement {@link #execUnrecorded} and the timeout of
 * a plain {@link #exec(String)}; streams and tunnels are not theirs to test.
 */
public interface CommandOnlyHost extends Host {

    /** The timeout of {@link #exec(String)}. */
    Duration timeout();

    @Override
    default String role() {
        return name();
    }

    @Override
    default CommandResult exec(String command) {
        return exec(command, timeout());
    }

    @Override
    default CommandResult exec(String command, Duration timeout) {
        return execUnrecorded(command, timeout);
    }

    @Override
    default Stream stream(String command, java.util.function.Consumer<String> lines) {
        throw new UnsupportedOperationException();
    }

    @Override
    default Tunnel tunnel(String remoteHost, int remotePort) {
        throw new UnsupportedOperationException();
    }

    @Override
    default void reconnect() { }
}
