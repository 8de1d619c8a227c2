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

    /** Polls {@code check} (which throws AssertionError while not yet true) and returns the time it took. */
    public static Duration until(Evidence evidence, String what, Duration deadline, Runnable check) {
        if (io.triad.plan.Plan.active()) {
            io.triad.plan.Plan.current().poll(what, deadline);
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
                        } catch (AssertionError e) {
                            last.set(e);
                            return false;
                        }
                    });
        } catch (ConditionTimeoutException e) {
            Throwable cause = last.get();
            String reason = cause == null ? "it did not happen" : cause.getMessage();
            evidence.note("deadline missed: " + what, "not true within " + deadline.toMillis() + " ms after "
                    + attempts.get() + " attempts; last observation: " + reason);
            AssertionError error = new AssertionError(io.triad.host.Redactor.redact("not within " + seconds(deadline) + ": " + reason));
            if (cause != null) {
                error.initCause(cause);
            }
            throw error;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        evidence.note("measured: " + what + " after " + took.toMillis() + " ms",
                what + ": true after " + took.toMillis() + " ms (" + attempts.get() + " attempt" + (attempts.get() == 1 ? "" : "s")
                        + ", deadline " + deadline.toMillis() + " ms)");
        return took;
    }

    /**
     * Checks, polling, that {@code check} stays true for the whole period ("for 5 seconds alpha
     * keeps the VIP"); fails at the first observation that breaks it.
     */
    public static void holds(Evidence evidence, String what, Duration period, Runnable check) {
        if (io.triad.plan.Plan.active()) {
            io.triad.plan.Plan.current().note("repeat every 200 ms for " + seconds(period) + ", checking that: " + what);
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
