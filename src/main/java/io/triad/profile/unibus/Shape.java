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
                        Set.of("stop-one", "stop-two", "crash-node", "partition-node", "scale-to-r3", "scratch-bootstrap"),
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
                        io.triad.tech.nats.JetStreamSettled.on(SERVICE, zone -> zone.env().settings(Settings.class).monitorPort()),
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
     * Every control-plane bucket is known to JetStream: asked through its API (stream info, as the
     * service and the steps ask), on the first node that runs the service. A node's own
     * {@code /jsz} is not enough: it lists the streams in the node's store, and the seed's streams,
     * made by its standalone bootstrap, are listed there before the clustered meta layer has taken
     * them in (make test once read "stream not found" from a zone whose /jsz listed all six).
     */
    static final SteadyPart BUCKETS_EXIST = new SteadyPart("control-plane-buckets", false, zone -> {
        List<io.triad.host.Host> running = zone.hostsRunning(SERVICE);
        if (running.isEmpty()) {
            return List.of("no node runs " + SERVICE);
        }
        List<String> missing = new java.util.ArrayList<>();
        try (ControlPlane cp = ControlPlane.open(zone, running.get(0))) {
            for (String bucket : Settings.BUCKETS) {
                try {
                    cp.stream(bucket);
                } catch (io.nats.client.JetStreamApiException e) {
                    missing.add(bucket + " (" + e.getMessage() + ")");
                }
            }
        } catch (java.io.IOException | AssertionError e) {
            return List.of("the control plane cannot be asked through " + running.get(0).name() + ": " + e.getMessage());
        }
        return missing.isEmpty() ? List.of() : List.of("JetStream does not know the control plane's buckets yet: "
                + String.join(", ", missing));
    });
}
