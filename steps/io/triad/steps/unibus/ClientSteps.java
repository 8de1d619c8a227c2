package io.triad.steps.unibus;

import io.cucumber.java.en.Then;
import io.triad.host.Host;
import io.triad.probe.Tls;
import io.triad.profile.unibus.DataPlane;
import io.triad.sim.ZoneCa;
import org.opentest4j.TestAbortedException;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * verify.1 tried with real clients: the posture's "enforce" (only a certificate of the client CA
 * is admitted on the client port) and "acl" (an ordinary client reaches the rooms, never the
 * control plane's buckets nor JetStream's API). Read-only on a live zone: the rooms are only
 * subscribed to, and the refused writes could store nothing even if let through. Each node's client port is reached from the node
 * before it, as a remote client reaches it; nothing the tries send can change the control plane
 * (a write a broken ACL lets through carries a guard no stored key satisfies).
 */
public class ClientSteps extends UnibusSupport {
    public ClientSteps(io.triad.run.Run run) {
        super(run);
    }

    private static final Duration WAIT = Duration.ofSeconds(5);

    /** {@code work} against each node's client port, reached through the node before it. */
    private void eachClientPort(java.util.function.BiConsumer<Host, Integer> work) {
        fromTheHostBefore(nodes(), (via, target) -> {
            try (Host.Tunnel t = via.tunnel(target.address(), settings.clientPort())) {
                work.accept(target, t.localPort());
            }
        });
    }

    @Then("on every node's client port the harness's certificate is admitted, and a client without a certificate or with another CA's certificate is refused")
    public void onlyClientCaAdmitted() {
        SSLContext harness = clientIdentity("certificate", "key");
        SSLContext none = Tls.context(null, null, null);
        // another CA's certificate with an operator's name: a port that reads the name and not the chain takes it as an admin
        Instant now = Instant.now();
        ZoneCa.Issued foreign = new ZoneCa(zone.env().zone(), "not the client CA", Duration.ofDays(1))
                .issue("admin-intruder", List.of(), List.of(), now.minusSeconds(60), now.plus(Duration.ofDays(1)));
        SSLContext intruder = Tls.context(foreign.certificatePem(), foreign.privateKeyPem(), null);
        List<String> problems = new ArrayList<>();
        eachClientPort((target, port) -> {
            DataPlane.Admission own = DataPlane.admission(port, harness);
            zone.evidence().note("client port of " + target.name() + " with the harness's certificate", verdict(own));
            if (!own.admitted()) {
                problems.add(target.name() + "'s client port refused the harness's certificate of the client CA, so its refusals prove nothing: "
                        + own.detail());
                return;
            }
            Map<String, SSLContext> mustRefuse = new LinkedHashMap<>();
            mustRefuse.put("a client without a certificate", none);
            mustRefuse.put("a certificate of another CA named admin-intruder", intruder);
            mustRefuse.forEach((what, ctx) -> {
                DataPlane.Admission a = DataPlane.admission(port, ctx);
                zone.evidence().note("client port of " + target.name() + " with " + what, verdict(a));
                if (a.admitted()) {
                    problems.add(target.name() + "'s client port admitted " + what + " (" + a.detail() + "): enforce is not in force");
                }
            });
        });
        none(problems, "the client port admits only certificates of the client CA");
    }

    @Then("on every node an ordinary client of the client CA subscribes to unibus.rooms, and cannot write or read a control-plane bucket nor call JetStream's API")
    public void aclHolds() {
        SSLContext member;
        try {
            member = clientIdentity("member_certificate", "member_key");
        } catch (io.triad.env.InputError e) {
            throw new TestAbortedException("not tried: " + zone.env().file().getFileName() + " names no ordinary client identity"
                    + " (client.member_certificate and client.member_key: a certificate of the client CA that is not an operator's)");
        }
        String probe = "triad-probe-" + Long.toHexString(System.nanoTime());
        List<String> problems = new ArrayList<>();
        // every control-plane bucket: the runbook's and every other key-value stream the server holds (asked as the operator)
        List<String> buckets;
        try (io.triad.profile.unibus.ControlPlane cp = io.triad.profile.unibus.ControlPlane.open(zone, seed())) {
            buckets = cp.buckets().stream().map(b -> b.replaceFirst("^KV_", "")).toList();
        } catch (IOException | io.nats.client.JetStreamApiException e) {
            throw new AssertionError("cannot list the control plane's buckets: " + e.getMessage(), e);
        }
        zone.evidence().note("the control plane's buckets tried", String.join(", ", buckets));
        eachClientPort((target, port) -> {
            try (DataPlane.Session s = DataPlane.session(port, member, WAIT)) {
                // a subscription changes nothing a room's members see (a probe's publish would reach them)
                DataPlane.Outcome rooms = s.subscribe("unibus.rooms." + probe);
                zone.evidence().note("ordinary client on " + target.name() + ": a subscription to unibus.rooms", verdict(rooms));
                if (!rooms.allowed()) {
                    problems.add(target.name() + " refused an ordinary client's subscription to unibus.rooms, so the refusals below prove nothing: "
                            + rooms.detail());
                    return;
                }
                Map<String, DataPlane.Outcome> mustRefuse = new LinkedHashMap<>();
                // each bucket written, watched and read directly: an ACL that guards some of them is no guard
                for (String bucket : buckets) {
                    mustRefuse.put("a write to " + bucket, s.request("$KV." + bucket + "." + probe, true));
                    mustRefuse.put("a subscription to " + bucket, s.subscribe("$KV." + bucket + ".>"));
                    mustRefuse.put("a direct get from " + bucket, s.request("$JS.API.DIRECT.GET.KV_" + bucket, false));
                }
                mustRefuse.put("JetStream's account info", s.request("$JS.API.INFO", false));
                mustRefuse.forEach((what, o) -> {
                    zone.evidence().note("ordinary client on " + target.name() + ": " + what, verdict(o));
                    if (o.allowed()) {
                        problems.add(target.name() + " let an ordinary client through to " + what.replaceFirst("^an? ", "") + ": " + o.detail());
                    } else if (!o.detail().contains("Permissions Violation")) {
                        problems.add(target.name() + " neither allowed nor refused an ordinary client's " + what.replaceFirst("^an? ", "")
                                + ": " + o.detail());
                    }
                });
            } catch (IOException e) {
                problems.add(target.name() + "'s client port refused the ordinary client's certificate of the client CA: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        });
        none(problems, "the ACL keeps an ordinary client out of the control plane");
    }

    private static String verdict(DataPlane.Admission a) {
        return (a.admitted() ? "ADMITTED: " : "REFUSED: ") + a.detail();
    }

    private static String verdict(DataPlane.Outcome o) {
        return (o.allowed() ? "LET THROUGH: " : "REFUSED: ") + o.detail();
    }
}
