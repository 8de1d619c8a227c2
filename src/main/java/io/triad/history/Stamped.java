package io.triad.history;

import java.time.Instant;

/**
 * A line of a drill client that runs on a node and streams its lines back: "@" and the instant the
 * client wrote it (bash's {@code EPOCHREALTIME}, seconds and microseconds on the node's clock), a
 * space, then the line. The stream brings lines in bursts under load (a CI run saw a write's send
 * and answer arrive 0.1 ms apart, and a write answered before a crash arrive after it), so the time a
 * line arrives is not when its request went out or came back; the client's own stamp is. A line
 * without one (an old bash, no EPOCHREALTIME) keeps its arrival's time.
 */
public record Stamped(Instant at, String text) {

    /** {@code raw} as the client stamped it, or at {@code arrival} when it carries no stamp of its own. */
    public static Stamped of(String raw, Instant arrival) {
        String line = raw.strip();
        if (!line.startsWith("@")) {
            return new Stamped(arrival, line);
        }
        int sp = line.indexOf(' ');
        String text = sp < 0 ? "" : line.substring(sp + 1);
        try {
            return new Stamped(epochSeconds(sp < 0 ? line.substring(1) : line.substring(1, sp)), text);
        } catch (NumberFormatException e) {
            return new Stamped(arrival, text); // not a time: the arrival's
        }
    }

    /**
     * An instant written as the shell writes {@code EPOCHREALTIME}: seconds, a point (or a locale's
     * decimal comma) and up to nine digits of fraction; a NumberFormatException when it is not one.
     */
    public static Instant epochSeconds(String text) {
        String at = text.replace(',', '.');
        int dot = at.indexOf('.');
        if (dot <= 0) {
            throw new NumberFormatException("not seconds.fraction: '" + text + "'");
        }
        String fraction = (at.substring(dot + 1) + "000000000").substring(0, 9);
        return Instant.ofEpochSecond(Long.parseLong(at.substring(0, dot)), Long.parseLong(fraction));
    }
}
