package io.triad.zone;

import io.triad.env.InputError;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.host.Shell;
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
 * The faults a drill injects. Before each: the safety policy ({@link Safety}: the run may apply
 * it, the scenario declared it), then the guard rails: the first fault of a scenario only on a
 * steady zone, never Alpha and Beta faulted at once, never more than one JetStream node down
 * except in the quorum-loss drill. A broken rule stops the run ({@link Safety.SafetyStop}) with
 * nothing applied.
 *
 * <p>Each fault on a host is installed together with its dead-man switch ({@link DeadMan}): a
 * transient systemd service on that host, started in the same command before the fault, that runs
 * the undo by itself when the environment's {@code drills.dead_man} has passed, so the zone heals
 * even when the harness dies or loses its network. The harness's own undo is registered first in
 * the zone's {@link Faults} (healed after every scenario, also when a step failed) and disarms it.
 * While a history is recorded, each fault is written into it with its start and end. Every fault
 * returns the instant it was applied, from which drills measure.
 */
public final class Nemesis {

    /** Names of this process's dead-man units and tables: unique per run, so a leftover of an earlier run never collides. */
    static final String RUN = Long.toString(System.currentTimeMillis() / 1000, 36);
    private static final AtomicInteger SEQ = new AtomicInteger();

    /** The prefix of every dead-man unit of the harness on a host. */
    public static final String DEAD_MAN_UNITS = "triad-heal-";

    /** The prefix of every nftables table of the harness on a host. */
    public static final String FAULT_TABLES = "triad_fault_";

    /**
     * How long the guard looks for the steady state before it refuses the first fault. A replica
     * of a busy stream (the lease bucket, renewed every second) is seen "not current" for a moment
     * now and then on a settled zone (once in 40 fresh zones); one such look is no reason to call
     * off a drill, a zone still unsteady after this long is.
     */
    static final Duration GUARD_WAIT = Duration.ofSeconds(10);

    private final Zone zone;

    public Nemesis(Zone zone) {
        this.zone = zone;
    }

    /** Refuses a fault this run may not apply (see {@link Safety#requireAllowed}). */
    public void requireAllowed(String fault) {
        zone.safety().requireAllowed(fault, zone.scenarioTags());
    }

    /**
     * Everything checked before a fault is applied: allowed, declared, and the guard rails. Returns
     * normally only when the fault may go ahead.
     */
    void guard(String fault, String target, Faults.Impact impact) {
        requireAllowed(fault);
        List<Faults.Applied> inPlace = zone.faults().inPlace();
        boolean anyFault = inPlace.stream().anyMatch(Faults.Applied::disturbs);
        if (!anyFault) {
            if (zone.planning()) {
                zone.plan().orElseThrow().note("GUARD the zone must be steady before the first fault:");
            }
            try {
                Within.until(zone.evidence(), "the zone is steady before the first fault (" + fault + " on " + target + ")",
                        GUARD_WAIT, () -> SteadyState.require(zone));
            } catch (AssertionError e) {
                throw new Safety.SafetyStop("the zone is not steady, so no fault (" + fault + " on " + target + "): "
                        + e.getMessage());
            }
        }
        io.triad.env.FaultCatalogue catalogue = zone.env().profile().faults();
        java.util.Map<String, Set<String>> down = new java.util.HashMap<>();
        java.util.Map<String, Integer> sizes = new java.util.HashMap<>();
        for (io.triad.env.FaultCatalogue.GuardRail rail : catalogue.guardRails()) {
            Set<String> out = new java.util.TreeSet<>(impact.down(rail.group()));
            inPlace.forEach(a -> out.addAll(a.impact().down(rail.group())));
            down.put(rail.group(), out);
            sizes.put(rail.group(), (int) zone.hosts().stream().filter(h -> rail.roles().contains(h.role())).count());
        }
        catalogue.broken(fault, target, down, sizes).ifPresent(rule -> {
            throw new Safety.SafetyStop(rule + " (in place: " + describe(inPlace) + ")");
        });
    }

