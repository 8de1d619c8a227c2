package io.triad.env;

import io.triad.profile.bsfgtriad.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnvironmentLoaderTest {

    static final Path ROOT = Path.of(System.getProperty("triad.root", ".")).toAbsolutePath();

    @TempDir
    Path dir;

    static final String VALID = """
            zone: test
            kind: live
            hosts:
              - { name: alpha, role: alpha, address: 192.0.2.11 }
              - { name: beta,  role: beta,  address: 192.0.2.12 }
              - { name: gamma, role: gamma, address: 192.0.2.13 }
            vip: 192.0.2.10/24
            ssh: { known_hosts: known_hosts }
            """;

    Path write(String yaml) throws Exception {
        return Files.writeString(dir.resolve("env.yaml"), yaml);
    }

    String error(String yaml) throws Exception {
        Path file = write(yaml);
        InputError e = assertThrows(InputError.class, () -> EnvironmentLoader.load(file));
        assertTrue(e.getMessage().startsWith(file.toString()) || e.getMessage().contains(file.toString()),
                "the message names the file: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void theShippedEnvironmentsLoad() {
        Environment sim = EnvironmentLoader.load(ROOT.resolve("environments/bsfg-triad/simulated.yaml"));
        assertTrue(sim.simulated());
        assertEquals("sim", sim.zone());
        assertEquals(3, sim.hosts().size());
        assertEquals("10.213.77.10", sim.vip().address().toString());
        assertEquals(Duration.ofSeconds(15), sim.thresholds().failoverWindow());
        assertEquals(java.util.Optional.of(new Settings.VipLease("bsfg_lease", "active", Duration.ofSeconds(6), Duration.ofMillis(500))),
                Settings.of(sim).vipLease(), "the reference zone holds its VIP under a lease");
        assertEquals(2, sim.vipHosts().size());
        assertEquals("bsfg-controller.service", sim.service("controller").unit());

        Environment live = EnvironmentLoader.load(ROOT.resolve("environments/bsfg-triad/example-live.yaml"));
        assertEquals(Environment.Kind.LIVE, live.kind());
        assertTrue(live.drills().allowed().isEmpty(), "a live template allows no drill by default");
    }

    @Test
    void defaultsApplyAndPathsResolveAgainstTheFile() throws Exception {
        Environment env = EnvironmentLoader.load(write(VALID));
        assertEquals("/opt/bsfg/certs/", Settings.of(env).paths().certDir());
        assertEquals(9443, Settings.of(env).ports().controller());
        assertEquals(dir.resolve("known_hosts"), env.ssh().knownHosts().orElseThrow());
        assertEquals(Duration.ofDays(30), env.thresholds().certificateHorizon());
    }

    @Test
    void aSimulatedZonesSettleDeadlineIsReadAndBounded() {
        Path sim = ROOT.resolve("environments/unibus/simulated.yaml");
        assertTrue(EnvironmentLoader.load(sim).simulation().settleDeadline().isEmpty(), "the default (60 s) when absent");
        assertEquals(Duration.ofSeconds(5), EnvironmentLoader.load(sim, root -> ((com.fasterxml.jackson.databind.node.ObjectNode)
                root.get("simulation")).put("settle_deadline", "5s")).simulation().settleDeadline().orElseThrow());
        InputError zero = assertThrows(InputError.class, () -> EnvironmentLoader.load(sim, root -> ((com.fasterxml.jackson.databind.node.ObjectNode)
                root.get("simulation")).put("settle_deadline", "0s")));
        assertTrue(zero.getMessage().contains("simulation.settle_deadline: 0 ms is outside 1 ms .. 10 min"), zero.getMessage());
        InputError word = assertThrows(InputError.class, () -> EnvironmentLoader.load(sim, root -> ((com.fasterxml.jackson.databind.node.ObjectNode)
                root.get("simulation")).put("settle_deadline", "soon")));
        assertTrue(word.getMessage().contains("simulation.settle_deadline"), word.getMessage());
    }

    @Test
    void aMissingFileIsNamed() {
        InputError e = assertThrows(InputError.class, () -> EnvironmentLoader.load(dir.resolve("nope.yaml")));
        assertEquals("environment file " + dir.resolve("nope.yaml") + " does not exist", e.getMessage());
    }

    @Test
    void malformedYamlNamesTheLine() throws Exception {
        String m = error("zone: test\nhosts: [\n  - name: alpha\n");
        assertTrue(m.contains("is not valid YAML at line"), m);
    }

    @Test
    void aVipLeaseIsReadWithDefaults() throws Exception {
        Environment env = EnvironmentLoader.load(write(VALID + "vip_lease: { ttl: 6s }\n"));
        assertEquals(new Settings.VipLease("bsfg_lease", "active", java.time.Duration.ofSeconds(6),
                java.time.Duration.ofMillis(500)), Settings.of(env).vipLease().orElseThrow());
        assertTrue(Settings.of(EnvironmentLoader.load(write(VALID))).vipLease().isEmpty(), "no vip_lease: the pattern as written");
    }

    @Test
    void aVipLeaseTooShortOrRenewedTooRarelyIsRefused() throws Exception {
        String m = error(VALID + "vip_lease: { ttl: 3s }\n");
        assertTrue(m.contains("vip_lease.ttl: 3000 ms is too short"), m);
        m = error(VALID + "vip_lease: { ttl: 6s, renew: 3s }\n");
        assertTrue(m.contains("vip_lease.renew: renewing every 3000 ms leaves less than two renewals"), m);
        m = error(VALID + "vip_lease: { bucket: 'a b' }\n");
        assertTrue(m.contains("vip_lease.bucket: 'a b' is not a JetStream KV bucket name"), m);
        m = error(VALID + "vip_lease: { tll: 6s }\n");
        assertTrue(m.contains("tll"), m);
    }

    @Test
    void anUnknownRoleIsNamedWithTheRolesTheProfileHas() throws Exception {
        String m = error(VALID.replace("role: gamma", "role: delta"));
        assertTrue(m.contains("hosts[2].role: unknown role 'delta' for host gamma (profile bsfg-triad has roles alpha, beta, gamma)"), m);
    }

    @Test
    void aVipOutsideTheServiceNodesSubnetIsRefused() throws Exception {
        String m = error(VALID.replace("vip: 192.0.2.10/24", "vip: 198.51.100.10/24"));
        assertTrue(m.contains("vip: VIP 198.51.100.10/24 is not in the subnet of host alpha (192.0.2.11)"), m);
    }

    @Test
    void aVipThatIsANodeAddressIsRefused() throws Exception {
        String m = error(VALID.replace("vip: 192.0.2.10/24", "vip: 192.0.2.12/24"));
        assertTrue(m.contains("VIP 192.0.2.12 is the address of host beta"), m);
    }

    @Test
    void badAddressesDurationsPathsAndFieldsAreNamed() throws Exception {
        assertTrue(error(VALID.replace("192.0.2.13", "192.0.2.300")).contains("hosts[2].address: '192.0.2.300' is not an IPv4 address"));
        assertTrue(error(VALID + "thresholds: { failover_window: soon }\n").contains("thresholds.failover_window: 'soon' is not a duration"));
        assertTrue(error(VALID + "paths: { cert_dir: opt/bsfg }\n").contains("paths.cert_dir: 'opt/bsfg' must be an absolute path"));
        assertTrue(error(VALID + "thresholdz: {}\n").contains("thresholdz: unknown field"));
        assertTrue(error(VALID.replace("zone: test\n", "")).contains("zone: is required"));
        assertTrue(error(VALID.replace("vip: 192.0.2.10/24", "vip: 192.0.2.10")).contains("needs a prefix length"));
    }

    @Test
    void sudoIsTrueOrFalseAndMeansNothingForRoot() throws Exception {
        assertTrue(error(VALID.replace("ssh: { known_hosts: known_hosts }", "ssh: { known_hosts: known_hosts, sudo: maybe }"))
                .contains("ssh.sudo: 'maybe' must be true or false"));
        Path file = write(VALID.replace("ssh: { known_hosts: known_hosts }", "ssh: { known_hosts: known_hosts, user: ops, sudo: true }"));
        assertTrue(EnvironmentLoader.load(file).ssh().sudo());
        file = write(VALID.replace("ssh: { known_hosts: known_hosts }", "ssh: { known_hosts: known_hosts, sudo: true }"));
        assertFalse(EnvironmentLoader.load(file).ssh().sudo(), "root needs no sudo");
    }

    @Test
    void theProfilesRolesMustEachBeFilledOnce() throws Exception {
        assertTrue(error(VALID.replace("role: beta", "role: alpha")).contains("needs exactly one host with role 'alpha', found 2"));
    }

    @Test
    void aLiveZoneNeedsKnownHosts() throws Exception {
        assertTrue(error(VALID.replace("ssh: { known_hosts: known_hosts }", "ssh: { user: root }"))
                .contains("ssh.known_hosts: a live zone needs a known_hosts file"));
    }

    @Test
    void overlaysMustNameHostsAndExistingDirectories() throws Exception {
        String sim = Files.readString(ROOT.resolve("environments/bsfg-triad/simulated.yaml"));
        assertTrue(error(sim.replace("overlays: {}", "overlays: { delta: . }")).contains("simulation.overlays.delta: no host named 'delta'"));
        assertTrue(error(sim.replace("overlays: {}", "overlays: { alpha: ./missing }")).contains("does not exist"));
    }
}
