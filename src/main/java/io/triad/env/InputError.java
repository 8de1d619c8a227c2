package io.triad.env;

/**
 * Bad input or an unusable environment: a malformed environment file, an unknown role, an
 * unreachable host, refused credentials. Carries one message that names what is wrong; the
 * command line prints it without a stack trace and exits with {@link io.triad.run.ExitCodes#BAD_INPUT}.
 */
public class InputError extends RuntimeException {
    public InputError(String message) {
        super(message);
    }

    public InputError(String message, Throwable cause) {
        super(message, cause);
    }
}
