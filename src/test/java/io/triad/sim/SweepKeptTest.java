package io.triad.sim;

import com.github.dockerjava.api.DockerClient;
import io.triad.env.InputError;
import io.triad.run.Progress;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A zone kept up by 'triad up' is never swept by the start of another zone: on its subnet the start
 * is refused (two zones on one subnet cannot both run), on another subnet it is left alone, while a
 * dead run's leftover beside it is still swept. A labelled network and two containers stand for the
 * zones (on subnets of the harness's own range that no environment uses).
 */
class SweepKeptTest {

    static final String KEPT_SUBNET = "10.213.99.0/24";

    @Test
    void aKeptZoneRefusesAStartOnItsSubnetAndIsLeftAloneByAStartOnAnother() throws Exception {
        DockerClient docker = SimulatedTriad.docker();
        // the leftover's run is alive until the sweep that is to take it: another harness process
        // starting a zone meanwhile (make test mutants' light lane) leaves it alone
        Process run = new ProcessBuilder("sleep", "600").start();
        Map<String, String> kept = Map.of(SimulatedTriad.LABEL, SimulatedTriad.LABEL_VALUE, SimulatedTriad.KEPT_LABEL, "true",
                SimulatedTriad.OWNER_LABEL, "1@2020-01-01T00:00:00Z"); // its 'triad up' process has ended
        Map<String, String> leftover = Map.of(SimulatedTriad.LABEL, SimulatedTriad.LABEL_VALUE,
                SimulatedTriad.OWNER_LABEL, run.pid() + "@" + run.info().startInstant().orElseThrow());
        String network = docker.createNetworkCmd().withName("triad-sweep-kept-test").withLabels(kept)
                .withIpam(new com.github.dockerjava.api.model.Network.Ipam().withConfig(
                        new com.github.dockerjava.api.model.Network.Ipam.Config().withSubnet(KEPT_SUBNET))).exec().getId();
        String keptId = null;
        String leftoverId = null;
        try {
            keptId = docker.createContainerCmd("debian:bookworm-slim").withCmd("sleep", "infinity").withLabels(kept)
                    .withHostConfig(com.github.dockerjava.api.model.HostConfig.newHostConfig().withNetworkMode(network)).exec().getId();
            leftoverId = docker.createContainerCmd("debian:bookworm-slim").withCmd("sleep", "infinity").withLabels(leftover).exec().getId();

            InputError refused = assertThrows(InputError.class, () -> SimulatedTriad.sweep(docker, Progress.silent(), KEPT_SUBNET));
            assertTrue(refused.getMessage().contains("a simulated zone kept up by 'triad up' is running on " + KEPT_SUBNET),
                    refused.getMessage());
            assertEquals(List.of(keptId, leftoverId), present(docker, keptId, leftoverId), "a refused start sweeps nothing");

            run.destroy(); // the leftover's run ends
            assertTrue(run.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "the leftover's run ended");
            SimulatedTriad.sweep(docker, Progress.silent(), "10.213.98.0/24");
            assertEquals(List.of(keptId), present(docker, keptId, leftoverId), "the kept zone stays, the dead run's leftover goes");
            assertTrue(docker.listNetworksCmd().withIdFilter(network).exec().stream().anyMatch(n -> n.getId().equals(network)),
                    "the kept zone's network stays");
        } finally {
            run.destroyForcibly();
            for (String c : new String[] {keptId, leftoverId}) {
                if (c != null) {
                    try {
                        docker.removeContainerCmd(c).withForce(true).exec();
                    } catch (RuntimeException gone) {
                        // swept
                    }
                }
            }
            try {
                docker.removeNetworkCmd(network).exec();
            } catch (RuntimeException gone) {
                // swept (a broken sweep): the assertion above says so
            }
        }
    }

    static List<String> present(DockerClient docker, String... ids) {
        List<String> all = docker.listContainersCmd().withShowAll(true).exec().stream().map(c -> c.getId()).toList();
        return java.util.Arrays.stream(ids).filter(all::contains).toList();
    }
}
