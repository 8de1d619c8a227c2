package io.triad;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** A recorded output the tests read: a test resource under {@code src/test/resources/recorded/}, as text. */
public final class Recorded {

    private Recorded() { }

    /** The file at {@code path} under {@code recorded/} ("postgres/sfa-pitr-restore.log"). */
    public static String text(String path) {
        try (InputStream in = Recorded.class.getResourceAsStream("/recorded/" + path)) {
            if (in == null) {
                throw new IllegalStateException("no recording recorded/" + path + " among the test resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
