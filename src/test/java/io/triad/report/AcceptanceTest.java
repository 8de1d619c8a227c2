package io.triad.report;

import io.triad.runbook.Ledger;
import io.triad.runbook.Runbook;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Verdicts item by item, and what fails a run, on hand-built features, scenarios and waivers. */
class AcceptanceTest {

    static final Runbook RUNBOOK = Runbook.forProfile("bsfg-triad");
    static final LocalDate TODAY = LocalDate.parse("2026-11-21");

    static FeatureIndex.Scenario feature(String name, String... tags) {
        return new FeatureIndex.Scenario("x.feature", name, List.of(tags));
    }

    /** Features with a scenario for every item of the runbook, and one drill. */
    static List<FeatureIndex.Scenario> everyItem() {
        List<FeatureIndex.Scenario> out = new ArrayList<>();
        RUNBOOK.items().forEach(i -> out.add(feature("proves " + i.id(), "@runbook:" + i.id())));
        out.add(feature("crash", "@drill:crash"));
        return out;
    }

    static Ledger.Scenario ran(String name, Ledger.Status status, String reason, String... tags) {
        return new Ledger.Scenario(name, "x.feature:" + Math.abs(name.hashCode() % 1000), List.of(tags), status, reason);
    }

    static Waivers waivers(Waivers.Waiver... w) throws Exception {
        StringBuilder yaml = new StringBuilder("waivers:\n");
        for (Waivers.Waiver x : w) {
            yaml.append("  - {item: \"").append(x.item()).append("\", justification: \"").append(x.justification())
                    .append("\", approver: \"").append(x.approver()).append("\", expires: ").append(x.expires()).append("}\n");
        }
        java.nio.file.Path f = java.nio.file.Files.createTempFile("waivers", ".yaml");
        java.nio.file.Files.writeString(f, yaml);
        List<String> known = new ArrayList<>();
        RUNBOOK.items().forEach(i -> known.add(i.id()));
        known.add("drill:crash");
        return Waivers.load(f, known);
    }

    @Test
    void everyScenarioPassedOrSkippedWithAReasonPasses() {
        List<Ledger.Scenario> run = new ArrayList<>();
        RUNBOOK.items().forEach(i -> run.add(ran("proves " + i.id(), Ledger.Status.PASSED, "", "@runbook:" + i.id())));
        run.set(2, ran("proves 1.3", Ledger.Status.SKIPPED, "not applicable to zone sim (storage-hardware): containers", "@runbook:1.3"));
        Acceptance a = Acceptance.judge(RUNBOOK, new FeatureIndex(everyItem()), run, Waivers.none(), TODAY, false);
        assertEquals(List.of(), a.failures());
        assertTrue(a.passed());
        Acceptance.Row skipped = a.row("1.3").orElseThrow();
        assertEquals(Acceptance.Verdict.NOT_APPLICABLE, skipped.verdict());
        assertTrue(skipped.note().startsWith("not applicable"), skipped.note());
        assertEquals(Acceptance.Verdict.NOT_SELECTED, a.row("drill:crash").orElseThrow().verdict());
    }

    /** A runbook of four items, one of them declared not covered by the harness. */
    static Runbook declared() {
        return Runbook.parse(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(java.util.Map.of(
                "runbook", "r", "sections", java.util.Map.of("1", "Checks"),
                "items", List.of(java.util.Map.of("id", "1.1", "title", "read"),
                        java.util.Map.of("id", "1.2", "title", "tried twice"),
                        java.util.Map.of("id", "1.3", "title", "on disks"),
                        java.util.Map.of("id", "1.4", "title", "on hardware", "not_covered", "needs physical hardware")))));
    }

