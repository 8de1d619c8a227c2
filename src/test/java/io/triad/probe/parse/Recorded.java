package io.triad.probe.parse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads the outputs under src/test/resources/recorded/parse (see the README there for which are genuine). */
public final class Recorded {

    private Recorded() { }

    public static String read(String name) {
        try (InputStream in = Recorded.class.getResourceAsStream("/recorded/parse/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no recorded output " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
