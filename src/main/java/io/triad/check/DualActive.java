package io.triad.check;

import io.triad.history.History.Resource;
import io.triad.history.History.Sample;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The "no dual-active" checker: a pure function from samples of each node's state to the
 * intervals in which two nodes certainly held one of the zone's exclusive resources at once (the
 * profile names them: the VIP and the active controller, a primary, a leader). A sample
 * saw a node's state at some instant between the start and the end of its command, so a node was
 * certainly active between two consecutive samples that both saw it so; overlaps of such spans
 * of two nodes are violations. An overlap shorter than one sampling round trip can go unseen:
 * the checker is exact to the sampling resolution, and never reports what did not happen.
 * A node not observed for longer than {@code maxGap} (frozen, crashed, cut off from the
 * recorder) is claimed neither active nor inactive over the gap, and so is a node over a sample
 * that itself took longer than {@code maxGap} (frozen while it was sampled); such gaps are listed. Where the
 * zone reports a holder's tenure ({@link #tenure}), two samples in different tenures do not
 * show the node active in between either.
 */
public final class DualActive {

    /** A span in which more than one node was active. */
    public record Violation(String what, List<String> hosts, Instant from, Instant to, String decidedBy) {
        public Violation(String what, List<String> hosts, Instant from, Instant to) {
            this(what, hosts, from, to, SAMPLES);
        }

        public Duration length() {
            return Duration.between(from, to);
        }

        @Override
        public String toString() {
            return what + " on " + String.join(" and ", hosts) + " from " + from + " to " + to + " (" + length().toMillis() + " ms)"
                    + (decidedBy.equals(SAMPLES) ? "" : "; decided by " + decidedBy);
        }
    }

    /** What decided a violation that the samples alone show. */
    public static final String SAMPLES = "the samples";

    /** A span in which a node was not observed. */
    public record Gap(String host, Instant from, Instant to) {
        @Override
        public String toString() {
            return host + " unobserved from " + from + " to " + to + " (" + Duration.between(from, to).toMillis() + " ms)";
        }
    }

    public static final Duration DEFAULT_MAX_GAP = Duration.ofSeconds(1);

    private DualActive() { }

    public static List<Violation> check(List<Sample> samples, List<Resource> resources) {
        return check(samples, resources, DEFAULT_MAX_GAP);
    }

    public static List<Violation> check(List<Sample> samples, List<Resource> resources, Duration maxGap) {
        return check(samples, List.of(), resources, maxGap);
    }

    /**
     * The violations the samples show, and those the nodes' own logs show ({@link LogClaims}): a span a
     * node's log says it held a resource, overlapping another node's span (sampled or logged) by more
     * than the sampling resolution (the median interval: a log's lines are stamped when written, a
     * few ms from the change they tell of, and a handover's adverts cross in about that much).
     */
    public static List<Violation> check(List<Sample> samples, List<LogClaims.Claim> claims, List<Resource> resources, Duration maxGap) {
        Duration tolerance = medianInterval(samples);
        List<Violation> out = new ArrayList<>();
        for (Resource r : resources) {
            List<Span> spans = new ArrayList<>(certain(samples, r.name(), maxGap));
            claims.stream().filter(c -> c.resource().equals(r.name()))
                    .forEach(c -> spans.add(new Span(c.node(), c.from(), c.to(), c.toString())));
            out.addAll(overlaps(r.two(), spans, tolerance));
        }
        out.sort(Comparator.comparing(Violation::from));
        return out;
    }

    /**
     * The name of the state beside a resource that names its holder's tenure, where the zone reports
     * one (a JetStream stream leader's {@code leader_since}). Two samples of a node that both saw it
     * hold the resource in different tenures do not show it held in between: it lost the resource
     * and won it back, and another node may have held it meanwhile (a leadership passed over and
     * back between two samples of the node).
     */
    public static String tenure(String resource) {
        return resource + "-since";
    }

    /** The verdict with its evidence: the violations, the unobserved gaps, the sampling resolution. */
    public static Verdict verdict(List<Sample> samples, List<Resource> resources, Duration maxGap) {
        return verdict(samples, null, resources, maxGap);
    }

