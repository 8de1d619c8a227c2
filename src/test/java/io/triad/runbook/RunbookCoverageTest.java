package io.triad.runbook;

import io.triad.env.Profile;
import io.triad.sim.SimulatedTriad;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * For every profile: every item of its catalogue is proven by at least one scenario of its
 * features, and no scenario names an item its runbook lacks. The items a profile does not prove
 * yet are listed here by name (each one a GAP line in every report), so the list only shrinks.
 */
class RunbookCoverageTest {

    /** Items without a scenario yet, per profile (issue 16 goes on). */
    private static final Map<String, Set<String>> NOT_YET = Map.of(
            "bsfg-triad", Set.of(),
            "unibus", Set.of(),
            // issue 18 goes on: the checklist's other items and the drills are being built
            "three-phoenix", Set.of(),
            // issue 20 goes on: the switchover, the point-in-time recovery, the end-to-end alerts and the drills
            "sfa", Set.of());

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
            Set<String> items = new TreeSet<>();
            Runbook.forProfile(profile).items().forEach(i -> items.add(i.id()));
            Set<String> expected = new TreeSet<>(items);
            expected.removeAll(NOT_YET.getOrDefault(profile, Set.of()));
            assertEquals(expected, tagged(profile), profile + ": items without a scenario, or tags without an item");
        }
        assertEquals(49, Runbook.forProfile("bsfg-triad").items().size());
    }
}
