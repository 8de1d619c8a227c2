package io.triad.bench;

import io.triad.check.FailoverWindow;
import io.triad.history.History;
import io.triad.history.History.Log;
import io.triad.history.History.Op;
import io.triad.history.History.Sample;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The figures the benchmark takes from one drill's recorded history, all counted from the first
 * fault: when the first healthy answer came through the VIP from another node (the measured
 * failover), when the recorder's samples first showed the VIP on another node, when that node's
 * own log says the VIP moved (the lease agent's {@code vip=added} under a lease, else keepalived
 * entering MASTER, which then carries the VIP itself), when keepalived on that node entered
 * MASTER, and how fast each node was sampled.
 */
public record DrillFigures(Optional<Instant> fault, String servedBefore, Optional<Duration> failover,
                           Optional<Duration> vipSampled, Optional<Duration> vipLogged, String vipLogSource,
                           Optional<Duration> keepalivedMaster, Optional<Duration> faultHeld,
                           Map<String, Sampling> sampling) {

    /** What the reference lease agent logs the moment it adds the VIP to its node. */
    static final String VIP_ADDED = "bsfg-lease vip=added";

    /** Silence on a node longer than this is a gap (the node was frozen, down or cut off), not slow sampling. */
    public static final Duration GAP = Duration.ofSeconds(1);

    /**
     * How fast a node was sampled: samples per second over the recording with its gaps left out,
     * the longest interval that was not a gap, and how much time the gaps took.
     */
    public record Sampling(int samples, double rateHz, double longestIntervalMs, double gapsMs) { }

    /** The sampled VIP move minus the node's own record of it: how late the recorder saw it. */
    public Optional<Duration> sampledMinusLogged() {
        return vipSampled.flatMap(s -> vipLogged.map(s::minus));
    }

    /** The figures of a drill's history; {@code resource} is the exclusive resource a failover moves (the VIP). */
    public static DrillFigures of(History h, String resource) {
        List<Sample> samples = h.samples();
        Map<String, Sampling> sampling = sampling(samples);
        if (h.faults().isEmpty()) {
            return new DrillFigures(Optional.empty(), "", Optional.empty(), Optional.empty(), Optional.empty(), "",
                    Optional.empty(), Optional.empty(), sampling);
        }
        Instant at = h.faults().get(0).start();
        Optional<Instant> healed = h.faults().stream().map(History.Fault::end).filter(e -> e != null)
                .max(Instant::compareTo);
        String before = FailoverWindow.lastHealthyBefore(h, at).map(Op::node)
                .orElseGet(() -> samples.stream().filter(s -> s.holds(resource) && s.start().isBefore(at))
                        .reduce((a, b) -> b).map(Sample::node).orElse(""));
        Optional<Duration> failover = FailoverWindow.firstHealthyAfter(h, at, before.isEmpty() ? null : before)
                .map(o -> Duration.between(at, o.complete()));
        Optional<Sample> moved = samples.stream()
                .filter(s -> s.holds(resource) && !s.start().isBefore(at) && !s.node().equals(before)).findFirst();
        Optional<Duration> vipSampled = moved.map(s -> Duration.between(at, s.start()));
        String newHolder = moved.map(Sample::node).orElse("");
        List<Log> logs = h.logs();
        Optional<Log> keepalivedMaster = firstLog(logs, at, newHolder, "Entering MASTER STATE");
        boolean leased = logs.stream().anyMatch(l -> l.message().contains(VIP_ADDED));
        Optional<Log> vipLog = leased ? firstLog(logs, at, newHolder, VIP_ADDED) : keepalivedMaster;
        return new DrillFigures(Optional.of(at), before, failover, vipSampled,
                vipLog.map(l -> Duration.between(at, l.at())), leased ? "lease agent" : "keepalived",
                keepalivedMaster.map(l -> Duration.between(at, l.at())),
                healed.map(e -> Duration.between(at, e)), sampling);
    }

    private static Optional<Log> firstLog(List<Log> logs, Instant after, String node, String marker) {
        return logs.stream().filter(l -> !l.at().isBefore(after) && l.node().equals(node) && l.message().contains(marker))
                .findFirst();
    }

    static Map<String, Sampling> sampling(List<Sample> samples) {
        Map<String, List<Instant>> byNode = new TreeMap<>();
        for (Sample s : samples) {
            byNode.computeIfAbsent(s.node(), n -> new ArrayList<>()).add(s.start());
        }
        Map<String, Sampling> out = new LinkedHashMap<>();
        byNode.forEach((node, times) -> {
            Collections.sort(times);
            double sampled = 0;
            double gaps = 0;
            double longest = 0;
            int intervals = 0;
            for (int i = 1; i < times.size(); i++) {
                double ms = Duration.between(times.get(i - 1), times.get(i)).toNanos() / 1e6;
                if (ms > GAP.toMillis()) {
                    gaps += ms;
                } else {
                    sampled += ms;
                    intervals++;
                    longest = Math.max(longest, ms);
                }
            }
            double rate = sampled > 0 ? intervals / (sampled / 1000) : 0;
            out.put(node, new Sampling(times.size(), rate, longest, gaps));
        });
        return out;
    }
}
