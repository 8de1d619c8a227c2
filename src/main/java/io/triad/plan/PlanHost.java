package io.triad.plan;

import io.triad.host.CommandResult;
import io.triad.host.Host;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * A host of a dry run: every command is written into the plan and none is run; each "succeeds"
 * with no output. No connection is ever made.
 */
public final class PlanHost implements Host {

    private final String name;
    private final String role;
    private final String address;
    private final Plan plan;
    private final boolean sudo;

    public PlanHost(String name, String role, String address, Plan plan, boolean sudo) {
        this.name = name;
        this.role = role;
        this.address = address;
        this.plan = plan;
        this.sudo = sudo;
    }

    @Override
    public String asRoot(String command) {
        return sudo ? io.triad.host.Sudo.wrap(command) : command;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String role() {
        return role;
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public CommandResult exec(String command) {
        return exec(command, Duration.ZERO);
    }

    @Override
    public CommandResult exec(String command, Duration timeout) {
        plan.command(name, command);
        return new CommandResult(name, command, "", "", 0, Instant.now(), Duration.ZERO, false);
    }

    @Override
    public CommandResult execUnrecorded(String command, Duration timeout) {
        return exec(command, timeout);
    }

    @Override
    public Stream stream(String command, Consumer<String> lines) {
        plan.command(name, command);
        return new Stream() {
            @Override
            public boolean isOpen() {
                return false;
            }

            @Override
            public void close() {
                // nothing was opened
            }
        };
    }

    @Override
    public Tunnel tunnel(String remoteHost, int remotePort) {
        plan.note("(an SSH port forward through " + name + " to " + remoteHost + ":" + remotePort + ")");
        return new Tunnel() {
            @Override
            public int localPort() {
                return 0;
            }

            @Override
            public void close() {
                // nothing was opened
            }
        };
    }

    @Override
    public void reconnect() {
        // no session to drop
    }

    @Override
    public String toString() {
        return name;
    }
}
