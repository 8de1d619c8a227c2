package io.triad.host;

/** Words for a POSIX shell on a host. */
public final class Shell {

    private Shell() { }

    /** {@code s} as one single-quoted shell word, whatever it holds. */
    public static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