    @Test
    void everyItemIsCountedInItsStateAndOnlyAWholeCheckAccepts() {
        Runbook r = declared();
        FeatureIndex features = new FeatureIndex(List.of(feature("a", "@runbook:1.1"), feature("b", "@runbook:1.2"),
                feature("c", "@runbook:1.2"), feature("d", "@runbook:1.3")));
        List<Ledger.Scenario> run = List.of(ran("a", Ledger.Status.PASSED, "", "@runbook:1.1"),
                ran("b", Ledger.Status.PASSED, "", "@runbook:1.2"),
                ran("c", Ledger.Status.SKIPPED, "not tried: the environment names no client identity", "@runbook:1.2"),
                ran("d", Ledger.Status.SKIPPED, "not applicable to zone sim (raid): no disks", "@runbook:1.3"));
        Acceptance a = Acceptance.judge(r, features, run, Waivers.none(), TODAY, false);
        assertTrue(a.passed(), "a declared item is no failure: " + a.failures());
        assertEquals(Acceptance.Verdict.PASSED, a.row("1.1").orElseThrow().verdict());
        Acceptance.Row partly = a.row("1.2").orElseThrow();
        assertEquals(Acceptance.Verdict.PARTLY, partly.verdict(), "one scenario skipped: never plain passed");
        assertTrue(partly.note().contains("\"c\" (not tried"), partly.note());
        assertEquals(Acceptance.Verdict.NOT_APPLICABLE, a.row("1.3").orElseThrow().verdict());
        Acceptance.Row notCovered = a.row("1.4").orElseThrow();
        assertEquals(Acceptance.Verdict.NOT_COVERED, notCovered.verdict());
        assertEquals("needs physical hardware", notCovered.note());
        assertEquals("1 of 4 runbook items passed; 1 partly checked; 1 not applicable to this zone; 1 not covered by the harness",
                AcceptanceDocument.verdictLine(a));
        assertEquals(AcceptanceDocument.Outcome.PARTIAL, AcceptanceDocument.outcome(a));

        // every item passed or not applicable: a whole acceptance
        Runbook whole = Runbook.parse(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(java.util.Map.of(
                "runbook", "r", "items", List.of(java.util.Map.of("id", "1.1", "title", "read"), java.util.Map.of("id", "1.3", "title", "disks")))));
        Acceptance b = Acceptance.judge(whole, new FeatureIndex(List.of(feature("a", "@runbook:1.1"), feature("d", "@runbook:1.3"))),
                List.of(run.get(0), run.get(3)), Waivers.none(), TODAY, false);
        assertEquals(AcceptanceDocument.Outcome.ACCEPTED, AcceptanceDocument.outcome(b));
        assertEquals("1 of 2 runbook items passed; 1 not applicable to this zone", AcceptanceDocument.verdictLine(b));
    }

