package io.triad.steps.bsfgtriad;

import io.triad.profile.bsfgtriad.Settings;
import io.cucumber.java.en.Given;
import io.triad.host.Host;
import io.triad.profile.bsfgtriad.Probes;
import io.triad.run.Run;
import io.triad.zone.Zone;

/**
 * Makes the zone unsteady without a fault of the harness, to show the steady-state guard refusing
 * the next fault (test glue only). Undone after the scenario like the harness's own set-up.
 */
public class UnsteadySteps {

    private final Run run;

    public UnsteadySteps(Run run) {
        this.run = run;
    }

    @Given("health through the VIP is blocked on the active node, outside the harness's faults")
    public void blockHealth() {
        Zone zone = run.zone();
        Host h = new Probes(zone).vipHolders().get(0);
        int port = Settings.of(zone.env()).ports().controller();
        zone.faults().applied("health blocked by the test", () -> h.exec(h.asRoot("nft delete table inet triad_test_unsteady")).requireOk());
        h.exec(h.asRoot("nft add table inet triad_test_unsteady && nft add chain inet triad_test_unsteady in"
                + " '{ type filter hook input priority -300; policy accept; }' && nft add rule inet triad_test_unsteady in"
                + " iifname != lo tcp dport " + port + " drop")).requireOk();
    }
}
