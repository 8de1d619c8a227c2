package io.triad.probe;

import io.triad.env.Environment;
import io.triad.env.EnvironmentLoader;
import io.triad.env.Ipv4;
import io.triad.probe.parse.NftRuleset;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runbook 1.6's port matrix against rulesets recorded from the simulated triad (as rendered: nothing
 * beyond) and hand-built variants of them: a port outside the pattern, a pattern port from anywhere,
 * everything from one address, every port, a rule the reader cannot attribute.
 */
class PortMatrixTest {

    static final Path ROOT = Path.of(System.getProperty("triad.root", ".")).toAbsolutePath();
    static final Environment SIM = EnvironmentLoader.load(ROOT.resolve("environments/bsfg-triad/simulated.yaml"));
    static final PortMatrix MATRIX = PortMatrix.of(SIM);

    static String recorded(String name) throws IOException {
        return Files.readString(ROOT.resolve("src/test/resources/recorded/parse/" + name));
    }

    static List<String> beyond(String node, String json) {
        return MATRIX.beyond(SIM.host(node), NftRuleset.parse(json).accepts());
    }

    /** The recorded ruleset with one more rule (nft JSON expressions) appended to its input chain. */
    static String withRule(String json, String expr) {
        int end = json.lastIndexOf("]}");
        return json.substring(0, end) + ", {\"rule\": {\"family\": \"inet\", \"table\": \"bsfg\", \"chain\": \"input\", \"handle\": 99,"
                + " \"expr\": [" + expr + ", {\"accept\": null}]}}" + json.substring(end);
    }

    static final String TCP_PORT = "{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"tcp\", \"field\": \"dport\"}}, \"right\": %d}}";
    static final String SADDR = "{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"ip\", \"field\": \"saddr\"}}, \"right\": \"%s\"}}";

    @Test
    void theRenderedFirewallsAcceptNothingBeyondTheMatrix() throws IOException {
        assertEquals(List.of(), beyond("alpha", recorded("nft-sim-alpha.json")));
        assertEquals(List.of(), beyond("gamma", recorded("nft-sim-gamma.json")), "NTP on gamma is declared in firewall.also_allowed");
    }

    @Test
    void aPortOutsideThePatternFromAnywhereIsNamed() throws IOException {
        assertEquals(List.of("tcp/9100 is accepted from anywhere: the matrix opens no such port on gamma (bsfg/input)"),
                beyond("gamma", withRule(recorded("nft-sim-gamma.json"), TCP_PORT.formatted(9100))));
        assertEquals(List.of("tcp/9443 is accepted from anywhere: the matrix opens no such port on gamma (bsfg/input)"),
                beyond("gamma", withRule(recorded("nft-sim-gamma.json"), TCP_PORT.formatted(9443))),
                "the controller's port is the VIP nodes', not gamma's");
    }

    @Test
    void aPatternPortFromWiderThanTheMatrixIsNamed() throws IOException {
        assertEquals(List.of("tcp/8222 is accepted from anywhere, wider than the matrix's nodes (bsfg/input)"),
                beyond("alpha", withRule(recorded("nft-sim-alpha.json"), TCP_PORT.formatted(8222))));
        assertEquals(List.of("tcp/4222 is accepted from 10.213.77.0/24, wider than the matrix's nodes (bsfg/input)"),
                beyond("alpha", withRule(recorded("nft-sim-alpha.json"), TCP_PORT.formatted(4222) + ", "
                        + "{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"ip\", \"field\": \"saddr\"}},"
                        + " \"right\": {\"prefix\": {\"addr\": \"10.213.77.0\", \"len\": 24}}}}")));
        assertEquals(List.of(), beyond("alpha", withRule(recorded("nft-sim-alpha.json"), TCP_PORT.formatted(4222) + ", "
                + SADDR.formatted("10.213.77.13"))), "a node is one of the matrix's sources for 4222");
    }

