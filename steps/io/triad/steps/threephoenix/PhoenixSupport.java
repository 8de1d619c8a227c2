package io.triad.steps.threephoenix;

import io.triad.probe.postgres.Db;
import io.triad.host.Host;
import io.triad.profile.threephoenix.Settings;
import io.triad.steps.common.Support;

import java.util.List;

/** What the ThreePhoenix steps share: the zone's settings, its database nodes, their own state. */
abstract class PhoenixSupport extends Support {

    protected final Settings settings = zone.env().settings(Settings.class);

    /** The database nodes, in the zone's order (node A, B, C). */
    protected List<Host> nodes() {
        return zone.hostsRunning(io.triad.profile.threephoenix.Shape.POSTGRES);
    }

    /** Every node's own state, read on each at once; a node that cannot be read fails the step, named. */
    protected List<Db.NodeState> states() {
        return zone.onEach(nodes(), h -> Db.NodeState.read(h));
    }

    /** The one node not in recovery, or a failure naming how many there are. */
    protected Db.NodeState primary(List<Db.NodeState> states) {
        return Db.primary(states);
    }

    /** kubectl as the zone's kubernetes settings say (the host it runs on, its context), its JSON output. */
    protected String kubectl(String args) {
        Settings.Kubernetes k = settings.kubernetes();
        check(k != null, "phoenix.kubernetes is not set in the environment (the host with kubectl and its context), and "
                + "not_applicable.kubernetes is not declared");
        Host h = zone.host(k.host());
        io.triad.host.CommandResult r = h.exec(h.asRoot("kubectl" + (k.context().isEmpty() ? "" : " --context " + q(k.context())) + " " + args + " -o json"));
        check(r.ok(), "kubectl " + args + " on " + h.name() + " failed: " + Db.firstLine(r.stderr()));
        return r.stdout();
    }
}
