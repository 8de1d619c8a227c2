package io.triad.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.triad.env.Environment;
import io.triad.runbook.Ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The acceptance report of a run directory: the Allure results of its scenarios, completed with
 * what the harness knows (the strict verdict of each scenario, waivers, the runbook item it proves,
 * its measured figures and, for a drill, its failover timeline), plus the traceability matrix, the
 * handoff criteria with the sign-off form, the environment and executor, and the history of the
 * previous run; then one self-contained HTML file, {@code report.html}, made offline by the Allure
 * 2 commandline in single-file mode.
 */
public final class AcceptanceReport {

    /** The single-file report in a run directory. */
    public static final String FILE = "report.html";
    static final String RESULTS = "allure-results";
    /** Matrix links name a scenario by its location until the report knows its Allure uid. */
    static final String EVIDENCE_LINK = "#evidence/";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The hook that attaches a scenario's evidence (steps/io/triad/steps/common/Hooks.java). */
    static final String EVIDENCE_HOOK = "io.triad.steps.common.Hooks.healAndAttach";

    /** What the report is made of besides the run directory's own files. */
    public record Inputs(Path runDir, Acceptance acceptance, List<Ledger.Scenario> scenarios, String runbookName,
                         Map<String, Environment.Signature> signoff, List<String> signoffRoles, Instant started, Instant finished,
                         Optional<Path> previousRun) { }

    private AcceptanceReport() { }

