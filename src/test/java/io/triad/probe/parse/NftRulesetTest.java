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
        List<NftRuleset.Accept> accepts = r.accepts();
        assertEquals(7, accepts.size(), accepts.toString());
        assertTrue(accepts.get(0).returnTraffic() && accepts.get(0).harmless(), "ct state established,related");
        assertTrue(accepts.get(1).loopback() && accepts.get(1).harmless(), "iif lo");
        assertEquals(Optional.of("vrrp"), accepts.get(2).protocol());
        assertEquals(List.of("10.213.77.12"), accepts.get(2).sources());
        assertEquals(Set.of(22), accepts.get(3).ports());
        assertEquals(List.of(), accepts.get(3).sources(), "from anywhere");
        assertEquals(Set.of(4222, 6222, 8222), accepts.get(4).ports());
        assertEquals(List.of("10.213.77.0/24"), accepts.get(4).sources());
        assertTrue(accepts.get(6).harmless(), "icmp echo-request");
        assertTrue(accepts.stream().allMatch(a -> a.unknown().isEmpty()), accepts.toString());
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
        List<NftRuleset.Accept> accepts = r.accepts();
        // tcp 5000-5010, @mgmt_ports (22, 9443), udp 4222, tcp 4222 with counter and log, and the
        // cluster chain's bare accept under the jump's tcp 6222; not the forward hook's 8222.
        assertEquals(5, accepts.size(), accepts.toString());
        assertEquals(Set.of(5000, 5001, 5002, 5003, 5004, 5005, 5006, 5007, 5008, 5009, 5010), accepts.get(0).ports());
        assertEquals(Set.of(22, 9443), accepts.get(1).ports());
        assertEquals(Optional.of("udp"), accepts.get(2).protocol());
        assertEquals(Set.of(4222), accepts.get(3).ports());
        assertEquals(Optional.of("tcp"), accepts.get(4).protocol(), "the jumped-to chain inherits the jump's match");
        assertEquals(Set.of(6222), accepts.get(4).ports());
        assertEquals("legacy/cluster", accepts.get(4).chain());
        assertTrue(accepts.stream().noneMatch(a -> a.ports().contains(8222)), "8222 is accepted on the forward hook only");
        assertTrue(accepts.stream().allMatch(a -> a.unknown().isEmpty()), accepts.toString());
    }

    @Test
    void emptyAndMalformed() {
        NftRuleset empty = NftRuleset.parse("{\"nftables\": [{\"metainfo\": {\"version\": \"1.0.6\", "
                + "\"release_name\": \"Lester Gooch #5\", \"json_schema_version\": 1}}]}");
        assertTrue(empty.chains().isEmpty());
        assertTrue(empty.accepts().isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NftRuleset.parse("Error: Could not process rule: Operation not permitted\n"));
        assertEquals("nft output is not JSON: 'Error: Could not process rule: Operation not permitted'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NftRuleset.parse("{\"blockdevices\": []}"));
        assertEquals("nft JSON has no \"nftables\" array", e.getMessage());
    }
}
