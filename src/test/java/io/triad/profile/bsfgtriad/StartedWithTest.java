package io.triad.profile.bsfgtriad;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runbook 4.4's "started by another unit", read from {@code systemctl show -p WantedBy -p RequiredBy
 * -p RequisiteOf -p BoundBy -p UpheldBy -p TriggeredBy}: a Property=value line each, in systemd's
 * own order, empty values for no unit (the mutant controller-wanted-by-jetstream read on a simulated
 * node: "WantedBy=jetstream.service").
 */
class StartedWithTest {

    @Test
    void aUnitNothingStartsHasNone() {
        assertEquals(List.of(), Probes.startingDependencies("""
                RequiredBy=
                RequisiteOf=
                WantedBy=
                BoundBy=
                UpheldBy=
                TriggeredBy=
                """));
    }

    @Test
    void aDropInsWantsAndAWantsLinkAreNamed() {
        assertEquals(List.of("WantedBy=multi-user.target jetstream.service", "TriggeredBy=bsfg-controller.timer"),
                Probes.startingDependencies("""
                        RequiredBy=
                        RequisiteOf=
                        WantedBy=multi-user.target jetstream.service
                        BoundBy=
                        UpheldBy=
                        TriggeredBy=bsfg-controller.timer
                        """));
    }

    @Test
    void anEmptyAnswerHasNone() {
        assertEquals(List.of(), Probes.startingDependencies(""));
    }
}
