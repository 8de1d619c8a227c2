package io.triad.env;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The BSFG triad's guard rails as data, judged as the Nemesis judges them before every fault. */
class FaultCatalogueTest {

    static final FaultCatalogue BSFG = Profile.named("bsfg-triad").faults();
    static final Map<String, Integer> SIZES = Map.of("vip", 2, "jetstream", 3);

    static Optional<String> broken(String fault, Set<String> vipDown, Set<String> jetstreamDown) {
        return BSFG.broken(fault, "the zone", Map.of("vip", vipDown, "jetstream", jetstreamDown), SIZES);
    }

    @Test
    void whatAServiceFaultTakesOutFollowsTheRailsServices() {
        FaultCatalogue.GuardRail vip = BSFG.guardRails().get(0);
        FaultCatalogue.GuardRail js = BSFG.guardRails().get(1);
        assertTrue(vip.takesOut("alpha", "keepalived") && vip.takesOut("beta", "controller") && vip.takesOut("alpha", null));
        assertFalse(vip.takesOut("alpha", "jetstream"), "JetStream stopped on Alpha leaves it able to serve the VIP");
        assertFalse(vip.takesOut("gamma", null), "Gamma never serves the VIP");
        assertTrue(js.takesOut("gamma", "jetstream") && js.takesOut("gamma", null));
        assertFalse(js.takesOut("alpha", "keepalived"));
    }

    @Test
    void oneDownIsAllowedTwoAreNotExceptInTheNamedDrillAndNeverAll() {
        assertEquals(Optional.empty(), broken("crash-node", Set.of("alpha"), Set.of("alpha")));
        assertEquals(Optional.of("never fault Alpha and Beta at once: crash-node on the zone would take down alpha and beta"),
                broken("crash-node", Set.of("alpha", "beta"), Set.of()));
        assertTrue(broken("stop-jetstream", Set.of(), Set.of("beta", "gamma")).orElseThrow()
                .startsWith("never more than one JetStream node down except in the quorum-loss drill"));
        assertEquals(Optional.empty(), broken("quorum-loss", Set.of(), Set.of("beta", "gamma")), "the named drill takes two of three");
        assertTrue(broken("quorum-loss", Set.of(), Set.of("alpha", "beta", "gamma")).isPresent(), "never all, even then");
        assertTrue(broken("quorum-loss", Set.of("alpha", "beta"), Set.of("gamma")).orElseThrow().startsWith("never fault Alpha and Beta"),
                "the drill's exception covers its own rail only");
    }

    @Test
    void aCatalogueNamingFaultsItDoesNotHaveIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FaultCatalogue(Set.of("crash-node"), Set.of("quorum-loss"), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new FaultCatalogue(Set.of("crash-node"), Set.of(), List.of(
                new FaultCatalogue.GuardRail("x", Set.of("a"), Set.of(), 1, Set.of("quorum-loss"), "rule"))));
        assertThrows(IllegalArgumentException.class, () -> new FaultCatalogue.GuardRail("x", Set.of("a"), Set.of(), 0, Set.of(), "rule"));
    }

    @org.junit.jupiter.api.Test
    void theUnibusClusterNeverHasTwoNodesDownOutsideTheKillTwoDrillAndNeverThree() {
        FaultCatalogue unibus = Profile.named("unibus").faults();
        Map<String, Integer> sizes = Map.of("control-plane", 3);
        assertEquals(Optional.empty(), unibus.broken("stop-one", "magnus", Map.of("control-plane", Set.of("magnus")), sizes));
        assertEquals(Optional.of("never more than one node down except in the kill-two drill (and never all): stop-one on homer"
                        + " would take down homer and magnus"),
                unibus.broken("stop-one", "homer", Map.of("control-plane", Set.of("magnus", "homer")), sizes));
        assertEquals(Optional.empty(), unibus.broken("stop-two", "homer", Map.of("control-plane", Set.of("magnus", "homer")), sizes));
        assertTrue(unibus.broken("stop-two", "datardos", Map.of("control-plane", Set.of("magnus", "homer", "datardos")), sizes).isPresent(),
                "never all three");
        assertTrue(unibus.namedOnLive().contains("stop-two"), "a live zone's 'all' does not cover the kill-two drill");
    }

    @Test
    void thePlasmaCloudRestoreAloneMayStopEveryStoreAndALiveZoneMustNameIt() {
        FaultCatalogue plasma = Profile.named("plasmacloud").faults();
        Map<String, Integer> sizes = Map.of("raft-quorum", 3);
        Map<String, Set<String>> all = Map.of("raft-quorum", Set.of("node01", "node02", "node03"));
        assertEquals(Optional.empty(), plasma.broken("restore-test", "node03", all, sizes), "the restore of 9.4 stops every store");
        assertTrue(plasma.broken("stop-two", "node03", all, sizes).isPresent(), "the quorum-loss drill never stops all three");
        assertTrue(plasma.broken("crash-node", "node02", Map.of("raft-quorum", Set.of("node01", "node02")), sizes).isPresent());
        assertTrue(plasma.namedOnLive().contains("restore-test"));
        assertThrows(IllegalArgumentException.class, () -> new FaultCatalogue(Set.of("restore"), Set.of(), List.of(
                new FaultCatalogue.GuardRail("x", Set.of("a"), Set.of(), 1, Set.of(), "rule", Set.of("restore")))),
                "a whole-group fault a live zone's 'all' would cover is refused");
    }
}
