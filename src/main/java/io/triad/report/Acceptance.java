package io.triad.report;

import io.triad.runbook.Ledger;
import io.triad.runbook.Runbook;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The verdict of a run, runbook item by runbook item and drill by drill: which scenarios prove
 * each, how they ended, the waivers, and what fails the run. Built from the features (what exists),
 * the scenarios this run finished (what happened) and the waivers file (what an approver accepted).
 *
 * <p>The run passes only when every scenario it ran passed or was skipped with a declared reason,
 * or failed under a waiver in force; a scenario a halt kept from running, an expired waiver, and,
 * in a run of every scenario (no tag selection), a runbook item with no scenario fail it.
 */
public final class Acceptance {

    public enum Verdict {
        PASSED("passed"), PARTLY("partly checked"), FAILED("failed"), HALTED("halted: not run"),
        NOT_APPLICABLE("not applicable to this zone"), SKIPPED("skipped"), WAIVED("waived"),
        NOT_SELECTED("not selected in this run"), NOT_COVERED("not covered by the harness"), GAP("gap: no scenario");

        /** Whether an item with this verdict was checked, in full, in this run (or declared not to apply to the zone, or waived). */
        public boolean accepts() {
            return this == PASSED || this == WAIVED || this == NOT_APPLICABLE;
        }

        public final String label;

        Verdict(String label) {
            this.label = label;
        }
    }

    /**
     * One row of the matrix: a runbook item (or a drill), the scenarios that prove it in this run,
     * its verdict and a note (the skip reason, the failure, the waiver).
     */
    public record Row(String id, String title, String section, String method, String expected,
                      List<FeatureIndex.Scenario> scenarios, List<Ledger.Scenario> proofs, Verdict verdict, String note,
                      Optional<Waivers.Waiver> waiver) { }

    private final List<Row> items;
    private final List<Row> drills;
    private final List<Ledger.Scenario> others;
    private final List<String> failures;
    private final List<Waivers.Waiver> waiversUsed;
    private final List<Waivers.Waiver> waiversExpired;
    private final java.util.Set<String> handoffIds;

    private Acceptance(List<Row> items, List<Row> drills, List<Ledger.Scenario> others, List<String> failures,
                       List<Waivers.Waiver> used, List<Waivers.Waiver> expired, java.util.Set<String> handoffIds) {
        this.handoffIds = handoffIds;
        this.items = items;
        this.drills = drills;
        this.others = others;
        this.failures = failures;
        this.waiversUsed = used;
        this.waiversExpired = expired;
    }

    /**
     * Judges a run. {@code selected} is false for a run of every scenario, true when a tag expression
     * chose some: only then is an item without any scenario not a failure (it is still shown as a gap).
     */
    public static Acceptance judge(Runbook runbook, FeatureIndex features, List<Ledger.Scenario> ran, Waivers waivers,
                                   LocalDate today, boolean selected) {
        Set<String> valid = waivers.valid(today);
        Map<String, List<FeatureIndex.Scenario>> byItem = features.byItem();
        List<Row> items = new ArrayList<>();
        for (Runbook.Item item : runbook.items()) {
            List<Ledger.Scenario> proofs = ran.stream().filter(s -> Runbook.idsIn(s.tags()).contains(item.id())).toList();
            Row r = row(item.id(), item.title(), item.section() + " " + runbook.sectionTitle(item.section()), item.method(),
                    item.expected(), byItem.getOrDefault(item.id(), List.of()), proofs, waivers, today);
            if (r.verdict() == Verdict.GAP && item.notCovered().isPresent()) { // declared, with its reason, in the catalogue
                r = new Row(r.id(), r.title(), r.section(), r.method(), r.expected(), r.scenarios(), r.proofs(), Verdict.NOT_COVERED,
                        item.notCovered().get(), r.waiver());
            }
            items.add(r);
        }
        List<Row> drills = new ArrayList<>();
        for (Map.Entry<String, FeatureIndex.Scenario> d : features.drills().entrySet()) {
            List<Ledger.Scenario> proofs = ran.stream()
                    .filter(s -> FeatureIndex.drillId(s.tags()).filter(d.getKey()::equals).isPresent()).toList();
            drills.add(row(d.getKey(), d.getValue().name(), "drills", "", "", List.of(d.getValue()), proofs, waivers, today));
        }
        List<Ledger.Scenario> others = ran.stream()
                .filter(s -> Runbook.idsIn(s.tags()).isEmpty() && FeatureIndex.drillId(s.tags()).isEmpty()).toList();

        List<String> failures = new ArrayList<>();
        int notRun = 0;
        for (Ledger.Scenario s : ran) {
            if (s.status() == Ledger.Status.FAILED && !excused(s, valid)) {
                failures.add("FAILED " + s.name() + " (" + s.location() + "): " + Ledger.firstLine(s.reason()));
            } else if (s.status() == Ledger.Status.NOT_RUN) {
                notRun++;
            }
        }
        if (notRun > 0) {
            failures.add(notRun + " scenario(s) not run: a halt rule stopped the run, or it was interrupted");
        }
        List<Waivers.Waiver> expired = waivers.expired(today);
        for (Waivers.Waiver w : expired) {
            failures.add("EXPIRED WAIVER for " + w.item() + " (approved by " + w.approver() + ") ran out on " + w.expires()
                    + ": an expired waiver counts as a failure; renew or remove it");
        }
        if (!selected) {
            items.stream().filter(r -> r.verdict() == Verdict.GAP)
                    .forEach(r -> failures.add("GAP: runbook item " + r.id() + " (" + r.title() + ") has no scenario"));
        }
        if (ran.isEmpty()) {
            failures.add("no scenario ran");
        }
        List<Waivers.Waiver> used = java.util.stream.Stream.concat(items.stream(), drills.stream())
                .filter(r -> r.verdict() == Verdict.WAIVED).map(r -> r.waiver().orElseThrow()).toList();
        java.util.Set<String> handoff = runbook.items().stream().filter(i -> !i.derivedFrom().isEmpty()).map(Runbook.Item::id)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        return new Acceptance(List.copyOf(items), List.copyOf(drills), others, List.copyOf(failures), used,
                List.copyOf(expired), handoff);
    }

