package io.triad.check;

import io.triad.history.History;
import io.triad.history.History.Log;
import io.triad.history.History.Sample;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What the nodes' own logs say they held: for each node and exclusive resource, the spans between a
 * line that shows the node taking the resource (keepalived "Entering MASTER STATE", a unit started,
 * a lease granted) and the next line that shows it giving it up (BACKUP or FAULT, the unit's main
 * process exited, the VIP removed). A profile says which of its lines are which
 * ({@link Change}); this class turns them into {@link Claim}s the dual-active checker judges beside
 * the samples, so that a node the recorder could not sample (cut off, its samples failing) is judged
 * from what it logged meanwhile.
 *
 * <p>Only what is certain is claimed: a claim runs from a line that shows the node taking the
 * resource, or from a sample that saw it hold it (the zone was already running when the recording
 * began: its taking lines lie before it), to the line that shows it giving it up. The giving-up line
 * is the evidence: the node says it held the resource until then, and no line in between says
 * otherwise. Without one, a claim opened by a taking line runs to the last sample that saw the node
 * still hold it (takings are logged: held at the line and at the sample, with no line between, it
 * held throughout), and one opened by a sample is no claim (the samples say all that is certain; the
 * log's silence is not evidence: a resource can be lost without a line, a VIP's kernel lifetime
 * running out). A sample that saw the node not hold it, before any giving-up line, ends the claim
 * so. A node stopped by a fault claims nothing while stopped: a
 * crash ends the claim unclaimed (its services start afresh), a freeze too (a frozen node neither logs
 * nor serves; what it kept, a VIP on its interface, is not service), and after the thaw the first
 * sample that sees it still hold the resource opens a new claim, closed by its next giving-up line: a
 * thawed node that serves on beside its successor until it hears of it is claimed over that time.
 */
public final class LogClaims {

    /** What one log line says of one resource: the node took it ({@code holds}) or gave it up. */
    public record Change(String resource, boolean holds) { }

    /**
     * A span in which a node's own log says it held {@code resource}: from {@code from}, shown by
     * {@code opened} (the line, or the sample, that showed it), to {@code to}, shown by {@code closed}.
     */
    public record Claim(String node, String resource, Instant from, Instant to, String opened, String closed) {
        @Override
        public String toString() {
            return node + "'s log: " + resource + " held from " + from + " (" + opened + ") to " + to + " (" + closed + ")";
        }
    }

    /** The fault names ({@link History.Fault#name()}) that stop every process of their target node. */
    public static final String FROZEN = "node frozen";
    public static final String CRASHED = "node crashed";

    private LogClaims() { }

    /** The claims of a recorded history: its logs read by {@code reader}, beside its samples and faults. */
    public static List<Claim> of(History history, Function<Log, List<Change>> reader, Set<String> resources) {
        return claims(history.logs(), reader, history.samples(), history.faults(), resources, Map.of());
    }

    /**
     * As {@link #of(History, Function, Set)}, with each resource's presence: the sampled state that
     * the resource's holder is there at all (the controller's process for the controller), where the
     * resource as sampled is a judgement beside it (a process that runs and holds no lease is taken
     * to refuse). A sample that saw the resource not held but its presence is no evidence either way
     * for a claim a line opened: it does not end it, it opens none, and it keeps one a line opened
     * running to it, as a sample that saw the resource held would (a copy of the controller run with
     * no lease under another unit serves on, as its own "state=serving" line says, until its
     * "state=stopping", and while its process is seen); a thawed controller that still runs for the
     * moment before it sees its lease gone logged no taking line, and is claimed over nothing.
     */
    public static List<Claim> of(History history, Function<Log, List<Change>> reader, Set<String> resources, Map<String, String> presence) {
        return claims(history.logs(), reader, history.samples(), history.faults(), resources, presence);
    }

    public static List<Claim> claims(List<Log> logs, Function<Log, List<Change>> reader, List<Sample> samples,
                                     List<History.Fault> faults, Set<String> resources) {
        return claims(logs, reader, samples, faults, resources, Map.of());
    }

