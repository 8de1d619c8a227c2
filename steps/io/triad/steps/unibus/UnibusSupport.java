package io.triad.steps.unibus;

import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.profile.unibus.Cluster;
import io.triad.profile.unibus.Settings;
import io.triad.profile.unibus.Shape;
import io.triad.steps.common.Support;

import java.util.List;

/** What the unibus steps share: the zone's settings, its nodes, the node's own files and monitoring. */
abstract class UnibusSupport extends Support {

    protected final Settings settings = zone.env().settings(Settings.class);

    protected List<Host> nodes() {
        return zone.hostsRunning(Shape.SERVICE);
    }

    protected Host seed() {
        return nodes().stream().filter(h -> h.role().equals("seed")).findFirst()
                .orElseThrow(() -> new AssertionError("no node has the role seed"));
    }

    protected String file(String relative) {
        return settings.file(relative);
    }

    /** A page of the node's own monitoring (loopback), or a failure naming the node. */
    protected static String monitor(Host h, Settings s, String page) {
        CommandResult r = h.exec(Cluster.monitor(s, page));
        check(r.ok(), h.name() + "'s monitoring does not answer " + page + ": " + r.stderr().strip());
        return r.stdout();
    }

    /** The runbook's nats CLI on a node (the operator's context: an admin identity of the client CA). */
    protected String nats(String args) {
        return "nats --server nats://127.0.0.1:" + settings.clientPort() + " " + args;
    }
}
