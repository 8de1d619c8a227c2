package io.triad.report;

import io.triad.env.Environment;
import io.triad.runbook.Ledger;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HTML blocks the harness adds to the report (Allure shows a result's {@code descriptionHtml}
 * as it is): a scenario's header, the traceability matrix, the handoff criteria and sign-off form.
 * Styles are inline: the report is one file and carries no style sheet of ours.
 */
final class Html {

    private static final String TABLE = "<table style=\"border-collapse:collapse;width:100%;font-size:13px\">";
    private static final String TH = "<th style=\"text-align:left;border-bottom:2px solid #888;padding:4px 6px\">";
    private static final String TD = "<td style=\"border-bottom:1px solid #ddd;padding:4px 6px;vertical-align:top\">";

    private Html() { }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
    }

    /** An instant to the minute, as a reader scans a list of runs: "2026-11-23 07:45" (UTC). */
    static String minute(java.time.Instant t) {
        return t.toString().substring(0, 16).replace('T', ' ');
    }

    /** A verdict as a coloured word. */
    static String verdict(Acceptance.Verdict v) {
        String colour = switch (v) {
            case PASSED -> "#2e7d32";
            case PARTLY -> "#9e6a00";
            case FAILED, HALTED -> "#c62828";
            case WAIVED -> "#6a1b9a";
            case GAP, NOT_COVERED -> "#e65100";
            case SKIPPED, NOT_SELECTED, NOT_APPLICABLE -> "#616161";
        };
        return "<b class=\"triad-verdict\" style=\"color:" + colour + "\">" + esc(v.label.toUpperCase()) + "</b>";
    }

    static String status(Ledger.Status s) {
        return switch (s) {
            case PASSED -> verdict(Acceptance.Verdict.PASSED);
            case FAILED -> verdict(Acceptance.Verdict.FAILED);
            case SKIPPED -> verdict(Acceptance.Verdict.SKIPPED);
            case NOT_RUN -> verdict(Acceptance.Verdict.HALTED);
        };
    }

    /** A Gherkin description, as text. */
    static String markdownless(String description) {
        return description.isBlank() ? "" : "<p style=\"white-space:pre-wrap;color:#555\">" + esc(description.strip()) + "</p>";
    }

    /** What a scenario proves, its verdict, its figures and (for a drill) its timeline, above Allure's steps. */
    static String scenarioHeader(Ledger.Scenario s, List<Acceptance.Row> rows, Map<String, String> figures,
                                 Optional<String> timelineSvg) {
        StringBuilder h = new StringBuilder("<div class=\"triad-scenario\">");
        h.append("<p>Verdict of this scenario: ").append(status(s.status()));
        if (!s.reason().isEmpty()) {
            h.append(" &mdash; ").append(esc(Ledger.firstLine(s.reason())));
        }
        h.append("<br><small>").append(esc(s.location())).append("</small></p>");
        if (!rows.isEmpty()) {
            h.append(TABLE).append("<tr>").append(TH).append("proves</th>").append(TH).append("method</th>").append(TH)
                    .append("expected</th>").append(TH).append("item verdict</th></tr>");
            for (Acceptance.Row r : rows) {
                h.append("<tr>").append(TD).append(esc(r.id() + " " + r.title())).append("</td>").append(TD).append(esc(r.method()))
                        .append("</td>").append(TD).append(esc(r.expected())).append("</td>").append(TD).append(verdict(r.verdict()))
                        .append(r.waiver().map(w -> "<br><small>" + esc(w.describe()) + "</small>").orElse("")).append("</td></tr>");
            }
            h.append("</table>");
        }
        if (!figures.isEmpty()) {
            h.append("<h4>Measured figures</h4>").append(TABLE);
            figures.forEach((k, v) -> h.append("<tr>").append(TD).append(esc(k)).append("</td>").append(TD).append("<b>")
                    .append(esc(v)).append("</b></td></tr>"));
            h.append("</table>");
        }
        timelineSvg.ifPresent(svg -> h.append("<h4>Failover timeline</h4>").append(timelineImage(svg)));
        return h.append("</div>").toString();
    }

    static String timelineImage(String svg) {
        return "<img class=\"triad-timeline\" alt=\"failover timeline\" style=\"max-width:100%;border:1px solid #ddd\" src=\"data:"
                + Timeline.MEDIA_TYPE + ";base64," + Base64.getEncoder().encodeToString(svg.getBytes(StandardCharsets.UTF_8)) + "\">";
    }

    /** The traceability matrix: every runbook item, then every drill, then the waivers and what failed the run. */
    static String matrix(Acceptance a) {
        StringBuilder h = new StringBuilder("<div class=\"triad-matrix\">");
        h.append("<p>Run verdict: ").append(a.passed() ? verdict(Acceptance.Verdict.PASSED) : verdict(Acceptance.Verdict.FAILED));
        long count = a.items().size();
        h.append(" &mdash; ").append(count).append(" runbook items: ");
        for (Acceptance.Verdict v : Acceptance.Verdict.values()) {
            long n = a.items().stream().filter(r -> r.verdict() == v).count();
            if (n > 0) {
                h.append(n).append(' ').append(esc(v.label)).append("; ");
            }
        }
        h.append("</p>");
        if (!a.failures().isEmpty()) {
            h.append("<p><b>What fails this run:</b></p><ul>");
            a.failures().forEach(f -> h.append("<li>").append(esc(f)).append("</li>"));
            h.append("</ul>");
        }
        h.append("<h4>Runbook items</h4>");
        rows(h, a.items(), true);
        if (!a.drills().isEmpty()) {
            h.append("<h4>Drills: failover, fail-closed, no dual-active, no lost write</h4>");
            rows(h, a.drills(), false);
        }
        if (!a.others().isEmpty()) {
            h.append("<h4>Other scenarios of this run</h4>").append(TABLE).append("<tr>").append(TH).append("scenario</th>")
                    .append(TH).append("verdict</th>").append(TH).append("note</th></tr>");
            for (Ledger.Scenario p : a.others()) {
                h.append("<tr>").append(TD).append(evidence(p)).append("</td>").append(TD).append(status(p.status())).append("</td>")
                        .append(TD).append(esc(Ledger.firstLine(p.reason()))).append("</td></tr>");
            }
            h.append("</table>");
        }
        h.append("<h4>Waivers</h4>");
        if (a.waiversUsed().isEmpty() && a.waiversExpired().isEmpty()) {
            h.append("<p>No waiver applied to this run.</p>");
        } else {
            h.append(TABLE).append("<tr>").append(TH).append("item</th>").append(TH).append("approver</th>").append(TH)
                    .append("expires</th>").append(TH).append("justification</th>").append(TH).append("state</th></tr>");
            for (Waivers.Waiver w : a.waiversUsed()) {
                waiver(h, w, "in force: the failure is waived, not passed");
            }
            for (Waivers.Waiver w : a.waiversExpired()) {
                waiver(h, w, "EXPIRED: counts as a failure");
            }
            h.append("</table>");
        }
        return h.append("</div>").toString();
    }

    private static void rows(StringBuilder h, List<Acceptance.Row> rows, boolean runbook) {
        h.append(TABLE).append("<tr>").append(TH).append(runbook ? "item" : "drill").append("</th>").append(TH)
                .append(runbook ? "title" : "scenario").append("</th>");
        if (runbook) {
            h.append(TH).append("section</th>");
        }
        h.append(TH).append("scenario and evidence</th>").append(TH).append("verdict</th>").append(TH).append("note</th></tr>");
        for (Acceptance.Row r : rows) {
            String background = r.verdict() == Acceptance.Verdict.GAP ? " style=\"background:#fff3e0\""
                    : r.verdict() == Acceptance.Verdict.FAILED || r.verdict() == Acceptance.Verdict.HALTED ? " style=\"background:#ffebee\"" : "";
            h.append("<tr class=\"triad-row\" data-item=\"").append(esc(r.id())).append("\"").append(background).append(">")
                    .append(TD).append(esc(r.id())).append("</td>").append(TD).append(esc(r.title())).append("</td>");
            if (runbook) {
                h.append(TD).append(esc(r.section())).append("</td>");
            }
            h.append(TD);
            if (!r.proofs().isEmpty()) {
                for (Ledger.Scenario p : r.proofs()) {
                    h.append(evidence(p)).append("<br>");
                }
            } else if (!r.scenarios().isEmpty()) {
                r.scenarios().forEach(s -> h.append(esc(s.name())).append(" <small>(").append(esc(s.file())).append(")</small><br>"));
            } else {
                h.append("&mdash;");
            }
            h.append("</td>").append(TD).append(verdict(r.verdict())).append("</td>").append(TD).append(esc(r.note()))
                    .append(r.waiver().map(w -> (r.note().isEmpty() ? "" : "<br>") + "<small>" + esc(w.describe()) + "</small>")
                            .orElse(""))
                    .append("</td></tr>");
        }
        h.append("</table>");
    }

    private static String evidence(Ledger.Scenario p) {
        return "<a href=\"" + AcceptanceReport.EVIDENCE_LINK + esc(p.location()) + "\">" + esc(p.name()) + "</a>";
    }

    /** A waiver's row: item, approver, expiry, justification, its state in this run. */
    static void waiver(StringBuilder h, Waivers.Waiver w, String state) {
        h.append("<tr>").append(TD).append(esc(w.item())).append("</td>").append(TD).append(esc(w.approver())).append("</td>")
                .append(TD).append(w.expires()).append("</td>").append(TD).append(esc(w.justification())).append("</td>").append(TD)
                .append(esc(state)).append("</td></tr>");
    }

    /** The handoff criteria, each ticked only when its evidence passed, and the sign-off form. */
    static String handoff(List<Acceptance.Row> criteria, Map<String, Environment.Signature> signoff, List<String> roles) {
        StringBuilder h = new StringBuilder("<div class=\"triad-handoff\">");
        if (!criteria.isEmpty()) {
            h.append("<p>The zone is handed over only when every criterion is ticked. A box is ticked from this run's"
                    + " evidence, never by hand.</p>");
            h.append(TABLE).append("<tr>").append(TH).append("</th>").append(TH).append("criterion</th>").append(TH)
                    .append("verdict</th>").append(TH).append("why</th></tr>");
            for (Acceptance.Row r : criteria) {
                boolean ticked = r.verdict() == Acceptance.Verdict.PASSED;
                h.append("<tr>").append(TD).append("<span class=\"triad-box\" style=\"font-size:18px\">").append(ticked ? "&#9745;" : "&#9744;")
                        .append("</span></td>").append(TD).append(esc(r.id() + " " + r.title())).append("</td>").append(TD)
                        .append(verdict(r.verdict())).append("</td>").append(TD).append(esc(r.note())).append("</td></tr>");
            }
            h.append("</table>");
        }
        h.append("<h4>Sign-off</h4>").append(TABLE).append("<tr>").append(TH).append("role</th>").append(TH).append("name</th>")
                .append(TH).append("date</th>").append(TH).append("signature</th></tr>");
        for (String role : roles) {
            Environment.Signature s = signoff.get(role);
            h.append("<tr style=\"height:36px\">").append(TD).append(esc(role.replace('_', ' '))).append("</td>").append(TD)
                    .append(s == null ? "" : esc(s.name())).append("</td>").append(TD).append(s == null ? "" : s.date().toString())
                    .append("</td>").append(TD).append("</td></tr>");
        }
        h.append("</table><p>Decision: &#9744; accepted for handoff &nbsp; &#9744; not accepted &nbsp; (signed on the printed"
                + " report; names and dates are filled from the environment's sign-off record where it has one)</p>");
        return h.append("</div>").toString();
    }
}