    /** In a dry run, the fault's headline in the plan (its commands follow, written by the plan's hosts). */
    private void announce(String description, boolean deadMan) {
        if (zone.planning()) {
            zone.plan().orElseThrow().fault(description, deadMan ? "a transient systemd service on the host runs the undo after "
                    + deadMan().toSeconds() + " s if the harness has not healed it by then" : null);
        }
    }

    private static String describe(List<Faults.Applied> inPlace) {
        return inPlace.isEmpty() ? "none" : inPlace.stream().map(Faults.Applied::description).collect(Collectors.joining(", "));
    }

    /** What taking {@code h} (or one of its services) down takes down. */
    private Faults.Impact down(Host h, String service) {
        java.util.Map<String, Set<String>> down = new java.util.HashMap<>();
        for (io.triad.env.FaultCatalogue.GuardRail rail : zone.env().profile().faults().guardRails()) {
            if (rail.takesOut(h.role(), service)) {
                down.put(rail.group(), Set.of(h.name()));
            }
        }
        return new Faults.Impact(down);
    }

    /** A fault on the simulated triad's containers, in a dry run: said, with its heal, and nothing done. */
    private Instant planned(String description, Host h, Faults.Impact impact, String apply, String heal) {
        io.triad.plan.Plan plan = zone.plan().orElseThrow();
        plan.fault(description, null);
        plan.request("on the Docker host: " + apply);
        zone.faults().applied(description, h.name(), Instant.now(), impact, () -> plan.request("on the Docker host: " + heal));
        return Instant.now();
    }

    /**
     * A dead-man switch on a host: a transient systemd service ({@code triad-heal-<run>-<n>}) that
     * sleeps for the time-to-live, then runs {@code undo}. A running service is never unloaded by
     * systemd, unlike the transient timer used before, whose service was found missing once when
     * the timer fired (a partition outlived its dead-man). The undo travels in the service's
     * environment ({@code TRIAD_UNDO}), read back exactly by {@link Leftovers#heal} from
     * /proc, and is run with {@code printenv | sh} so no systemd version expands it. Stopping the
     * service disarms it (SIGTERM ends the sleep and the shell; the undo does not run).
     */
    public record DeadMan(Host host, String unit, String undo) {
        /** The environment variable holding the undo in the dead-man's service. */
        public static final String UNDO_VARIABLE = "TRIAD_UNDO";

        public static DeadMan on(Host h, String undo) {
            return new DeadMan(h, DEAD_MAN_UNITS + RUN + "-" + SEQ.incrementAndGet(), undo);
        }

        /** The shell command arming it; the fault follows with {@code &&}, so no dead-man means no fault. */
        public String arm(java.time.Duration ttl) {
            return "systemd-run --quiet --unit " + unit + " --description " + Shell.quote("triad-acceptance dead-man switch: "
                    + "undoes a fault after " + ttl.toSeconds() + " s") + " --setenv=" + UNDO_VARIABLE + "=" + Shell.quote(undo)
                    + " /bin/sh -c " + Shell.quote("sleep " + ttl.toSeconds() + "; printenv " + UNDO_VARIABLE + " | /bin/sh");
        }

        /** Runs the undo now and, when it succeeded, disarms the dead-man (a failed undo leaves it armed, and fails). */
        public String healNow() {
            return "(" + undo + ") && { systemctl stop " + unit + ".service 2>/dev/null; true; }";
        }
    }

    private SimulatedTriad simulation(String fault) {
        return zone.simulation().orElseThrow(() -> new InputError("the fault '" + fault
                + "' needs the simulated triad (it acts on the node's container); zone " + zone.env().zone() + " is live"));
    }

    /** When a fault was commanded and when it took effect, read on the node (see {@link #tookEffect}). */
    public record Applied(Instant commanded, Instant tookEffect) { }

