package io.triad.zone;

import io.triad.env.InputError;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.sim.SimulatedTriad;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The faults a drill injects, each applied with its undo registered first in the zone's
 * {@link Faults} (healed after every scenario, also when a step failed) and, while a history is
 * recorded, written into it with its start and end. Network faults on a node also arm a dead-man
 * timer on that node (systemd-run) that removes them if the harness is gone before it heals them.
 * Every fault returns the instant it was applied, from which drills measure.
 */
public final class Nemesis {

    /** The names of the faults, as allowed in an environment's {@code drills.allowed} ("all" allows every one). */
    public static final Set<String> FAULTS = Set.of("controlled-demotion", "kill-keepalived", "kill-controller", "crash-node",
            "freeze-node", "partition-node", "cut-link", "stop-jetstream", "quorum-loss", "slow-routes");

    static final Duration DEAD_MAN = Duration.ofMinutes(5);
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final Zone zone;

    public Nemesis(Zone zone) {
        this.zone = zone;
    }

    /** Refuses a fault the environment does not allow (live zones allow only what their owners listed). */
    public void requireAllowed(String fault) {
        Set<String> allowed = zone.env().drills().allowed();
        if (!allowed.contains("all") && !allowed.contains(fault)) {
            throw new InputError("the drill needs the fault '" + fault + "', which environment zone " + zone.env().zone()
                    + " does not allow (drills.allowed: " + (allowed.isEmpty() ? "none" : String.join(", ", allowed.stream().sorted().toList())) + ")");
        }
    }

    private SimulatedTriad simulation(String fault) {
        return zone.simulation().orElseThrow(() -> new InputError("the fault '" + fault
                + "' needs the simulated triad (it acts on the node's container); zone " + zone.env().zone() + " is live"));
    }

    /** Stops a service gracefully ({@code systemctl stop}); undone by starting it. */
    public Instant stopService(String fault, Host h, String service) {
        requireAllowed(fault);
        String unit = zone.unit(service);
        Instant at = Instant.now();
        zone.faults().applied(service + " stopped", h.name(), at, () -> h.exec("systemctl start " + unit).requireOk());
        h.exec("systemctl stop " + unit).requireOk();
        return at;
    }

    /**
     * Kills a service's processes with SIGKILL, all at once (stopped first). Undone by starting it
     * again where its unit does not restart it on its own; a controller is left to its unit's
     * restart policy (starting it by hand would bypass the promotion flow).
     */
    public Instant killService(String fault, Host h, String service) {
        requireAllowed(fault);
        String unit = zone.unit(service);
        Instant at = Instant.now();
        Runnable undo = service.equals("controller") ? () -> { }
                : () -> h.exec("systemctl is-active --quiet " + unit + " || systemctl start " + unit).requireOk();
        zone.faults().applied(service + " killed (SIGKILL)", h.name(), at, undo);
        // Every process of the unit stopped first, then killed: none can react to another's death
        // (keepalived's VRRP child gets SIGTERM when its parent dies and would release the VIP
        // gracefully, in some runs and not others, depending on which SIGKILL landed first).
        h.exec("systemctl kill -s SIGSTOP " + unit + " && systemctl kill -s SIGKILL " + unit).requireOk();
        return at;
    }

    /** Crashes a node (its container killed); undone by starting it and waiting until it answers over SSH again. */
    public Instant crash(Host h) {
        requireAllowed("crash-node");
        SimulatedTriad sim = simulation("crash-node");
        Instant at = Instant.now();
        zone.faults().applied("node crashed", h.name(), at, () -> {
            sim.startAgain(h.name());
            h.reconnect();
            Within.until(zone.evidence(), h.name() + " answers over SSH after its restart", Duration.ofSeconds(90), () -> {
                try {
                    h.exec("systemctl is-system-running --wait >/dev/null; true", Duration.ofSeconds(60)).requireOk();
                } catch (InputError notYet) {
                    throw new AssertionError(notYet.getMessage());
                }
            });
        });
        sim.kill(h.name());
        return at;
    }

    /** Freezes every process of a node; undone by thawing it. */
    public Instant freeze(Host h) {
        requireAllowed("freeze-node");
        SimulatedTriad sim = simulation("freeze-node");
        Instant at = Instant.now();
        zone.faults().applied("node frozen", h.name(), at, () -> sim.thaw(h.name()));
        sim.freeze(h.name());
        return at;
    }

