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
}
