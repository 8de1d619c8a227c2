package io.triad.profile.threephoenix;

import io.triad.sim.ZoneAsBuilt;
import org.junit.jupiter.api.Test;

/**
 * The RailianceThreePhoenix zone as built passes its whole audit checklist, the DR drills
 * included, or skips an item as not applicable with the environment's reason (Kubernetes,
 * Longhorn). Logged in as the nodes' operator account with sudo, as a live zone would be: a check
 * that needs root and does not say so fails here. Its mutants (make mutants) show each check
 * failing on a broken variant.
 */
class PhoenixZoneTest {

    @Test
    void theZoneAsBuiltPassesEveryItemOfTheChecklistOrSkipsItWithItsReason() throws Exception {
        ZoneAsBuilt.passesEveryItemOrSkipsIt("three-phoenix", "phoenix-sim", 17, 3, "I.1, I.2 on Kubernetes, I.3");
    }
}
