package io.triad.steps;

import io.cucumber.java.After;
import io.cucumber.java.Before;
import io.cucumber.java.Scenario;
import io.triad.host.Evidence;
import io.triad.run.Harness;
import io.triad.zone.Zone;

/** Per scenario: evidence starts empty; afterwards every fault is healed (also after a failed step) and the evidence attached. */
public class Hooks {

    @Before(order = 0)
    public void freshEvidence() {
        if (Harness.interrupted()) {
            throw new org.opentest4j.TestAbortedException("not run: the run was interrupted");
        }
        Harness.zone().evidence().drain();
    }

    @After(order = 0)
    public void healAndAttach(Scenario scenario) {
        Zone zone = Harness.zone();
        try {
            zone.faults().healAll(zone.evidence());
        } finally {
            for (Evidence.Item item : zone.evidence().drain()) {
                scenario.attach(item.body(), "text/plain", item.title());
            }
        }
    }
}
