package io.triad.zone;

import io.triad.env.Environment;
import io.triad.env.EnvironmentLoader;
import io.triad.env.InputError;
import io.triad.report.FeatureIndex;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which scenarios a run may run, decided before any host is touched (on the real features). */
class SafetyTest {

    static final Path ROOT = io.triad.sim.SimulatedTriad.root();
    static final FeatureIndex FEATURES = FeatureIndex.of(ROOT.resolve("features/bsfg-triad"));

    static Environment live(List<String> allowed) {
        return EnvironmentLoader.load(ROOT.resolve("environments/bsfg-triad/example-live.yaml"), env -> {
            var list = env.putObject("drills").putArray("allowed");
            allowed.forEach(list::add);
        });
    }

    static long destructive(String tags) {
        return FEATURES.scenarios().stream().filter(s -> s.tags().contains("@disruptive")).count();
    }

    @Test
    void aLiveZoneIsReadOnlyByDefaultAndLeavesEveryDestructiveScenarioOut() {
        Safety s = Safety.of(live(List.of("all")), false, false);
        assertTrue(s.readOnly());
        Safety.Selection sel = s.select(FEATURES, null);
        assertEquals("not (@disruptive)", sel.tags());
        assertEquals(destructive(null), sel.leftOut().size());
        assertTrue(sel.destructive().isEmpty());
    }

    @Test
    void aChosenDestructiveScenarioIsRefusedNamingBothConditions() {
        InputError e = assertThrows(InputError.class, () -> Safety.of(live(List.of()), false, false)
                .select(FEATURES, "@drill:controlled-demotion"));
        assertTrue(e.getMessage().contains("(missing: controlled-demotion; listed: none)"), e.getMessage());
        assertTrue(e.getMessage().contains("--allow-destructive (not passed)"), e.getMessage());
        InputError flagOnly = assertThrows(InputError.class, () -> Safety.of(live(List.of()), false, true)
                .select(FEATURES, "@drill:controlled-demotion"));
        assertTrue(flagOnly.getMessage().contains("--allow-destructive (passed)"), flagOnly.getMessage());
        InputError listOnly = assertThrows(InputError.class, () -> Safety.of(live(List.of("controlled-demotion")), false, false)
                .select(FEATURES, "@drill:controlled-demotion"));
        assertTrue(listOnly.getMessage().contains("lists its faults under drills.allowed (it does)"), listOnly.getMessage());
    }

    @Test
    void bothConditionsLetTheListedFaultsRunAndOnlyThem() {
        Safety s = Safety.of(live(List.of("controlled-demotion")), false, true);
        Safety.Selection sel = s.select(FEATURES, "@drill:controlled-demotion");
        assertEquals(1, sel.destructive().size());
        Safety.Selection all = s.select(FEATURES, null);
        assertTrue(all.tags().startsWith("not (@fault:"), all.tags());
        assertFalse(all.tags().contains("@fault:controlled-demotion"), all.tags());
        assertEquals(3, all.destructive().size(), "6.3, 6.5 and the controlled demotion drill");
        s.requireAllowed("controlled-demotion", List.of("@disruptive", "@fault:controlled-demotion"));
        assertThrows(Safety.SafetyStop.class, () -> s.requireAllowed("cut-link", List.of("@disruptive", "@fault:cut-link")));
        assertThrows(Safety.SafetyStop.class, () -> s.requireAllowed("controlled-demotion", List.of("@disruptive")),
                "a fault the scenario did not declare");
    }

    @Test
    void onALiveZoneAllDoesNotCoverQuorumLossWhichMustBeNamed() {
        assertFalse(Safety.of(live(List.of("all")), false, true).allowedFaults().contains("quorum-loss"));
        assertTrue(Safety.of(live(List.of("all", "quorum-loss")), false, true).allowedFaults().contains("quorum-loss"));
        InputError e = assertThrows(InputError.class, () -> Safety.of(live(List.of("all")), false, true)
                .select(FEATURES, "@drill:lose-quorum"));
        assertTrue(e.getMessage().contains("'all' does not cover quorum-loss on a live zone: name it"), e.getMessage());
    }

    @Test
    void readOnlyAppliesToTheSimulatedZoneTooAndContradictionsAreBadInput() {
        Environment sim = EnvironmentLoader.load(ROOT.resolve("environments/bsfg-triad/simulated.yaml"));
        assertFalse(Safety.of(sim, false, false).readOnly(), "the simulated zone allows its faults without the flag");
        Safety ro = Safety.of(sim, true, false);
        assertTrue(ro.readOnly());
        assertThrows(Safety.SafetyStop.class, () -> ro.requireAllowed("crash-node", List.of("@fault:crash-node")));
        assertThrows(InputError.class, () -> Safety.of(sim, true, true));
        InputError unknown = assertThrows(InputError.class, () -> Safety.of(live(List.of("reboot-everything")), false, true));
        assertTrue(unknown.getMessage().contains("drills.allowed names no fault the harness knows: reboot-everything"), unknown.getMessage());
        InputError undeclared = assertThrows(InputError.class, () -> Safety.of(sim, false, false).select(new FeatureIndex(List.of(
                new FeatureIndex.Scenario("x.feature", "breaks things", List.of("@disruptive")))), null));
        assertTrue(undeclared.getMessage().contains("names no fault"), undeclared.getMessage());
    }
}
