package io.triad.env;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shape of a zone: which roles its hosts play, which of them may hold the VIP, and which
 * services run where. The BSFG triad is the first profile; other zones (a NATS cluster, a
 * PostgreSQL HA set, a Raft control plane) are further profiles, not new code paths.
 */
public record Profile(String name, List<String> roles, Set<String> vipRoles, Map<String, Environment.ServiceSpec> services,
                      List<Environment.PortRule> firewall, FaultCatalogue faults, List<io.triad.history.History.Resource> exclusive) {

    public static final Profile BSFG_TRIAD = new Profile(
            "bsfg-triad",
            List.of("alpha", "beta", "gamma"),
            Set.of("alpha", "beta"),
            services(
                    "jetstream", new Environment.ServiceSpec("jetstream.service", Set.of("alpha", "beta", "gamma")),
                    "keepalived", new Environment.ServiceSpec("keepalived.service", Set.of("alpha", "beta")),
                    "controller", new Environment.ServiceSpec("bsfg-controller.service", Set.of("alpha", "beta"))),
            // The Triad-HA pattern's port matrix (runbook 1.6): what a node's firewall accepts, and from where.
            List.of(new Environment.PortRule("tcp", "22", "any", Set.of("alpha", "beta", "gamma"), "operator access (SSH)"),
                    new Environment.PortRule("tcp", "nats_client", "nodes", Set.of("alpha", "beta", "gamma"), "JetStream clients in the zone"),
                    new Environment.PortRule("tcp", "nats_cluster", "nodes", Set.of("alpha", "beta", "gamma"), "JetStream routes"),
                    new Environment.PortRule("tcp", "nats_monitor", "nodes", Set.of("alpha", "beta", "gamma"), "JetStream monitoring"),
                    new Environment.PortRule("tcp", "controller", "any", Set.of("alpha", "beta"), "the controller, through the VIP"),
                    new Environment.PortRule("vrrp", "", "vip-peers", Set.of("alpha", "beta"), "VRRP adverts from the peer")),
            new FaultCatalogue(
                    Set.of("controlled-demotion", "kill-keepalived", "kill-controller", "crash-node", "freeze-node", "partition-node",
                            "cut-link", "stop-jetstream", "quorum-loss", "slow-routes"),
                    Set.of("quorum-loss"), // the one fault that takes down more than one JetStream node
                    List.of(new FaultCatalogue.GuardRail("vip", Set.of("alpha", "beta"), Set.of("keepalived", "controller"), 1, Set.of(),
                                    "never fault Alpha and Beta at once"),
                            new FaultCatalogue.GuardRail("jetstream", Set.of("alpha", "beta", "gamma"), Set.of("jetstream"), 1,
                                    Set.of("quorum-loss"), "never more than one JetStream node down except in the quorum-loss drill"
                                    + " (and never all)"))),
            // At most one node holds each at any instant: the dual-active checker, the flapping checker and the timeline's lanes.
            List.of(new io.triad.history.History.Resource("vip", "VIP", "VIP held", "two VIP holders"),
                    new io.triad.history.History.Resource("controller", "controller", "controller active", "two active controllers")));

    /** The exclusive resource named {@code name}; an IllegalArgumentException naming the profile's when there is none. */
    public io.triad.history.History.Resource exclusive(String name) {
        return exclusive.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "profile " + this.name + " has no exclusive resource " + name + " (it has: "
                        + exclusive.stream().map(io.triad.history.History.Resource::name).toList() + ")"));
    }

    private static final Map<String, Profile> KNOWN = Map.of(BSFG_TRIAD.name(), BSFG_TRIAD);

    public static Profile named(String name) {
        return KNOWN.get(name);
    }

    public static Set<String> names() {
        return KNOWN.keySet();
    }

    private static Map<String, Environment.ServiceSpec> services(Object... pairs) {
        Map<String, Environment.ServiceSpec> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (Environment.ServiceSpec) pairs[i + 1]);
        }
        return map;
    }
}
