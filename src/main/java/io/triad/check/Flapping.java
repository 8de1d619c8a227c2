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
import java.util.TreeSet;

/**
 * "No flapping": over a settling period after a restore, an exclusive resource (the VIP, a
 * leadership) moves (changes to a different single holder) no more often than expected. Requires the nodes to have been observed until the
 * end of the period.
 */
public final class Flapping {

    private Flapping() { }

    /**
     * A change of the single holder, first seen at {@code at}; {@code since} is the end of the last sample at
     * which {@code from} was still seen as the only holder (null: never), so the move happened in (since, at].
     * The interval is wide when the new holder's samples had a gap (a sampler starved under load resumes
     * seconds later showing the VIP it took before).
     */
    public record Move(Instant at, String from, String to, Instant since) {
        @Override
        public String toString() {
            return at + " " + (from.isEmpty() ? "(none)" : from) + " -> " + (to.isEmpty() ? "(none)" : to);
        }
    }

    /**
     * The VIP holder's changes: each instant the single holder, as last sampled, became a different node. A set of
     * several holders is not a move: in a handover it is mostly the new holder's sample seen next to the old
     * holder's previous one (which of the two is recorded first in a round is chance), and real overlaps are
     * the dual-active checker's to judge.
     */
    public static List<Move> moves(List<Sample> samples, String resource) {
        List<Sample> sorted = new ArrayList<>(samples);
        sorted.sort(Comparator.comparing(Sample::end));
        Map<String, Sample> last = new LinkedHashMap<>();
        String holder = "";
        Instant confirmed = null; // the last sample's end at which `holder` was seen as the only holder
        List<Move> moves = new ArrayList<>();
        for (Sample s : sorted) {
            last.put(s.node(), s);
            TreeSet<String> now = new TreeSet<>();
            last.forEach((n, l) -> {
                // a node not observed lately (crashed, frozen) holds nothing we know of
                if (l.holds(resource) && Duration.between(l.end(), s.end()).compareTo(DualActive.DEFAULT_MAX_GAP) <= 0) {
                    now.add(n);
                }
            });
            String current = String.join("+", now);
            if (now.size() == 1 && !current.equals(holder)) {
                moves.add(new Move(s.end(), holder, current, confirmed));
                holder = current;
            }
            if (current.equals(holder)) {
                confirmed = s.end();
            }
        }
        return moves;
    }

    public static Verdict check(List<Sample> samples, Resource resource, Instant from, Duration settle, int maxMoves) {
        Instant until = from.plus(settle);
        List<Move> all = moves(samples, resource.name());
        String what = resource.lane();
        List<Move> seen = all.stream().filter(m -> !m.at().isBefore(from) && !m.at().isAfter(until)).toList();
        // a move first seen in the period whose previous holder was last seen holding before it began may have
        // happened before it (the new holder's samples had a gap): listed, not counted; a move back and forth
        // within the period is seen on both sides of it and counts
        List<Move> within = seen.stream().filter(m -> m.since() != null && !m.since().isBefore(from)).toList();
        Map<String, String> figures = new LinkedHashMap<>();
        figures.put(what + " moves in the settling period", within.size() + " (at most " + maxMoves + ")");
        StringBuilder evidence = new StringBuilder("settling period " + from + " to " + until + "; " + what + " holder changes:\n");
        seen.forEach(m -> evidence.append("  ").append(m).append(within.contains(m) ? "" : " (not counted: " + (m.from().isEmpty()
                ? "(none)" : m.from()) + " last seen as the only holder " + (m.since() == null ? "never" : "at " + m.since())
                + ", before the period: the move may have happened before it)").append('\n'));
        Instant lastSeen = samples.stream().map(Sample::end).max(Comparator.naturalOrder()).orElse(Instant.MIN);
        if (lastSeen.isBefore(until)) {
            return new Verdict("no flapping", false, "the nodes were observed only until " + lastSeen
                    + ", before the end of the settling period " + until, figures, evidence.toString());
        }
        boolean ok = within.size() <= maxMoves;
        String summary = ok ? within.size() + " " + what + " move(s) in " + settle.toSeconds() + " s after the restore"
                : "the " + what + " moved " + within.size() + " times in " + settle.toSeconds() + " s after the restore (at most "
                + maxMoves + "): " + within;
        return new Verdict("no flapping", ok, summary, figures, evidence.toString());
    }
}
