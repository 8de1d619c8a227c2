package io.triad.profile.unibus;

import io.triad.env.Environment;
import io.triad.env.EnvironmentLoader;
import io.triad.run.Progress;
import io.triad.sim.SimulatedTriad;
import io.triad.zone.SteadyState;
import io.triad.zone.Zone;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The unibus steady state's part "control-plane buckets", on a real cluster: a zone handed over
 * settled has every bucket known to JetStream's API (the seeded admin readable), and once one
 * bucket is deleted the steady state names it. make test once handed a chaos drill a zone whose
 * nodes' /jsz listed all six buckets while the API answered "stream not found".
 */
class BucketsKnownTest {

    @Test
    void aZoneIsSteadyOnlyWhileJetStreamKnowsEveryBucket() throws Exception {
        Environment env = EnvironmentLoader.load(SimulatedTriad.root().resolve("environments/unibus/simulated.yaml"));
        try (Zone zone = Zone.open(env, Progress.stderr())) {
            assertEquals(List.of(), SteadyState.problems(zone), "handed over settled");
            try (ControlPlane cp = ControlPlane.open(zone, zone.host("magnus"))) {
                assertTrue(cp.keyValue("UNIBUS_users").get("root") != null, "the seeded admin survived the bring-up");
                // the final read's second opinion (Workload.finalRead): the stream's leader asked for a key, and for one it never had
                assertTrue(cp.leaderHas("KV_UNIBUS_users", "$KV.UNIBUS_users.root"), "the leader holds the seeded admin");
                assertFalse(cp.leaderHas("KV_UNIBUS_users", "$KV.UNIBUS_users.nobody-ever"), "the leader holds no such key");
                cp.keyValue("UNIBUS_rooms_by_member"); // the bucket exists
                cp.management().delete("UNIBUS_rooms_by_member");
            }
            List<String> problems = SteadyState.problems(zone);
            assertTrue(problems.stream().anyMatch(p -> p.contains("JetStream does not know the control plane's buckets yet")
                    && p.contains("KV_UNIBUS_rooms_by_member")), "the deleted bucket is named: " + problems);
        }
    }
}
