package io.triad.runbook;

import io.triad.env.Profile;
import io.triad.sim.SimulatedTriad;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * For every profile: every item of its catalogue is either proven by at least one scenario of its
 * features or declared not covered by the harness, with its reason ({@code not_covered}), never
 * both and never neither; and no scenario names an item its runbook lacks.
 */
class RunbookCoverageTest {

    static Set<String> tagged(String profile) throws IOException {
        Set<String> tagged = new TreeSet<>();
        Pattern tag = Pattern.compile("@runbook:([A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)?)");
        try (Stream<Path> files = Files.list(SimulatedTriad.root().resolve(Profile.named(profile).featuresDir()))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".feature")).toList()) {
                Matcher m = tag.matcher(Files.readString(f));
                while (m.find()) {
                    tagged.add(m.group(1));
                }
            }
        }
        return tagged;
    }

    @Test
    void theFeaturesOfEveryProfileTagEveryItemOfItsRunbookAndNoOther() throws IOException {
        assertTrue(Profile.names().containsAll(Set.of("bsfg-triad", "unibus")), "profiles: " + Profile.names());
        for (String profile : Profile.names()) {
            Set<String> expected = new TreeSet<>();
            Set<String> declared = new TreeSet<>();
            Runbook.forProfile(profile).items().forEach(i -> (i.notCovered().isPresent() ? declared : expected).add(i.id()));
            Set<String> tagged = tagged(profile);
            Set<String> both = new TreeSet<>(declared);
            both.retainAll(tagged);
            assertEquals(Set.of(), both, profile + ": items declared not covered that a scenario proves");
            assertEquals(expected, tagged, profile + ": items neither proven by a scenario nor declared not covered, or tags without an item");
        }
        assertEquals(49, Runbook.forProfile("bsfg-triad").items().size());
    }
}
