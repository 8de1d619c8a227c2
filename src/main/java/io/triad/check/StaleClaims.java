package io.triad.check;

import io.triad.history.History;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How long a node went on claiming a resource it no longer held: a sampler that records both what
 * a node says of itself ({@code <resource>-claimed}: "I am the leader") and what it can back
 * ({@code <resource>}: a leader that heard a quorum within its lease) makes the gap between the
 * two a figure. A leader cut off from its peers keeps its claim until it steps down; the
 * dual-active checker judges the backed resource, this figure shows how long the stale claim
 * lasted.
 */
public final class StaleClaims {

    private StaleClaims() { }

    /** One run of samples of one node claiming without holding: where, from when, how long, open at the recording's end. */
    public record Run(String node, Instant from, Duration length, boolean toTheEnd) {
        @Override
        public String toString() {
            return length.toMillis() + " ms (" + node + " from " + from + (toTheEnd ? " to the end of the recording" : "") + ")";
        }
    }

    /** The name of the claimed state beside a resource. */
    public static String claimed(String resource) {
        return resource + "-claimed";
    }

    /** The longest run, over every node, of samples that claim {@code resource} without holding it; empty when none does. */
    public static Optional<Run> longest(List<History.Sample> samples, String resource) {
        Map<String, List<History.Sample>> byNode = new LinkedHashMap<>();
        samples.forEach(x -> byNode.computeIfAbsent(x.node(), k -> new ArrayList<>()).add(x));
        Run longest = null;
        for (Map.Entry<String, List<History.Sample>> e : byNode.entrySet()) {
            History.Sample first = null;
            List<History.Sample> own = e.getValue();
            for (History.Sample x : own) {
                boolean stale = x.holds(claimed(resource)) && !x.holds(resource);
                if (stale && first == null) {
                    first = x;
                } else if (!stale && first != null) {
                    longest = longer(longest, new Run(e.getKey(), first.start(), Duration.between(first.start(), x.start()), false));
                    first = null;
                }
            }
            if (first != null) {
                longest = longer(longest, new Run(e.getKey(), first.start(),
                        Duration.between(first.start(), own.get(own.size() - 1).end()), true));
            }
        }
        return Optional.ofNullable(longest);
    }

    private static Run longer(Run a, Run b) {
        return a == null || b.length().compareTo(a.length()) > 0 ? b : a;
    }
}
