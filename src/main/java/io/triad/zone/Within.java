package io.triad.zone;

import io.triad.host.Evidence;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;

/**
 * A deadline inside the sentence ("within 10 seconds exactly one node holds the VIP"): polls a
 * check until it passes or the deadline expires, and records how long it actually took. Only the
 * last attempt's evidence is kept, with a note of how many attempts there were.
 */
public final class Within {

    private Within() { }

    /**
     * A check's definite answer before its deadline: polling stops and the step fails at once
     * (a segment PostgreSQL says it archived that is not in the archive will not arrive later).
     */
    public static final class Decided extends AssertionError {
        public Decided(String message) {
            super(message);
        }
    }

    /** Polls {@code check} (which throws AssertionError while not yet true) and returns the time it took. */
    public static Duration until(Evidence evidence, String what, Duration deadline, Runnable check) {
        if (evidence.plan().isPresent()) {
            evidence.plan().get().poll(what, deadline);
            planOnce(check);
            return Duration.ZERO;
        }
        long t0 = System.nanoTime();
        AtomicInteger attempts = new AtomicInteger();
        AtomicReference<Throwable> last = new AtomicReference<>();
        int mark = evidence.mark();
        try {
            await(what).atMost(deadline).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                    .pollInSameThread()
                    .until(() -> {
                        evidence.rollback(mark);
                        attempts.incrementAndGet();
                        try {
                            check.run();
                            return true;
                        } catch (Safety.SafetyStop stop) {
                            throw stop; // never retried: the run stops
                        } catch (Decided decided) {
                            throw decided; // never retried: the answer is known
                        } catch (AssertionError e) {
                            last.set(e);
                            return false;
                        }
                    });
        } catch (Decided decided) {
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            evidence.note("decided: " + what + " after " + took.toMillis() + " ms", decided.getMessage());
            throw decided;
        } catch (ConditionTimeoutException e) {
            throw missed(evidence, what, "not true within " + deadline.toMillis() + " ms after " + attempts.get() + " attempts",
                    "not within " + seconds(deadline), last.get());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        evidence.note("measured: " + what + " after " + took.toMillis() + " ms",
                what + ": true after " + took.toMillis() + " ms (" + attempts.get() + " attempt" + (attempts.get() == 1 ? "" : "s")
                        + ", deadline " + deadline.toMillis() + " ms)");
        return took;
    }

    /**
     * Polls {@code check} until it has passed at every observation for {@code hold} on end ("the
     * zone is steady": after a healed fault JetStream re-elects its leaders a second or two later,
     * and a zone that looked steady once can lose its VIP or its stream leader right after). A
     * failing observation starts the hold over. Returns the time until the hold began; the
     * evidence says how often the zone looked steady and broke again, and why the last time.
     */
    public static Duration settles(Evidence evidence, String what, Duration deadline, Duration hold, Runnable check) {
        if (hold.isZero()) {
            return until(evidence, what, deadline, check);
        }
        if (evidence.plan().isPresent()) {
            evidence.plan().get().poll(what + ", then holding for " + seconds(hold), deadline.plus(hold));
            planOnce(check);
            return Duration.ZERO;
        }
        long t0 = System.nanoTime();
        java.util.concurrent.atomic.AtomicLong lookNanos = new java.util.concurrent.atomic.AtomicLong();
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger broke = new AtomicInteger();
        AtomicReference<Throwable> last = new AtomicReference<>();
        AtomicReference<String> lastBreak = new AtomicReference<>();
        long[] since = {-1};
        int mark = evidence.mark();
        try {
            await(what).atMost(deadline.plus(hold)).pollDelay(Duration.ZERO).pollInterval((n, previous) -> pause(lookNanos.get()))
                    .pollInSameThread()
                    .until(() -> {
                        evidence.rollback(mark);
                        attempts.incrementAndGet();
                        long now = System.nanoTime();
                        try {
                            check.run();
                        } catch (Safety.SafetyStop stop) {
                            throw stop;
                        } catch (AssertionError e) {
                            lookNanos.set(System.nanoTime() - now);
                            if (since[0] >= 0) {
                                broke.incrementAndGet();
                                lastBreak.set(e.getMessage());
                            }
                            since[0] = -1;
                            last.set(e);
                            if (now - t0 > deadline.toNanos()) {
                                throw new ConditionTimeoutException(what); // too late for a whole hold
                            }
                            return false;
                        }
                        lookNanos.set(System.nanoTime() - now);
                        if (since[0] < 0) {
                            since[0] = now;
                        }
                        return now - since[0] >= hold.toNanos();
                    });
        } catch (ConditionTimeoutException e) {
            String broken = broke.get() == 0 ? "" : " (it looked true " + broke.get() + " time(s) and did not hold)";
            throw missed(evidence, what, "not true for " + hold.toMillis() + " ms on end within " + deadline.toMillis()
                    + " ms after " + attempts.get() + " attempts" + broken,
                    "not within " + seconds(deadline) + " (held for " + seconds(hold) + ")" + broken, last.get());
        }
        Duration took = Duration.ofNanos(since[0] - t0);
        String broken = broke.get() == 0 ? "" : "; it looked true and broke again " + broke.get() + " time(s) before, last: "
                + lastBreak.get();
        // what kept it waiting: the last observation that was not yet true (where the time went)
        String waited = last.get() == null ? "" : "; the last look before that: " + last.get().getMessage();
        evidence.note("measured: " + what + " after " + took.toMillis() + " ms",
                io.triad.host.Redactor.redact(what + ": true after " + took.toMillis() + " ms and held for " + hold.toMillis() + " ms ("
                        + attempts.get() + " attempts, deadline " + deadline.toMillis() + " ms" + broken + waited + ")"));
        return took;
    }

    /** The shortest pause between two looks of a wait ({@link #settles}): the 200 ms every other poll here waits. */
    static final Duration LEAST_PAUSE = Duration.ofMillis(200);

    /** The longest pause between two looks of a wait ({@link #settles}), however long a look took. */
    static final Duration MOST_PAUSE = Duration.ofSeconds(1);

    /**
     * The pause after a look that took {@code lookNanos}: as long as the look, between {@link
     * #LEAST_PAUSE} and {@link #MOST_PAUSE}. A wait for a zone to settle looks at several parts on
     * every host; back to back (a look of a three-phoenix zone on a busy machine takes most of a
     * second) the looks themselves kept the zone's hosts busy while it booted. Pausing as long as
     * the look halves that at most, and a zone is seen settled at most one look later.
     */
    static Duration pause(long lookNanos) {
        long ms = lookNanos / 1_000_000;
        return Duration.ofMillis(Math.max(LEAST_PAUSE.toMillis(), Math.min(MOST_PAUSE.toMillis(), ms)));
    }

    /**
     * Checks, polling, that {@code check} stays true for the whole period ("for 5 seconds alpha
     * keeps the VIP"); fails at the first observation that breaks it.
     */
    public static void holds(Evidence evidence, String what, Duration period, Runnable check) {
        if (evidence.plan().isPresent()) {
            evidence.plan().get().note("repeat every 200 ms for " + seconds(period) + ", checking that: " + what);
            planOnce(check);
            return;
        }
        AtomicInteger observations = new AtomicInteger();
        int mark = evidence.mark();
        try {
            await(what).during(period).atMost(period.plusSeconds(5)).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(200)).pollInSameThread()
                    .until(() -> {
                        evidence.rollback(mark);
                        check.run();
                        observations.incrementAndGet();
                        return true;
                    });
        } catch (AssertionError e) {
            evidence.note("did not hold: " + what, "broken after " + observations.get() + " good observations: " + e.getMessage());
            throw new AssertionError(io.triad.host.Redactor.redact("not for " + seconds(period) + ": " + e.getMessage()), e);
        }
        evidence.note("held: " + what, what + ": true at all " + observations.get() + " observations over " + period.toMillis() + " ms");
    }

    /**
     * A missed deadline: noted with the last observation, and the step's failure ("{@code failure}:
     * last observation"), redacted, with the last observation's error as its cause.
     */
    private static AssertionError missed(Evidence evidence, String what, String note, String failure, Throwable last) {
        String reason = last == null ? "it did not happen" : last.getMessage();
        evidence.note("deadline missed: " + what, note + "; last observation: " + reason);
        AssertionError error = new AssertionError(io.triad.host.Redactor.redact(failure + ": " + reason));
        if (last != null) {
            error.initCause(last);
        }
        return error;
    }

    /** A dry run goes through the check once, for the commands it would run; what they answer is not known. */
    private static void planOnce(Runnable check) {
        try {
            check.run();
        } catch (Safety.SafetyStop stop) {
            throw stop;
        } catch (AssertionError | RuntimeException notKnown) {
            // the answers are not known in a dry run
        }
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
