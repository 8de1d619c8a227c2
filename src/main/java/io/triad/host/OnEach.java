package io.triad.host;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The same read on several hosts at once: each host's part runs on its own thread over the host's
 * own SSH session, with the host itself (no stand-in: a read may compare it, key a map with it),
 * and what it kept as evidence (its commands, its notes) is kept aside and added afterwards in the
 * hosts' order (then each host's in the order it sent them), so that a report reads the same run
 * after run. The answers come back in the hosts' order; the first failure in that order
 * (a host that cannot be reached, a failed check) is rethrown once every host is done.
 */
public final class OnEach {

    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "on-each");
        t.setDaemon(true);
        return t;
    });

    private OnEach() { }

    public static <T> List<T> read(List<Host> hosts, Evidence evidence, Function<Host, T> read) {
        List<List<Evidence.Item>> kept = hosts.stream().map(h -> (List<Evidence.Item>) new ArrayList<Evidence.Item>()).toList();
        List<CompletableFuture<T>> parts = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            Host h = hosts.get(i);
            List<Evidence.Item> mine = kept.get(i);
            parts.add(CompletableFuture.supplyAsync(() -> evidence.aside(mine, () -> read.apply(h)), POOL));
        }
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
        kept.forEach(evidence::addAll);
        if (first instanceof RuntimeException re) {
            throw re;
        }
        if (first instanceof Error err) {
            throw err;
        }
        return answers;
    }
}
