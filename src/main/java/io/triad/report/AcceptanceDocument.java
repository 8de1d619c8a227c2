package io.triad.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.runbook.Ledger;
import io.triad.runbook.Runbook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.triad.report.Html.esc;

/**
 * The document an auditor reads and signs, {@value #FILE}: one self-contained HTML file (no
 * script, no request: it opens offline and prints), the landing page of a run. What was accepted
 * (zone, profile, the runbook by its own title, environment file, when, how long, by whom, the
 * harness's version and commit, the mode) and the verdict in one line; then the runbook in its own
 * order and wording, section by section, each item with its method, expected result and halt
 * rule, this run's verdict, the figures measured and the evidence (every command with its host,
 * time, exit code and redacted output) one click away in a native disclosure; the handoff
 * criteria ticked from the evidence and the sign-off lines; each drill with its timeline, figures
 * and verdict; the waivers. Written from the run's own records for every profile alike: nothing
 * here names a profile. Allure's report stays beside it for engineers.
 */
public final class AcceptanceDocument {

    public static final String FILE = "acceptance.html";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** An attachment longer than this is cut in the document (the whole stays in the Allure results). */
    private static final int MAX_ATTACHMENT = 16_000;
    /** How many earlier runs of the same zone each item's history shows. */
    static final int HISTORY = 5;

    private AcceptanceDocument() { }

    /** One piece of evidence of a scenario: its name (host, command, exit code, time) and its text. */
    record Evidence(String name, String text) { }

    /** What the document shows of a scenario: its evidence, its figures and (a drill) its timeline. */
    record Proof(List<Evidence> evidence, Map<String, String> figures, Optional<String> timeline) {
        static final Proof NONE = new Proof(List.of(), Map.of(), Optional.empty());
    }

