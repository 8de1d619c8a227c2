package io.triad.profile.unibus;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** nodes.env as the simulated zone renders it (the runbook's format), and one with placeholders left. */
class TopologyTest {

    static final String RENDERED = """
            # unibus cluster topology (deploy/cluster/nodes.env)
            CLUSTER_NAME=unibus
            ROUTE_NETWORK=wg
            KV_REPLICAS=1
            # name ssh_host public_ip wg_ip role
            NODE_MAGNUS="magnus magnus 10.213.78.11 10.213.79.11 seed"
            NODE_HOMER="homer homer 10.213.78.12 10.213.79.12 replica"
            NODE_DATARDOS="datardos datardos 10.213.78.13 10.213.79.13 replica"
            """;

    @Test
    void routesGoToTheMeshAddressesWhenTheRoutesRunOverTheMesh() {
        Topology t = Topology.parse(RENDERED);
        assertTrue(t.meshRoutes());
        assertEquals(Optional.of("10.213.79.12"), t.routeAddress("homer"));
        assertEquals("10.213.78.13", t.rows().get("datardos").publicIp());
        assertEquals(Optional.empty(), t.routeAddress("nobody"));
        Topology pub = Topology.parse(RENDERED.replace("ROUTE_NETWORK=wg", "ROUTE_NETWORK=public"));
        assertFalse(pub.meshRoutes());
        assertEquals(Optional.of("10.213.78.12"), pub.routeAddress("homer"));
    }

    @Test
    void aRowWithPlaceholdersOrMissingColumnsGivesNoAddress() {
        Topology t = Topology.parse(RENDERED.replace("\"datardos datardos 10.213.78.13 10.213.79.13 replica\"",
                "\"datardos <SSH_HOST> <PUBLIC_IP>\""));
        assertEquals(Optional.empty(), t.routeAddress("datardos"));
        assertEquals(2, t.rows().size());
    }
}