    /** Writes report.html into the run directory and returns it. */
    public static Path write(Inputs in, AllureCommandline allure) {
        Path results = in.runDir().resolve(RESULTS);
        try {
            Files.createDirectories(results);
            Map<String, String> zone = runRecord(in.runDir());
            complete(results, in);
            writeSynthetic(results, in, zone);
            writeEnvironment(results, zone, in);
            in.previousRun().ifPresent(prev -> carryHistory(prev.resolve(FILE), results.resolve("history")));
            Path out = in.runDir().resolve(FILE);
            allure.singleFile(results, out, "Acceptance of zone " + zone.getOrDefault("zone", "?"));
            link(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report of " + in.runDir(), e);
        }
    }

    // ---- the scenarios' results -------------------------------------------------------------------------------

    /** Each scenario's Allure result gets the harness's verdict, its runbook items, figures and timeline. */
    static void complete(Path results, Inputs in) throws IOException {
        Map<String, Ledger.Scenario> byLocation = new LinkedHashMap<>();
        in.scenarios().forEach(s -> byLocation.put(s.location(), s));
        Map<String, List<JsonNode>> evidence = takeEvidence(results);
        for (Path file : resultFiles(results)) {
            ObjectNode r = (ObjectNode) JSON.readTree(file.toFile());
            evidence.getOrDefault(r.path("uuid").asText(), List.of()).forEach(r.withArray("attachments")::add);
            String location = location(r);
            Ledger.Scenario s = byLocation.get(location);
            if (s == null) {
                continue;
            }
            List<Acceptance.Row> rows = rowsOf(s, in.acceptance());
            boolean waived = s.status() == Ledger.Status.FAILED && !rows.isEmpty()
                    && rows.stream().allMatch(row -> row.verdict() == Acceptance.Verdict.WAIVED);
            r.put("status", switch (s.status()) {
                case PASSED -> "passed";
                case FAILED -> "failed";
                case SKIPPED, NOT_RUN -> "skipped";
            });
            ObjectNode details = r.with("statusDetails");
            if (!s.reason().isEmpty()) {
                String message = waived ? "WAIVED (" + rows.get(0).waiver().orElseThrow().describe() + "): " + s.reason() : s.reason();
                details.put("message", message);
            }
            ArrayNode labels = r.withArray("labels");
            for (int i = labels.size() - 1; i >= 0; i--) {
                String name = labels.get(i).path("name").asText();
                if (name.equals("epic") || name.equals("feature") || name.equals("story")) {
                    labels.remove(i);
                }
            }
            for (Acceptance.Row row : rows) {
                boolean drill = row.id().startsWith("drill:");
                label(labels, "epic", drill ? "Drills (beyond the runbook's items)" : in.runbookName());
                label(labels, "feature", drill ? "Drills" : "Section " + row.section());
                label(labels, "story", row.id() + " " + row.title());
            }
            if (rows.isEmpty()) {
                label(labels, "epic", "Other scenarios");
            }
            if (waived) {
                label(labels, "tag", "waived");
            }
            r.put("descriptionHtml", Html.scenarioHeader(s, rows, figures(results, r), timeline(results, r))
                    + Html.markdownless(r.path("description").asText("")));
            JSON.writeValue(file.toFile(), r);
        }
    }

    /**
     * The evidence the scenario hooks attach when a scenario ends (commands with their host and
     * output, probes, figures, the history and timeline): allure-cucumber files it under the
     * hook's "tear down"; it is moved to the scenario's own attachments, where a reader looks.
     */
    static Map<String, List<JsonNode>> takeEvidence(Path results) throws IOException {
        Map<String, List<JsonNode>> out = new LinkedHashMap<>();
        List<Path> containers;
        try (Stream<Path> files = Files.list(results)) {
            containers = files.filter(p -> p.getFileName().toString().endsWith("-container.json")).sorted().toList();
        }
        for (Path file : containers) {
            ObjectNode c = (ObjectNode) JSON.readTree(file.toFile());
            boolean changed = false;
            for (JsonNode fixture : c.path("afters")) {
                if (!fixture.path("name").asText().startsWith(EVIDENCE_HOOK) || fixture.path("attachments").isEmpty()) {
                    continue;
                }
                for (JsonNode child : c.path("children")) {
                    fixture.path("attachments").forEach(a -> out.computeIfAbsent(child.asText(), k -> new ArrayList<>()).add(a));
                }
                ((ObjectNode) fixture).putArray("attachments");
                changed = true;
            }
            if (changed) {
                JSON.writeValue(file.toFile(), c);
            }
        }
        return out;
    }

    private static List<Acceptance.Row> rowsOf(Ledger.Scenario s, Acceptance acceptance) {
        List<Acceptance.Row> rows = new ArrayList<>();
        io.triad.runbook.Runbook.idsIn(s.tags()).forEach(id -> acceptance.row(id).ifPresent(rows::add));
        FeatureIndex.drillId(s.tags()).flatMap(acceptance::row).ifPresent(rows::add);
        return rows;
    }

    /** The measured figures a scenario attached ("figure: name" attachments), in order. */
    static Map<String, String> figures(Path results, JsonNode result) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode a : attachments(result)) {
            String name = a.path("name").asText();
            if (name.startsWith(io.triad.host.Evidence.FIGURE)) {
                out.put(name.substring(io.triad.host.Evidence.FIGURE.length()), Files.readString(results.resolve(a.path("source").asText())).strip());
            }
        }
        return out;
    }

    /** The drill's timeline picture, if it attached one. */
    static Optional<String> timeline(Path results, JsonNode result) throws IOException {
        for (JsonNode a : attachments(result)) {
            if (a.path("name").asText().equals(Timeline.ATTACHMENT) && a.path("type").asText().equals(Timeline.MEDIA_TYPE)) {
                return Optional.of(Files.readString(results.resolve(a.path("source").asText())));
            }
        }
        return Optional.empty();
    }

    /** Attachments of a result and of its steps. */
    private static List<JsonNode> attachments(JsonNode result) {
        List<JsonNode> out = new ArrayList<>();
        result.path("attachments").forEach(out::add);
        for (JsonNode step : result.path("steps")) {
            out.addAll(attachments(step));
        }
        return out;
    }

    // ---- what the harness adds --------------------------------------------------------------------------------

    /** The traceability matrix and the handoff criteria with the sign-off form, as results of their own. */
    static void writeSynthetic(Path results, Inputs in, Map<String, String> zone) throws IOException {
        String suite = "Acceptance of zone " + zone.getOrDefault("zone", "?");
        String verdict = in.acceptance().passed() ? "passed" : "failed";
        String failures = in.acceptance().passed() ? "" : in.acceptance().failures().size()
                + " thing(s) fail this run, listed below: " + in.acceptance().failures().get(0) + (in.acceptance().failures().size() > 1 ? " ..." : "");
        synthetic(results, in, suite, "Traceability matrix: every runbook item, its scenario, verdict and evidence",
                "acceptance:traceability", verdict, failures, Html.matrix(in.acceptance()));
        List<Acceptance.Row> handoff = in.acceptance().handoff();
        boolean ticked = !handoff.isEmpty() && handoff.stream().allMatch(r -> r.verdict() == Acceptance.Verdict.PASSED);
        boolean failed = handoff.stream().anyMatch(r -> r.verdict() == Acceptance.Verdict.FAILED || r.verdict() == Acceptance.Verdict.HALTED);
        boolean unselected = handoff.stream().allMatch(r -> r.verdict() == Acceptance.Verdict.NOT_SELECTED
                || r.verdict() == Acceptance.Verdict.GAP);
        synthetic(results, in, suite, "Handoff criteria and sign-off", "acceptance:handoff",
                ticked ? "passed" : failed ? "failed" : "skipped",
                ticked ? "" : failed ? "not every handoff criterion is ticked" : unselected ? "the handoff criteria were not selected in this run"
                        : "not every handoff criterion was proven in this run (the items it rests on were not all run)",
                Html.handoff(handoff, in.signoff(), in.signoffRoles()));
    }

    private static void synthetic(Path results, Inputs in, String suite, String name, String key, String status,
                                  String message, String html) throws IOException {
        ObjectNode r = JSON.createObjectNode();
        String uuid = UUID.randomUUID().toString();
        r.put("uuid", uuid);
        r.put("historyId", md5(suite + "/" + key));
        r.put("testCaseId", md5(key));
        r.put("fullName", key);
        r.put("name", name);
        r.put("status", status);
        r.with("statusDetails").put("message", message);
        r.put("stage", "finished");
        r.put("start", in.started().toEpochMilli());
        r.put("stop", in.finished().toEpochMilli());
        r.put("descriptionHtml", html);
        ArrayNode labels = r.putArray("labels");
        label(labels, "suite", suite);
        label(labels, "epic", "Acceptance");
        label(labels, "feature", name);
        r.putArray("steps");
        r.putArray("attachments");
        r.putArray("parameters");
        r.putArray("links");
        JSON.writeValue(results.resolve(uuid + "-result.json").toFile(), r);
    }

    /** Allure's environment widget, executor widget and failure categories. */
    static void writeEnvironment(Path results, Map<String, String> zone, Inputs in) throws IOException {
        StringBuilder props = new StringBuilder();
        for (Map.Entry<String, String> e : zone.entrySet()) {
            props.append(e.getKey().replace(' ', '_')).append('=').append(e.getValue().replace("\n", " ")).append('\n');
        }
        props.append("finished_at=").append(in.finished()).append('\n');
        props.append("verdict=").append(in.acceptance().passed() ? "PASSED" : "FAILED").append('\n');
        Files.writeString(results.resolve("environment.properties"), props.toString());

        ObjectNode executor = JSON.createObjectNode();
        executor.put("name", zone.getOrDefault("executor", "unknown"));
        executor.put("type", "triad-acceptance");
        executor.put("buildName", in.runDir().getFileName() + " (harness " + zone.getOrDefault("harness_version", "?") + ", commit "
                + zone.getOrDefault("harness_commit", "?") + ")");
        executor.put("reportName", "Acceptance of zone " + zone.getOrDefault("zone", "?"));
        JSON.writeValue(results.resolve("executor.json").toFile(), executor);

        ArrayNode categories = JSON.createArrayNode();
        category(categories, "Waived failures (accepted by an approver until a date)", "WAIVED.*", "failed", "broken");
        category(categories, "Undefined or pending steps", "(undefined|pending) step.*", "failed", "broken");
        category(categories, "Not run: halted by a runbook item or interrupted", "not run:.*", "skipped");
        category(categories, "Not applicable to this zone", "not applicable.*", "skipped");
        category(categories, "Failed checks", ".*", "failed");
        category(categories, "Broken", ".*", "broken");
        JSON.writeValue(results.resolve("categories.json").toFile(), categories);
    }

    private static void category(ArrayNode categories, String name, String regex, String... statuses) {
        ObjectNode c = categories.addObject();
        c.put("name", name);
        c.put("messageRegex", regex);
        ArrayNode s = c.putArray("matchedStatuses");
        for (String status : statuses) {
            s.add(status);
        }
    }

    /** run.json, flattened to the lines the environment widget shows (no secrets are in it). */
    static Map<String, String> runRecord(Path runDir) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        Path file = runDir.resolve("run.json");
        if (!Files.exists(file)) {
            return out;
        }
        JsonNode run = JSON.readTree(file.toFile());
        for (String key : List.of("zone", "profile", "kind", "environment_file", "tags", "continue_past_halt", "started_at",
                "executor", "harness_version", "harness_commit", "vip")) {
            if (run.has(key)) {
                out.put(key, run.path(key).asText());
            }
        }
        for (JsonNode h : run.path("hosts")) {
            out.put("host " + h.path("name").asText(), h.path("role").asText() + ", " + h.path("hostname").asText() + ", "
                    + h.path("address").asText());
        }
        return out;
    }

    // ---- history and links -------------------------------------------------------------------------------------

    /** Allure's history of the previous run, taken out of its single-file report, so the trend carries on. */
    static void carryHistory(Path previousReport, Path historyDir) {
        if (!Files.isRegularFile(previousReport)) {
            return;
        }
        try {
            SingleFile previous = SingleFile.read(previousReport);
            Files.createDirectories(historyDir);
            for (Map.Entry<String, byte[]> e : previous.entries("history/").entrySet()) {
                Files.write(historyDir.resolve(e.getKey().substring("history/".length())), e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the history of " + previousReport, e);
        }
    }

    /** Points the matrix's evidence links at the scenarios' pages, now that the report has given them uids. */
    static void link(Path report) throws IOException {
        SingleFile file = SingleFile.read(report);
        Map<String, String> uidByLocation = new LinkedHashMap<>();
        Map<String, JsonNode> cases = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : file.entries("data/test-cases/").entrySet()) {
            JsonNode c = JSON.readTree(e.getValue());
            cases.put(e.getKey(), c);
            uidByLocation.put(location(c), c.path("uid").asText());
        }
        for (Map.Entry<String, JsonNode> e : cases.entrySet()) {
            String html = e.getValue().path("descriptionHtml").asText("");
            if (!html.contains(EVIDENCE_LINK)) {
                continue;
            }
            StringBuilder out = new StringBuilder();
            int at = 0;
            int i;
            while ((i = html.indexOf(EVIDENCE_LINK, at)) >= 0) {
                int end = html.indexOf('"', i);
                String location = html.substring(i + EVIDENCE_LINK.length(), end);
                String uid = uidByLocation.get(Html.unescape(location));
                out.append(html, at, i).append(uid == null ? "#" : "#testresult/" + uid);
                at = end;
            }
            out.append(html.substring(at));
            ((ObjectNode) e.getValue()).put("descriptionHtml", out.toString());
            file.replace(e.getKey(), JSON.writeValueAsBytes(e.getValue()));
        }
        file.write(report);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    static List<Path> resultFiles(Path results) throws IOException {
        try (Stream<Path> files = Files.list(results)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-result.json")).sorted().toList();
        }
    }

    /** "04-service-installation.feature:8" of a scenario's result ("features/04-service-installation.feature:8"). */
    static String location(JsonNode result) {
        String full = result.path("fullName").asText();
        return full.substring(full.lastIndexOf('/') + 1);
    }

    private static void label(ArrayNode labels, String name, String value) {
        for (JsonNode l : labels) {
            if (l.path("name").asText().equals(name) && l.path("value").asText().equals(value)) {
                return;
            }
        }
        labels.addObject().put("name", name).put("value", value);
    }

    static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
