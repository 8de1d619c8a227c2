package io.triad.arch;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 35: a setting that is read must be used. Every field of every profile's settings record
 * (what an environment file may set under the profile's key) is used by the harness: its accessor
 * called in a check, a step or the simulated zone's recipe, or the field read in its own record
 * beyond its declaration (a ports map). A field read from the file and used by nothing would let an
 * operator set it and believe it applied.
 */
class SettingsUsedTest {

    static final List<String> PROFILES = List.of("unibus", "threephoenix", "plasmacloud", "sfa");

    @Test
    void everyFieldOfEveryProfilesSettingsIsUsed() throws Exception {
        String elsewhere = sources(Path.of("src/main/java"), Path.of("steps"));
        List<String> unused = new ArrayList<>();
        int fields = 0;
        for (String p : PROFILES) {
            Class<?> settings = Class.forName("io.triad.profile." + p + ".Settings");
            Path own = Path.of("src/main/java/io/triad/profile/" + p + "/Settings.java");
            String ownText = Files.readString(own);
            fields += settings.getRecordComponents().length;
            unused(settings, ownText, elsewhere.replace(ownText, "")).forEach(c -> unused.add(p + ".Settings." + c));
        }
        assertTrue(fields > 80, fields + " fields read");
        assertEquals(List.of(), unused, "settings read from the environment and used by no check, step or recipe");
    }

    /** The fields of {@code record} whose accessor {@code elsewhere} never calls and that its own source names only once. */
    static List<String> unused(Class<?> record, String ownText, String elsewhere) {
        return Stream.of(record.getRecordComponents()).map(RecordComponent::getName)
                .filter(n -> !Pattern.compile("\\." + n + "\\(\\)").matcher(elsewhere).find()
                        && Pattern.compile("\\b" + n + "\\b").matcher(ownText).results().count() < 2)
                .toList();
    }

    record Example(int port, String forgotten, int gossip) {
        java.util.Map<String, Integer> ports() {
            return java.util.Map.of("gossip", gossip);
        }
    }

    /** The rule finds a field nothing uses (a record read here: port called elsewhere, gossip used in its own ports map). */
    @Test
    void aFieldNothingUsesIsFound() throws IOException {
        String own = "record Example(int port, String forgotten, int gossip) { ports() { return Map.of(\"gossip\", gossip); } }";
        assertEquals(List.of("forgotten"), unused(Example.class, own, "check(settings.port() == 5432)"));
        assertEquals(List.of("port", "forgotten"), unused(Example.class, own, "nothing"));
    }

    static String sources(Path... roots) throws IOException {
        StringBuilder all = new StringBuilder();
        for (Path root : roots) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    all.append(Files.readString(f)).append('\n');
                }
            }
        }
        return all.toString();
    }
}
