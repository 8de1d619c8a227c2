package io.triad.host;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The same read on several hosts at once: each host's part runs on its own thread over the host's
 * own SSH session, and what the commands answered is kept as evidence afterwards in the hosts'
 * order (then each host's commands in the order it sent them), so that a report reads the same
 * run after run. The answers come back in the hosts' order; the first failure in that order
 * (a host that cannot be reached, a failed check) is rethrown once every host is done.
 */
public final class OnEach {

    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "on-each");
        t.setDaemon(true);
        return t;
    });

    private OnEach() { }

    public static <T> List<T> read(List<Host> hosts, Duration commandTimeout, Evidence evidence, Function<Host, T> read) {
        List<Recorded> recorded = hosts.stream().map(h -> new Recorded(h, commandTimeout)).toList();
        List<CompletableFuture<T>> parts = recorded.stream().map(r -> CompletableFuture.supplyAsync(() -> read.apply(r), POOL)).toList();
        List<T> answers = new ArrayList<>();
        Throwable first = null;
        for (CompletableFuture<T> part : parts) {
            try {
                answers.add(part.join());
            } catch (CompletionException e) {
                answers.add(null);
                if (first == null) {
                    first = e.getCause() == null ? e : e.getCause();
                }
            }
        }
        recorded.forEach(r -> r.results.forEach(evidence::accept));
        if (first instanceof RuntimeException re) {
            throw re;
        }
        if (first instanceof Error err) {
            throw err;
        }
        return answers;
    }

    /** A host whose commands are kept aside (in order) instead of going to the evidence as they finish. */
    private static final class Recorded implements Host {
        private final Host host;
        private final Duration timeout;
        final List<CommandResult> results = new ArrayList<>();

        Recorded(Host host, Duration timeout) {
            this.host = host;
            this.timeout = timeout;
        }

        @Override
        public String name() {
            return host.name();
        }

        @Override
        public String role() {
            return host.role();
        }

        @Override
        public String address() {
            return host.address();
        }

        @Override
        public String asRoot(String command) {
            return host.asRoot(command);
        }

        @Override
        public CommandResult exec(String command) {
            return exec(command, timeout);
        }

        @Override
        public CommandResult exec(String command, Duration t) {
            CommandResult r = host.execUnrecorded(command, t);
            results.add(r);
            return r;
        }

        @Override
        public CommandResult execUnrecorded(String command, Duration t) {
            return host.execUnrecorded(command, t);
        }

        @Override
        public Stream stream(String command, java.util.function.Consumer<String> lines) {
            return host.stream(command, lines);
        }

        @Override
        public Tunnel tunnel(String remoteHost, int remotePort) {
            return host.tunnel(remoteHost, remotePort);
        }

        @Override
        public void reconnect() {
            host.reconnect();
        }

        @Override
        public String toString() {
            return host.toString();
        }
    }
}
