package io.triad.run;

/** Exit codes that gate CI. */
public final class ExitCodes {
    /** Every selected item passed (or was skipped with a declared reason). */
    public static final int PASSED = 0;
    /** A check failed or halted, or a step was undefined or pending. */
    public static final int FAILED = 1;
    /** Bad input or an unusable environment: nothing was checked. */
    public static final int BAD_INPUT = 2;
    /**
     * Nothing failed, but the run is not a full acceptance (items not selected, not covered by the
     * harness, partly checked, or skipped without a declared reason); only with
     * {@code --require-full-acceptance}, else such a run exits {@link #PASSED} and says so.
     */
    public static final int INCOMPLETE = 3;

    private ExitCodes() { }
}
