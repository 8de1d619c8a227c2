package io.triad.runbook;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Halt rules and derived handoff criteria, on hand-built outcomes. */
class LedgerTest {

    final Runbook runbook = Runbook.forProfile("bsfg-triad");

    @Test
    void theCatalogueHasTheRunbooks49Items() {
        assertEquals(49, runbook.items().size());
        assertTrue(runbook.item("1.4").orElseThrow().halt().isPresent());
        assertFalse(runbook.item("5.1").orElseThrow().halt().isPresent(), "5.1 has no 'Halt if'");
        assertEquals(List.of("6.3"), runbook.item("9.3").orElseThrow().derivedFrom());
    }

    @Test
    void aFailedHaltingItemStopsLaterSectionsButNotItsOwn() {
        Ledger ledger = new Ledger(runbook, false);
        ledger.record("certificates", List.of("1.4"), Ledger.Status.FAILED, "node.crt expired\nmore detail");
        assertTrue(ledger.haltFor(List.of("1.8")).isEmpty(), "section 1 is checked in full");
        Ledger.Halt halt = ledger.haltFor(List.of("3.1")).orElseThrow();
        assertEquals("not run: halted by 1.4 (Certificates issued): node.crt expired", halt.notRunMessage());
    }

    @Test
    void aFailedItemWithoutAHaltRuleDoesNotHalt() {
        Ledger ledger = new Ledger(runbook, false);
        ledger.record("jetstream running", List.of("5.1"), Ledger.Status.FAILED, "down");
        assertTrue(ledger.haltFor(List.of("6.1")).isEmpty());
    }

    @Test
    void aCriterionHoldsOnlyWhenItsItemsPassed() {
        Ledger ledger = new Ledger(runbook, false);
        ledger.record("raid", List.of("3.4"), Ledger.Status.SKIPPED, "not applicable to zone sim (raid): no arrays");
        ledger.record("artifacts", List.of("3.4"), Ledger.Status.PASSED, "");
        assertEquals(List.of(), ledger.derive(List.of("3.4")));

        ledger.record("remote", List.of("7.2"), Ledger.Status.FAILED, "auth failed");
        assertEquals(List.of("7.2 (Remote backup target configuration) failed in \"remote\": auth failed"), ledger.derive(List.of("7.2")));
        assertEquals(List.of("7.1 (Snapshot backup job placement) was not run in this run: no evidence"), ledger.derive(List.of("7.1")));

        ledger.record("smart", List.of("8.4"), Ledger.Status.SKIPPED, "not applicable");
        assertEquals(1, ledger.derive(List.of("8.4")).size(), "only skipped is no evidence: " + ledger.derive(List.of("8.4")));
        ledger.record("halted", List.of("8.1"), Ledger.Status.NOT_RUN, "not run: halted by 1.4");
        assertTrue(ledger.derive(List.of("8.1")).get(0).contains("was not run"));
    }

    /** A read-only audit leaves the drills out: their criteria are not proven in this run, not failed; a failure or a halt disproves. */
    @Test
    void aCriterionWhoseItemsWereNotRunIsUnprovenNotFailed() {
        Ledger ledger = new Ledger(runbook, false);
        ledger.record("remote", List.of("7.2"), Ledger.Status.PASSED, "");
        Ledger.Derivation unrun = ledger.derivation(List.of("7.2", "6.3"));
        assertEquals(List.of(), unrun.failed());
        assertEquals(List.of("6.3 (Test demotion stops controller) was not run in this run: no evidence"), unrun.unproven());
        assertFalse(unrun.holds());

        ledger.record("smart", List.of("8.4"), Ledger.Status.SKIPPED, "not applicable to zone sim (raid): no devices");
        assertEquals(1, ledger.derivation(List.of("8.4")).unproven().size(), "only skipped proves nothing");
        ledger.record("demote", List.of("6.3"), Ledger.Status.FAILED, "the controller kept running");
        ledger.record("halted", List.of("8.1"), Ledger.Status.NOT_RUN, "not run: halted by 1.4");
        Ledger.Derivation failed = ledger.derivation(List.of("6.3", "8.1"));
        assertEquals(2, failed.failed().size(), failed.toString());
        assertEquals(List.of(), failed.unproven());
        assertTrue(ledger.derivation(List.of("7.2")).holds());
    }
}
