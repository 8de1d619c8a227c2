package io.triad.steps.sfa;

import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.tech.postgres.Db;
import io.triad.profile.sfa.Settings;
import io.triad.profile.sfa.Shape;
import io.triad.steps.common.Support;

import java.time.Duration;
import java.util.List;

/** What the SFA steps share: the zone's settings, its database nodes and their own state, the support hosts' roles. */
abstract class SfaSupport extends Support {
    protected SfaSupport(io.triad.run.Run run) {
        super(run);
    }

    protected final Settings settings = zone.env().settings(Settings.class);

    /** The table the checks that write put their marker rows in (made where missing). */
    protected static final String MARKER_TABLE = "CREATE TABLE IF NOT EXISTS triad_marker (id text PRIMARY KEY, at timestamptz DEFAULT now())";

    /** The database nodes, in the zone's order. */
    protected List<Host> nodes() {
        return Shape.nodes(zone);
    }

    /** patronictl list --format json on a node, as root (Patroni's configuration holds the passwords). */
    protected List<com.fasterxml.jackson.databind.JsonNode> patroniList(Host h) {
        String out = output(h, "patronictl list", h.asRoot(Shape.patroniListCommand(settings)));
        zone.evidence().note("patronictl list on " + h.name(), out);
        return Shape.patroniRows(h, out);
    }

    /** The database nodes as Patroni's members are matched to them: inventory name, host name, address. */
    protected List<io.triad.profile.sfa.Patroni.Node> patroniNodes() {
        return Shape.patroniNodes(zone);
    }

    /** The name Patroni knows a node by, from patronictl list; a node no member is fails the step, named. */
    protected String patroniMember(Host node, List<com.fasterxml.jackson.databind.JsonNode> rows) {
        return Shape.patroniMember(zone, node.name(), rows);
    }

    /** Every node's own state, read on each at once; a node that cannot be read fails the step, named. */
    protected List<Db.NodeState> states() {
        return zone.onEach(nodes(), h -> Db.NodeState.read(h));
    }

    /** The one node not in recovery, or a failure naming how many there are. */
    protected Db.NodeState primary(List<Db.NodeState> states) {
        return Db.primary(states);
    }

    // ---- the RKE2 cluster, reached with kubectl on the host sfa.kubernetes names -------------------

    /** The cluster's settings; a failure when the environment has none. */
    protected Settings.Kubernetes kube() {
        check(settings.kubernetes() != null, "sfa.kubernetes is not set in the environment (the host with kubectl for the RKE2 cluster), "
                + "and not_applicable.rke2 is not declared");
        return settings.kubernetes();
    }

    /** The host kubectl runs on. */
    protected Host kubeHost() {
        return zone.supportHost(kube().host());
    }

    /** kubectl with its context, then {@code args}, run as root on the kubectl host. */
    protected CommandResult kubectlRun(String args, Duration timeout) {
        Host h = kubeHost();
        return h.exec(h.asRoot(kube().kubectl().command() + " " + args), timeout);
    }

    /** kubectl's output; a failure names the host and what kubectl said. */
    protected String kubectl(String args) {
        Host h = kubeHost();
        return output(h, "kubectl " + args, h.asRoot(kube().kubectl().command() + " " + args));
    }

    /** kubectl {@code args} -o json. */
    protected String kubeJson(String args) {
        return kubectl(args + " -o json");
    }

    /** " -n <the runbook's namespace> ". */
    protected String kubeNs() {
        return " -n " + q(kube().namespace()) + " ";
    }

    /** The last three lines of a command's words, on one line. */
    protected static String lastLines(String text) {
        List<String> lines = text.strip().lines().toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }

    /** What a failed command said: its error output, else its output. */
    protected static String said(CommandResult r) {
        return lastLines(r.stderr().isBlank() ? r.stdout() : r.stderr());
    }

    protected Host backupHost() {
        return zone.supportHost(settings.backupHost());
    }

