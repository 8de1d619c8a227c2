package io.triad.steps.plasmacloud;

import io.cucumber.java.en.Then;
import io.triad.host.Host;
import io.triad.probe.Tls;
import io.triad.probe.TlsExchange;
import io.triad.sim.ZoneCa;

import javax.net.ssl.SSLContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * 6.4 on the Raft ports, tried: the runbook's cluster is "TLS enabled" with per-node certificates
 * of the zone CA, and its Raft ports are the peers' business. Each node's Raft ports are reached
 * from the node before it (the firewall opens them to the cluster subnet only), through that
 * node's SSH: a peer's own certificate must be taken, the port's certificate verifying against the
 * zone CA for the node's name; a client without a certificate, and one with another CA's
 * certificate in a peer's name, must be refused. Only etcd's peer /version is asked: nothing the
 * tries send changes the stores.
 */
public class RaftPortSteps extends PlasmaSupport {
    public RaftPortSteps(io.triad.run.Run run) {
        super(run);
    }

    private static final int TIMEOUT_MS = 5000;

    @Then("every node's Raft ports take a peer's certificate of the zone CA and refuse a client without one or with another CA's")
    public void raftPortsAdmitPeersOnly() {
        String caPem = zone.hosts().get(0).exec(zone.hosts().get(0).asRoot("cat " + q(settings.caFile()))).requireOk().stdout();
        List<String> problems = new ArrayList<>();
        Instant now = Instant.now();
        fromTheHostBefore(zone.hosts(), (via, target) -> {
            String name = hostname(target);
            // read over SSH without being recorded: a private key never enters the evidence
            String cert = via.execUnrecorded(via.asRoot("cat " + q(settings.certFile(via.name()))), Duration.ofSeconds(10)).requireOk().stdout();
            String key = via.execUnrecorded(via.asRoot("cat " + q(settings.keyFile(via.name()))), Duration.ofSeconds(10)).requireOk().stdout();
            ZoneCa.Issued foreign = new ZoneCa(zone.env().zone(), "not the zone CA", Duration.ofDays(1))
                    .issue(hostname(via), List.of(hostname(via)), List.of(via.address()), now.minusSeconds(60), now.plus(Duration.ofDays(1)));
            Map<String, SSLContext> mustRefuse = new LinkedHashMap<>();
            mustRefuse.put("no client certificate", Tls.context(null, null, caPem));
            mustRefuse.put("another CA's certificate in " + via.name() + "'s name", Tls.context(foreign.certificatePem(), foreign.privateKeyPem(), caPem));
            for (Map.Entry<String, Integer> port : Map.of("Chainfire", settings.chainfireRaftPort(), "FlareDB", settings.flaredbRaftPort())
                    .entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
                String where = target.name() + "'s " + port.getKey() + " Raft port " + port.getValue();
                String request = "GET /version HTTP/1.1\r\nHost: " + name + "\r\nConnection: close\r\n\r\n";
                try (Host.Tunnel t = via.tunnel(target.address(), port.getValue())) {
                    TlsExchange.Answer peer = TlsExchange.request("127.0.0.1", t.localPort(), name, Tls.context(cert, key, caPem), request, TIMEOUT_MS);
                    zone.evidence().note(where + " (from " + via.name() + ") with " + via.name() + "'s certificate", verdict(peer));
                    if (!peer.answered() || !peer.firstLine().startsWith("HTTP/1.1 200")) {
                        problems.add(where + " did not take " + via.name() + "'s certificate of the zone CA, verified for " + name
                                + " (so its refusals would prove nothing): " + peer.detail());
                        continue;
                    }
                    mustRefuse.forEach((what, identity) -> {
                        TlsExchange.Answer a = TlsExchange.request("127.0.0.1", t.localPort(), name, identity, request, TIMEOUT_MS);
                        zone.evidence().note(where + " (from " + via.name() + ") with " + what, verdict(a));
                        if (a.answered()) {
                            problems.add(where + " answered a client with " + what + " (" + a.detail() + "): any host on the cluster subnet is a peer");
                        }
                    });
                }
            }
        });
        none(problems, "the Raft ports admit only peers holding a certificate of the zone CA");
    }

    private static String verdict(TlsExchange.Answer a) {
        return (a.answered() ? "ANSWERED: " : "REFUSED: ") + a.detail();
    }
}