    /**
     * Drops, with nftables on {@code h}, every packet between {@code h} and each of {@code peers},
     * both directions, ahead of the node's own firewall. The harness's own traffic (SSH, the VIP)
     * is untouched. Undone by deleting the table; a dead-man timer on the node deletes it anyway.
     */
    public Instant partition(String fault, Host h, List<Host> peers) {
        requireAllowed(fault);
        FaultTable table = FaultTable.next(h, "inet");
        String set = peers.stream().map(Host::address).collect(Collectors.joining(", "));
        String chains = "  chain in { type filter hook input priority -200; policy accept; ip saddr { " + set + " } drop; }\n"
                + "  chain out { type filter hook output priority -200; policy accept; ip daddr { " + set + " } drop; }\n";
        Instant at = Instant.now();
        String target = h.name() + " from " + peers.stream().map(Host::name).collect(Collectors.joining(", "));
        zone.faults().applied("partitioned", target, at, () -> h.exec(table.removal() + "; true").requireOk());
        CommandResult r = table.load(chains);
        if (r.exitCode() != 0) {
            throw new AssertionError("could not partition " + target + " with nftables: " + r.stderr().strip());
        }
        return at;
    }

    /**
     * An nftables table of the harness on a host (named triad_fault_N, which {@link #leftovers}
     * looks for), loaded only after a dead-man timer on the host is armed to delete it.
     */
    private record FaultTable(Host host, String family, String name) {
        static FaultTable next(Host h, String family) {
            return new FaultTable(h, family, "triad_fault_" + SEQ.incrementAndGet());
        }

        String deadman() {
            return "triad-heal-" + name.replace('_', '-');
        }

        /** Shell commands removing the table and disarming its timer (each may find nothing). */
        String removal() {
            return "nft delete table " + family + " " + name + " 2>/dev/null; systemctl stop " + deadman() + ".timer 2>/dev/null";
        }

        /** Arms the dead-man timer, then loads the table with these chains. */
        CommandResult load(String chains) {
            String rules = "table " + family + " " + name + " {\n" + chains + "}\n";
            return host.exec("systemd-run --quiet --unit " + deadman() + " --on-active=" + DEAD_MAN.toSeconds()
                    + " /usr/sbin/nft delete table " + family + " " + name + " && printf '%s' '" + rules.replace("'", "") + "' | nft -f -");
        }
    }

    /** A Toxiproxy toxic on a link, both directions: latency (ms, with jitter), bandwidth (KB/s) or timeout (ms). */
    public record Toxic(String kind, long value, long jitter) {
        public Toxic {
            if (!List.of("latency", "bandwidth", "timeout").contains(kind)) {
                throw new IllegalArgumentException("unknown toxic '" + kind + "' (latency, bandwidth, timeout)");
            }
        }

        @Override
        public String toString() {
            return switch (kind) {
                case "latency" -> value + " ms latency" + (jitter > 0 ? " (jitter " + jitter + " ms)" : "");
                case "bandwidth" -> value + " KB/s bandwidth";
                default -> "timeout after " + value + " ms";
            };
        }
    }