    /** A failed scenario is excused when everything it proves has a waiver in force. */
    private static boolean excused(Ledger.Scenario s, Set<String> valid) {
        List<String> ids = new ArrayList<>(Runbook.idsIn(s.tags()));
        FeatureIndex.drillId(s.tags()).ifPresent(ids::add);
        return !ids.isEmpty() && valid.containsAll(ids);
    }

    private static Row row(String id, String title, String section, String method, String expected,
                           List<FeatureIndex.Scenario> scenarios, List<Ledger.Scenario> proofs, Waivers waivers, LocalDate today) {
        Optional<Waivers.Waiver> waiver = waivers.of(id);
        boolean waiverInForce = waiver.filter(w -> !w.expired(today)).isPresent();
        Verdict verdict;
        String note;
        Optional<Ledger.Scenario> failed = proofs.stream().filter(p -> p.status() == Ledger.Status.FAILED).findFirst();
        Optional<Ledger.Scenario> notRun = proofs.stream().filter(p -> p.status() == Ledger.Status.NOT_RUN).findFirst();
        if (scenarios.isEmpty() && proofs.isEmpty()) {
            verdict = Verdict.GAP;
            note = "no scenario of the features proves this item";
        } else if (proofs.isEmpty()) {
            verdict = Verdict.NOT_SELECTED;
            note = "";
        } else if (failed.isPresent()) {
            verdict = waiverInForce ? Verdict.WAIVED : Verdict.FAILED;
            note = Ledger.firstLine(failed.get().reason());
        } else if (notRun.isPresent()) {
            verdict = Verdict.HALTED;
            note = Ledger.firstLine(notRun.get().reason());
        } else if (proofs.stream().allMatch(p -> p.status() == Ledger.Status.SKIPPED)) {
            verdict = proofs.stream().allMatch(p -> notApplicable(p.reason())) ? Verdict.NOT_APPLICABLE : Verdict.SKIPPED;
            note = proofs.stream().map(p -> Ledger.firstLine(p.reason())).distinct().collect(java.util.stream.Collectors.joining("; "));
        } else if (proofs.stream().anyMatch(p -> p.status() == Ledger.Status.SKIPPED)) {
            // some scenarios passed, some were skipped: checked in part, and what was not is said
            verdict = Verdict.PARTLY;
            note = "not checked: " + proofs.stream().filter(p -> p.status() == Ledger.Status.SKIPPED)
                    .map(p -> "\"" + p.name() + "\" (" + Ledger.firstLine(p.reason()) + ")").collect(java.util.stream.Collectors.joining("; "));
        } else {
            verdict = Verdict.PASSED;
            note = "";
        }
        if (waiver.isPresent() && waiver.get().expired(today)) {
            note = (note.isEmpty() ? "" : note + "; ") + "its waiver expired on " + waiver.get().expires() + " (counts as a failure)";
        }
        return new Row(id, title, section, method, expected, List.copyOf(scenarios), List.copyOf(proofs), verdict, note, waiver);
    }

    /** A skip's reason that declares the scenario not applicable to the zone (the environment's {@code not_applicable}). */
    static boolean notApplicable(String reason) {
        return reason != null && reason.startsWith("not applicable");
    }

    /** How many of the runbook's items ended with each verdict, in the verdicts' order; verdicts no item had are left out. */
    public Map<Verdict, Long> itemCounts() {
        Map<Verdict, Long> n = new java.util.EnumMap<>(Verdict.class);
        items.forEach(r -> n.merge(r.verdict(), 1L, Long::sum));
        return n;
    }

    public List<Row> items() {
        return items;
    }

    /**
     * The handoff criteria: the runbook's items derived from the evidence of others (their
     * catalogue entries name the items they rest on), in the runbook's order; whatever section
     * the runbook puts them in.
     */
    public List<Row> handoff() {
        return items.stream().filter(r -> handoffIds.contains(r.id())).toList();
    }

    public List<Row> drills() {
        return drills;
    }

    /** Scenarios of this run that prove neither a runbook item nor a drill (the sign-off table, for instance). */
    public List<Ledger.Scenario> others() {
        return others;
    }

    /** What fails the run, one line each; empty when it passed. */
    public List<String> failures() {
        return failures;
    }

    public List<Waivers.Waiver> waiversUsed() {
        return waiversUsed;
    }

    public List<Waivers.Waiver> waiversExpired() {
        return waiversExpired;
    }

    public boolean passed() {
        return failures.isEmpty();
    }

    public Optional<Row> row(String id) {
        return items.stream().filter(r -> r.id().equals(id)).findFirst()
                .or(() -> drills.stream().filter(r -> r.id().equals(id)).findFirst());
    }
}
