package io.triad.host;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secret material from what the harness writes down (evidence, failure messages, the
 * command log) before it reaches any report: private key blocks (PEM and OpenSSH), NATS nkey
 * seeds, bearer tokens, and the value of any setting whose name says it is a secret (password,
 * pass, auth_pass, secret, token, api key, access or secret key, private key, credentials). What
 * is removed is replaced with {@code [REDACTED]}; the setting's name stays, so the reader still
 * sees that it is there.
 */
public final class Redactor {

    public static final String MARK = "[REDACTED]";

    private static final Pattern KEY_BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]*PRIVATE KEY|[A-Z ]*NKEY SEED)-----.*?-----END \\1-----", Pattern.DOTALL);
    /** A block cut off by a truncated output: everything after its start. */
    private static final Pattern KEY_BLOCK_OPEN = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]*PRIVATE KEY|[A-Z ]*NKEY SEED)-----(?!.*?-----END).*", Pattern.DOTALL);
    private static final Pattern NKEY_SEED = Pattern.compile("\\bS[UAONCPX][A-Z2-7]{56}\\b");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer|token)(\\s+)([A-Za-z0-9._~+/=-]{8,})");
    private static final Pattern SETTING = Pattern.compile("(?i)(\\b[\\w.-]*(?:password|passwd|passphrase|auth_pass|secret|token"
            + "|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)\\b|(?<![./])\\bpass\\b)(\"?\\s*[:=]\\s*|\\s+)"
            // prose is not a setting: "the route secret is empty", "cluster.pass is 0600" keep their words
            + "(?!(?:is|are|was|at|in|of|on|to|from|not|and|or|the|a|an|for|file|files|appears|holds)\\b)"
            + "(\"[^\"\\n]*\"|'[^'\\n]*'|[^\\s,;}\\]\"']+)");

    private Redactor() { }

    /** The text with every secret replaced by {@link #MARK}. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = KEY_BLOCK.matcher(text).replaceAll(m -> Matcher.quoteReplacement("-----BEGIN " + m.group(1) + "-----\n"
                + MARK + "\n-----END " + m.group(1) + "-----"));
        out = KEY_BLOCK_OPEN.matcher(out).replaceAll(m -> Matcher.quoteReplacement("-----BEGIN " + m.group(1) + "-----\n" + MARK));
        out = NKEY_SEED.matcher(out).replaceAll(MARK);
        out = BEARER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + MARK));
        out = SETTING.matcher(out).replaceAll(m -> m.group(3).equals(MARK) ? Matcher.quoteReplacement(m.group())
                : Matcher.quoteReplacement(m.group(1) + m.group(2) + MARK));
        return out;
    }

    /** A command's result as it may be written down: its outputs redacted. */
    public static CommandResult redact(CommandResult r) {
        return new CommandResult(r.host(), redact(r.command()), redact(r.stdout()), redact(r.stderr()), r.exitCode(),
                r.startedAt(), r.duration(), r.timedOut());
    }
}
