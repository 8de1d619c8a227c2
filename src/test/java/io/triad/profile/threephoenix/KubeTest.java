package io.triad.profile.threephoenix;

import org.junit.jupiter.api.Test;

import io.triad.tech.kube.Kube;
import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kubernetes objects of Appendix A's section I as kubectl prints them ({@code -o json}, the
 * API's own shapes: core/v1 Node and Pod, longhorn.io/v1beta2 Volume and Replica), each list with
 * the broken case the check must see: a node whose kubelet stopped posting (Ready Unknown), two
 * pods of three on one node, a degraded volume whose third replica failed.
 */
class KubeTest {

    @Test
    void aNodeWhoseKubeletStoppedPostingIsNotReady() throws IOException {
        List<Kube.Node> nodes = Kube.nodes(ViewsTest.recorded("kubectl-get-nodes.json"));
        assertEquals(List.of("rail-a", "rail-b", "rail-c"), nodes.stream().map(Kube.Node::name).toList());
        assertTrue(nodes.get(0).ready());
        assertFalse(nodes.get(2).ready());
        assertEquals("NodeStatusUnknown", nodes.get(2).readyReason());
    }

    @Test
    void twoPodsOnOneNodeAreSeenByTheirNodeNames() throws IOException {
        List<Kube.Pod> pods = Kube.pods(ViewsTest.recorded("kubectl-get-pods.json"));
        assertEquals(3, pods.stream().filter(p -> p.phase().equals("Running") && p.ready()).count());
        assertEquals(2, pods.stream().map(Kube.Pod::node).distinct().count());
    }

    @Test
    void aDegradedVolumeAndItsFailedReplica() throws IOException {
        List<Kube.Volume> volumes = Kube.volumes(ViewsTest.recorded("kubectl-get-longhorn-volumes.json"),
                ViewsTest.recorded("kubectl-get-longhorn-replicas.json"));
        assertEquals("healthy", volumes.get(0).robustness());
        assertEquals(3, volumes.get(0).healthyReplicas());
        assertEquals("degraded", volumes.get(1).robustness());
        assertEquals(2, volumes.get(1).healthyReplicas());
        assertEquals(3, volumes.get(1).replicas());
    }

    @Test
    void anErrorInsteadOfAListIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Kube.nodes("error: the server doesn't have a resource type \"nodes\""));
        assertThrows(IllegalArgumentException.class, () -> Kube.pods("{\"kind\": \"Status\"}"));
    }
}
