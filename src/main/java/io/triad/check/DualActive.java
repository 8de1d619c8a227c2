package io.triad.check;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The "no dual-active" checker: a pure function from samples of each node's state to the
 * intervals in which two nodes certainly held the VIP or ran the controller at once. A sample
 * saw a node's state at some instant between the start and the end of its command, so a node was
 * certainly active between two consecutive samples that both saw it so; overlaps of such spans
 * of two nodes are violations. An overlap shorter than one sampling round trip can go unseen:
 * the checker is exact to the sampling resolution, and never reports what did not happen.
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
        List<Violation> out = new ArrayList<>();
        out.addAll(overlaps("two VIP holders", certain(samples, true)));
        out.addAll(overlaps("two active controllers", certain(samples, false)));
        out.sort(java.util.Comparator.comparing(Violation::from));
        return out;
    }

    /** A span in which one host was certainly in a state. */
    private record Span(String host, Instant from, Instant to) { }

    /**
     * Per host, the spans in which it was certainly active: between the end of one sample and the
     * start of the next when both saw it active (a sample observed the state at some instant
     * between its start and its end, so only the gap between two agreeing samples is certain).
     */
    private static List<Span> certain(List<Sample> samples, boolean vip) {
        Map<String, List<Sample>> byHost = new LinkedHashMap<>();
        for (Sample s : samples) {
            byHost.computeIfAbsent(s.host(), k -> new ArrayList<>()).add(s);
        }
        List<Span> spans = new ArrayList<>();
        for (List<Sample> list : byHost.values()) {
            list.sort(java.util.Comparator.comparing(Sample::start));
            Sample first = null; // first sample of the current run of active samples
            Sample last = null;
            for (Sample x : list) {
                boolean active = vip ? x.vip() : x.controller();
                if (active) {
                    if (first == null) {
                        first = x;
                    }
                    last = x;
                } else {
                    addRun(spans, first, last);
                    first = null;
                    last = null;
                }
            }
            addRun(spans, first, last);
        }
        return spans;
    }

    /** A run of active samples: certainly active from the end of its first to the start of its last. */
    private static void addRun(List<Span> spans, Sample first, Sample last) {
        if (first != null && last != first && last.start().isAfter(first.end())) {
            spans.add(new Span(first.host(), first.end(), last.start()));
        }
    }

    /** Overlaps of spans of different hosts, merged where they touch. */
    private static List<Violation> overlaps(String what, List<Span> spans) {
        List<Violation> raw = new ArrayList<>();
        for (int i = 0; i < spans.size(); i++) {
            for (int j = i + 1; j < spans.size(); j++) {
                Span a = spans.get(i);
                Span b = spans.get(j);
                if (a.host().equals(b.host())) {
                    continue;
                }
                Instant from = a.from().isAfter(b.from()) ? a.from() : b.from();
                Instant to = a.to().isBefore(b.to()) ? a.to() : b.to();
                if (from.isBefore(to)) {
                    List<String> hosts = new ArrayList<>(List.of(a.host(), b.host()));
                    hosts.sort(null);
                    raw.add(new Violation(what, hosts, from, to));
                }
            }
        }
        raw.sort(java.util.Comparator.comparing(Violation::from));
        List<Violation> merged = new ArrayList<>();
        for (Violation v : raw) {
            Violation last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && last.hosts().equals(v.hosts()) && !v.from().isAfter(last.to())) {
                merged.set(merged.size() - 1, new Violation(what, last.hosts(), last.from(), v.to().isAfter(last.to()) ? v.to() : last.to()));
            } else {
                merged.add(v);
            }
        }
        return merged;
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
