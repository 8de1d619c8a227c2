package io.triad.profile.sfa;

import io.triad.sim.ZoneAsBuilt;
import org.junit.jupiter.api.Test;

/**
 * The SFA data tier as built passes every item of the catalogue, or skips it as not applicable
 * with the environment's reason (RKE2's etcd pods, MongoDB, EMQX: PlatformOutputsTest; k8s.1 reads a real control plane), logged in as the nodes' operator account
 * with sudo, as a live zone would be: a check that needs root and does not say so fails here. Its
 * mutants (make mutants) show the checks failing on broken variants.
 */
class SfaZoneTest {

    @Test
    void theZoneAsBuiltPassesEveryItemOrSkipsItAsNotApplicable() throws Exception {
        ZoneAsBuilt.passesEveryItemOrSkipsIt("sfa", "sfa-sim", 44, 4, "k8s.2 (no container to exec into), mongo.1, mongo.2, emqx.1");
    }
}
