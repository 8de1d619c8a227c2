package io.triad.profile.bsfgtriad;

import io.triad.env.Environment;
import io.triad.env.FaultCatalogue;
import io.triad.env.Profile;
import io.triad.history.History;
import io.triad.zone.SteadyState;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/** The BSFG triad (seed 000): Alpha and Beta share a VIP and the controller, JetStream runs on all three. */
public final class Shape implements Supplier<Profile> {

    @Override
    public Profile get() {
        return new Profile(
            "bsfg-triad",
            Settings.ROLES,
            Set.of("alpha", "beta"),
            Profile.services(
                    "jetstream", new Environment.ServiceSpec("jetstream.service", Set.of("alpha", "beta", "gamma")),
                    "keepalived", new Environment.ServiceSpec("keepalived.service", Set.of("alpha", "beta")),
                    "controller", new Environment.ServiceSpec("bsfg-controller.service", Set.of("alpha", "beta")),
                    // Only in a zone with a VIP lease (vip_lease); its journal is part of a failed drill's diagnosis.
                    "lease-agent", new Environment.ServiceSpec(Settings.VipLease.AGENT_UNIT, Set.of("alpha", "beta"))),
            // The Triad-HA pattern's port matrix (runbook 1.6): what a node's firewall accepts, and from where.
            List.of(new Environment.PortRule("tcp", "22", "any", Set.of("alpha", "beta", "gamma"), "operator access (SSH)"),
                    new Environment.PortRule("tcp", "nats_client", "nodes", Set.of("alpha", "beta", "gamma"), "JetStream clients in the zone"),
                    new Environment.PortRule("tcp", "nats_cluster", "nodes", Set.of("alpha", "beta", "gamma"), "JetStream routes"),
                    new Environment.PortRule("tcp", "nats_monitor", "nodes", Set.of("alpha", "beta", "gamma"), "JetStream monitoring"),
                    new Environment.PortRule("tcp", "controller", "any", Set.of("alpha", "beta"), "the controller, through the VIP"),
                    new Environment.PortRule("vrrp", "", "vip-peers", Set.of("alpha", "beta"), "VRRP adverts from the peer")),
            new FaultCatalogue(
                    Set.of("controlled-demotion", "kill-keepalived", "kill-controller", "crash-node", "freeze-node", "partition-node",
                            "cut-link", "stop-jetstream", "quorum-loss", "slow-routes",
                            // a real alert raised at the zone's alert endpoint and resolved (runbook 8.5): it may page someone
                            "test-alert"),
                    Set.of("quorum-loss"), // the one fault that takes down more than one JetStream node
                    List.of(new FaultCatalogue.GuardRail("vip", Set.of("alpha", "beta"), Set.of("keepalived", "controller"), 1, Set.of(),
                                    "never fault Alpha and Beta at once"),
                            new FaultCatalogue.GuardRail("jetstream", Set.of("alpha", "beta", "gamma"), Set.of("jetstream"), 1,
                                    Set.of("quorum-loss"), "never more than one JetStream node down except in the quorum-loss drill"
                                    + " (and never all)"))),
            // At most one node holds each at any instant: the dual-active checker, the flapping checker and the timeline's lanes.
            List.of(new History.Resource("vip", "VIP", "VIP held", "two VIP holders"),
                    new History.Resource("controller", "controller", "controller active", "two active controllers")),
            // The recorder's health probes through the VIP: who answered, and when nobody did.
            new History.Serving("health", "serves via VIP", "answers health via the VIP", "health via VIP: unanswered",
                    "no healthy answer via the VIP"),
        // Steady before a fault and after a heal: every host answers, one VIP holder, health through it, JetStream settled.
        List.of(SteadyState.HOSTS_ANSWER, Steady.VIP_HOLDER, Steady.HEALTH_THROUGH_VIP, Steady.JETSTREAM_SETTLED),
        // The runbook's section 2 inputs and the pattern's settings (the VIP is the core's: this profile has VIP roles).
        Settings.FIELDS,
        fields -> Settings.read(fields),
        new Recipe(),
        LogLines::label);
    }
}
