package io.triad.run;

import java.io.PrintStream;

/** Progress output on long work: each line carries the elapsed time since the run began. */
public final class Progress {
    private final PrintStream out;
    private final long start = System.nanoTime();
    private final boolean quiet;

    public Progress(PrintStream out, boolean quiet) {
        this.out = out;
        this.quiet = quiet;
    }

    public static Progress stderr() {
        return new Progress(System.err, false);
    }

    public static Progress silent() {
        return new Progress(System.err, true);
    }

    public String elapsed() {
        long ms = (System.nanoTime() - start) / 1_000_000;
        return String.format("%3d.%01ds", ms / 1000, (ms % 1000) / 100);
    }

    public void step(String message) {
        if (!quiet) {
            out.printf("[%s] %s%n", elapsed(), message);
            out.flush();
        }
    }

    public void note(String message) {
        step("  " + message);
    }
}
