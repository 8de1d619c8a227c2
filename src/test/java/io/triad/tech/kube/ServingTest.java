package io.triad.tech.kube;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Serving} on real outputs of the simulated control plane (see real/README.md). */
class ServingTest {

    static String real(String name) throws Exception {
        return Files.readString(Path.of("src/test/resources/io/triad/tech/kube/real").resolve(name));
    }

    @Test
    void aRollingUpdateKeepsEveryReplicaReadyAndRecreateLeavesNone() throws Exception {
        Serving.Watched rolling = Serving.watched(real("rolling.json"), 3);
        assertEquals(3, rolling.initiallyReady());
        assertTrue(rolling.least() >= 2, rolling.toString());
        assertTrue(rolling.events() > 5, rolling.toString());
        Serving.Watched recreate = Serving.watched(real("recreate.json"), 3);
        assertEquals(3, recreate.initiallyReady());
        assertEquals(0, recreate.least(), recreate.toString());
        assertTrue(recreate.atLeast().contains("[]"), recreate.atLeast());
    }

    @Test
    void aWatchCutShortCountsTheEventsItHasAndOneWithTooFewIsRefused() throws Exception {
        String text = real("recreate.json");
        // cut in the middle of an event after the deletions began: the whole events before it are judged
        int cut = text.indexOf("\"type\":\"DELETED\"") + 40;
        Serving.Watched partial = Serving.watched(text.substring(0, cut), 3);
        assertEquals(3, partial.initiallyReady());
        assertTrue(partial.least() < 3, partial.toString());
        IllegalArgumentException few = assertThrows(IllegalArgumentException.class, () -> Serving.watched(text.substring(0, 40), 3));
        assertTrue(few.getMessage().contains("fewer than the 3 pods"), few.getMessage());
    }

    @Test
    void theFloorIsTheBudgetThatSelectsThePods() throws Exception {
        Serving.Floor f = Serving.floor(real("pdb.json"), Map.of("app", "user-management-service", "pod-template-hash", "x"), 3);
        assertEquals(2, f.pods());
        assertTrue(f.from().contains("minAvailable 2"), f.from());
        Serving.Floor none = Serving.floor(real("pdb.json"), Map.of("app", "user-service"), 2);
        assertEquals(1, none.pods(), "no budget selects them: at least one");
        String percent = "{\"items\":[{\"metadata\":{\"name\":\"b\"},\"spec\":{\"maxUnavailable\":\"50%\",\"selector\":{\"matchLabels\":{\"app\":\"a\"}}}},"
                + "{\"metadata\":{\"name\":\"c\"},\"spec\":{\"minAvailable\":\"60%\",\"selector\":{\"matchLabels\":{\"app\":\"a\"}}}}]}";
        assertEquals(3, Serving.floor(percent, Map.of("app", "a"), 4).pods(), "the highest: 60 % of 4 rounded up, over 4 less 2");
    }

    @Test
    void theEndpointsAreThePodsTheSliceNamesWithTheirReadiness() throws Exception {
        List<Serving.Endpoint> eps = Serving.endpoints(real("eps.json"));
        assertEquals(2, eps.size(), eps.toString());
        assertTrue(eps.stream().allMatch(e -> e.pod().startsWith("user-service-blue-") && e.ready()), eps.toString());
        assertEquals(2, Serving.readyPods(eps).size());
        String notReady = "{\"items\":[{\"endpoints\":[{\"addresses\":[\"10.0.0.1\"],\"conditions\":{\"ready\":false},"
                + "\"targetRef\":{\"kind\":\"Pod\",\"name\":\"p\"}},{\"addresses\":[\"10.0.0.2\"]}]}]}";
        List<Serving.Endpoint> two = Serving.endpoints(notReady);
        assertEquals(List.of(), Serving.readyPods(two), "a pod not ready, and an address of no pod: no ready pod");
        assertEquals("", two.get(1).pod());
    }
}
