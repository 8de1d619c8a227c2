package io.triad.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A run's verdicts in a small machine-readable file, {@value #FILE}, beside its acceptance
 * document: the zone, profile, runbook, when, the outcome, every item's and drill's verdict, what
 * fails the run, the waivers. What the per-item history of a zone and the fleet page are read from
 * (a run directory's other files are not read again), and what a pipeline can read too.
 */
public record RunSummary(Path dir, String zone, String profile, String runbook, String kind, Instant started, Instant finished,
                         String outcome, Map<String, String> items, Map<String, String> drills, List<String> failures,
                         List<Waiver> waivers) {

    public static final String FILE = "acceptance.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A waiver the run used or found expired: its item, its end, and whether it was in force. */
    public record Waiver(String item, LocalDate expires, boolean inForce) { }

    /** Writes the summary of a judged run into its directory. */
    static void write(Path dir, JsonNode run, String runbook, Acceptance a, AcceptanceDocument.Outcome outcome, Instant started,
                      Instant finished) {
        ObjectNode root = JSON.createObjectNode();
        root.put("zone", run.path("zone").asText("?"));
        root.put("profile", run.path("profile").asText("?"));
        root.put("runbook", runbook);
        root.put("kind", run.path("kind").asText("?"));
        root.put("started", started.toString());
        root.put("finished", finished.toString());
        root.put("outcome", outcome.name());
        ObjectNode items = root.putObject("items");
        a.items().forEach(r -> items.put(r.id(), r.verdict().name()));
        ObjectNode drills = root.putObject("drills");
        a.drills().forEach(r -> drills.put(r.id(), r.verdict().name()));
        var failures = root.putArray("failures");
        a.failures().forEach(failures::add);
        var waivers = root.putArray("waivers");
        a.waiversUsed().forEach(w -> waivers.addObject().put("item", w.item()).put("expires", w.expires().toString()).put("in_force", true));
        a.waiversExpired().forEach(w -> waivers.addObject().put("item", w.item()).put("expires", w.expires().toString()).put("in_force", false));
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(FILE).toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(FILE), e);
        }
    }

    /** The summary of one run directory; empty when it has none or it cannot be read (a run that died, another tool's file). */
    public static Optional<RunSummary> read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            Map<String, String> items = new LinkedHashMap<>();
            root.path("items").fields().forEachRemaining(e -> items.put(e.getKey(), e.getValue().asText()));
            Map<String, String> drills = new LinkedHashMap<>();
            root.path("drills").fields().forEachRemaining(e -> drills.put(e.getKey(), e.getValue().asText()));
            List<String> failures = new ArrayList<>();
            root.path("failures").forEach(f -> failures.add(f.asText()));
            List<Waiver> waivers = new ArrayList<>();
            root.path("waivers").forEach(w -> waivers.add(new Waiver(w.path("item").asText(), LocalDate.parse(w.path("expires").asText()),
                    w.path("in_force").asBoolean())));
            return Optional.of(new RunSummary(dir, root.path("zone").asText(), root.path("profile").asText(), root.path("runbook").asText(),
                    root.path("kind").asText(), Instant.parse(root.path("started").asText()), Instant.parse(root.path("finished").asText()),
                    root.path("outcome").asText(), items, drills, failures, waivers));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Every run summary under {@code root}: the run directories themselves or up to three levels
     * below (a reports directory, a directory of zones' reports directories), symbolic links such
     * as {@code latest} not followed; newest first.
     */
    public static List<RunSummary> under(Path root) {
        List<RunSummary> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root, 4)) {
            files.filter(p -> p.getFileName().toString().equals(FILE)).forEach(p -> read(p.getParent()).ifPresent(out::add));
        } catch (IOException e) {
            throw new io.triad.env.InputError("cannot read the runs under " + root + ": " + e.getMessage());
        }
        out.sort(Comparator.comparing(RunSummary::started).reversed());
        return out;
    }
}