    /**
     * Puts every JetStream route through Toxiproxy with a toxic, both directions. On each node a
     * Toxiproxy runs in the node's network namespace (as its own user), one proxy per peer; an
     * nftables table redirects the node's outgoing route connections to them (the proxy's own
     * connections excepted), and the route connections are reset so that they redial through the
     * proxies. The zone's configuration is not touched: its routes still name the nodes. Undone per
     * node: the table removed, the routes reset again (they redial directly), the proxy removed.
     * Returns when the slowdown is in effect (every route's round trip shows it); the history's
     * fault starts when the setting up began.
     */
    public Instant slowRoutes(Toxic toxic) {
        requireAllowed("slow-routes");
        SimulatedTriad sim = simulation("slow-routes");
        int cluster = zone.env().ports().natsCluster();
        List<Host> nodes = zone.hostsRunning("jetstream");
        Instant at = Instant.now();
        String reset = "ss -K '( dport = :" + cluster + " or sport = :" + cluster + " )' >/dev/null";
        List<Host> redirected = new ArrayList<>();
        for (Host h : nodes) {
            FaultTable table = FaultTable.next(h, "ip");
            String proxyId = sim.startProxy(h.name());
            Host.Tunnel api = null;
            try {
                api = h.tunnel("127.0.0.1", SimulatedTriad.PROXY_API_PORT);
            } finally {
                Host.Tunnel opened = api;
                zone.faults().applied("routes through Toxiproxy (" + toxic + ")", h.name(), at, () -> {
                    try {
                        h.exec(table.removal() + "; " + reset + "; true").requireOk();
                    } finally {
                        if (opened != null) {
                            opened.close();
                        }
                        sim.removeProxy(proxyId);
                    }
                });
            }
            ToxiproxyClient client = new ToxiproxyClient("127.0.0.1", api.localPort());
            Within.until(zone.evidence(), "Toxiproxy answers in " + h.name() + "'s network namespace", Duration.ofSeconds(20), () -> {
                try {
                    client.version();
                } catch (IOException e) {
                    throw new AssertionError("Toxiproxy on " + h.name() + ": " + e.getMessage());
                }
            });
            StringBuilder chains = new StringBuilder("  chain out {\n    type nat hook output priority -100; policy accept;\n");
            int port = 16000;
            for (Host peer : nodes) {
                if (peer == h) {
                    continue;
                }
                port++;
                try {
                    Proxy proxy = client.createProxy("route-to-" + peer.name(), "127.0.0.1:" + port, peer.address() + ":" + cluster);
                    for (ToxicDirection direction : ToxicDirection.values()) {
                        String name = toxic.kind() + "-" + direction.name().toLowerCase();
                        switch (toxic.kind()) {
                            case "latency" -> proxy.toxics().latency(name, direction, toxic.value()).setJitter(toxic.jitter());
                            case "bandwidth" -> proxy.toxics().bandwidth(name, direction, toxic.value());
                            default -> proxy.toxics().timeout(name, direction, toxic.value());
                        }
                    }
                } catch (IOException e) {
                    throw new AssertionError("could not set up Toxiproxy on " + h.name() + " for the route to " + peer.name() + ": " + e.getMessage());
                }
                chains.append("    ip daddr ").append(peer.address()).append(" tcp dport ").append(cluster)
                        .append(" meta skuid != ").append(SimulatedTriad.PROXY_UID).append(" redirect to :").append(port).append('\n');
            }
            chains.append("  }\n");
            CommandResult r = table.load(chains.toString());
            if (r.exitCode() != 0) {
                throw new AssertionError("could not redirect " + h.name() + "'s routes to Toxiproxy with nftables: " + r.stderr().strip());
            }
            redirected.add(h);
        }
        for (Host h : redirected) {
            h.exec(reset + "; true").requireOk();
        }
        // Once every route has redialled through the proxies, JetStream itself measures the toxic:
        // each route's round trip (/routez rtt) includes the added latency both ways.
        if (toxic.kind().equals("latency")) {
            Duration expected = Duration.ofMillis(toxic.value() * 2 * 3 / 4);
            int monitor = zone.env().ports().natsMonitor();
            Within.until(zone.evidence(), "every JetStream route's round trip shows the added latency (at least "
                    + expected.toMillis() + " ms)", Duration.ofSeconds(30), () -> {
                List<String> fast = new ArrayList<>();
                for (Host h : nodes) {
                    String json = h.exec("curl -sf -m 2 http://127.0.0.1:" + monitor + "/routez").stdout();
                    List<Duration> rtts = routeRtts(json);
                    if (rtts.isEmpty()) {
                        fast.add(h.name() + ": no routes");
                    }
                    rtts.stream().filter(r -> r.compareTo(expected) < 0).forEach(r -> fast.add(h.name() + ": " + r.toMillis() + " ms"));
                }
                if (!fast.isEmpty()) {
                    throw new AssertionError("routes not slowed yet: " + String.join(", ", fast));
                }
            });
        }
        // Judged from here: the redial through the proxies is the harness's doing, not the slowness.
        Instant inEffect = Instant.now();
        zone.evidence().note("routes slowed", "every JetStream route through Toxiproxy (" + toxic + ") from " + inEffect
                + "; setting it up (proxies started, routes reset and redialled) began at " + at);
        return inEffect;
    }

    /** The round trips of the routes in nats-server's /routez (Go durations: "203.05ms", "850µs", "1.2s"). */
    static List<Duration> routeRtts(String routez) {
        List<Duration> out = new ArrayList<>();
        try {
            for (var route : new com.fasterxml.jackson.databind.ObjectMapper().readTree(routez).path("routes")) {
                String rtt = route.path("rtt").asText("");
                var m = java.util.regex.Pattern.compile("([0-9.]+)(ns|µs|us|ms|s)").matcher(rtt);
                double nanos = 0;
                while (m.find()) {
                    double v = Double.parseDouble(m.group(1));
                    nanos += switch (m.group(2)) {
                        case "ns" -> v;
                        case "µs", "us" -> v * 1e3;
                        case "ms" -> v * 1e6;
                        default -> v * 1e9;
                    };
                }
                out.add(Duration.ofNanos((long) nanos));
            }
        } catch (java.io.IOException e) {
            return List.of();
        }
        return out;
    }

    /** Whether any fault table or dead-man timer of the harness is left on a host (for tests of the heal). */
    public static String leftovers(Host h) {
        CommandResult r = h.exec("nft list tables | grep triad_fault; systemctl list-units --all --no-legend 'triad-heal-*' | grep -v inactive; true");
        return r.stdout().strip();
    }
}