    /**
     * Stops a service gracefully ({@code systemctl stop}); undone by starting it (on the host by
     * itself after the dead-man's time). Returns when it was commanded and when it was stopped, read
     * on the node's clock right after {@code systemctl stop} returned (its processes gone): a promise
     * judged "from the loss" counts from there, not from the command, whose SSH round trip and
     * dead-man arming can take seconds on a busy machine. A graceful handover that begins with the
     * stop signal (a router announcing priority 0 as it exits) is measured from the command by its caller.
     */
    public Applied stop(String fault, Host h, String service) {
        String unit = zone.unit(service);
        guard(fault, h.name(), down(h, service));
        DeadMan dm = DeadMan.on(h, "systemctl start " + unit);
        announce(fault + ": " + service + " stopped on " + h.name(), true);
        Instant at = Instant.now();
        zone.faults().applied(stopped(service), h.name(), at, down(h, service), () -> h.exec(h.asRoot(dm.healNow())).requireOk());
        CommandResult r = h.exec(h.asRoot(dm.arm(deadMan()) + " && systemctl stop " + unit + " && date +%s.%N")).requireOk();
        Instant stopped = zone.planning() ? at : tookEffect(r.stdout(), at);
        if (!zone.planning()) {
            noteTookEffect(fault, service + " was stopped on " + h.name(), "stop", at, stopped);
        }
        return new Applied(at, stopped);
    }

    /**
     * Undoes {@link #stop} on {@code h} now (the service started again, its dead-man
     * disarmed); false when this run had not stopped it there.
     */
    public boolean startStopped(Host h, String service) {
        return zone.faults().heal(stopped(service), h.name(), zone.evidence());
    }

    private static String stopped(String service) {
        return service + " stopped";
    }

    private java.time.Duration deadMan() {
        return zone.env().drills().deadMan();
    }

    /**
     * Kills a service's processes with SIGKILL, all at once (stopped first). Undone by starting it
     * again, unless {@code leftToItsUnit}: a service whose return belongs to its unit's restart
     * policy (starting it by hand would bypass a promotion flow, as the BSFG controller's) is not
     * started by the harness, so it has no dead-man either.
     */
    public Instant killService(String fault, Host h, String service, boolean leftToItsUnit) {
        String unit = zone.unit(service);
        guard(fault, h.name(), down(h, service));
        DeadMan dm = DeadMan.on(h, "systemctl is-active --quiet " + unit + " || systemctl start " + unit);
        announce(fault + ": " + service + " killed with SIGKILL on " + h.name() + (leftToItsUnit
                ? " (its unit restarts it by its own policy)" : ""), !leftToItsUnit);
        Instant at = Instant.now();
        Runnable undo = leftToItsUnit ? () -> { } : () -> h.exec(h.asRoot(dm.healNow())).requireOk();
        zone.faults().applied(service + " killed (SIGKILL)", h.name(), at, down(h, service), undo);
        // Every process of the unit stopped first, then killed: none can react to another's death
        // (keepalived's VRRP child gets SIGTERM when its parent dies and would release the VIP
        // gracefully, in some runs and not others, depending on which SIGKILL landed first).
        h.exec(h.asRoot((leftToItsUnit ? "" : dm.arm(deadMan()) + " && ") + "systemctl kill -s SIGSTOP " + unit
                + " && systemctl kill -s SIGKILL " + unit)).requireOk();
        return at;
    }

    /**
     * Crashes a node (its container killed); undone by starting it and waiting until it answers over
     * SSH again. Returns when the crash took effect (the container's end, as the Docker engine
     * recorded it), not when it was commanded: a figure measured from it measures the zone's
     * reaction, and a write acknowledged before it was acknowledged by a living node.
     */
    public Instant crash(Host h) {
        guard("crash-node", h.name(), down(h, null));
        if (zone.planning() && zone.env().simulated()) {
            return planned("crash-node: " + h.name() + " crashes (its container killed)", h, down(h, null),
                    "docker kill " + h.name() + "'s container", "docker start " + h.name() + "'s container, wait until it answers over SSH");
        }
        SimulatedTriad sim = simulation("crash-node");
        Instant at = Instant.now();
        zone.faults().applied("node crashed", h.name(), at, down(h, null), () -> {
            sim.startAgain(h.name());
            h.reconnect();
            Within.until(zone.evidence(), h.name() + " answers over SSH after its restart", Duration.ofSeconds(90), () -> {
                try {
                    Zone.booted(h);
                } catch (InputError notYet) {
                    throw new AssertionError(notYet.getMessage());
                }
            });
        });
        Instant ended = sim.kill(h.name());
        noteTookEffect("crash-node", h.name() + "'s container ended", "crash", at, ended);
        return ended.isBefore(at) ? at : ended;
    }

