package io.triad.steps.common;

import io.cucumber.java.en.Then;
import io.triad.env.Environment;
import io.triad.runbook.Ledger;
import io.triad.runbook.Runbook;
import org.opentest4j.TestAbortedException;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Runbook section 9: handoff criteria derived from this run's evidence, and the sign-off table. */
public class HandoffSteps extends Support {
    public HandoffSteps(io.triad.run.Run run) {
        super(run);
    }

    @Then("handoff criterion {word} holds, derived from the evidence of this run")
    public void criterion(String id) {
        Ledger ledger = run.ledger();
        Runbook.Item item = ledger.runbook().item(id).orElseThrow(() -> new AssertionError("no runbook item " + id));
        check(!item.derivedFrom().isEmpty(), "runbook item " + id + " names no items to derive it from");
        zone.evidence().note("evidence for " + id + " " + item.title(), "derived from items " + item.derivedFrom() + ":\n"
                + ledger.evidenceOf(item.derivedFrom()));
        Ledger.Derivation d = ledger.derivation(item.derivedFrom());
        none(d.failed(), "handoff criterion " + id + " (" + item.title() + ") does not hold");
        if (!d.unproven().isEmpty() && !planning()) {
            // not failed: this run did not gather its evidence (a read-only audit leaves the drills out)
            throw new TestAbortedException("not proven in this run: " + String.join("; ", d.unproven()));
        }
    }

    @Then("the sign-off table is filled from the environment's sign-off record")
    public void signoff() {
        Map<String, Environment.Signature> record = zone.env().acceptance().signoff();
        if (record.isEmpty()) {
            throw new TestAbortedException("not signed: " + zone.env().file().getFileName() + " holds no sign-off record;"
                    + " the " + String.join(" and the ", run.ledger().runbook().signoffRoles()).replace('_', ' ')
                    + " sign the printed report");
        }
        StringBuilder table = new StringBuilder("role | name | date\n");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        for (String role : run.ledger().runbook().signoffRoles()) {
            Environment.Signature s = record.get(role);
            check(s != null, "the sign-off record lacks the " + role.replace('_', ' '));
            check(!s.date().isAfter(today), "the " + role.replace('_', ' ') + "'s sign-off is dated " + s.date() + ", in the future");
            table.append(role).append(" | ").append(s.name()).append(" | ").append(s.date()).append('\n');
        }
        zone.evidence().note("sign-off", table.toString());
    }
}