    /**
     * The verdict on the samples and on what the nodes' own logs claim ({@code claims}; null: the
     * profile reads no logs), each violation naming what decided it.
     */
    public static Verdict verdict(List<Sample> samples, List<LogClaims.Claim> claims, List<Resource> resources, Duration maxGap) {
        if (resources.isEmpty()) {
            throw new IllegalArgumentException("no exclusive resource to check: the profile names none");
        }
        List<Violation> violations = check(samples, claims == null ? List.of() : claims, resources, maxGap);
        List<Gap> gaps = gaps(samples, maxGap);
        Map<String, String> figures = new LinkedHashMap<>();
        figures.put("samples", String.valueOf(samples.size()));
        figures.put("sampling interval (median, per node)", Verdict.ms(medianInterval(samples)));
        Duration longest = violations.stream().map(Violation::length).max(Comparator.naturalOrder()).orElse(Duration.ZERO);
        figures.put("dual-active overlap (longest certain)", Verdict.ms(longest));
        StringBuilder evidence = new StringBuilder();
        violations.forEach(v -> evidence.append("VIOLATION ").append(v).append('\n'));
        gaps.forEach(g -> evidence.append(claims == null ? "not claimed either way: " : "not sampled (judged from its log): ")
                .append(g).append('\n'));
        if (claims != null) {
            figures.put("spans from the nodes' own logs", String.valueOf(claims.size()));
            evidence.append(claims.size()).append(" span(s) the nodes' own logs say they held a resource")
                    .append(claims.isEmpty() ? "\n" : ":\n");
            claims.forEach(c -> evidence.append("  ").append(c).append('\n'));
        }
        evidence.append(describe(samples));
        if (samples.isEmpty()) {
            return new Verdict("no dual-active", false, "no samples were recorded: nothing shows the zone was single-active",
                    figures, evidence.toString());
        }
        String summary = violations.isEmpty()
                ? "no instant with " + resources.stream().map(Resource::two).collect(java.util.stream.Collectors.joining(" or "))
                + " in " + samples.size() + " samples"
                : violations.size() + " dual-active interval(s), first: " + violations.get(0);
        return new Verdict("no dual-active", violations.isEmpty(), summary, figures, evidence.toString());
    }

    /** A span in which one host was certainly in a state; {@code claim}: the log claim it is, null for samples. */
    private record Span(String host, Instant from, Instant to, String claim) {
        Span(String host, Instant from, Instant to) {
            this(host, from, to, null);
        }
    }

    private static Map<String, List<Sample>> byHost(List<Sample> samples) {
        Map<String, List<Sample>> byHost = new LinkedHashMap<>();
        for (Sample s : samples) {
            byHost.computeIfAbsent(s.node(), k -> new ArrayList<>()).add(s);
        }
        byHost.values().forEach(l -> l.sort(Comparator.comparing(Sample::start)));
        return byHost;
    }

    /**
     * Per host, the spans in which it was certainly active: between the end of one sample and the
     * start of the next when both saw it active and no unobserved gap lies between them.
     */
    private static List<Span> certain(List<Sample> samples, String resource, Duration maxGap) {
        List<Span> spans = new ArrayList<>();
        for (List<Sample> list : byHost(samples).values()) {
            Sample first = null; // first sample of the current run of active samples
            Sample last = null;
            for (Sample x : list) {
                if (stopped(x, maxGap)) {
                    // its read was at some instant of a span longer than the max gap: no run goes through it
                    addRun(spans, first, last);
                    first = null;
                    last = null;
                    continue;
                }
                boolean active = x.holds(resource);
                boolean gap = last != null && Duration.between(last.end(), x.start()).compareTo(maxGap) > 0;
                if (active && !gap && (last == null || sameTenure(last, x, resource))) {
                    if (first == null) {
                        first = x;
                    }
                    last = x;
                } else {
                    addRun(spans, first, last);
                    first = active ? x : null;
                    last = active ? x : null;
                }
            }
            addRun(spans, first, last);
        }
        return spans;
    }

    /**
     * A sample that took longer than the max gap: its node was stopped while it was taken (a node
     * frozen mid-sample: the sample starts before the freeze and ends after the thaw). It saw the
     * node's state at some instant of that span, not at a known one, so it is no observation that
     * joins the samples before it to those after it: the node counts as unobserved over its span.
     */
    static boolean stopped(Sample x, Duration maxGap) {
        return Duration.between(x.start(), x.end()).compareTo(maxGap) > 0;
    }