    protected Host monitorHost() {
        return zone.supportHost(settings.monitorHost());
    }

    protected Host proxyHost() {
        return zone.supportHost(settings.proxyHost());
    }

    /** A command's output on a host, or a failure naming the host, the command's purpose and what it said. */
    protected String output(Host h, String what, String command) {
        CommandResult r = h.exec(command);
        check(r.ok(), h.name() + ": " + what + " failed (exit " + r.exitCode() + "): " + Db.firstLine(r.stderr().isBlank() ? r.stdout() : r.stderr()));
        return r.stdout();
    }

    /** What the page receiver logged on the monitoring host ({@code sfa.monitoring.page_log}), alert by alert; none when it logged nothing. */
    protected List<io.triad.profile.sfa.Monitoring.Page> pages() {
        Host m = monitorHost();
        return io.triad.profile.sfa.Monitoring.pages(m.exec(m.asRoot("cat " + q(settings.pageLog()) + " 2>/dev/null; true")).stdout());
    }

    /** GET of a local HTTP API on a host (Prometheus, Alertmanager), its body; a failure names the host and the URL. */
    protected String get(Host h, int port, String path) {
        return output(h, "GET http://127.0.0.1:" + port + path, "curl -fsS --max-time 5 " + q("http://127.0.0.1:" + port + path));
    }

    /**
     * Waits, within the RPO, until a WAL segment the leader switched is in the backup host's archive,
     * and returns how long it took. archive_command returns only once the segment is stored: a
     * segment the leader's pg_stat_archiver counts as archived that is not in the archive will not
     * arrive later, and fails the step at once.
     */
    protected Duration awaitArchived(Host leader, String leaderName, String segment) {
        Host b = backupHost();
        String path = settings.walArchive() + "/" + segment;
        return within((int) settings.rpo().toSeconds(), segment + " in " + settings.walArchive() + " on " + b.name(), () -> {
            // the leader is asked first: a segment it had counted archived before the archive was
            // looked at was stored by then, or never will be (asked after, it may have arrived between)
            boolean counted = Db.rows(leader, "postgres", "SELECT coalesce(last_archived_wal, '') >= '" + segment + "' FROM pg_stat_archiver")
                    .get(0).get(0).equals("t");
            CommandResult r = b.exec(b.asRoot("stat -c %s " + q(path) + " 2>/dev/null || stat -c %s " + q(path) + ".gz 2>/dev/null"));
            if (r.ok()) {
                return;
            }
            if (counted) {
                throw new io.triad.zone.Within.Decided(leaderName + "'s pg_stat_archiver counts " + segment + " archived, but it has not arrived in "
                        + settings.walArchive() + " on " + b.name() + ": archive_command reports success for segments it does not store");
            }
            check(false, segment + " has not arrived in " + settings.walArchive() + " on " + b.name());
        });
    }

    /**
     * Every cron table of {@code b} with its owner, mode and links (kept as evidence); fails when no
     * cron daemon runs there (its process read, not its unit's status): a table nothing reads runs nothing.
     */
    protected List<io.triad.profile.sfa.Cron.Table> cronTables(Host b) {
        String listing = output(b, "reading the cron tables", b.asRoot(io.triad.profile.sfa.Cron.LISTING));
        zone.evidence().note("cron tables on " + b.name(), listing);
        CommandResult daemon = b.exec("pgrep -x cron >/dev/null || pgrep -x crond >/dev/null");
        check(daemon.ok(), "no cron daemon runs on " + b.name() + " (no process named cron or crond): no scheduled job runs");
        return io.triad.profile.sfa.Cron.parse(listing);
    }

    /** An objective as the runbook states it: "15 min", "30 min", "90 s" (not ISO-8601's PT15M). */
    static String objective(java.time.Duration d) {
        long s = d.toSeconds();
        return s % 3600 == 0 && s > 0 ? s / 3600 + " h" : s % 60 == 0 && s > 0 ? s / 60 + " min" : s + " s";
    }
}
