package io.triad.run;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

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
        if (quiet) {
            return;
        }
        String line = String.format("[%s] %s", elapsed(), message);
        List<String> held = this.held.get();
        if (held != null) {
            held.add(line);
            return;
        }
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    /** This thread's lines, kept back while it runs a scenario beside others ({@link #hold}). */
    private final ThreadLocal<List<String>> held = new ThreadLocal<>();

    /**
     * From now on this thread's lines are kept back until {@link #release}, which prints them
     * together: a scenario that runs beside others prints its lines as one block, not interleaved.
     */
    public void hold() {
        if (held.get() == null) {
            held.set(new ArrayList<>());
        }
    }

    /** Prints what this thread kept back, as one block, and prints its lines at once again. */
    public void release() {
        List<String> lines = held.get();
        held.remove();
        if (lines == null || lines.isEmpty()) {
            return;
        }
        synchronized (out) {
            lines.forEach(out::println);
            out.flush();
        }
    }

    public void note(String message) {
        step("  " + message);
    }
}