    @Test
    void everythingFromOneAddressEveryPortAndUnreadableRulesAreNamed() throws IOException {
        assertEquals(List.of("every protocol and port is accepted from 10.213.77.20 (bsfg/input)"),
                beyond("alpha", withRule(recorded("nft-sim-alpha.json"), SADDR.formatted("10.213.77.20"))));
        assertEquals(List.of("every tcp port is accepted from anywhere (bsfg/input)"),
                beyond("alpha", withRule(recorded("nft-sim-alpha.json"),
                        "{\"match\": {\"op\": \"==\", \"left\": {\"meta\": {\"key\": \"l4proto\"}}, \"right\": \"tcp\"}}")));
        List<String> unreadable = beyond("alpha", withRule(recorded("nft-sim-alpha.json"),
                "{\"match\": {\"op\": \"==\", \"left\": {\"meta\": {\"key\": \"iifname\"}}, \"right\": \"eth1\"}}"));
        assertEquals(1, unreadable.size(), unreadable.toString());
        assertTrue(unreadable.get(0).startsWith("an accept rule in bsfg/input matches what the harness cannot attribute"), unreadable.get(0));
        assertEquals(List.of("vrrp is accepted from anywhere, wider than the matrix's vip-peers (bsfg/input)"),
                beyond("alpha", withRule(recorded("nft-sim-alpha.json"),
                        "{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"ip\", \"field\": \"protocol\"}}, \"right\": \"vrrp\"}}")));
    }

    @Test
    void whatATriedConnectionMayReach() {
        Environment.HostSpec alpha = SIM.host("alpha");
        Environment.HostSpec gamma = SIM.host("gamma");
        Ipv4 ops = Ipv4.parse("10.213.77.20");
        Ipv4 beta = SIM.host("beta").address();
        assertTrue(MATRIX.allows("tcp", 22, alpha, ops), "SSH from anywhere");
        assertTrue(MATRIX.allows("tcp", 9443, alpha, ops), "the controller from anywhere on a VIP node");
        assertFalse(MATRIX.allows("tcp", 9443, gamma, beta), "no controller port on gamma");
        assertFalse(MATRIX.allows("tcp", 8222, alpha, ops), "monitoring from the nodes only");
        assertTrue(MATRIX.allows("tcp", 8222, alpha, beta));
        assertTrue(MATRIX.allows("udp", 123, gamma, ops), "declared in also_allowed, from the subnet");
        assertFalse(MATRIX.allows("udp", 123, alpha, ops), "only on gamma");
        assertTrue(MATRIX.allows("vrrp", -1, alpha, beta));
        assertFalse(MATRIX.allows("vrrp", -1, alpha, ops));
        assertEquals(java.util.Set.of(22, 4222, 6222, 8222, 9443), MATRIX.tcpPorts(alpha));
        assertEquals(java.util.Set.of(22, 4222, 6222, 8222), MATRIX.tcpPorts(gamma));
    }

    @Test
    void triedConnectionsAreClassifiedFromBashsOwnMessages() {
        List<String> targets = List.of("10.0.0.1:22", "10.0.0.1:9100", "10.0.0.1:8222", "10.0.0.1:4222", "10.0.0.1:1");
        String output = """
                probe 10.0.0.1:9100 1 bash: connect: Connection refused bash: line 1: /dev/tcp/10.0.0.1/9100: Connection refused
                probe 10.0.0.1:22 0\s
                probe 10.0.0.1:8222 124\s
                probe 10.0.0.1:4222 1 bash: connect: No route to host bash: line 1: /dev/tcp/10.0.0.1/4222: No route to host
                """;
        var states = TcpProbes.parse(targets, output);
        assertEquals(List.of(TcpProbes.State.OPEN, TcpProbes.State.REFUSED, TcpProbes.State.FILTERED, TcpProbes.State.UNREACHABLE,
                TcpProbes.State.ERROR), List.copyOf(states.values()), "in the targets' order; a target without an answer is an error");
        assertTrue(TcpProbes.State.REFUSED.answers(), "a reset means the firewall let the connection through");
        assertFalse(TcpProbes.State.FILTERED.answers());
    }
}
