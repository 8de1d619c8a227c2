package io.triad.zone;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A recording's background loop: {@code body} run on a daemon thread, one round every
 * {@code periodMs} at most (the client's or the sampler's pace, not a wait for any state), until
 * {@code running} turns false. A round that throws is that round lost (the body records what
 * failed where that matters); the loop goes on.
 */
public final class Paced {

    private Paced() { }

    public static Thread start(String name, long periodMs, AtomicBoolean running, Runnable body) {
        Thread t = new Thread(() -> {
            while (running.get()) {
                long t0 = System.nanoTime();
                try {
                    body.run();
                } catch (RuntimeException e) {
                    // a failed round; the next one goes on
                }
                long left = periodMs - (System.nanoTime() - t0) / 1_000_000;
                if (left > 0) {
                    try {
                        Thread.sleep(left); // the loop's pace, not a wait for state
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Ends the loops: {@code running} turned false, then each thread given up to {@code waitMs} to finish its round. */
    public static void stopAll(AtomicBoolean running, java.util.List<Thread> threads, long waitMs) {
        running.set(false);
        for (Thread t : threads) {
            try {
                t.join(waitMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