    /** Whether two samples saw one tenure: both name the same, or either names none (nothing says otherwise). */
    private static boolean sameTenure(Sample a, Sample b, String resource) {
        String ta = a.state(tenure(resource));
        String tb = b.state(tenure(resource));
        return ta.isEmpty() || tb.isEmpty() || ta.equals(tb);
    }

    /** A run of active samples: certainly active from the end of its first to the start of its last. */
    private static void addRun(List<Span> spans, Sample first, Sample last) {
        if (first != null && last != first && last.start().isAfter(first.end())) {
            spans.add(new Span(first.node(), first.end(), last.start()));
        }
    }

    static List<Gap> gaps(List<Sample> samples, Duration maxGap) {
        List<Gap> gaps = new ArrayList<>();
        for (List<Sample> list : byHost(samples).values()) {
            for (int i = 0; i < list.size(); i++) {
                Sample x = list.get(i);
                if (i > 0 && Duration.between(list.get(i - 1).end(), x.start()).compareTo(maxGap) > 0) {
                    gaps.add(new Gap(x.node(), list.get(i - 1).end(), x.start()));
                }
                if (stopped(x, maxGap)) {
                    gaps.add(new Gap(x.node(), x.start(), x.end()));
                }
            }
        }
        return gaps;
    }

    static Duration medianInterval(List<Sample> samples) {
        List<Long> intervals = new ArrayList<>();
        for (List<Sample> list : byHost(samples).values()) {
            for (int i = 1; i < list.size(); i++) {
                intervals.add(Duration.between(list.get(i - 1).start(), list.get(i).start()).toMillis());
            }
        }
        if (intervals.isEmpty()) {
            return Duration.ZERO;
        }
        intervals.sort(null);
        return Duration.ofMillis(intervals.get(intervals.size() / 2));
    }

    /**
     * Overlaps of spans of different hosts, merged where they touch; an overlap that involves a log's
     * claim counts only when longer than {@code tolerance}.
     */
    private static List<Violation> overlaps(String what, List<Span> spans, Duration tolerance) {
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
                boolean logged = a.claim() != null || b.claim() != null;
                if (from.isBefore(to) && (!logged || Duration.between(from, to).compareTo(tolerance) > 0)) {
                    List<String> hosts = new ArrayList<>(List.of(a.host(), b.host()));
                    hosts.sort(null);
                    String decided = !logged ? SAMPLES : java.util.stream.Stream.of(a.claim(), b.claim())
                            .filter(java.util.Objects::nonNull).collect(java.util.stream.Collectors.joining(" and "));
                    raw.add(new Violation(what, hosts, from, to, decided));
                }
            }
        }
        raw.sort(Comparator.comparing(Violation::from));
        List<Violation> merged = new ArrayList<>();
        for (Violation v : raw) {
            Violation last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && last.hosts().equals(v.hosts()) && !v.from().isAfter(last.to())) {
                String decided = last.decidedBy().contains(v.decidedBy()) || v.decidedBy().equals(SAMPLES) ? last.decidedBy()
                        : last.decidedBy().equals(SAMPLES) || v.decidedBy().contains(last.decidedBy()) ? v.decidedBy()
                        : last.decidedBy() + "; " + v.decidedBy();
                merged.set(merged.size() - 1, new Violation(what, last.hosts(), last.from(), v.to().isAfter(last.to()) ? v.to() : last.to(), decided));
            } else {
                merged.add(v);
            }
        }
        return merged;
    }

    /** The samples as lines of text, for the evidence: each node's first sample and every change. */
    public static String describe(List<Sample> samples) {
        StringBuilder out = new StringBuilder(samples.size() + " samples; each node's first and every change:\n"
                + "start                        node   states\n");
        Map<String, Sample> previous = new LinkedHashMap<>();
        List<Sample> sorted = new ArrayList<>(samples);
        sorted.sort(Comparator.comparing(Sample::start));
        for (Sample s : sorted) {
            Sample p = previous.put(s.node(), s);
            if (p != null && p.states().equals(s.states())) {
                continue;
            }
            out.append(s.start()).append("  ").append(String.format("%-6s %s", s.node(), s.describeStates())).append('\n');
        }
        return out.toString();
    }
}
