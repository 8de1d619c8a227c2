package io.triad.zone;

import io.triad.env.InputError;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.sim.SimulatedTriad;

import java.time.Duration;
import java.time.Instant;
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
            "freeze-node", "partition-node", "cut-link", "stop-jetstream", "quorum-loss");

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
     * Kills a service's processes with SIGKILL. Undone by starting it again where its unit does not
     * restart it on its own; a controller is left to its unit's restart policy (starting it by hand
     * would bypass the promotion flow).
     */
    public Instant killService(String fault, Host h, String service) {
        requireAllowed(fault);
        String unit = zone.unit(service);
        Instant at = Instant.now();
        Runnable undo = service.equals("controller") ? () -> { }
                : () -> h.exec("systemctl is-active --quiet " + unit + " || systemctl start " + unit).requireOk();
        zone.faults().applied(service + " killed (SIGKILL)", h.name(), at, undo);
        h.exec("systemctl kill -s SIGKILL " + unit).requireOk();
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
        String table = "triad_fault_" + SEQ.incrementAndGet();
        String set = peers.stream().map(Host::address).collect(Collectors.joining(", "));
        String deadman = "triad-heal-" + table.replace('_', '-');
        String rules = "table inet " + table + " {\n"
                + "  chain in { type filter hook input priority -200; policy accept; ip saddr { " + set + " } drop; }\n"
                + "  chain out { type filter hook output priority -200; policy accept; ip daddr { " + set + " } drop; }\n"
                + "}\n";
        String heal = "nft delete table inet " + table + " 2>/dev/null; systemctl stop " + deadman + ".timer 2>/dev/null; true";
        Instant at = Instant.now();
        String target = h.name() + " from " + peers.stream().map(Host::name).collect(Collectors.joining(", "));
        zone.faults().applied("partitioned", target, at, () -> h.exec(heal).requireOk());
        CommandResult r = h.exec("systemd-run --quiet --unit " + deadman + " --on-active=" + DEAD_MAN.toSeconds()
                + " /usr/sbin/nft delete table inet " + table + " && printf '%s' '" + rules.replace("'", "") + "' | nft -f -");
        if (r.exitCode() != 0) {
            throw new AssertionError("could not partition " + target + " with nftables: " + r.stderr().strip());
        }
        return at;
    }

    /** Whether any fault table or dead-man timer of the harness is left on a host (for tests of the heal). */
    public static String leftovers(Host h) {
        CommandResult r = h.exec("nft list tables | grep triad_fault; systemctl list-units --all --no-legend 'triad-heal-*' | grep -v inactive; true");
        return r.stdout().strip();
    }
}
