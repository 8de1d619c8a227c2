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
    protected UnibusSupport(io.triad.run.Run run) {
        super(run);
    }

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
    protected String monitor(Host h, Settings s, String page) {
        CommandResult r = h.exec(Cluster.monitor(s, page));
        check(r.ok(), h.name() + "'s monitoring does not answer " + page + ": " + r.stderr().strip());
        return r.stdout();
    }

    /** The runbook's nats CLI on a node (the operator's context: an admin identity of the client CA). */
    protected String nats(String args) {
        return "nats --server nats://127.0.0.1:" + settings.clientPort() + " " + args;
    }

    /**
     * The flags the node's running service was started with (from its main process's command
     * line, not from the unit file: what it uses, not what it was meant to use); a failure
     * naming the node when it does not run.
     */
    protected java.util.Map<String, String> runningFlags(Host h) {
        String unit = zone.unit(Shape.SERVICE);
        CommandResult r = h.exec(h.asRoot("pid=$(systemctl show -p MainPID --value " + q(unit) + "); [ \"$pid\" != 0 ] && tr '\\0' '\\n' < /proc/$pid/cmdline"));
        check(r.ok(), h.name() + "'s " + unit + " is not running: its command line cannot be read");
        java.util.Map<String, String> flags = new java.util.LinkedHashMap<>();
        String[] args = r.stdout().split("\n");
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                continue;
            }
            String flag = args[i].substring(2);
            int eq = flag.indexOf('=');
            if (eq >= 0) {
                flags.put(flag.substring(0, eq), flag.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                flags.put(flag, args[++i]);
            } else {
                flags.put(flag, "true");
            }
        }
        return flags;
    }

    /**
     * One of the harness's client identities in the zone (the environment's client files named
     * {@code certificate} and {@code key}), trusting any server: for tries of who is admitted.
     */
    protected javax.net.ssl.SSLContext clientIdentity(String certificate, String key) {
        try {
            return io.triad.probe.Tls.context(java.nio.file.Files.readString(zone.clientFile(certificate)),
                    java.nio.file.Files.readString(zone.clientFile(key)), null);
        } catch (java.io.IOException e) {
            throw new AssertionError("cannot read the harness's client identity (" + certificate + "): " + e.getMessage());
        }
    }

    /** A file the running service was given with {@code flag}, or the runbook's default path. */
    protected String served(java.util.Map<String, String> flags, String flag, String fallback) {
        return flags.getOrDefault(flag, file(fallback));
    }
}
