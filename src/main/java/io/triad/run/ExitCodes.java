package io.triad.run;

/** Exit codes that gate CI. */
public final class ExitCodes {
    /** Every selected item passed (or was skipped with a declared reason). */
    public static final int PASSED = 0;
    /** A check failed or halted, or a step was undefined or pending. */
    public static final int FAILED = 1;
    /** Bad input or an unusable environment: nothing was checked. */
    public static final int BAD_INPUT = 2;

    private ExitCodes() { }
}
