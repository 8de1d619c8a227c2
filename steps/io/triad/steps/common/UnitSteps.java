package io.triad.steps.common;

import io.cucumber.java.en.Then;
import io.triad.probe.BootStart;

import java.util.List;

/**
 * "The unit is enabled" (BSFG 4.4, unibus up.2): it starts by itself at the host's next boot, read
 * from systemd as that boot will act on it ({@link BootStart}: enabled for good, not for this boot
 * only, and pulled in by the target the host boots into), on every node the zone runs the service on.
 */
public class UnitSteps extends Support {
    public UnitSteps(io.triad.run.Run run) {
        super(run);
    }

    @Then("the {word} unit is enabled on every node that runs it")
    public void unitEnabled(String service) {
        String unit = zone.unit(service);
        List<String> problems = onEachHost(zone.hostsRunning(service), (h, found) ->
                BootStart.problem(h.name(), unit, h.exec(BootStart.command(unit)).stdout()).ifPresent(found::add));
        none(problems, service + " does not start by itself at every node's next boot");
    }
}
