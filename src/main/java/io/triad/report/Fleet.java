package io.triad.report;

import io.triad.env.InputError;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.triad.report.Html.esc;

/**
 * One page for a fleet of zones, {@code fleet.html}: from the runs under one or more directories
 * (their {@value RunSummary#FILE}), one row per zone, of any profile: its last run (linked to its
 * acceptance document), the verdict, its age, the items failing, when every drill last passed,
 * the waivers that end within 30 days; a zone whose last acceptance is older than the stated
 * period is marked overdue. Self-contained, no script, like the acceptance document.
 */
public final class Fleet {

    public static final String FILE = "fleet.html";
    static final int WAIVER_HORIZON_DAYS = 30;

    private Fleet() { }

    /** A zone's line: its runs newest first. */
    public record Zone(String zone, String profile, List<RunSummary> runs, boolean overdue, long ageDays) {
        RunSummary last() {
            return runs.get(0);
        }

        boolean accepted() {
            return last().outcome().equals("ACCEPTED");
        }

        /** The items and drills that fail the last run (failed, halted, or with no scenario). */
        List<String> failing() {
            List<String> out = new ArrayList<>();
            last().items().forEach((id, v) -> {
                if (v.equals("FAILED") || v.equals("HALTED") || v.equals("GAP")) {
                    out.add(id);
                }
            });
            last().drills().forEach((id, v) -> {
                if (v.equals("FAILED") || v.equals("HALTED") || v.equals("GAP")) {
                    out.add(id);
                }
            });
            return out;
        }

        /** The newest run in which every drill ran and passed (or was waived). */
        Optional<RunSummary> drillsLastPassed() {
            return runs.stream().filter(r -> !r.drills().isEmpty() && r.drills().values().stream()
                    .allMatch(v -> v.equals("PASSED") || v.equals("WAIVED"))).findFirst();
        }

        List<RunSummary.Waiver> waiversEnding(LocalDate today) {
            return last().waivers().stream().filter(w -> w.inForce() && !w.expires().isAfter(today.plusDays(WAIVER_HORIZON_DAYS))).toList();
        }
    }

    /** The zones of every run under the roots, by zone and profile, each with its runs newest first. */
    public static List<Zone> zones(List<Path> roots, Duration overdueAfter, Instant now) {
        Map<String, List<RunSummary>> byZone = new LinkedHashMap<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                throw new InputError("fleet: " + root + " is not a directory of runs");
            }
            for (RunSummary r : RunSummary.under(root)) {
                byZone.computeIfAbsent(r.zone() + "\u0000" + r.profile(), k -> new ArrayList<>()).add(r);
            }
        }
        List<Zone> zones = new ArrayList<>();
        byZone.values().forEach(runs -> {
            runs.sort(java.util.Comparator.comparing(RunSummary::started).reversed());
            long age = Duration.between(runs.get(0).finished(), now).toDays();
            zones.add(new Zone(runs.get(0).zone(), runs.get(0).profile(), List.copyOf(runs),
                    Duration.between(runs.get(0).finished(), now).compareTo(overdueAfter) > 0, age));
        });
        zones.sort(java.util.Comparator.comparing(Zone::zone).thenComparing(Zone::profile));
        return zones;
    }

    /** Writes the fleet page and returns it. */
    public static Path write(List<Zone> zones, Path out, Duration overdueAfter, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        long accepted = zones.stream().filter(Zone::accepted).count();
        long overdue = zones.stream().filter(Zone::overdue).count();
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Fleet: ")
                .append(zones.size()).append(" zone(s)</title><style>").append(STYLE).append("</style></head><body>");
        h.append("<h1>Fleet of zones</h1><p id=\"summary\">").append(zones.size()).append(" zone(s): ").append(accepted)
                .append(" accepted by their last run, ").append(zones.size() - accepted).append(" not; ").append(overdue)
                .append(" overdue (last acceptance older than ").append(overdueAfter.toDays()).append(" days). As of ")
                .append(esc(Html.minute(now))).append(" UTC.</p>");
        h.append("<table><thead><tr><th>zone</th><th>profile</th><th>last run</th><th>verdict</th><th>age</th><th>items failing</th>")
                .append("<th>drills last passed</th><th>waivers ending within ").append(WAIVER_HORIZON_DAYS).append(" days</th><th>runs</th>")
                .append("</tr></thead><tbody>");
        Path base = out.toAbsolutePath().getParent();
        for (Zone z : zones) {
            RunSummary last = z.last();
            String link = base.relativize(last.dir().toAbsolutePath().resolve(AcceptanceDocument.FILE)).toString().replace('\\', '/');
            h.append("<tr class=\"zone").append(z.overdue() ? " overdue" : "").append("\" data-zone=\"").append(esc(z.zone()))
                    .append("\" data-outcome=\"").append(esc(last.outcome())).append("\"><td><a href=\"").append(esc(link)).append("\">")
                    .append(esc(z.zone())).append("</a></td><td>").append(esc(z.profile())).append("</td><td>")
                    .append(esc(Html.minute(last.finished()))).append("<br><small>")
                    .append(esc(last.runbook())).append("</small></td><td class=\"outcome ").append(esc(last.outcome().toLowerCase()))
                    .append("\">").append(esc(switch (last.outcome()) {
                        case "ACCEPTED" -> "ACCEPTED";
                        case "REJECTED" -> "NOT ACCEPTED";
                        default -> "PARTIAL RUN";
                    })).append("</td><td>").append(z.ageDays()).append(" day(s)").append(z.overdue() ? "<br><b>OVERDUE</b>" : "")
                    .append("</td><td>").append(z.failing().isEmpty() ? "none" : esc(String.join(", ", z.failing()))).append("</td><td>")
                    .append(z.drillsLastPassed().map(r -> esc(r.finished().toString().substring(0, 10))).orElse("never"))
                    .append("</td><td>");
            List<RunSummary.Waiver> ending = z.waiversEnding(today);
            h.append(ending.isEmpty() ? "none" : esc(String.join(", ", ending.stream().map(w -> w.item() + " (" + w.expires() + ")").toList())));
            h.append("</td><td>").append(z.runs().size()).append("</td></tr>");
        }
        h.append("</tbody></table><p class=\"note\">Each zone links to the acceptance document of its last run. Read from the"
                + " runs' acceptance.json files; nothing here is computed again from their evidence.</p></body></html>\n");
        try {
            Files.createDirectories(base);
            Files.writeString(out, h.toString(), StandardCharsets.UTF_8);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
    }

    static final String STYLE = """
            body{font-family:"DejaVu Sans",Arial,sans-serif;font-size:13px;color:#111;margin:16px}
            table{border-collapse:collapse;width:100%}th,td{border:1px solid #bbb;padding:4px 6px;text-align:left;vertical-align:top}
            th{background:#eee}.outcome.accepted{color:#1b5e20;font-weight:bold}.outcome.rejected{color:#b71c1c;font-weight:bold}
            .outcome.partial{color:#8a4b00;font-weight:bold}tr.overdue{background:#fff3e0}.note{color:#555;font-size:12px}
            @page{size:A4 landscape;margin:12mm}
            """;
}
