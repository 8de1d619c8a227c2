package io.triad.profile.unibus;

import io.triad.env.Environment;
import io.triad.env.FaultCatalogue;
import io.triad.env.Profile;
import io.triad.history.History;
import io.triad.zone.SteadyPart;
import io.triad.zone.SteadyState;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The unibus cluster (seed 003): three nodes (magnus the seed, homer, datardos), each running the
 * membership service with an embedded NATS server; the control plane lives in JetStream KV,
 * replicated on all three once scaled to R3.
 */
public final class Shape implements Supplier<Profile> {

    public static final String SERVICE = "membershipd";
    static final Set<String> ROLES = Set.of("seed", "replica-1", "replica-2");

    @Override
    public Profile get() {
        return new Profile(
                "unibus",
                List.of("seed", "replica-1", "replica-2"),
                Set.of(),
                Profile.services(SERVICE, new Environment.ServiceSpec("membershipd-cluster.service", ROLES)),
                List.of(), // the runbook states no firewall
                new FaultCatalogue(
                        Set.of("stop-one", "stop-two", "crash-node", "partition-node", "scale-to-r3"),
                        Set.of("stop-two"), // the one fault that takes down more than one node: named on a live zone
                        List.of(new FaultCatalogue.GuardRail("control-plane", ROLES, Set.of(SERVICE), 1, Set.of("stop-two"),
                                "never more than one node down except in the kill-two drill (and never all)"))),
                // At most one node leads the control plane's meta group and each bucket at any instant.
                List.of(new History.Resource("meta-leader", "meta leader", "meta leader", "two meta leaders"),
                        new History.Resource("members-leader", "KV_UNIBUS_members leader", "leads KV_UNIBUS_members",
                                "two leaders of KV_UNIBUS_members")),
                // The drill's client's authorizations of its member: which node allowed them, and when none was allowed.
                new History.Serving("authorize", "allows", "allows an authorization", "authorization: none allowed",
                        "no authorization allowed"),
                List.of(SteadyState.HOSTS_ANSWER, HEALTHY,
                        SteadyState.jetStreamSettled(SERVICE, zone -> zone.env().settings(Settings.class).monitorPort()),
                        BUCKETS_EXIST),
                Set.of("unibus"),
                Settings::read,
                new Recipe());
    }

    /** Every node's service answers its health endpoint 200 over its own TLS (the runbook's verify, on each node). */
    static final SteadyPart HEALTHY = new SteadyPart("service-healthy", false, zone -> {
        Settings s = zone.env().settings(Settings.class);
        return zone.onEach(zone.hostsRunning(SERVICE), h -> {
            var r = h.exec(Cluster.healthz(s));
            return r.stdout().strip().endsWith("HTTP 200") ? "" : h.name() + "'s health endpoint answered "
                    + (r.stdout().isBlank() ? "nothing" : r.stdout().strip().replace('\n', ' '));
        }).stream().filter(p -> !p.isEmpty()).toList();
    });

    /**
     * Every control-plane bucket exists on some node (the service creates the missing ones in the
     * background once JetStream has a meta leader, so a healthy service does not yet mean a control
     * plane): read from each node's own {@code /jsz?streams=true}, each node listing the streams it hosts.
     */
    static final SteadyPart BUCKETS_EXIST = new SteadyPart("control-plane-buckets", false, zone -> {
        Settings s = zone.env().settings(Settings.class);
        List<String> missing = missingBuckets(zone.onEach(zone.hostsRunning(SERVICE),
                h -> h.exec(Cluster.monitor(s, "/jsz?streams=true")).stdout()));
        return missing.isEmpty() ? List.of() : List.of("the control plane's buckets not created yet on any node: "
                + String.join(", ", missing));
    });

    /** The control-plane buckets no node lists, from each node's {@code /jsz?streams=true} (an unreadable page lists none). */
    static List<String> missingBuckets(List<String> jszPages) {
        java.util.Set<String> hosted = new java.util.HashSet<>();
        for (String page : jszPages) {
            try {
                io.triad.probe.JetStreamView.parse(page).streams().forEach(st -> hosted.add(st.name()));
            } catch (IllegalArgumentException e) {
                // a node that answers nothing readable hosts nothing we can count on
            }
        }
        return Settings.BUCKETS.stream().filter(b -> !hosted.contains(b)).toList();
    }
}
