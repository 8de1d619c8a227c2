package io.triad.env;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One zone, as an environment file describes it: the runbook's section 2 inputs (zone name,
 * hosts with roles, VIP, peer endpoints, paths, alert endpoint) plus how to reach the hosts,
 * ports, thresholds and which drills the zone allows. The simulated triad is just another
 * environment ({@code kind: simulated}). Loaded and validated by {@link EnvironmentLoader}.
 */
public record Environment(
        Path file,
        String zone,
        Profile profile,
        Kind kind,
        List<HostSpec> hosts,
        Ipv4.Cidr vip,
        List<String> peerEndpoints,
        Paths paths,
        String alertEndpoint,
        Ssh ssh,
        Ports ports,
        Thresholds thresholds,
        Drills drills,
        Map<String, ServiceSpec> services,
        List<Equivalent> equivalents,
        Simulation simulation) {

    public enum Kind { SIMULATED, LIVE }

    /** A node of the zone: its role in the profile, the name it answers to, and where to reach it. */
    public record HostSpec(String name, String role, String hostname, Ipv4 address, int sshPort) {
        @Override
        public String toString() {
            return name + " (" + role + ", " + address + ")";
        }
    }

    /** The runbook's paths on the nodes. */
    public record Paths(String certDir, String jetstreamConfig, String artifactMount, String jetstreamData,
                        String controllerManifest, String keepalivedConfig) { }

    /** How the harness reaches the nodes. Secrets never appear here: only file paths. */
    public record Ssh(String user, Optional<Path> identityFile, Optional<Path> knownHosts,
                      Duration connectTimeout, Duration commandTimeout) { }

    public record Ports(int controller, int natsClient, int natsCluster, int natsMonitor) { }

    public record Thresholds(Duration failoverWindow, Duration certificateHorizon, Duration clockOffset,
                             Duration backupFreshness) { }

    public record Drills(Set<String> allowed) { }

    /** A service of the zone: its systemd unit and the roles that run it. */
    public record ServiceSpec(String unit, Set<String> roles) { }

    /** Where the simulation checks a different artifact than the runbook names, and why. */
    public record Equivalent(String runbook, String checked, String reason) { }

    /** Settings of the simulated triad: its private network and per-node overlays. */
    public record Simulation(Ipv4.Cidr subnet, Map<String, Path> overlays, Optional<String> image) { }

    /** The same simulated environment with other overlays: the way to run a variant (a mutant) without changing code. */
    public Environment withOverlays(Map<String, Path> overlays) {
        if (!simulated()) {
            throw new IllegalStateException(file + " is not simulated: overlays apply to the simulated triad only");
        }
        return new Environment(file, zone, profile, kind, hosts, vip, peerEndpoints, paths, alertEndpoint, ssh, ports,
                thresholds, drills, services, equivalents, new Simulation(simulation.subnet(), Map.copyOf(overlays), simulation.image()));
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
