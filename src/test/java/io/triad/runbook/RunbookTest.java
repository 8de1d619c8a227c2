package io.triad.runbook;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Item ids and sections beyond numbers: a runbook whose sections are named, in its own order. */
class RunbookTest {

    static Runbook named() {
        Map<String, Object> sections = new java.util.LinkedHashMap<>();
        sections.put("prereq", "Prerequisites");
        sections.put("stage", "Stage the nodes");
        sections.put("seed", "Seed the first admin");
        return Runbook.parse(new ObjectMapper().valueToTree(Map.of("runbook", "unibus", "sections", sections, "items", List.of(
                Map.of("id", "prereq.1", "title", "no placeholder", "halt", "a prerequisite fails"),
                Map.of("id", "stage.1", "title", "units staged"),
                Map.of("id", "seed.1", "title", "first admin in the KV")))));
    }

    @Test
    void idsOfLettersAndDigitsAreRead() {
        assertEquals(List.of("1.6", "stage.1", "prereq"), Runbook.idsIn(List.of("@runbook:1.6", "@disruptive", "@runbook:stage.1",
                "@runbook:prereq", "@drill:crash")));
    }

    @Test
    void sectionsCompareInTheCataloguesOrderNotAlphabetically() {
        Runbook r = named();
        assertTrue(r.compareSections("prereq", "stage") < 0);
        assertTrue(r.compareSections("stage", "seed") < 0, "stage before seed, as the runbook has them");
        assertTrue(r.compareSections("seed", "other") < 0, "a section the catalogue does not list comes last");
        Runbook bsfg = Runbook.forProfile("bsfg-triad");
        assertTrue(bsfg.compareSections("9", "10") < 0 && bsfg.compareSections("2", "1") > 0);
    }

    @Test
    void theSignersAreTheRunbooksOwnOrTheGenericTwo() {
        assertEquals(List.of("deploying_engineer", "platform_lead"), Runbook.forProfile("bsfg-triad").signoffRoles(),
                "the BSFG runbook's sign-off table: Deploying Engineer, Platform Lead");
        assertEquals(Runbook.DEFAULT_SIGNOFF, named().signoffRoles());
        assertEquals(List.of("performed_by", "approved_by"), Runbook.forProfile("unibus").signoffRoles(), "seed 003 names no signers");
    }

    @Test
    void aHaltInANamedSectionStopsTheLaterSectionsOnly() {
        Ledger ledger = new Ledger(named(), false);
        ledger.record("placeholders", List.of("prereq.1"), Ledger.Status.FAILED, "nodes.env still holds <MAGNUS_WG_IP>");
        assertEquals(Optional.empty(), ledger.haltFor(List.of("prereq.1")), "its own section still runs");
        assertTrue(ledger.haltFor(List.of("seed.1")).isPresent());
        assertTrue(ledger.haltFor(List.of("stage.1")).isPresent());
    }
}
