package io.triad.sim;

import com.github.dockerjava.api.DockerClient;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two harness processes sweeping the same dead run's leftovers at once (make mutants' lanes each
 * start a zone; a killed run left its zone) both end, with everything removed: what the other is
 * removing answers 404 or 409, and neither sweep fails on it (seen before: two lanes' starts failing
 * twice on "removal of container ... is already in progress"). A dead run's zone here: a labelled
 * network on a subnet no environment uses, running containers on it, a labelled volume mounted.
 * Their owner is a process that runs while they are made and is ended just before the sweeps: a
 * harness process starting a zone meanwhile (make test mutants' light lane) leaves a live run's zone
 * alone, where one labelled as a long-dead run was swept between its container's create and start
 * (a fresh-clone CI run, 2026-11-26: "container is marked for removal and cannot be started").
 */
class SweepRaceTest {

    static final String SUBNET = "10.213.97.0/24";

    @Test
    void twoSweepsAtOnceBothEndAndLeaveNothing() throws Exception {
        DockerClient docker = SimulatedTriad.docker();
        for (int round = 1; round <= 3; round++) {
            Process owner = new ProcessBuilder("sleep", "600").start(); // the run, alive while its zone is made
            Map<String, String> dead = Map.of(SimulatedTriad.LABEL, SimulatedTriad.LABEL_VALUE,
                    SimulatedTriad.OWNER_LABEL, owner.pid() + "@" + owner.info().startInstant().orElseThrow());
            String network = docker.createNetworkCmd().withName("triad-sweep-race-test-" + round).withLabels(dead)
                    .withIpam(new com.github.dockerjava.api.model.Network.Ipam().withConfig(
                            new com.github.dockerjava.api.model.Network.Ipam.Config().withSubnet(SUBNET))).exec().getId();
            String volume = docker.createVolumeCmd().withName("triad-sweep-race-test-" + round).withLabels(dead).exec().getName();
            List<String> containers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String id = docker.createContainerCmd("debian:bookworm-slim").withCmd("sleep", "infinity").withLabels(dead)
                        .withHostConfig(com.github.dockerjava.api.model.HostConfig.newHostConfig().withNetworkMode(network)
                                .withBinds(new com.github.dockerjava.api.model.Bind(volume, new com.github.dockerjava.api.model.Volume("/data"))))
                        .exec().getId();
                docker.startContainerCmd(id).exec();
                containers.add(id);
            }
            owner.destroy(); // the run dies: its zone is a leftover now
            assertTrue(owner.waitFor(30, TimeUnit.SECONDS), "the owner process ended");
            ExecutorService two = Executors.newFixedThreadPool(2);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<SimulatedTriad.Swept>> sweeps = new ArrayList<>();
            for (int s = 0; s < 2; s++) {
                sweeps.add(two.submit(() -> {
                    go.await();
                    return SimulatedTriad.sweepAll(docker, true);
                }));
            }
            go.countDown();
            try {
                for (Future<SimulatedTriad.Swept> f : sweeps) {
                    f.get(90, TimeUnit.SECONDS); // a sweep that failed on the other's removal throws here
                }
            } finally {
                two.shutdownNow();
            }
            assertEquals(List.of(), SweepKeptTest.present(docker, containers.toArray(String[]::new)), "round " + round + ": containers left");
            assertEquals(0, docker.listNetworksCmd().withIdFilter(network).exec().stream().filter(n -> n.getId().equals(network)).count(),
                    "round " + round + ": the network is left");
            assertEquals(0, docker.listVolumesCmd().exec().getVolumes().stream().filter(v -> v.getName().equals(volume)).count(),
                    "round " + round + ": the volume is left");
        }
    }
}
