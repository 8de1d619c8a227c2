package io.triad.env;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A zone moved beside its own names its moved addresses in every form the catalogs' texts write them
 * (the three forms the first moved CI run missed: a sed pattern in routes-without-gamma, a PTR record
 * in dns-reverse-wrong, the inventory's MACs in the PlasmaCloud environment), and nothing else moves.
 */
class BesideTest {

    @Test
    void everyFormOfAnAddressMoves() {
        assertEquals("peer 10.213.107.13:6222", Beside.moveText("peer 10.213.77.13:6222", 30));
        assertEquals("sed -i -e '/10\\.213\\.107\\.13:6222/d'", Beside.moveText("sed -i -e '/10\\.213\\.77\\.13:6222/d'", 30));
        assertEquals("ptr-record=13.111.213.10.in-addr.arpa,node01", Beside.moveText("ptr-record=13.81.213.10.in-addr.arpa,node01", 30));
        assertEquals("zone 111.213.10.in-addr.arpa", Beside.moveText("zone 81.213.10.in-addr.arpa", 30));
        assertEquals("mac 02:42:0a:d5:6f:0b", Beside.moveText("mac 02:42:0a:d5:51:0b", 30), "10.213.111.11's MAC");
        assertTrue(Beside.namesAddress("ptr-record=13.81.213.10.in-addr.arpa,node01"));
        assertTrue(Beside.namesAddress("02:42:0a:d5:51:99"));
    }

    @Test
    void otherAddressesAndNumbersStay() {
        for (String same : new String[] {"10.214.77.1", "110.213.77.1", "192.0.2.10", "02:42:ac:11:00:02", "13.81.214.10.in-addr.arpa",
                "version 10.213", "wg key 10213"}) {
            assertEquals(same, Beside.moveText(same, 30));
            assertFalse(Beside.namesAddress(same), same);
        }
    }

    @Test
    void aMovePastTheLastSubnetIsBadInput() {
        InputError e = assertThrows(InputError.class, () -> Beside.moveText("10.213.250.1", 10));
        assertTrue(e.getMessage().contains("past 10.213.255.x"), e.getMessage());
    }
}
