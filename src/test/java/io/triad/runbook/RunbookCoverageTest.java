package io.triad.runbook;

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

/** Every item of the catalogue is proven by at least one scenario, and no scenario names an item the runbook lacks. */
class RunbookCoverageTest {

    @Test
    void theFeaturesTagEveryItemOfTheRunbookAndNoOther() throws IOException {
        Set<String> tagged = new TreeSet<>();
        Pattern tag = Pattern.compile("@runbook:([0-9.]+)");
        try (Stream<Path> files = Files.list(SimulatedTriad.root().resolve("features/bsfg-triad"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".feature")).toList()) {
                Matcher m = tag.matcher(Files.readString(f));
                while (m.find()) {
                    tagged.add(m.group(1));
                }
            }
        }
        Set<String> items = new TreeSet<>();
        Runbook.forProfile("bsfg-triad").items().forEach(i -> items.add(i.id()));
        assertEquals(49, items.size());
        assertEquals(items, tagged, "items without a scenario, or tags without an item");
    }
}
