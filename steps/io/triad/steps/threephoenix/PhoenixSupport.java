package io.triad.steps.threephoenix;

import io.triad.tech.postgres.Db;
import io.triad.host.Host;
import io.triad.profile.threephoenix.Settings;
import io.triad.steps.common.Support;

import java.util.List;

/** What the ThreePhoenix steps share: the zone's settings, its database nodes, their own state. */
abstract class PhoenixSupport extends Support {
    protected PhoenixSupport(io.triad.run.Run run) {
        super(run);
    }

    protected final Settings settings = zone.env().settings(Settings.class);

    /** The database nodes, in the zone's order (node A, B, C). */
    protected List<Host> nodes() {
        return zone.hostsRunning(io.triad.profile.threephoenix.Shape.POSTGRES);
    }

    /**
     * When a node's database instance was made: its data directory's PG_VERSION (written by initdb
     * or the clone), by the node's clock; the epoch when it cannot be read (an instance of no known
     * age counts as never made again).
     */
    protected java.time.Instant instanceMade(Host h) {
        String made = h.exec(h.asRoot("stat -c %Y " + q(settings.dataDirectory() + "/PG_VERSION"))).stdout().strip();
        return java.time.Instant.ofEpochSecond(made.matches("\\d+") ? Long.parseLong(made) : 0);
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
        return kubectlText(args + " -o json");
    }

    /** kubectl as the zone's kubernetes settings say, its output as it printed it; a failure names the host and kubectl's first line. */
    protected String kubectlText(String args) {
        Settings.Kubernetes k = settings.kubernetes();
        check(k != null, "phoenix.kubernetes is not set in the environment (the host with kubectl and its context), and "
                + "not_applicable.kubernetes is not declared");
        Host h = zone.supportHost(k.host()); // a node or a support host
        io.triad.host.CommandResult r = h.exec(h.asRoot(kubectlCommand() + " " + args));
        check(r.ok(), "kubectl " + args + " on " + h.name() + " failed: " + Db.firstLine(r.stderr().isBlank() ? r.stdout() : r.stderr()));
        return r.stdout();
    }

    /** "kubectl" with the environment's context, as run on the kubernetes host. */
    protected String kubectlCommand() {
        Settings.Kubernetes k = settings.kubernetes();
        return k == null ? "kubectl" : k.kubectl().command();
    }

    /** A systemd timer's next run (null: none) and whether it is enabled, read on {@code h}, and {@code h}'s clock when read. */
    protected record TimerNext(java.time.Instant next, String enabled, java.time.Instant now) { }

    /** {@code timer}'s next run on {@code h}: systemd prints it as a date ("Sun 2026-11-29 03:00:00 UTC", empty when none), date makes it seconds. */
    protected TimerNext timerNext(Host h, String timer) {
        io.triad.host.CommandResult r = h.exec("n=$(systemctl show -P NextElapseUSecRealtime " + q(timer) + "); if [ -n \"$n\" ]; then"
                + " date -d \"$n\" +%s; else echo none; fi; date +%s; systemctl is-enabled " + q(timer) + " || true");
        List<String> lines = r.stdout().lines().map(String::strip).toList();
        check(r.ok() && lines.size() >= 2 && lines.get(1).matches("\\d+") && (lines.get(0).equals("none") || lines.get(0).matches("\\d+")),
                "the next run of " + timer + " on " + h.name() + " cannot be read: " + Db.firstLine(r.stderr().isBlank() ? r.stdout() : r.stderr()));
        return new TimerNext(lines.get(0).equals("none") ? null : java.time.Instant.ofEpochSecond(Long.parseLong(lines.get(0))),
                lines.size() > 2 ? lines.get(2) : "", java.time.Instant.ofEpochSecond(Long.parseLong(lines.get(1))));
    }
}