    public static List<Claim> claims(List<Log> logs, Function<Log, List<Change>> reader, List<Sample> samples,
                                     List<History.Fault> faults, Set<String> resources, Map<String, String> presence) {
        List<Claim> out = new ArrayList<>();
        Set<String> nodes = new java.util.TreeSet<>();
        logs.forEach(l -> nodes.add(l.node()));
        samples.forEach(s -> nodes.add(s.node()));
        List<Said> said = new ArrayList<>(); // each line read once, whatever the resources
        for (Log l : logs) {
            reader.apply(l).forEach(c -> said.add(new Said(l, c)));
        }
        for (String node : nodes) {
            for (String resource : resources) {
                out.addAll(forNode(node, resource, presence.get(resource), said, samples, faults));
            }
        }
        out.sort(Comparator.comparing(Claim::from));
        return out;
    }

    /** One event of a node's record, in time order: a line, a sample (placed at its end), a fault's start or end. */
    private record Event(Instant at, int order, Kind kind, boolean holds, String text, Sample sample, boolean presenceOnly) {
        Event(Instant at, int order, Kind kind, boolean holds, String text, Sample sample) {
            this(at, order, kind, holds, text, sample, false);
        }
    }

    private enum Kind { LINE, SAMPLE, STOP, RESUME }

    /** What one log line says of one resource. */
    private record Said(Log line, Change change) { }

    private static List<Claim> forNode(String node, String resource, String present, List<Said> said, List<Sample> samples,
                                       List<History.Fault> faults) {
        List<Event> events = new ArrayList<>();
        for (Said x : said) {
            Log l = x.line();
            if (l.node().equals(node) && x.change().resource().equals(resource)) {
                events.add(new Event(l.at(), events.size(), Kind.LINE, x.change().holds(), "'" + l.message() + "' at " + l.at(), null));
            }
        }
        for (Sample s : samples) {
            // what a sample saw was so at some instant between its start and its end; one taken across a freeze saw nothing certain
            if (s.node().equals(node) && s.states().containsKey(resource) && !DualActive.stopped(s, DualActive.DEFAULT_MAX_GAP)) {
                boolean presenceOnly = present != null && !s.holds(resource) && s.holds(present);
                events.add(new Event(s.end(), events.size(), Kind.SAMPLE, s.holds(resource) || presenceOnly, "the sample " + s.start() + " to "
                        + s.end() + (presenceOnly ? " (" + present + ")" : ""), s, presenceOnly));
            }
        }
        for (History.Fault f : faults) {
            if (f.target().equals(node) && (f.name().equals(FROZEN) || f.name().equals(CRASHED))) {
                events.add(new Event(f.start(), events.size(), Kind.STOP, true, f.name() + " at " + f.start(), null));
                if (f.end() != null) {
                    events.add(new Event(f.end(), events.size(), Kind.RESUME, true, f.name() + " until " + f.end(), null));
                }
            }
        }
        events.sort(Comparator.comparing(Event::at).thenComparing(Event::order));
        List<Claim> claims = new ArrayList<>();
        Instant from = null;     // the open claim's start (null: none open)
        String opened = null;
        boolean byLine = false;  // the open claim was opened by a taking line
        Instant lastSeen = null; // the start of the last sample that saw the open claim's node still hold the resource
        boolean stopped = false;
        for (Event e : events) {
            if (e.kind() == Kind.RESUME) {
                stopped = false;
                continue;
            }
            if (stopped) {
                continue; // nothing of a stopped node is its own doing
            }
            if (e.kind() != Kind.STOP && e.holds()) {
                if (from == null && e.presenceOnly()) {
                    continue; // present, not judged holding: it opens nothing, and a claim a line opens it keeps
                }
                if (from == null) {
                    from = e.at();
                    opened = e.text();
                    byLine = e.sample() == null;
                    lastSeen = null;
                } else if (e.sample() != null) {
                    lastSeen = e.sample().start();
                }
                continue;
            }
            if (from != null) {
                if (e.kind() == Kind.LINE) {
                    add(claims, node, resource, from, opened, e.at(), e.text()); // the line that gives it up
                } else if (byLine && lastSeen != null) {
                    add(claims, node, resource, from, opened, lastSeen, "the start of the last sample that saw it held, before "
                            + e.text() + (e.kind() == Kind.STOP ? "" : " saw it not"));
                }
                from = null;
            }
            stopped = e.kind() == Kind.STOP;
        }
        if (from != null && byLine && lastSeen != null) {
            add(claims, node, resource, from, opened, lastSeen, "the start of the last sample that saw it held (no line gave it up)");
        }
        return claims;
    }

    private static void add(List<Claim> claims, String node, String resource, Instant from, String opened, Instant to, String closed) {
        if (to.isAfter(from)) {
            claims.add(new Claim(node, resource, from, to, opened, closed));
        }
    }
}
