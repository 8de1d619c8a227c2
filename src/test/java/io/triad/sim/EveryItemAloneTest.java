package io.triad.sim;

import io.triad.env.Environment;
import io.triad.report.FeatureIndex;
import io.triad.run.CucumberRun;
import io.triad.run.Progress;
import io.triad.runbook.Runbook;
import io.triad.zone.Zone;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Any subset of the runbook passes as reliably as the whole: every item of the profile's catalogue
 * is run alone, as an operator or a CI job runs it ({@code --tags @runbook:<item>}), as the first
 * scenario of a freshly started simulated zone, and passes (or is skipped as not applicable). A
 * handoff criterion is derived from the items it rests on, so it runs with them, after them; the
 * items that are only not applicable to the simulated zone share one zone. The figure it prints,
 * from the containers' start to the zone settled, is the bench's too (see README).
 */
class EveryItemAloneTest {

    /** One fresh zone: the tag expression it runs and the item that must be its first scenario (null: none must be). */
    record Group(String name, String tags, String first) { }

    static List<Group> groups(Runbook runbook, FeatureIndex index, Environment env) {
        Map<String, List<FeatureIndex.Scenario>> byItem = new LinkedHashMap<>();
        index.byItem().forEach((id, scenarios) -> {
            List<FeatureIndex.Scenario> kept = scenarios.stream().filter(s -> !s.tags().contains("@drill")).toList();
            if (!kept.isEmpty()) {
                byItem.put(id, kept);
            }
        });
        List<Group> groups = new ArrayList<>();
        Set<String> notApplicableOnly = new LinkedHashSet<>();
        Set<String> handoff = new LinkedHashSet<>();
        for (Runbook.Item item : runbook.items()) {
            List<FeatureIndex.Scenario> scenarios = byItem.get(item.id());
            assertTrue(scenarios != null, "runbook item " + item + " has no scenario outside the drills");
            if (!item.derivedFrom().isEmpty()) {
                handoff.add(item.id());
                handoff.addAll(item.derivedFrom());
            } else if (scenarios.stream().allMatch(s -> notApplicable(s, env))) {
                notApplicableOnly.add(item.id());
            } else {
                groups.add(new Group(item.id(), "@runbook:" + item.id() + " and not @drill", item.id()));
            }
        }
        groups.add(new Group("not-applicable", tags(notApplicableOnly), null));
        groups.add(new Group("handoff", tags(handoff), null));
        return groups;
    }

    static boolean notApplicable(FeatureIndex.Scenario s, Environment env) {
        return s.tags().stream().anyMatch(t -> t.startsWith("@needs:") && env.notApplicable(t.substring(7)).isPresent());
    }

    static String tags(Set<String> items) {
        return "(" + items.stream().map(i -> "@runbook:" + i).collect(Collectors.joining(" or ")) + ") and not @drill";
    }

    @Test
    void everyItemPassesAloneAsTheFirstScenarioOfAFreshZone() throws Exception {
        Environment env = RunbookFeaturesTest.simulated();
        Runbook runbook = Runbook.forProfile(env.profile().name());
        FeatureIndex index = FeatureIndex.of(RunbookFeaturesTest.FEATURES);
        List<Group> groups = groups(runbook, index, env);
        Set<String> firsts = groups.stream().map(Group::first).filter(java.util.Objects::nonNull).collect(Collectors.toSet());
        for (Runbook.Item item : runbook.items()) {
            boolean covered = firsts.contains(item.id()) || !item.derivedFrom().isEmpty()
                    || index.byItem().get(item.id()).stream().allMatch(s -> notApplicable(s, env));
            assertTrue(covered, item + " is never the first scenario of a zone");
        }

        Progress progress = Progress.stderr();
        List<String> failures = new ArrayList<>();
        List<Long> settled = new ArrayList<>();
        int i = 0;
        for (Group g : groups) {
            i++;
            progress.step("every item alone, zone " + i + "/" + groups.size() + ": " + g.tags());
            try (Zone zone = Zone.open(env, Progress.silent())) {
                zone.startToSettled().ifPresentOrElse(d -> settled.add(d.toMillis()),
                        () -> failures.add(g.name() + ": the fresh zone did not settle"));
                CucumberRun.Result result = CucumberRun.run(zone, RunbookFeaturesTest.FEATURES, g.tags(),
                        RunbookFeaturesTest.reports("alone/" + g.name()), Progress.silent());
                if (result.scenarios().isEmpty()) {
                    failures.add(g.name() + ": no scenario ran");
                    continue;
                }
                if (g.first() != null) {
                    Set<String> names = index.byItem().get(g.first()).stream().map(FeatureIndex.Scenario::name).collect(Collectors.toSet());
                    String first = result.scenarios().get(0).name();
                    assertTrue(names.stream().anyMatch(first::endsWith), g.name() + ": the first scenario was " + first);
                }
                for (CucumberRun.ScenarioResult s : result.scenarios()) {
                    boolean skippedWithReason = !s.passed() && !s.status().equals("FAILED")
                            && (s.message().startsWith("not applicable to zone sim") || s.message().startsWith("not signed"));
                    if (!s.passed() && !skippedWithReason) {
                        failures.add(g.name() + ": " + s.name() + ": " + s.status() + " " + s.message());
                    }
                    progress.note(s.status() + " " + s.name() + " (" + s.took().toMillis() + " ms)");
                }
            }
        }
        settled.sort(Long::compare);
        String figure = "containers started to settled, " + settled.size() + " fresh zones: median " + settled.get(settled.size() / 2)
                + " ms, worst " + settled.get(settled.size() - 1) + " ms, best " + settled.get(0) + " ms";
        progress.step(figure);
        Files.writeString(RunbookFeaturesTest.reports("alone").resolve("settle.txt"), figure + "\n");
        assertEquals(List.of(), failures, "items that fail when run alone on a fresh zone");
    }
}
