package io.triad.report;

import io.triad.history.History;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The failover timeline: lanes and bars from hand-built histories, and an SVG from a recorded one. */
class TimelineTest {

    static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

    static void samples(History h, String node, long from, long to, boolean vip, boolean controller) {
        for (long t = from; t < to; t += 50) {
            h.add(io.triad.history.Samples.bsfg(node, T0.plusMillis(t), T0.plusMillis(t + 10), vip, controller, "active", vip ? "MASTER" : "BACKUP"));
        }
    }

    static void probes(History h, long from, long to, String node, boolean ok) {
        for (long t = from; t < to; t += 100) {
            h.add(new History.Op("health", "h" + t, T0.plusMillis(t), T0.plusMillis(t + 20),
                    ok ? History.Outcome.OK : History.Outcome.FAIL, ok ? 200 : -1, ok ? node : "", ""));
        }
    }

    static History failover() {
        History h = new History();
        samples(h, "alpha", 0, 1000, true, true);
        samples(h, "alpha", 1000, 3000, false, false);
        samples(h, "beta", 0, 1600, false, false);
        samples(h, "beta", 1600, 3000, true, true);
        probes(h, 0, 1000, "alpha", true);
        probes(h, 1000, 1700, "", false);
        probes(h, 1700, 3000, "beta", true);
        int f = h.faultStarted("stop keepalived", "alpha", T0.plusMillis(1000));
        h.healed(f, T0.plusMillis(2500));
        return h;
    }

    static List<Timeline.Bar> bars(Timeline.Layout layout, String kind, String lane) {
        int index = layout.lanes().indexOf(lane);
        return layout.bars().get(kind).stream().filter(b -> b.lane() == index).toList();
    }

    @Test
    void aFailoverShowsWhoHeldWhatAndTheFaultRelativeToItsStart() {
        Timeline.Layout layout = Timeline.layout(failover(), io.triad.history.Samples.BSFG, io.triad.history.Samples.BSFG_SERVING, io.triad.profile.bsfgtriad.LogLines::label);
        assertEquals(List.of("alpha: VIP", "alpha: controller", "alpha: serves via VIP", "beta: VIP", "beta: controller",
                "beta: serves via VIP", "health via VIP: unanswered"), layout.lanes());
        assertEquals(T0.plusMillis(1000), layout.zero(), "time counts from the fault");
        List<Timeline.Bar> alphaVip = bars(layout, "VIP held", "alpha: VIP");
        assertEquals(1, alphaVip.size(), alphaVip.toString());
        assertEquals(-1.0, alphaVip.get(0).from(), 0.01);
        assertEquals(0.0, alphaVip.get(0).to(), 0.01);
        List<Timeline.Bar> betaVip = bars(layout, "VIP held", "beta: VIP");
        assertEquals(0.6, betaVip.get(0).from(), 0.01);
        assertEquals(List.of(), bars(layout, "VIP held", "beta: controller"), "a VIP bar only on a VIP lane");
        List<Timeline.Bar> unanswered = bars(layout, "no healthy answer via the VIP", "health via VIP: unanswered");
        assertEquals(1, unanswered.size(), "one run of unanswered probes: " + unanswered);
        assertEquals(0.0, unanswered.get(0).from(), 0.01);
        assertEquals(0.7, unanswered.get(0).to(), 0.01);
        assertEquals(List.of(new Timeline.Bar(-1, 0.0, 1.5)), layout.faults());
        assertEquals(List.of("stop keepalived (alpha)"), layout.faultNames());
    }

