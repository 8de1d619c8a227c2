package io.triad.zone;

import io.triad.env.InputError;
import io.triad.host.Host;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The zone is healthy enough to take a fault, in the profile's own terms: its steady state's
 * parts in order ({@link io.triad.env.Profile#steady}; the BSFG triad's: every host answers,
 * exactly one node holds the VIP, the controller answers healthy through it, and JetStream is
 * settled on every node). Looked at right before the first fault of a scenario, until it holds (at most
 * {@link Nemesis#GUARD_WAIT}; the scenario's own steps wait for the steady state first, held for
 * {@link #HOLD}; this is the last look before touching
 * anything).
 */
public final class SteadyState {

    /**
     * How long "steady" must hold on end before a scenario goes on. A healed partition or a
     * restarted JetStream server makes the cluster re-elect stream leaders 0.5 to 1 s later, for
     * about a second (measured on the simulated triad: the controller answers 503 "stream has no
     * leader", the lease agent may drop the VIP); a zone seen steady once, right after a heal, is
     * not steady yet.
     */
    public static final Duration HOLD = Duration.ofSeconds(3);

    /**
     * How long after the harness last disturbed the zone (a heal, the simulated triad's start) the
     * steady state must hold for {@link #HOLD}; later, one good look is steady (a quiet zone, such
     * as a live zone audited read-only, is not made to wait).
     */
    public static final Duration QUIET = Duration.ofSeconds(20);

    /**
     * The hold the steady state needs now: {@link #HOLD} within {@link #QUIET} of the last
     * disturbance, unless the zone has held settled since (see {@link Zone#settle}); else none.
     */
    public static Duration hold(Zone zone) {
        return zone.disturbedSinceSettled()
                && Duration.between(zone.lastDisturbed(), java.time.Instant.now()).compareTo(QUIET) < 0 ? HOLD : Duration.ZERO;
    }

    /** How long the harness waits for a zone it disturbed to settle before it goes on regardless. */
    public static final Duration SETTLE_DEADLINE = Duration.ofSeconds(60);

    private SteadyState() { }

    /** What is wrong, one problem each, part by part of the profile's steady state; empty when the zone is steady. */
    public static List<String> problems(Zone zone) {
        return problemsBesides(zone, java.util.Set.of());
    }

    /** The problems of the steady state's gate parts only, in order, up to the first gate that finds one. */
    public static List<String> gateProblems(Zone zone) {
        for (SteadyPart part : zone.env().profile().steady()) {
            if (part.gate()) {
                List<String> found = part.problems().apply(zone);
                if (!found.isEmpty()) {
                    return found;
                }
            }
        }
        return List.of();
    }

    /** Fails (an AssertionError naming every problem, "; "-separated) unless the zone is steady: a check for {@link Within}. */
    public static void require(Zone zone) {
        List<String> problems = problems(zone);
        if (!problems.isEmpty()) {
            throw new AssertionError(String.join("; ", problems));
        }
    }

    /**
     * The steady state's problems but for the parts named in {@code besides}: a step that checks
     * those itself, as it wants them ("alpha holds the VIP" instead of "one node holds it").
     */
    public static List<String> problemsBesides(Zone zone, java.util.Set<String> besides) {
        List<String> problems = new ArrayList<>();
        for (SteadyPart part : zone.env().profile().steady()) {
            if (besides.contains(part.name())) {
                continue;
            }
            List<String> found = part.problems().apply(zone);
            problems.addAll(found);
            if (part.gate() && !found.isEmpty()) {
                break;
            }
        }
        return problems;
    }

    /**
     * Looks at the steady state again and again while waiting for it (a zone settling after its
     * start or a heal). A look that finds the zone not yet steady stops at the first part with a
     * problem, and the next look asks that part first, the other parts only once it holds: until
     * then a look costs that one part's reads, not every part's. (Three-phoenix's six parts were
     * about ten psql calls and five SSH commands a look; a settling zone was looked at every 200 ms
     * all through its first boot, a third of the zone's start's CPU.) A look that finds the zone
     * steady has asked every part, in order, as {@link #problems} does. So a look's problems are
     * empty exactly when the zone is steady; when it is not, they are the problems of the part that
     * kept it waiting, not necessarily every part's ({@link #problems} gives all).
     */
    public static final class Looks {
        private final Zone zone;
        private final List<SteadyPart> parts;
        private SteadyPart failedLast;

        /** The looks at the zone's profile's steady state. */
        public Looks(Zone zone) {
            this(zone, zone.env().profile().steady());
        }

        /** The looks at these parts, in this order. */
        Looks(Zone zone, List<SteadyPart> parts) {
            this.zone = zone;
            this.parts = List.copyOf(parts);
        }

        /** One look: no problem when the zone is steady, else the problems of the first part found with some. */
        public synchronized List<String> problems() {
            SteadyPart again = failedLast;
            failedLast = null;
            if (again != null) {
                List<String> found = again.problems().apply(zone);
                if (!found.isEmpty()) {
                    failedLast = again;
                    return found;
                }
            }
            for (SteadyPart part : parts) {
                if (part == again) {
                    continue; // it has just held, in this look
                }
                List<String> found = part.problems().apply(zone);
                if (!found.isEmpty()) {
                    failedLast = part;
                    return found;
                }
            }
            return List.of();
        }

        /** Fails (an AssertionError naming the problems found, "; "-separated) unless this look finds the zone steady. */
        public void require() {
            List<String> problems = problems();
            if (!problems.isEmpty()) {
                throw new AssertionError(String.join("; ", problems));
            }
        }
    }

    /** Every host answers over SSH (a gate: a host that does not answer is not asked anything else). */
    public static final SteadyPart HOSTS_ANSWER = new SteadyPart("hosts-answer", true, SteadyState::unanswered);

    private static List<String> unanswered(Zone zone) {
        List<String> problems = new ArrayList<>();
        zone.onEach(zone.hosts(), h -> {
            try {
                h.exec("true").requireOk();
                return "";
            } catch (InputError | AssertionError e) {
                return h.name() + " does not answer: " + e.getMessage();
            }
        }).stream().filter(p -> !p.isEmpty()).forEach(problems::add);
        return problems;
    }
}
