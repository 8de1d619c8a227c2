package io.triad.profile.plasmacloud;

import io.triad.sim.ZoneAsBuilt;
import org.junit.jupiter.api.Test;

/**
 * The PlasmaCloud control plane as built passes every item its features prove so far (issue 19
 * goes on), logged in as the nodes' operator account with sudo, as a live zone would be: a check
 * that needs root and does not say so fails here. Its mutants (make mutants) show the checks
 * failing on broken variants.
 */
class PlasmaZoneTest {

    @Test
    void theZoneAsBuiltPassesEveryItemSoFar() throws Exception {
        ZoneAsBuilt.passesEveryItemOrSkipsIt("plasmacloud", "plasmacloud-sim", 26, 0, "none");
    }
}
