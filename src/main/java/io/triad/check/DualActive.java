package io.triad.check;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The "no dual-active" checker: a pure function from samples of each node's state to the
 * intervals in which two nodes held the VIP or ran the controller at once. The zone's state is
 * taken to be each node's latest sample; a violation starts when a sample makes two nodes active
 * and ends at the first sample that leaves one, so it is exact to the sampling resolution.
 */
public final class DualActive {

    /** What one node looked like between two instants. */
    public record Sample(String host, Instant start, Instant end, boolean vip, boolean controller) { }

    /** A span in which more than one node was active. */
    public record Violation(String what, List<String> hosts, Instant from, Instant to) {
        public Duration length() {
            return Duration.between(from, to);
        }

        @Override
        public String toString() {
            return what + " on " + String.join(" and ", hosts) + " from " + from + " to " + to + " (" + length().toMillis() + " ms)";
        }
    }

    private DualActive() { }

    public static List<Violation> check(List<Sample> samples) {
        List<Sample> ordered = new ArrayList<>(samples);
        ordered.sort(java.util.Comparator.comparing(Sample::end));
        Map<String, Sample> latest = new LinkedHashMap<>();
        List<Violation> out = new ArrayList<>();
        Violation[] open = new Violation[2]; // [0] VIP, [1] controller
        for (Sample s : ordered) {
            latest.put(s.host(), s);
            for (int kind = 0; kind < 2; kind++) {
                final int k = kind;
                List<String> active = latest.values().stream().filter(x -> k == 0 ? x.vip() : x.controller())
                        .map(Sample::host).sorted().collect(Collectors.toList());
                if (active.size() > 1 && open[k] == null) {
                    open[k] = new Violation(k == 0 ? "two VIP holders" : "two active controllers", active, s.end(), s.end());
                } else if (active.size() <= 1 && open[k] != null) {
                    out.add(new Violation(open[k].what(), open[k].hosts(), open[k].from(), s.end()));
                    open[k] = null;
                }
            }
        }
        Instant last = ordered.isEmpty() ? Instant.EPOCH : ordered.get(ordered.size() - 1).end();
        for (Violation v : open) {
            if (v != null) {
                out.add(new Violation(v.what(), v.hosts(), v.from(), last));
            }
        }
        return out;
    }

    /** The samples as lines of text, for the evidence: each node's first sample and every change. */
    public static String describe(List<Sample> samples) {
        StringBuilder out = new StringBuilder(samples.size() + " samples; each node's first and every change:\n"
                + "end                          host   vip  controller\n");
        Map<String, Sample> previous = new LinkedHashMap<>();
        for (Sample s : samples) {
            Sample p = previous.put(s.host(), s);
            if (p != null && p.vip() == s.vip() && p.controller() == s.controller()) {
                continue;
            }
            out.append(s.end()).append("  ").append(String.format("%-6s %-4s %s", s.host(), s.vip() ? "yes" : "-",
                    s.controller() ? "active" : "-")).append('\n');
        }
        return out.toString();
    }
}