    /** The node's own transitions on its VIP lane, short; keepalived's notify echo and other lines left out. */
    @Test
    void theNodesOwnLogIsDrawnOnItsVipLane() throws Exception {
        History h = failover();
        h.add(new History.Log("beta", T0.plusMillis(2500), "Keepalived_vrrp", "(BSFG_SIM) Entering MASTER STATE"));
        h.add(new History.Log("beta", T0.plusMillis(2505), "bsfg-notify", "vrrp BSFG_SIM entered MASTER"));
        h.add(new History.Log("beta", T0.plusMillis(3000), "bsfg-lease", "2026-11-21T17:26:08Z bsfg-lease vip=added address=10.0.0.10/24"));
        h.add(new History.Log("alpha", T0.plusMillis(1200), "bsfg-lease", "bsfg-lease lease=expired revision=217"));
        h.add(new History.Log("alpha", T0.plusMillis(1300), "bsfg-lease", "bsfg-lease state=demoted reason=\"lease expired\""));
        h.add(new History.Log("gamma", T0.plusMillis(1300), "bsfg-lease", "bsfg-lease lease=acquired")); // no lanes: not sampled
        assertEquals("bsfg-controller exited (75/n/a)", Timeline.label(new History.Log("alpha", T0, "systemd",
                "bsfg-controller.service: Main process exited, code=exited, status=75/n/a"), io.triad.profile.bsfgtriad.LogLines::label));
        assertEquals("keepalived started", Timeline.label(new History.Log("alpha", T0, "systemd",
                "Started keepalived.service - LVS and VRRP High Availability Monitor."), io.triad.profile.bsfgtriad.LogLines::label));
        assertEquals(null, Timeline.label(new History.Log("alpha", T0, "bsfg-notify", "vrrp BSFG_SIM entered MASTER"), io.triad.profile.bsfgtriad.LogLines::label));
        Timeline.Layout layout = Timeline.layout(h, io.triad.history.Samples.BSFG, io.triad.history.Samples.BSFG_SERVING, io.triad.profile.bsfgtriad.LogLines::label);
        int alpha = layout.lanes().indexOf("alpha: VIP");
        int beta = layout.lanes().indexOf("beta: VIP");
        assertEquals(List.of(new Timeline.Event(alpha, 0.2, "lease expired"), new Timeline.Event(alpha, 0.3, "demoted"),
                new Timeline.Event(beta, 1.5, "keepalived MASTER"), new Timeline.Event(beta, 2.0, "VIP added")),
                layout.events());
        assertEquals(List.of(List.of(1, 2), List.of(3), List.of(4)), List.copyOf(Timeline.numberGroups(layout.events()).values()),
                "one label for events closer than 0.4 s on a lane");
        assertEquals("3-5", Timeline.numbers(List.of(3, 4, 5)));
        assertEquals("8, 10", Timeline.numbers(List.of(8, 10)));
        assertEquals("1, 2", Timeline.numbers(List.of(1, 2)));
        String svg = Timeline.svg(h, io.triad.history.Samples.BSFG, io.triad.history.Samples.BSFG_SERVING, io.triad.profile.bsfgtriad.LogLines::label, "t");
        for (String text : List.of("1: alpha lease expired at 0.20 s", "2: alpha demoted at 0.30 s", "3: beta keepalived MASTER at 1.50 s",
                "4: beta VIP added at 2.00 s", "logged by the node")) {
            assertTrue(svg.contains(text), text + " in the SVG");
        }
    }

    @Test
    void nothingIsDrawnWhereANodeWasNotSampled() {
        History h = new History();
        samples(h, "alpha", 0, 1000, true, true);     // frozen from 1 s to 8 s: no samples
        samples(h, "alpha", 8000, 9000, true, true);
        Timeline.Layout layout = Timeline.layout(h, io.triad.history.Samples.BSFG, io.triad.history.Samples.BSFG_SERVING, io.triad.profile.bsfgtriad.LogLines::label);
        List<Timeline.Bar> vip = bars(layout, "VIP held", "alpha: VIP");
        assertEquals(2, vip.size(), "two bars, none across the gap: " + vip);
        assertTrue(vip.get(0).to() < 1.0 && vip.get(1).from() > 8.0, vip.toString());
    }

    @Test
    void twoHoldersShowAsOverlappingBars() {
        History h = new History();
        samples(h, "alpha", 0, 2000, true, true);
        samples(h, "beta", 0, 1000, false, false);
        samples(h, "beta", 1000, 2000, true, true);
        Timeline.Layout layout = Timeline.layout(h, io.triad.history.Samples.BSFG, io.triad.history.Samples.BSFG_SERVING, io.triad.profile.bsfgtriad.LogLines::label);
        Timeline.Bar alpha = bars(layout, "VIP held", "alpha: VIP").get(0);
        Timeline.Bar beta = bars(layout, "VIP held", "beta: VIP").get(0);
        assertTrue(alpha.to() > beta.from() + 0.9, "alpha " + alpha + " overlaps beta " + beta + " for about a second");
        assertEquals(List.of(), layout.faults());
    }