    /** Writes acceptance.html into the run directory (after the Allure results are complete) and returns it. */
    public static Path write(AcceptanceReport.Inputs in, Runbook runbook) {
        try {
            Map<String, Proof> proofs = proofs(in.runDir().resolve(AcceptanceReport.RESULTS));
            JsonNode run = Files.isRegularFile(in.runDir().resolve("run.json"))
                    ? JSON.readTree(in.runDir().resolve("run.json").toFile()) : JSON.createObjectNode();
            String zone = run.path("zone").asText("?");
            Path real = in.runDir().toRealPath();
            List<RunSummary> previous = in.runDir().getParent() == null ? List.of()
                    : RunSummary.under(in.runDir().toAbsolutePath().getParent()).stream()
                    .filter(r -> r.zone().equals(zone) && !sameDir(r.dir(), real) && r.started().isBefore(in.started()))
                    .limit(HISTORY).toList();
            Path out = in.runDir().resolve(FILE);
            Files.writeString(out, render(in, runbook, run, proofs, previous), StandardCharsets.UTF_8);
            RunSummary.write(in.runDir(), run, runbook.name(), in.acceptance(), outcome(in.acceptance()), in.started(), in.finished());
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE + " in " + in.runDir(), e);
        }
    }

    /** Each scenario's evidence, by its location ("05-verify.feature:11"), from the completed Allure results. */
    static Map<String, Proof> proofs(Path results) throws IOException {
        Map<String, Proof> out = new LinkedHashMap<>();
        if (!Files.isDirectory(results)) {
            return out;
        }
        for (Path file : AcceptanceReport.resultFiles(results)) {
            JsonNode r = JSON.readTree(file.toFile());
            List<Evidence> evidence = new ArrayList<>();
            for (JsonNode a : r.path("attachments")) {
                String type = a.path("type").asText();
                String name = a.path("name").asText();
                if (!type.startsWith("text/") || name.equals(Timeline.ATTACHMENT) || name.startsWith(io.triad.host.Evidence.FIGURE)) {
                    continue;
                }
                Path source = results.resolve(a.path("source").asText());
                if (Files.isRegularFile(source)) {
                    String text = Files.readString(source, StandardCharsets.UTF_8);
                    if (text.length() > MAX_ATTACHMENT) {
                        text = text.substring(0, MAX_ATTACHMENT) + "\n[... " + (text.length() - MAX_ATTACHMENT)
                                + " more characters in the Allure report's attachment]";
                    }
                    evidence.add(new Evidence(name, text));
                }
            }
            out.put(AcceptanceReport.location(r), new Proof(List.copyOf(evidence), AcceptanceReport.figures(results, r),
                    AcceptanceReport.timeline(results, r)));
        }
        return out;
    }

    private static boolean sameDir(Path a, Path realB) {
        try {
            return a.toRealPath().equals(realB);
        } catch (IOException e) {
            return false;
        }
    }

    static String render(AcceptanceReport.Inputs in, Runbook runbook, JsonNode run, Map<String, Proof> proofs, List<RunSummary> previous) {
        Acceptance a = in.acceptance();
        String zone = run.path("zone").asText("?");
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>Acceptance of zone ").append(esc(zone)).append(" against ").append(esc(runbook.name())).append("</title>")
                .append("<style>").append(STYLE).append("</style></head><body>\n");

        // ---- what was accepted, and the verdict in one line
        h.append("<header><h1>Acceptance of zone ").append(esc(zone)).append("</h1>")
                .append("<p class=\"runbook\">against <b>").append(esc(runbook.name())).append("</b></p>");
        Outcome outcome = outcome(a);
        h.append("<p id=\"verdict\" class=\"verdict ").append(outcome.name().toLowerCase()).append("\">")
                .append(outcome.words).append(": ").append(esc(verdictLine(a))).append("</p>");
        if (!a.failures().isEmpty()) {
            h.append("<ul class=\"failures\">");
            a.failures().forEach(f -> h.append("<li>").append(esc(f)).append("</li>"));
            h.append("</ul>");
        }
        h.append("<table class=\"facts\">");
        fact(h, "zone", zone + " (" + run.path("kind").asText("?") + ", profile " + run.path("profile").asText("?") + ")");
        fact(h, "runbook", runbook.name());
        fact(h, "environment file", run.path("environment_file").asText(""));
        fact(h, "started", in.started().toString());
        fact(h, "finished", in.finished() + " (" + minutes(Duration.between(in.started(), in.finished())) + ")");
        fact(h, "executor", run.path("executor").asText(""));
        fact(h, "harness", run.path("harness_version").asText("") + ", commit " + run.path("harness_commit").asText("unknown"));
        fact(h, "mode", mode(run.path("mode")));
        if (!run.path("tags").asText("").isBlank()) {
            fact(h, "selection", "scenarios tagged " + run.path("tags").asText() + " (items outside it: not selected)");
        }
        if (run.has("provisioned_by")) {
            fact(h, "provisioned by", run.path("provisioned_by").path("what").asText("") + " (nodes: "
                    + run.path("provisioned_by").path("reference").asText("") + ")");
            if (run.path("provisioned_by").has("repeatable")) {
                fact(h, "provisioning repeatable", run.path("provisioned_by").path("repeatable").asText(""));
            }
        }
        StringBuilder hosts = new StringBuilder();
        run.path("hosts").forEach(x -> hosts.append(hosts.isEmpty() ? "" : "; ").append(x.path("name").asText()).append(" (")
                .append(x.path("role").asText()).append(", ").append(x.path("address").asText()).append(")"));
        fact(h, "hosts", hosts.toString());
        h.append("</table>");
        h.append("<p class=\"engineers\">For engineers: the scenarios, steps and attachments in <a href=\"")
                .append(AcceptanceReport.FILE).append("\">").append(AcceptanceReport.FILE)
                .append("</a> (Allure). Tamper evidence: <code>MANIFEST.sha256</code> and its signature, checked by"
                        + " <code>triad verify-report</code>.</p></header>\n");

        // ---- contents
        h.append("<nav class=\"contents\"><h2>Contents</h2><ul>");
        List<String> sections = sections(a);
        for (String s : sections) {
            h.append("<li><a href=\"#section-").append(esc(anchor(s))).append("\">").append(esc(sectionHeading(runbook, a, s))).append("</a> ")
                    .append(esc(counts(a.items().stream().filter(r -> r.section().equals(s)).toList()))).append("</li>");
        }
        h.append("<li><a href=\"#handoff\">").append(a.handoff().isEmpty() ? "Sign-off" : "Handoff criteria and sign-off")
                .append("</a></li>");
        if (!a.drills().isEmpty()) {
            h.append("<li><a href=\"#drills\">Drills</a> ").append(esc(counts(a.drills()))).append("</li>");
        }
        h.append("<li><a href=\"#waivers\">Waivers</a></li></ul></nav>\n");

        // ---- the runbook, section by section, in its order
        for (String s : sections) {
            h.append("<section class=\"runbook-section\" id=\"section-").append(esc(anchor(s))).append("\"><h2>")
                    .append(esc(sectionHeading(runbook, a, s))).append("</h2>");
            h.append("<table class=\"items\"><thead><tr><th>item</th><th>check</th><th>method</th><th>expected result</th>")
                    .append("<th>halt if</th><th>verdict</th><th>earlier runs</th></tr></thead><tbody>");
            for (Acceptance.Row r : a.items()) {
                if (!r.section().equals(s)) {
                    continue;
                }
                String halt = runbook.item(r.id()).flatMap(Runbook.Item::halt).orElse("");
                h.append("<tr class=\"item\" id=\"item-").append(esc(r.id())).append("\" data-verdict=\"").append(r.verdict().name())
                        .append("\"><td class=\"id\">").append(esc(r.id())).append("</td><td>").append(esc(r.title()))
                        .append("</td><td>").append(esc(r.method())).append("</td><td>").append(esc(r.expected()))
                        .append("</td><td>").append(esc(halt)).append("</td><td>").append(verdictCell(r)).append("</td><td class=\"history\">")
                        .append(history(r.id(), previous, false)).append("</td></tr>");
                String proof = proofCell(r, proofs);
                if (!proof.isEmpty()) {
                    h.append("<tr class=\"proof\"><td></td><td colspan=\"6\">").append(proof).append("</td></tr>");
                }
            }
            h.append("</tbody></table></section>\n");
        }

        // ---- handoff and sign-off
        // every acceptance is signed, whether or not the runbook has handoff criteria
        h.append("<section class=\"runbook-section\" id=\"handoff\"><h2>").append(a.handoff().isEmpty() ? "Sign-off"
                : "Handoff criteria and sign-off").append("</h2>").append(Html.handoff(a.handoff(), in.signoff(), in.signoffRoles()))
                .append("</section>\n");

        // ---- drills
        if (!a.drills().isEmpty()) {
            h.append("<section class=\"runbook-section\" id=\"drills\"><h2>Drills</h2><p>Faults injected while a history was"
                    + " recorded; the verdicts are the checkers' over that history (failover within the window, fail-closed,"
                    + " no dual-active, no acknowledged write lost).</p>");
            for (Acceptance.Row r : a.drills()) {
                h.append("<article class=\"drill\" id=\"item-").append(esc(r.id())).append("\" data-verdict=\"").append(r.verdict().name())
                        .append("\"><h3>").append(esc(r.title())).append("</h3><p>").append(verdictCell(r)).append("</p>")
                        .append("<p class=\"history\">earlier runs: ").append(history(r.id(), previous, true)).append("</p>");
                for (Ledger.Scenario p : r.proofs()) {
                    Proof proof = proofs.getOrDefault(p.location(), Proof.NONE);
                    figures(h, proof.figures());
                    proof.timeline().ifPresent(svg -> h.append("<figure>").append(Html.timelineImage(svg))
                            .append("<figcaption>The drill's recorded history: who held what, and what the clients saw.</figcaption></figure>"));
                    evidence(h, p, proof);
                }
                h.append("</article>");
            }
            h.append("</section>\n");
        }

        // ---- waivers
        h.append("<section class=\"runbook-section\" id=\"waivers\"><h2>Waivers</h2>");
        if (a.waiversUsed().isEmpty() && a.waiversExpired().isEmpty()) {
            h.append("<p>No waiver was in force or expired in this run: every failure counts.</p>");
        } else {
            h.append("<table><thead><tr><th>item</th><th>approver</th><th>expires</th><th>justification</th><th>state</th></tr></thead>");
            a.waiversUsed().forEach(w -> Html.waiver(h, w, "in force: waived a failure of this run"));
            a.waiversExpired().forEach(w -> Html.waiver(h, w, "EXPIRED: waives nothing, fails the run"));
            h.append("</table>");
        }
        h.append("</section>\n");

        if (!a.others().isEmpty()) {
            h.append("<section class=\"runbook-section\"><h2>Other scenarios of this run</h2><ul>");
            a.others().forEach(o -> h.append("<li>").append(esc(o.name())).append(": ").append(Html.status(o.status()))
                    .append(o.reason().isEmpty() ? "" : " &mdash; " + esc(Ledger.firstLine(o.reason()))).append("</li>"));
            h.append("</ul></section>\n");
        }
        h.append("<footer>Written by triad-acceptance ").append(esc(run.path("harness_version").asText(""))).append(" at ")
                .append(esc(in.finished().toString())).append(" from the run's own records.</footer>");
        return h.append("</body></html>\n").toString();
    }

    /** The sections in the runbook's order that have items in this run's matrix. */
    private static List<String> sections(Acceptance a) {
        List<String> out = new ArrayList<>();
        a.items().forEach(r -> {
            if (!out.contains(r.section())) {
                out.add(r.section());
            }
        });
        return out;
    }

    /**
     * A section's heading in the runbook's words: "4. Service Installation" where the runbook numbers
     * its sections, its title alone where it names them ("Prerequisites"). {@code section} is the
     * matrix's name of the section, "4 Service Installation".
     */
    private static String sectionHeading(Runbook runbook, Acceptance a, String section) {
        Optional<String> id = a.items().stream().filter(r -> r.section().equals(section)).findFirst()
                .flatMap(r -> runbook.item(r.id())).map(Runbook.Item::section);
        String title = id.map(runbook::sectionTitle).orElse("");
        if (title.isBlank()) {
            return section;
        }
        return id.get().matches("\\d+") ? id.get() + ". " + title : title;
    }

    /**
     * The run's verdict as an auditor reads it: a run that did not check every item of the runbook
     * in full (some not selected, not covered by the harness, partly checked, skipped without being
     * declared not applicable) accepts nothing, whatever the items it checked did.
     */
    enum Outcome {
        ACCEPTED("ACCEPTED"), REJECTED("NOT ACCEPTED"), PARTIAL("NOT A FULL ACCEPTANCE: not every item was checked");

        final String words;

        Outcome(String words) {
            this.words = words;
        }
    }

    static Outcome outcome(Acceptance a) {
        if (!a.passed()) {
            return Outcome.REJECTED;
        }
        return whole(a) ? Outcome.ACCEPTED : Outcome.PARTIAL;
    }

    /** Whether the run checked the whole runbook: every item passed, waived or declared not applicable, and every drill run. */
    public static boolean whole(Acceptance a) {
        return a.items().stream().allMatch(r -> r.verdict().accepts())
                && a.drills().stream().noneMatch(r -> r.verdict() == Acceptance.Verdict.NOT_SELECTED || r.verdict() == Acceptance.Verdict.GAP);
    }

    /** The document's verdict line as words: "NOT A FULL ACCEPTANCE: not every item was checked: 1 of 49 runbook items passed; ...". */
    public static String verdictWords(Acceptance a) {
        return outcome(a).words + ": " + verdictLine(a);
    }

    /**
     * Every item of the runbook counted, each in its state: "44 of 50 runbook items passed; 4 not
     * applicable to this zone; 2 not covered by the harness; 3 of 3 drills passed". Nothing is left
     * out of the count: the states add up to the runbook's items.
     */
    static String verdictLine(Acceptance a) {
        Map<Acceptance.Verdict, Long> n = a.itemCounts();
        long items = a.items().size();
        StringBuilder line = new StringBuilder().append(n.getOrDefault(Acceptance.Verdict.PASSED, 0L)).append(" of ").append(items)
                .append(" runbook items passed");
        n.forEach((v, k) -> {
            if (v != Acceptance.Verdict.PASSED) {
                line.append("; ").append(k).append(' ').append(v.label);
            }
        });
        long drillsPassed = a.drills().stream().filter(r -> r.verdict() == Acceptance.Verdict.PASSED).count();
        if (!a.drills().isEmpty()) {
            line.append("; ").append(drillsPassed).append(" of ").append(a.drills().size()).append(" drills passed");
        }
        return a.passed() ? line.toString() : a.failures().size() + " failure(s); " + line;
    }

    private static String anchor(String section) {
        return section.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("-$", "");
    }

    private static String counts(List<Acceptance.Row> rows) {
        Map<Acceptance.Verdict, Integer> n = new LinkedHashMap<>();
        rows.forEach(r -> n.merge(r.verdict(), 1, Integer::sum));
        StringBuilder out = new StringBuilder("(");
        n.forEach((v, k) -> out.append(out.length() > 1 ? ", " : "").append(k).append(' ').append(v.label));
        return out.append(')').toString();
    }

    private static String verdictCell(Acceptance.Row r) {
        StringBuilder c = new StringBuilder(Html.verdict(r.verdict()));
        if (!r.note().isBlank()) {
            c.append("<div class=\"note\">").append(esc(Ledger.firstLine(r.note()))).append("</div>");
        }
        r.waiver().ifPresent(w -> c.append("<div class=\"note\">waiver: ").append(esc(w.describe())).append("</div>"));
        return c.toString();
    }

    /**
     * An item's verdicts in the zone's earlier runs, newest first (P passed, F failed, W waived, H
     * halted, S skipped, - not selected), and how often it failed: "failed 2 of the last 5 runs".
     */
    static String history(String id, List<RunSummary> previous, boolean drill) {
        if (previous.isEmpty()) {
            return "<span class=\"note\">no earlier run of this zone</span>";
        }
        StringBuilder h = new StringBuilder("<span class=\"runs\">");
        int failed = 0;
        int ran = 0;
        for (RunSummary run : previous) {
            String v = (drill ? run.drills() : run.items()).getOrDefault(id, "");
            String letter = switch (v) {
                case "PASSED" -> "P";
                case "FAILED" -> "F";
                case "WAIVED" -> "W";
                case "HALTED" -> "H";
                case "PARTLY" -> "p";
                case "SKIPPED", "NOT_APPLICABLE" -> "S";
                case "GAP" -> "G";
                default -> "-";
            };
            failed += v.equals("FAILED") || v.equals("WAIVED") ? 1 : 0;
            ran += letter.equals("-") ? 0 : 1;
            h.append("<span class=\"run run-").append(letter.equals("-") ? "none" : letter).append("\" title=\"")
                    .append(esc(Html.minute(run.started()))).append(": ")
                    .append(esc(v.isEmpty() ? "not in that run" : v.toLowerCase())).append("\">").append(letter).append("</span>");
        }
        h.append("</span>");
        if (failed > 0) {
            h.append("<div class=\"note flaky\">failed ").append(failed).append(" of the last ").append(previous.size())
                    .append(" runs</div>");
        } else if (ran > 0) {
            h.append("<div class=\"note\">no failure in the last ").append(previous.size()).append(" runs</div>");
        }
        return h.toString();
    }

    /** The figures measured and the evidence behind an item, one click away. */
    private static String proofCell(Acceptance.Row r, Map<String, Proof> proofs) {
        StringBuilder c = new StringBuilder();
        for (Ledger.Scenario p : r.proofs()) {
            Proof proof = proofs.getOrDefault(p.location(), Proof.NONE);
            figures(c, proof.figures());
            evidence(c, p, proof);
        }
        return c.toString();
    }

    private static void figures(StringBuilder h, Map<String, String> figures) {
        if (figures.isEmpty()) {
            return;
        }
        h.append("<table class=\"figures\">");
        figures.forEach((k, v) -> h.append("<tr><td>").append(esc(k)).append("</td><td><b>").append(esc(v)).append("</b></td></tr>"));
        h.append("</table>");
    }

    private static void evidence(StringBuilder h, Ledger.Scenario p, Proof proof) {
        h.append("<details class=\"evidence\"><summary>").append(esc(p.name())).append(": ").append(esc(p.status().name().toLowerCase()))
                .append(", ").append(proof.evidence().size()).append(" piece(s) of evidence</summary>");
        if (!p.reason().isBlank()) {
            h.append("<p class=\"reason\">").append(esc(p.reason())).append("</p>");
        }
        for (Evidence e : proof.evidence()) {
            h.append("<div class=\"cmd\"><div class=\"cmd-name\">").append(esc(e.name())).append("</div><pre>").append(esc(e.text()))
                    .append("</pre></div>");
        }
        h.append("</details>");
    }

    private static void fact(StringBuilder h, String name, String value) {
        h.append("<tr><th>").append(esc(name)).append("</th><td>").append(esc(value)).append("</td></tr>");
    }

    private static String mode(JsonNode mode) {
        if (mode.isMissingNode()) {
            return "";
        }
        if (mode.path("read_only").asBoolean(true)) {
            return "read-only: no fault applied (" + mode.path("left_out_as_destructive").asInt() + " destructive scenario(s) left out)";
        }
        List<String> faults = new ArrayList<>();
        mode.path("faults_allowed").forEach(f -> faults.add(f.asText()));
        return "drills allowed: " + String.join(", ", faults) + "; " + mode.path("destructive_scenarios").asInt()
                + " destructive scenario(s); dead-man switch " + mode.path("dead_man_seconds").asInt() + " s; SSH as "
                + mode.path("ssh_user").asText() + (mode.path("sudo").asBoolean() ? " with sudo" : "");
    }

    private static String minutes(Duration d) {
        long s = d.toSeconds();
        return s < 60 ? s + " s" : (s / 60) + " min " + (s % 60) + " s";
    }

    /** Screen and print: A4, each runbook section on its own page, no dark backgrounds, disclosures printed closed. */
    static final String STYLE = """
            body{font-family:"DejaVu Sans",Arial,sans-serif;font-size:13px;color:#111;max-width:1200px;margin:0 auto;padding:16px;background:#fff}
            h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;border-bottom:2px solid #333;padding-bottom:2px;margin-top:28px}
            h3{font-size:15px;margin:18px 0 4px}.runbook{margin:0 0 10px;font-size:15px}
            .verdict{font-size:18px;font-weight:bold;padding:8px 10px;border:2px solid}
            .verdict.accepted{color:#1b5e20;border-color:#2e7d32}.verdict.rejected{color:#b71c1c;border-color:#c62828}
            .verdict.partial{color:#8a4b00;border-color:#e65100}
            table{border-collapse:collapse;width:100%;margin:6px 0}th,td{border:1px solid #bbb;padding:4px 6px;vertical-align:top;text-align:left}
            th{background:#eee}table.facts th{width:160px}table.items td.id{white-space:nowrap;font-weight:bold}
            tr.proof td{border-top:none;background:#fafafa}table.figures{width:auto}table.figures td{border-color:#ddd}
            details.evidence{margin:3px 0}details.evidence summary{cursor:pointer;color:#0d47a1}
            .cmd-name{font-family:monospace;font-size:11px;color:#333;margin-top:6px}
            pre{white-space:pre-wrap;word-break:break-all;font-size:11px;background:#f4f4f4;border:1px solid #ddd;padding:4px;margin:2px 0}
            .note{font-size:11px;color:#444}.reason{color:#b71c1c;white-space:pre-wrap}
            figure{margin:8px 0}figcaption{font-size:11px;color:#555}.engineers{font-size:12px;color:#444}
            .runs{font-family:"DejaVu Sans Mono",monospace;font-weight:bold;letter-spacing:2px}.run-P{color:#2e7d32}
            .run-F{color:#c62828}.run-W{color:#6a1b9a}.run-H{color:#c62828}.run-none,.run-S{color:#999}.flaky{color:#b71c1c}
            nav.contents ul{list-style:none;padding-left:8px}nav.contents li{margin:2px 0}
            footer{margin-top:30px;font-size:11px;color:#666;border-top:1px solid #ccc;padding-top:6px}
            @page{size:A4;margin:14mm 12mm}
            @media print{body{max-width:none;padding:0;font-size:10px}nav.contents{page-break-after:always}
            section.runbook-section{page-break-before:always}tr,article.drill figure{page-break-inside:avoid}
            details.evidence pre,.cmd{display:none}a{color:#000;text-decoration:none}th{background:#eee}}
            """;
}