    @Test
    void aDeclarationWithoutItsReasonIsRefused() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Runbook.parse(
                new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(java.util.Map.of("runbook", "r",
                        "items", List.of(java.util.Map.of("id", "1.1", "title", "x", "not_covered", " "))))));
        assertTrue(e.getMessage().contains("1.1: not_covered needs its reason"), e.getMessage());
    }

    @Test
    void theHandoffCriteriaAreTheItemsDerivedFromOthersWhateverTheirSection() {
        List<Ledger.Scenario> run = new ArrayList<>();
        RUNBOOK.items().forEach(i -> run.add(ran("proves " + i.id(), Ledger.Status.PASSED, "", "@runbook:" + i.id())));
        Acceptance a = Acceptance.judge(RUNBOOK, new FeatureIndex(everyItem()), run, Waivers.none(), TODAY, false);
        assertEquals(List.of("9.1", "9.2", "9.3", "9.4", "9.5", "9.6", "9.7", "9.8", "9.9"),
                a.handoff().stream().map(Acceptance.Row::id).toList());
        Runbook renumbered = Runbook.parse(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(java.util.Map.of(
                "runbook", "r", "sections", java.util.Map.of("3", "Handoff"),
                "items", List.of(java.util.Map.of("id", "1.1", "title", "a check"),
                        java.util.Map.of("id", "3.1", "title", "handed over", "derived", List.of("1.1"))))));
        Acceptance b = Acceptance.judge(renumbered, new FeatureIndex(List.of(feature("p", "@runbook:1.1"), feature("h", "@runbook:3.1"))),
                List.of(ran("p", Ledger.Status.PASSED, "", "@runbook:1.1"), ran("h", Ledger.Status.PASSED, "", "@runbook:3.1")),
                Waivers.none(), TODAY, false);
        assertEquals(List.of("3.1"), b.handoff().stream().map(Acceptance.Row::id).toList(), "a runbook whose handoff is section 3");
    }

    @Test
    void aFailedItemFailsTheRunAndIsNamed() {
        List<Ledger.Scenario> run = List.of(ran("proves 3.7", Ledger.Status.FAILED, "alpha's clock is off by -500.0 ms\nmore", "@runbook:3.7"),
                ran("proves 4.1", Ledger.Status.PASSED, "", "@runbook:4.1"));
        Acceptance a = Acceptance.judge(RUNBOOK, new FeatureIndex(everyItem()), run, Waivers.none(), TODAY, true);
        assertFalse(a.passed());
        assertEquals(1, a.failures().size(), a.failures().toString());
        assertTrue(a.failures().get(0).startsWith("FAILED proves 3.7"), a.failures().toString());
        assertEquals(Acceptance.Verdict.FAILED, a.row("3.7").orElseThrow().verdict());
        assertEquals("alpha's clock is off by -500.0 ms", a.row("3.7").orElseThrow().note());
        assertEquals(Acceptance.Verdict.PASSED, a.row("4.1").orElseThrow().verdict());
        assertEquals(Acceptance.Verdict.NOT_SELECTED, a.row("5.1").orElseThrow().verdict());
    }

    @Test
    void anUndefinedStepInAScenarioOfNoItemStillFailsTheRun() {
        List<Ledger.Scenario> run = List.of(ran("A scenario with an undefined step", Ledger.Status.FAILED,
                "undefined step: The step 'x' is undefined."));
        Acceptance a = Acceptance.judge(RUNBOOK, new FeatureIndex(everyItem()), run, Waivers.none(), TODAY, true);
        assertFalse(a.passed());
        assertEquals(1, a.others().size());
        assertTrue(a.failures().get(0).contains("undefined step"), a.failures().toString());
    }

    @Test
    void anItemWithoutScenarioIsAGapThatFailsOnlyAFullRun() {
        List<FeatureIndex.Scenario> features = new ArrayList<>(everyItem());
        features.removeIf(s -> s.tags().contains("@runbook:8.4"));
        List<Ledger.Scenario> run = List.of(ran("proves 4.1", Ledger.Status.PASSED, "", "@runbook:4.1"));
        Acceptance full = Acceptance.judge(RUNBOOK, new FeatureIndex(features), run, Waivers.none(), TODAY, false);
        assertEquals(Acceptance.Verdict.GAP, full.row("8.4").orElseThrow().verdict());
        assertTrue(full.failures().contains("GAP: runbook item 8.4 (Disk and RAID checks) has no scenario"), full.failures().toString());
        Acceptance selected = Acceptance.judge(RUNBOOK, new FeatureIndex(features), run, Waivers.none(), TODAY, true);
        assertEquals(Acceptance.Verdict.GAP, selected.row("8.4").orElseThrow().verdict(), "still shown as a gap");
        assertTrue(selected.passed(), selected.failures().toString());
    }

    @Test
    void aScenarioAHaltKeptFromRunningFailsTheRun() {
        List<Ledger.Scenario> run = List.of(
                ran("proves 1.4", Ledger.Status.FAILED, "certificate expired", "@runbook:1.4"),
                ran("proves 4.1", Ledger.Status.NOT_RUN, "not run: halted by 1.4 (Certificates issued): certificate expired", "@runbook:4.1"));
        Acceptance a = Acceptance.judge(RUNBOOK, new FeatureIndex(everyItem()), run, Waivers.none(), TODAY, true);
        assertEquals(Acceptance.Verdict.HALTED, a.row("4.1").orElseThrow().verdict());
        assertEquals(2, a.failures().size(), a.failures().toString());
        assertTrue(a.failures().get(1).startsWith("1 scenario(s) not run"), a.failures().toString());
    }

    @Test
    void aWaivedFailureIsShownAsWaivedNotPassedAndDoesNotFailTheRun() throws Exception {
        Waivers w = waivers(new Waivers.Waiver("3.7", "chrony source replaced next week", "Jane Roe, platform lead",
                LocalDate.parse("2026-12-31")));
        List<Ledger.Scenario> run = List.of(ran("proves 3.7", Ledger.Status.FAILED, "clock off", "@runbook:3.7"));
        Acceptance a = Acceptance.judge(RUNBOOK, new FeatureIndex(everyItem()), run, w, TODAY, true);
        Acceptance.Row row = a.row("3.7").orElseThrow();
        assertEquals(Acceptance.Verdict.WAIVED, row.verdict());
        assertEquals("clock off", row.note(), "the failure stays visible");
        assertTrue(a.passed(), a.failures().toString());
        assertEquals(List.of("3.7"), a.waiversUsed().stream().map(Waivers.Waiver::item).toList());
    }

    @Test
    void aWaiverIsValidOnItsExpiryDayAndExpiredTheDayAfter() throws Exception {
        Waivers w = waivers(new Waivers.Waiver("3.7", "j", "a", TODAY));
        List<Ledger.Scenario> run = List.of(ran("proves 3.7", Ledger.Status.FAILED, "clock off", "@runbook:3.7"));
        assertTrue(Acceptance.judge(RUNBOOK, new FeatureIndex(everyItem()), run, w, TODAY, true).passed());
        Acceptance after = Acceptance.judge(RUNBOOK, new FeatureIndex(everyItem()), run, w, TODAY.plusDays(1), true);
        assertEquals(Acceptance.Verdict.FAILED, after.row("3.7").orElseThrow().verdict());
        assertTrue(after.row("3.7").orElseThrow().note().contains("its waiver expired on 2026-11-21"), after.row("3.7").toString());
        assertEquals(2, after.failures().size(), "the failure and the expired waiver: " + after.failures());
    }

    @Test
    void anExpiredWaiverFailsTheRunEvenWhenItsItemPassed() throws Exception {
        Waivers w = waivers(new Waivers.Waiver("4.1", "j", "a", LocalDate.parse("2026-01-01")));
        List<Ledger.Scenario> run = List.of(ran("proves 4.1", Ledger.Status.PASSED, "", "@runbook:4.1"));
        Acceptance a = Acceptance.judge(RUNBOOK, new FeatureIndex(everyItem()), run, w, TODAY, true);
        assertEquals(Acceptance.Verdict.PASSED, a.row("4.1").orElseThrow().verdict());
        assertFalse(a.passed());
        assertTrue(a.failures().get(0).startsWith("EXPIRED WAIVER for 4.1"), a.failures().toString());
    }

    @Test
    void aScenarioProvingTwoItemsIsExcusedOnlyWhenBothAreWaived() throws Exception {
        Waivers w = waivers(new Waivers.Waiver("6.3", "j", "a", LocalDate.parse("2026-12-31")));
        List<Ledger.Scenario> run = List.of(ran("Controlled demotion", Ledger.Status.FAILED, "two VIP holders",
                "@runbook:6.3", "@runbook:6.5", "@drill:controlled-demotion"));
        Acceptance a = Acceptance.judge(RUNBOOK, new FeatureIndex(everyItem()), run, w, TODAY, true);
        assertEquals(Acceptance.Verdict.WAIVED, a.row("6.3").orElseThrow().verdict());
        assertEquals(Acceptance.Verdict.FAILED, a.row("6.5").orElseThrow().verdict());
        assertFalse(a.passed(), "6.5 is not waived");
    }

    @Test
    void aRunWithNoScenarioFails() {
        Acceptance a = Acceptance.judge(RUNBOOK, new FeatureIndex(everyItem()), List.of(), Waivers.none(), TODAY, true);
        assertEquals(List.of("no scenario ran"), a.failures());
    }
}