    @Test
    void aRecordedDrillBecomesAnSvgWithItsLanesAndFault() throws Exception {
        History recorded = History.read(Path.of("src/test/resources/recorded/history/controlled-demotion.jsonl"));
        String svg = Timeline.svg(recorded, io.triad.history.Samples.BSFG, io.triad.history.Samples.BSFG_SERVING, io.triad.profile.bsfgtriad.LogLines::label, "Failover timeline: Controlled demotion and restore");
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false); // offline
        Document doc = factory.newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getTagName());
        for (String text : List.of("Failover timeline: Controlled demotion and restore", "alpha: VIP", "beta: controller",
                "gamma: serves via VIP", "health via VIP: unanswered", "shaded: fault keepalived stopped (alpha) from 0.0 s to", "VIP held", "controller active")) {
            assertTrue(svg.contains(text), "the picture names '" + text + "'");
        }
        assertTrue(doc.getElementsByTagName("rect").getLength() > 10, "bars are drawn");
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/timeline-recorded.svg"), svg);
    }

    /** A recorded kill-keepalived drill (lease agent): Beta's keepalived and lease agent transitions are numbered and listed. */
    @Test
    void aRecordedDrillListsWhatTheNodesLogged() throws Exception {
        History recorded = History.read(Path.of("src/test/resources/recorded/history/kill-keepalived-with-node-logs.jsonl"));
        Timeline.Layout layout = Timeline.layout(recorded, io.triad.history.Samples.BSFG, io.triad.history.Samples.BSFG_SERVING, io.triad.profile.bsfgtriad.LogLines::label);
        int beta = layout.lanes().indexOf("beta: VIP");
        assertTrue(layout.events().stream().anyMatch(e -> e.lane() == beta && e.label().equals("keepalived MASTER")), layout.events().toString());
        assertTrue(layout.events().stream().anyMatch(e -> e.lane() == beta && e.label().equals("VIP added")), layout.events().toString());
        String svg = Timeline.svg(recorded, io.triad.history.Samples.BSFG, io.triad.history.Samples.BSFG_SERVING, io.triad.profile.bsfgtriad.LogLines::label, "Failover timeline: keepalived killed with SIGKILL on the active node");
        assertTrue(svg.contains("logged by the nodes (the numbered diamonds):"), "the list is drawn");
        Files.writeString(Path.of("target/timeline-kill-keepalived.svg"), svg);
    }

    /** The unibus profile's lanes: its two leaderships per node, which node allowed authorizations, and when none was allowed. */
    @Test
    void anotherProfileDrawsItsOwnLanes() {
        io.triad.env.Profile unibus = io.triad.env.Profile.named("unibus");
        History h = new History();
        for (int i = 0; i < 8; i++) {
            Instant at = T0.plusMillis(250L * i);
            for (String node : List.of("magnus", "homer")) {
                boolean leads = node.equals("magnus") == (i < 4);
                h.add(new History.Sample(node, at, at.plusMillis(20), java.util.Map.of("meta-leader", String.valueOf(leads),
                        "members-leader", String.valueOf(leads), "serving", "true")));
            }
        }
        h.add(new History.Op("authorize", "m", T0, T0.plusMillis(30), History.Outcome.OK, 200, "magnus", ""));
        h.add(new History.Op("authorize", "m", T0.plusMillis(900), T0.plusMillis(1400), History.Outcome.FAIL, 403, "", "no quorum"));
        h.add(new History.Op("authorize", "m", T0.plusMillis(1500), T0.plusMillis(1530), History.Outcome.OK, 200, "homer", ""));
        h.add(new History.Op("health", "x", T0, T0.plusMillis(5), History.Outcome.OK, 200, "magnus", "")); // not this profile's
        Timeline.Layout layout = Timeline.layout(h, unibus.exclusive(), unibus.serving(), unibus.logLabels());
        assertEquals(List.of("homer: meta leader", "homer: KV_UNIBUS_members leader", "homer: allows",
                "magnus: meta leader", "magnus: KV_UNIBUS_members leader", "magnus: allows", "authorization: none allowed"),
                layout.lanes());
        assertEquals(1, layout.bars().get("no authorization allowed").size());
        assertEquals(layout.lanes().indexOf("homer: allows"), layout.bars().get("allows an authorization").stream()
                .filter(b -> b.from() > 1).findFirst().orElseThrow().lane());
        assertFalse(layout.bars().containsKey("answers health via the VIP"));
        String svg = Timeline.svg(h, unibus.exclusive(), unibus.serving(), unibus.logLabels(), "t");
        assertTrue(svg.contains("authorization: none allowed") && svg.contains("magnus: allows"));
    }
}
