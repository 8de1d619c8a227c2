package io.triad.profile.threephoenix;

import io.triad.sim.ZoneAsBuilt;
import org.junit.jupiter.api.Test;

/**
 * The RailianceThreePhoenix zone as built passes its whole audit checklist, the DR drills
 * included (I.1 and I.2 against a real Kubernetes control plane), or skips an item as not applicable with the environment's reason
 * (Longhorn). Logged in as the nodes' operator account with sudo, as a live zone would be: a check
 * that needs root and does not say so fails here. Its mutants (make mutants) show each check
 * failing on a broken variant.
 */
class PhoenixZoneTest {

    @Test
    void theZoneAsBuiltPassesEveryItemOfTheChecklistOrSkipsItWithItsReason() throws Exception {
        // moved 10 subnets up: it runs in make test's side lane, beside the other three-phoenix tests on the file's subnets
        ZoneAsBuilt.passesEveryItemOrSkipsIt("three-phoenix", "phoenix-sim", 20, 2, "I.3 (Longhorn), 2.1 (Debian containers)", 10);
    }
}
