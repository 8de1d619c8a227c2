package io.triad.steps.common;

import io.triad.env.Profile;
import io.triad.history.History;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared sentence "the history shows no instant with two X or two Y" names the profile's
 * exclusive resources by their phrases: each feature of each profile that says it names only
 * resources its profile declares, and a phrase no profile declares is refused with the declared
 * ones named (not judged on nothing).
 */
class DrillVocabularyTest {

    private static final Pattern SENTENCE = Pattern.compile("^\\s*(?:Then|And|But) the history shows no instant with (two .+)$");

    @Test
    void everyProfileSaysTheSentenceWithItsOwnResources() throws Exception {
        int said = 0;
        for (String name : Profile.names()) {
            List<History.Resource> declared = Profile.named(name).exclusive();
            try (Stream<Path> files = Files.walk(Path.of("features", name))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".feature")).toList()) {
                    for (String line : Files.readAllLines(f)) {
                        Matcher m = SENTENCE.matcher(line);
                        if (m.matches()) {
                            List<History.Resource> named = DrillVocabularySteps.resources(declared, m.group(1));
                            assertTrue(!named.isEmpty(), f + ": " + line);
                            said++;
                        }
                    }
                }
            }
        }
        // BSFG 8, three-phoenix 2, SFA 3, unibus 2, PlasmaCloud 1: every profile's drills say it, once bound
        assertTrue(said >= 16, "the shared sentence is said " + said + " times");
    }

    @Test
    void twoResourcesAreJudgedTogetherAndAnUndeclaredOneIsRefused() {
        List<History.Resource> bsfg = List.of(new History.Resource("vip", "VIP", "VIP held", "two VIP holders"),
                new History.Resource("controller", "controller", "controller active", "two active controllers"));
        assertEquals(List.of("vip", "controller"), DrillVocabularySteps.resources(bsfg, "two VIP holders or two active controllers")
                .stream().map(History.Resource::name).toList());
        assertEquals(List.of("controller"), DrillVocabularySteps.resources(bsfg, "two active controllers")
                .stream().map(History.Resource::name).toList());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DrillVocabularySteps.resources(bsfg, "two VIP holders or two primaries"));
        assertTrue(e.getMessage().contains("'two primaries' is not an exclusive resource") && e.getMessage().contains("two active controllers"),
                e.getMessage());
    }
}