    /** Freezes every process of a node; undone by thawing it. */
    public Instant freeze(Host h) {
        guard("freeze-node", h.name(), down(h, null));
        if (zone.planning() && zone.env().simulated()) {
            return planned("freeze-node: every process of " + h.name() + " frozen", h, down(h, null),
                    "docker pause " + h.name() + "'s container", "docker unpause " + h.name() + "'s container");
        }
        SimulatedTriad sim = simulation("freeze-node");
        Instant at = Instant.now();
        zone.faults().applied("node frozen", h.name(), at, down(h, null), () -> sim.thaw(h.name()));
        Instant frozen = sim.freeze(h.name(), tried -> zone.evidence().note("freeze-node", tried));
        noteTookEffect("freeze-node", "every process of " + h.name() + " was frozen", "freeze", at, frozen);
        return frozen;
    }

    /**
     * Drops, with nftables on {@code h}, every packet between {@code h} and each of {@code peers},
     * both directions, ahead of the node's own firewall. The harness's own traffic (SSH, the VIP)
     * is untouched. Undone by deleting the table; a dead-man switch on the node deletes it anyway.
     * Cut off from every other node, {@code h} counts as down for the guard rails; cut off from
     * some, it does not (the link-cut drill).
     */
    public Instant partition(String fault, Host h, List<Host> peers) { // returns when the rules were in place, read on the node
        boolean isolated = zone.hosts().stream().filter(o -> o != h).allMatch(peers::contains);
        Faults.Impact impact = isolated ? down(h, null) : Faults.Impact.NONE;
        String target = h.name() + " from " + peers.stream().map(Host::name).collect(Collectors.joining(", "));
        guard(fault, target, impact);
        FaultTable table = FaultTable.next(h, "inet");
        String set = peers.stream().map(Host::address).collect(Collectors.joining(", "));
        String chains = "  chain in { type filter hook input priority -200; policy accept; ip saddr { " + set + " } drop; }\n"
                + "  chain out { type filter hook output priority -200; policy accept; ip daddr { " + set + " } drop; }\n";
        announce(fault + ": " + target + " partitioned (nftables, both directions)", true);
        Instant at = Instant.now();
        zone.faults().applied("partitioned", target, at, impact, () -> h.exec(h.asRoot(table.removal())).requireOk());
        CommandResult r = table.load(chains, deadMan());
        if (r.exitCode() != 0) {
            throw new AssertionError("could not partition " + target + " with nftables: " + r.stderr().strip());
        }
        Instant loaded = tookEffect(r.stdout(), at);
        noteTookEffect(fault, "the rules were in place on " + h.name(), "partition", at, loaded);
        return loaded;
    }

    /** Notes in the evidence when a fault took effect ({@code what} happened at {@code effect}), against when its {@code command} was commanded. */
    private void noteTookEffect(String fault, String what, String command, Instant at, Instant effect) {
        zone.evidence().note(fault + " took effect", what + " at " + effect + ", " + Duration.between(at, effect).toMillis()
                + " ms after the " + command + " was commanded (" + at + ")");
    }

    /**
     * When a fault took effect, from the node's clock read right after the command that made it
     * ({@code date +%s.%N}, the output's last line), kept between the command's start and now (a node
     * whose clock is off is not believed beyond either); now when the output has no time.
     */
    static Instant tookEffect(String output, Instant commanded) {
        Instant now = Instant.now();
        String last = output.strip().lines().reduce((a, b) -> b).orElse("").strip();
        if (!last.matches("\\d{9,11}\\.\\d{1,9}")) {
            return now;
        }
        String[] f = last.split("\\.");
        Instant node = Instant.ofEpochSecond(Long.parseLong(f[0]), Long.parseLong((f[1] + "000000000").substring(0, 9)));
        return node.isBefore(commanded) ? commanded : node.isAfter(now) ? now : node;
    }

