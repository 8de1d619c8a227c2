package io.triad.profile.sfa;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each SFA mutant that overlays the RKE2 stand-in's objects is the zone's own file with its one
 * defect: the same lines but the one or two it changes, so that a change to the zone's objects
 * (Recipe.WORKLOADS) that is not carried into a mutant's copy fails here, not as a mutant caught
 * for another reason (or laid in place on a zone its file would otherwise take objects from).
 */
class WorkloadMutantsTest {

    static final Path MUTANTS = Path.of("fixtures/sfa/mutants");

    @Test
    void everyMutantsObjectsAreTheZonesWithItsOneChange() throws Exception {
        List<String> reference = Recipe.WORKLOADS.strip().lines().toList();
        List<Path> copies;
        try (Stream<Path> s = Files.list(MUTANTS)) {
            copies = s.map(d -> d.resolve("etc/kubernetes/zone").resolve(Recipe.RKE2_OBJECTS)).filter(Files::isRegularFile).sorted().toList();
        }
        assertTrue(copies.size() >= 6, "the mutants with their own objects: " + copies);
        for (Path copy : copies) {
            List<String> lines = Files.readAllLines(copy).stream().filter(l -> !l.startsWith("#")).toList();
            String problem = notOneChange(reference, lines);
            assertEquals(null, problem, copy + " is not the zone's objects with one change: " + problem);
        }
    }

    /** Null when {@code copy} is {@code reference} with one line changed, added or removed; else what differs. */
    static String notOneChange(List<String> reference, List<String> copy) {
        List<String> removed = new ArrayList<>(reference);
        copy.forEach(removed::remove);
        List<String> added = new ArrayList<>(copy);
        reference.forEach(added::remove);
        return removed.size() <= 1 && added.size() <= 1 && !(removed.isEmpty() && added.isEmpty()) ? null
                : "lines gone " + removed + ", lines new " + added;
    }

    @Test
    void aCopyThatMissesAChangeToTheZonesObjectsOrChangesNothingIsFound() {
        List<String> reference = Recipe.WORKLOADS.strip().lines().toList();
        // a copy made before the blue-green objects were added, with its one change
        List<String> old = new ArrayList<>(reference.stream().filter(l -> !l.contains("user-service")).toList());
        old.add("  revisionHistoryLimit: 0");
        assertTrue(notOneChange(reference, old) != null && notOneChange(reference, old).contains("user-service"), notOneChange(reference, old));
        assertTrue(notOneChange(reference, reference) != null, "no change at all is no mutant");
        List<String> one = new ArrayList<>(reference);
        one.set(one.indexOf("  minAvailable: 2"), "  minAvailable: 3");
        assertEquals(null, notOneChange(reference, one));
    }
}
