package io.triad.profile.bsfgtriad;

import io.triad.host.Host;
import io.triad.zone.SteadyPart;
import io.triad.zone.SteadyState;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The BSFG triad's steady state, besides every host answering: one VIP holder, health through
 * the VIP, JetStream settled (the profile's list, in {@link Shape}).
 */
public final class Steady {

    private Steady() { }

    /** Exactly one node holds the VIP. */
    public static final SteadyPart VIP_HOLDER = new SteadyPart("vip-holder", false, zone -> {
        List<Host> holders = new Probes(zone).vipHolders();
        return holders.size() == 1 ? List.of() : List.of("the VIP is held by " + (holders.isEmpty() ? "no node"
                : holders.stream().map(Host::name).collect(Collectors.joining(" and "))) + ", not by exactly one");
    });

    /** The service answers healthy through the VIP (its health endpoint, seen from the harness). */
    public static final SteadyPart HEALTH_THROUGH_VIP = new SteadyPart("health-through-vip", false, zone -> {
        Probes.HealthAnswer health = new Probes(zone).healthThroughVip(Duration.ofSeconds(3));
        return health.ok() ? List.of() : List.of("health through the VIP answered " + health);
    });

    /** JetStream settled on every node that runs it ({@link io.triad.tech.nats.JetStreamSettled}). */
    public static final SteadyPart JETSTREAM_SETTLED = io.triad.tech.nats.JetStreamSettled.on("jetstream", zone -> Settings.of(zone.env()).ports().natsMonitor());

    /** The parts the steady Givens check themselves, as the step wants them (which node holds the VIP). */
    public static final Set<String> CHECKED_BY_THE_STEPS = Set.of(VIP_HOLDER.name(), HEALTH_THROUGH_VIP.name());
}
