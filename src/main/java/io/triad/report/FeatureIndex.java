package io.triad.report;

import io.cucumber.gherkin.GherkinParser;
import io.cucumber.messages.types.Envelope;
import io.cucumber.messages.types.Pickle;
import io.cucumber.messages.types.PickleTag;
import io.triad.env.InputError;
import io.triad.runbook.Runbook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Which scenarios the features hold for each runbook item and each drill, whether or not a run
 * selected them: what the traceability matrix calls "no scenario" (a gap) is judged from here.
 */
public final class FeatureIndex {

    /** A scenario of the features: its feature file's name, its name, its tags. */
    public record Scenario(String file, String name, List<String> tags) { }

    private final List<Scenario> scenarios;

    public FeatureIndex(List<Scenario> scenarios) {
        this.scenarios = List.copyOf(scenarios);
    }

    /** Every scenario (every example of an outline) of the .feature files under {@code dir}. */
    public static FeatureIndex of(Path dir) {
        List<Scenario> out = new ArrayList<>();
        GherkinParser parser = GherkinParser.builder().includeSource(false).includeGherkinDocument(false).build();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".feature")).sorted().toList()) {
                try (Stream<Envelope> envelopes = parser.parse(f)) {
                    envelopes.map(Envelope::getPickle).flatMap(java.util.Optional::stream).forEach((Pickle p) ->
                            out.add(new Scenario(f.getFileName().toString(), p.getName(),
                                    p.getTags().stream().map(PickleTag::getName).toList())));
                }
            }
        } catch (IOException e) {
            throw new InputError("cannot read the features under " + dir + ": " + e.getMessage());
        }
        return new FeatureIndex(out);
    }

    public List<Scenario> scenarios() {
        return scenarios;
    }

    /** The scenarios tagged with each runbook item. */
    public Map<String, List<Scenario>> byItem() {
        Map<String, List<Scenario>> out = new LinkedHashMap<>();
        for (Scenario s : scenarios) {
            for (String id : Runbook.idsIn(s.tags())) {
                out.computeIfAbsent(id, k -> new ArrayList<>()).add(s);
            }
        }
        return out;
    }

    /** The drills, by their {@code drill:<name>} id. */
    public Map<String, Scenario> drills() {
        Map<String, Scenario> out = new LinkedHashMap<>();
        for (Scenario s : scenarios) {
            drillId(s.tags()).ifPresent(id -> out.putIfAbsent(id, s));
        }
        return out;
    }

    /** A scenario's drill id ("drill:crash" for {@code @drill:crash}), if it is a drill. */
    public static java.util.Optional<String> drillId(List<String> tags) {
        return tags.stream().filter(t -> t.startsWith("@drill:")).map(t -> t.substring(1)).findFirst();
    }
}
