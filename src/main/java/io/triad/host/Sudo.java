package io.triad.host;

/**
 * The one way the harness runs a command as root on a host that logs it in as another account:
 * {@code sudo -n} (never a password prompt: a missing rule fails at once, with sudo's message)
 * around a POSIX shell, so pipelines and redirections run as root as a whole.
 */
public final class Sudo {

    private Sudo() { }

    public static String wrap(String command) {
        return "sudo -n -- /bin/sh -c " + Shell.quote(command);
    }
}
