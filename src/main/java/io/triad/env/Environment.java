package io.triad.env;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One zone, as an environment file describes it: its name, its profile (the zone's shape), its
 * hosts with their roles, the VIP when the profile has VIP roles, how to reach the hosts,
 * thresholds, which drills the zone allows, what its checks are held against, and the profile's
 * own settings (a typed record, {@link #settings(Class)}). The simulated triad is just another
 * environment ({@code kind: simulated}). Loaded and validated by {@link EnvironmentLoader}.
 */
public record Environment(
        Path file,
        String zone,
        Profile profile,
        Kind kind,
        List<HostSpec> hosts,
        Ipv4.Cidr vip,
        Ssh ssh,
        Thresholds thresholds,
        Drills drills,
        Map<String, ServiceSpec> services,
        List<Equivalent> equivalents,
        List<HostSpec> supportHosts,
        Acceptance acceptance,
        Simulation simulation,
        Map<String, Path> client,
        Object settings) {

    public enum Kind { SIMULATED, LIVE }

    /**
     * A node of the zone: its role in the profile, the name it answers to, where to reach it, and
     * the storage the inventory says it has (block devices that must be present, the device that
     * must back the JetStream filesystem). Support hosts (a log aggregator, a backup target) have
     * the role {@value #SUPPORT_ROLE}.
     */
    public record HostSpec(String name, String role, String hostname, Ipv4 address, int sshPort,
                           List<String> devices, Optional<String> jetstreamDevice) {
        public static final String SUPPORT_ROLE = "support";

        public HostSpec(String name, String role, String hostname, Ipv4 address, int sshPort) {
            this(name, role, hostname, address, sshPort, List.of(), Optional.empty());
        }

        @Override
        public String toString() {
            return name + " (" + role + ", " + address + ")";
        }
    }

    /** How the harness reaches the nodes. Secrets never appear here: only file paths. */
    /**
     * How the harness logs in. {@code sudo}: the account is not root and runs the commands that
     * need root (faults, heals, the journal, nftables, listening processes, root-only files)
     * through {@code sudo -n}; every other command runs as the account itself.
     */
    public record Ssh(String user, Optional<Path> identityFile, Optional<Path> knownHosts,
                      Duration connectTimeout, Duration commandTimeout, boolean sudo) { }

    public record Thresholds(Duration failoverWindow, Duration certificateHorizon, Duration clockOffset,
                             Duration backupFreshness) { }

    /**
     * What a drill may do to the zone: the faults its owners allow ("all": every fault, except
     * quorum-loss on a live zone, which must be named), and the time-to-live of the dead-man
     * switch armed on a host with every fault (the undo runs on the host by itself then, if the
     * harness has not healed the fault).
     */
    public record Drills(Set<String> allowed, Duration deadMan) { }

    /** A service of the zone: its systemd unit and the roles that run it. */
    public record ServiceSpec(String unit, Set<String> roles) { }

    /** Where the simulation checks a different artifact than the runbook names, and why. */
    public record Equivalent(String runbook, String checked, String reason) { }

    /**
     * What the runbook's checks are held against: records people made (attestations, sign-off),
     * the checks this zone cannot have and why, and the zone's policy (supported OS and package
     * versions, storage, certificates, controller image, log shipping, backup, monitoring).
     */
    public record Acceptance(Map<String, Attestation> attestations, Map<String, Signature> signoff,
                             Map<String, String> notApplicable, Baseline baseline, Logging logging,
                             List<PortRule> firewallAlsoAllowed) { }

    /** A person's decision on record: who, when, the ticket or evidence link, and until when it holds. */
    public record Attestation(String by, java.time.LocalDate at, String reference, java.time.LocalDate expires) {
        /** Why the record does not hold on the given day, or empty when it does. */
        public Optional<String> problem(java.time.LocalDate today) {
            if (at.isAfter(today)) {
                return Optional.of("it is dated " + at + ", in the future");
            }
            if (!expires.isAfter(today)) {
                return Optional.of("it expired on " + expires);
            }
            return Optional.empty();
        }
    }

    /** One line of the runbook's sign-off table. */
    public record Signature(String name, java.time.LocalDate date) { }

    /** The supported OS matrix ("debian 12") and minimum package versions (name to version). */
    public record Baseline(List<String> os, Map<String, String> packages) { }

    /** Log shipping: the agent's unit, the aggregation target, and how to look for a line there. */
    public record Logging(String agentUnit, String target, String verifyHost, String verifyCommand) { }

    /**
     * One row of a firewall's port matrix: what a node of the given roles accepts ({@code tcp},
     * {@code udp} or {@code vrrp}; a port number, or the name of one of the environment's
     * {@code ports}, blank for VRRP), from where ({@code any}, {@code nodes}: the zone's hosts,
     * {@code vip-peers}: the other VIP nodes, or an IPv4 address or CIDR), and why. The profile
     * gives its pattern's rows; an environment adds its site's under {@code firewall.also_allowed}.
     */
    public record PortRule(String protocol, String port, String from, Set<String> on, String why) {
        public static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "vrrp");
        public static final Set<String> SOURCES = Set.of("any", "nodes", "vip-peers");
    }

    /**
     * Settings of the simulated triad: its private network, per-node overlays, volumes left
     * unmounted, and the nodes' certificates' end of validity when a variant needs it otherwise
     * than a year from the start (an expired certificate is one way to break a zone).
     */
    /**
     * {@code settleDeadline}: how long the harness waits for the simulated zone to settle after its
     * start and after a heal (the default, 60 s, when absent); a mutant whose zone cannot settle
     * states a short one in its catalog instead of waiting the whole minute.
     */
    public record Simulation(Ipv4.Cidr subnet, Map<String, Path> overlays, Optional<String> image,
                             Set<String> unmounted, Optional<java.time.Instant> certificateNotAfter,
                             Optional<Duration> settleDeadline, Optional<Provision> provision, BenchAims benchAims) { }

    /**
     * What the benchmark holds a simulated zone to ({@code simulation.bench_aims}): from its
     * containers' start to settled, warm ({@code zone_up}), and its whole run, drills included
     * ({@code whole_run}), on 2 cores; and the evidence figures of its run the bench reports
     * beside them ({@code figures}: figure names, their value a duration in ms). Aims, not tests:
     * they never fail a run.
     */
    public record BenchAims(Duration zoneUp, Duration wholeRun, List<String> figures) {
        public static final BenchAims DEFAULT = new BenchAims(Duration.ofSeconds(20), Duration.ofMinutes(3), List.of());

        public BenchAims {
            figures = List.copyOf(figures);
        }
    }

    /**
     * The simulated zone converged by the user's own provisioning (a CI gate of an infrastructure
     * change): an Ansible playbook ({@code playbook}, run by the harness's own Ansible, or {@code ansible_playbook}) or any
     * command ({@code command}, run by {@code bash -c} with the inventory's path in
     * {@code TRIAD_INVENTORY}), given an inventory of the simulated nodes the harness writes. On
     * {@code bare} nodes (the default) the profile's reference configuration is not laid, only the
     * zone's identity material (SSH access, hostnames, certificates, keys); otherwise provisioning
     * runs on top of it. Runs twice: the second run must change nothing.
     */
    /**
     * {@code idempotence}: whether the provisioning runs a second time, which must change nothing (the
     * default; off only where that is proven elsewhere, as for a mutant's broken playbook whose good
     * original BarePlaybookZoneTest runs twice).
     */
    /**
     * {@code second_run}: what runs the second time, when it is not the first's (a deploy that is one-shot by design,
     * refusing an initialised cluster, beside its repeatable configuration playbook); empty: the first again.
     */
    /** {@code ansible_playbook}: the user's own ansible-playbook for a playbook; empty: the harness's (Provisioning.ANSIBLE). */
    public record Provision(Optional<Path> playbook, Optional<String> command, boolean bare, Duration timeout, boolean idempotence,
                            Optional<Provision> secondRun, Optional<Path> ansiblePlaybook) {
        /** What runs, as a person reads it. */
        public String describe() {
            return playbook.map(p -> "the playbook " + p).orElseGet(() -> "the command '" + command.orElse("") + "'");
        }

        /** What the second run runs: {@code second_run}'s, or the first's. */
        public Provision second() {
            return secondRun.orElse(this);
        }

        /** Whether the provisioning was proven repeatable, and how, as the acceptance document says it. */
        public String repeatability() {
            if (!idempotence) {
                return "not proven: declared one-shot (simulation.provision.idempotence: false), no second run";
            }
            return "a second run, of " + second().describe() + (secondRun.isPresent() ? " (the environment's second_run)" : "")
                    + ", must change nothing on the nodes, or the run stops before any scenario";
        }
    }

    /** The same simulated environment with other overlays: the way to run a variant (a mutant) without changing code. */
    public Environment withOverlays(Map<String, Path> overlays) {
        if (!simulated()) {
            throw new IllegalStateException(file + " is not simulated: overlays apply to the simulated triad only");
        }
        return new Environment(file, zone, profile, kind, hosts, vip, ssh,
                thresholds, drills, services, equivalents, supportHosts, acceptance,
                new Simulation(simulation.subnet(), Map.copyOf(overlays), simulation.image(), simulation.unmounted(),
                        simulation.certificateNotAfter(), simulation.settleDeadline(), simulation.provision(), simulation.benchAims()), client,
                settings);
    }

    /** Why a check needing this capability does not apply to the zone, or empty when it does. */
    public Optional<String> notApplicable(String capability) {
        return Optional.ofNullable(acceptance.notApplicable().get(capability));
    }

    /** The support host that serves the given purpose, by name. */
    public HostSpec supportHost(String name) {
        return supportHosts.stream().filter(h -> h.name().equals(name)).findFirst()
                .orElseThrow(() -> new InputError(file + ": no support host named '" + name + "'"));
    }

    /**
     * The profile's own settings, as the typed record its profile reads them into; an
     * IllegalStateException naming the profile when it has none of that type.
     */
    public <T> T settings(Class<T> type) {
        if (!type.isInstance(settings)) {
            throw new IllegalStateException("profile " + profile.name() + " has no settings of type " + type.getSimpleName());
        }
        return type.cast(settings);
    }

    /** Whether the zone has a VIP (a profile without one leaves {@code vip} null). */
    public boolean hasVip() {
        return vip != null;
    }

    public boolean simulated() {
        return kind == Kind.SIMULATED;
    }

    public HostSpec host(String name) {
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst()
                .orElseThrow(() -> new InputError(file + ": no host named '" + name + "'"));
    }

    public List<HostSpec> hostsWithRole(String role) {
        return hosts.stream().filter(h -> h.role().equals(role)).toList();
    }

    /** The hosts that carry the service and may hold the VIP (Alpha and Beta in the BSFG triad). */
    public List<HostSpec> vipHosts() {
        return hosts.stream().filter(h -> profile.vipRoles().contains(h.role())).toList();
    }

    public ServiceSpec service(String name) {
        ServiceSpec spec = services.get(name);
        if (spec == null) {
            throw new InputError(file + ": no service named '" + name + "' (services: " + services.keySet() + ")");
        }
        return spec;
    }

    public List<HostSpec> hostsRunning(String service) {
        Set<String> roles = service(service).roles();
        return hosts.stream().filter(h -> roles.contains(h.role())).toList();
    }
}
