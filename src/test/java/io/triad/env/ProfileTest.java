package io.triad.env;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Profiles are found by name, by convention (io.triad.profile.<name without dashes>.Shape), and listed. */
class ProfileTest {

    @Test
    void theBsfgTriadIsFoundByNameAndListed() {
        Profile p = Profile.named("bsfg-triad");
        assertEquals("bsfg-triad", p.name());
        assertSame(p, Profile.named("bsfg-triad"), "loaded once");
        assertTrue(Profile.names().contains("bsfg-triad"), Profile.names().toString());
        assertEquals(java.util.List.of("hosts-answer", "vip-holder", "health-through-vip", "jetstream-settled"),
                p.steady().stream().map(io.triad.zone.SteadyPart::name).toList());
    }

    @Test
    void aNameThatIsNoProfileIsNone() {
        assertNull(Profile.named("bsfg-triade"));
        assertNull(Profile.named("../bsfgtriad"));
        assertNull(Profile.named("BSFG-TRIAD"));
        assertNull(Profile.named(""));
    }

    @Test
    void anExclusiveResourceTheProfileDoesNotHaveIsNamedWithThoseItHas() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Profile.named("bsfg-triad").exclusive("leader"));
        assertEquals("profile bsfg-triad has no exclusive resource leader (it has: [vip, controller])", e.getMessage());
    }

    private static final java.nio.file.Path ROOT = io.triad.sim.SimulatedTriad.root();

    @Test
    void theUnibusClusterIsASecondProfileWithItsOwnSettings() {
        Environment env = EnvironmentLoader.load(ROOT.resolve("environments/unibus/simulated.yaml"));
        assertEquals("unibus", env.profile().name());
        assertTrue(Profile.names().contains("unibus"), Profile.names().toString());
        assertEquals(java.util.List.of("io.triad.steps.common", "io.triad.steps.unibus"), env.profile().glue());
        io.triad.profile.unibus.Settings s = env.settings(io.triad.profile.unibus.Settings.class);
        assertEquals(8470, s.httpPort());
        assertEquals(1, s.rolloutReplicas());
        assertEquals("/opt/unibus/tls/ca.crt", s.file("tls/ca.crt"));
        assertTrue(!env.hasVip(), "a unibus zone has no VIP");
        assertEquals("unibus.image", env.profile().recipe().imageProperty());
        assertThrows(IllegalStateException.class, () -> EnvironmentLoader.load(ROOT.resolve("environments/bsfg-triad/simulated.yaml"))
                .settings(io.triad.profile.unibus.Settings.class));
    }

    @Test
    void aFieldOfAnotherProfileIsRefusedNamingTheFileAndTheField() {
        InputError lease = assertThrows(InputError.class, () -> EnvironmentLoader.load(ROOT.resolve("environments/unibus/simulated.yaml"),
                root -> root.putObject("vip_lease").put("ttl", "6s")));
        assertTrue(lease.getMessage().endsWith("simulated.yaml: vip_lease: is a field of profile bsfg-triad, not of profile unibus (this file's profile)"),
                lease.getMessage());
        InputError vip = assertThrows(InputError.class, () -> EnvironmentLoader.load(ROOT.resolve("environments/unibus/simulated.yaml"),
                root -> root.put("vip", "10.213.78.10/24")));
        assertTrue(vip.getMessage().endsWith("simulated.yaml: vip: profile unibus has no VIP (none of its roles seed, replica-1, replica-2 holds one)"),
                vip.getMessage());
        InputError unibus = assertThrows(InputError.class, () -> EnvironmentLoader.load(ROOT.resolve("environments/bsfg-triad/simulated.yaml"),
                root -> root.putObject("unibus").put("dir", "/opt/unibus")));
        assertTrue(unibus.getMessage().endsWith("unibus: is a field of profile unibus, not of profile bsfg-triad (this file's profile)"),
                unibus.getMessage());
    }

    @Test
    void aProfileSettingThatIsWrongIsNamedWithItsPath() {
        InputError sync = assertThrows(InputError.class, () -> EnvironmentLoader.load(ROOT.resolve("environments/unibus/simulated.yaml"),
                root -> ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("unibus")).put("sync_policy", "sometimes")));
        assertTrue(sync.getMessage().contains("unibus.sync_policy: 'sometimes' is neither 'always'"), sync.getMessage());
        InputError mesh = assertThrows(InputError.class, () -> EnvironmentLoader.load(ROOT.resolve("environments/unibus/simulated.yaml"),
                root -> ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("unibus").get("mesh")).put("network", "10.213.79.0/16")));
        assertTrue(mesh.getMessage().contains("unibus.mesh.network: '10.213.79.0/16' is not an IPv4 /24 network"), mesh.getMessage());
        InputError noNetwork = assertThrows(InputError.class, () -> EnvironmentLoader.load(ROOT.resolve("environments/unibus/simulated.yaml"),
                root -> ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("unibus").get("mesh")).remove("network")));
        assertTrue(noNetwork.getMessage().contains("unibus.mesh.network: is required"), noNetwork.getMessage());
        var settings = EnvironmentLoader.load(ROOT.resolve("environments/unibus/simulated.yaml"))
                .settings(io.triad.profile.unibus.Settings.class);
        assertEquals("10.213.79.12", settings.meshAddress(EnvironmentLoader.load(ROOT.resolve("environments/unibus/simulated.yaml"))
                .host("homer")));
        InputError unknown = assertThrows(InputError.class, () -> EnvironmentLoader.load(ROOT.resolve("environments/unibus/simulated.yaml"),
                root -> ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("unibus").get("ports")).put("https", 1)));
        assertTrue(unknown.getMessage().contains("unibus.ports.https: unknown field"), unknown.getMessage());
        InputError subnet = assertThrows(InputError.class, () -> EnvironmentLoader.load(ROOT.resolve("environments/unibus/simulated.yaml"),
                root -> root.remove("simulation")));
        assertTrue(subnet.getMessage().contains("simulation.subnet: is required"), subnet.getMessage());
        InputError client = assertThrows(InputError.class, () -> EnvironmentLoader.load(ROOT.resolve("environments/unibus/simulated.yaml"),
                root -> root.putObject("client").put("certificate", "/nonexistent/admin.crt")));
        assertTrue(client.getMessage().contains("client.certificate: /nonexistent/admin.crt is not a readable file"), client.getMessage());
    }
}
