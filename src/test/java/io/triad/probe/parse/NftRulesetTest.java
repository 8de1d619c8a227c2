package io.triad.probe.parse;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NftRulesetTest {

    @Test
    void zoneFilterLoadedInANamespace() {
        NftRuleset r = NftRuleset.parse(Recorded.read("nft-filter.json"));
        NftRuleset.Chain input = new NftRuleset.Chain("inet", "filter", "input", Optional.of("input"), Optional.of("drop"),
                Optional.of(0));
        assertEquals(List.of(input), r.chains());
        assertEquals(List.of(input), r.inputHooks());
        assertEquals(Set.of(22, 4222, 6222, 8222, 9443), r.acceptedTcpPorts());
    }

    @Test
    void legacyRulesetMissesTheClusterPorts() {
        NftRuleset r = NftRuleset.parse(Recorded.read("nft-legacy.json"));
        assertEquals(List.of("INPUT", "cluster", "forward_filter", "pre"), r.chains().stream().map(NftRuleset.Chain::name).toList());
        assertEquals(List.of("INPUT"), r.inputHooks().stream().map(NftRuleset.Chain::name).toList());
        NftRuleset.Chain in = r.inputHooks().get(0);
        assertEquals(Optional.of("accept"), in.policy());
        assertEquals(Optional.of(-10), in.priority(), "'priority filter - 10'");
        assertEquals(Optional.empty(), r.chains().get(1).hook(), "a regular chain has no hook");
        Set<Integer> ports = r.acceptedTcpPorts();
        assertEquals(Set.of(22, 4222, 9443), ports, "named set @mgmt_ports and a counter/log rule count; "
                + "udp 4222, the 5000-5010 range, the jump and the forward chain do not");
        assertFalse(ports.contains(6222), "6222 only jumps to another chain");
        assertFalse(ports.contains(8222), "8222 is accepted on the forward hook only");
        assertTrue(ports.contains(9443), "best effort: the earlier 'tcp dport 9443 drop' is not evaluated");
    }

    @Test
    void emptyAndMalformed() {
        NftRuleset empty = NftRuleset.parse("{\"nftables\": [{\"metainfo\": {\"version\": \"1.0.6\", "
                + "\"release_name\": \"Lester Gooch #5\", \"json_schema_version\": 1}}]}");
        assertTrue(empty.chains().isEmpty());
        assertTrue(empty.acceptedTcpPorts().isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NftRuleset.parse("Error: Could not process rule: Operation not permitted\n"));
        assertEquals("nft output is not JSON: 'Error: Could not process rule: Operation not permitted'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NftRuleset.parse("{\"blockdevices\": []}"));
        assertEquals("nft JSON has no \"nftables\" array", e.getMessage());
    }
}