    /**
     * An nftables table of the harness on a host (named triad_fault_..., which {@link #leftovers}
     * looks for), loaded only after a dead-man switch on the host is armed to delete it.
     */
    private record FaultTable(Host host, String family, String name, DeadMan deadMan) {
        static FaultTable next(Host h, String family) {
            String name = FAULT_TABLES + RUN + "_" + SEQ.incrementAndGet();
            // absent already (the dead-man fired) is healed; present, the delete must succeed
            return new FaultTable(h, family, name, DeadMan.on(h, "! nft list table " + family + " " + name
                    + " >/dev/null 2>&1 || nft delete table " + family + " " + name));
        }

        /** Shell commands removing the table and disarming its dead-man (each may find nothing). */
        String removal() {
            return deadMan.healNow();
        }

        /** Arms the dead-man switch, then loads the table with these chains. */
        CommandResult load(String chains, java.time.Duration ttl) {
            String rules = "table " + family + " " + name + " {\n" + chains + "}\n";
            return host.exec(host.asRoot(deadMan.arm(ttl) + " && printf '%s' '" + rules.replace("'", "") + "' | nft -f - && date +%s.%N"));
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
     * Puts every route of a clustered service (the nodes running {@code service} reach each other
     * on {@code routePort}; {@code roundTrips} reads, on a node, the round trips of its routes as
     * the service itself measures them: JetStream's in {@link io.triad.tech.nats.Routez}) through
     * Toxiproxy with a toxic, both directions. On each node a
     * Toxiproxy runs in the node's network namespace (as its own user), one proxy per peer; an
     * nftables table redirects the node's outgoing route connections to them (the proxy's own
     * connections excepted), and the route connections are reset so that they redial through the
     * proxies. The zone's configuration is not touched: its routes still name the nodes. Undone per
     * node: the table removed, the routes reset again (they redial directly), the proxy removed.
     * Returns when the slowdown is in effect (every route's round trip shows it); the history's
     * fault starts when the setting up began.
     */
    public Instant slowRoutes(Toxic toxic, String service, int routePort, java.util.function.Function<Host, List<Duration>> roundTrips) {
        guard("slow-routes", "every route of " + service, Faults.Impact.NONE);
        if (zone.planning() && zone.env().simulated()) {
            for (Host h : zone.hostsRunning(service)) {
                planned("slow-routes: " + h.name() + "'s " + service + " routes through Toxiproxy (" + toxic + ")", h, Faults.Impact.NONE,
                        "start a Toxiproxy container in " + h.name() + "'s network namespace, one proxy per peer; an nftables"
                                + " table (with its dead-man switch) redirects the routes to it; the routes are reset to redial",
                        "the table removed, the routes reset again, the Toxiproxy container removed");
            }
            return Instant.now();
        }
        SimulatedTriad sim = simulation("slow-routes");
        int cluster = routePort;
        List<Host> nodes = zone.hostsRunning(service);
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
                zone.faults().applied("routes through Toxiproxy (" + toxic + ")", h.name(), at, Faults.Impact.NONE, () -> {
                    try {
                        h.exec(h.asRoot(table.removal() + " && { " + reset + "; true; }")).requireOk();
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
            CommandResult r = table.load(chains.toString(), deadMan());
            if (r.exitCode() != 0) {
                throw new AssertionError("could not redirect " + h.name() + "'s routes to Toxiproxy with nftables: " + r.stderr().strip());
            }
            redirected.add(h);
        }
        for (Host h : redirected) {
            h.exec(h.asRoot(reset + "; true")).requireOk();
        }
        // Once every route has redialled through the proxies, the service itself measures the toxic:
        // each route's round trip includes the added latency both ways.
        if (toxic.kind().equals("latency")) {
            Duration expected = Duration.ofMillis(toxic.value() * 2 * 3 / 4);
            Within.until(zone.evidence(), "every " + service + " route's round trip shows the added latency (at least "
                    + expected.toMillis() + " ms)", Duration.ofSeconds(30), () -> {
                List<String> fast = new ArrayList<>();
                for (Host h : nodes) {
                    List<Duration> rtts = roundTrips.apply(h);
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
        zone.evidence().note("routes slowed", "every " + service + " route through Toxiproxy (" + toxic + ") from " + inEffect
                + "; setting it up (proxies started, routes reset and redialled) began at " + at);
        return inEffect;
    }
}
