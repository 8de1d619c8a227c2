package io.triad.profile.bsfgtriad;

import com.fasterxml.jackson.databind.JsonNode;
import io.triad.env.Environment;
import io.triad.env.Fields;
import io.triad.env.NamedPorts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The BSFG triad's own fields of an environment file, at its top level as the runbook's section 2
 * names them: the peer endpoints, the pattern's paths and ports, the alert endpoint, and the VIP
 * lease when the zone gives the VIP only to the holder of a lease in JetStream KV. (The VIP itself
 * is the core's: any zone whose profile has VIP roles has one.)
 */
public record Settings(List<String> peerEndpoints, Paths paths, Ports ports, String alertEndpoint,
                       Optional<VipLease> vipLease) implements NamedPorts {

    /** The fields this profile owns at the top of an environment file. */
    static final java.util.Set<String> FIELDS = java.util.Set.of("vip_lease", "peer_endpoints", "paths", "ports", "alert_endpoint");

    /** The runbook's paths on the nodes. */
    public record Paths(String certDir, String jetstreamConfig, String artifactMount, String jetstreamData,
                        String controllerManifest, String keepalivedConfig, String healthGate) {
        /** A file in the certificate directory, e.g. certFile("node.key"). */
        public String certFile(String name) {
            return (certDir.endsWith("/") ? certDir : certDir + "/") + name;
        }
    }

    /** The pattern's ports: the controller's, and JetStream's client, route and monitoring ports. */
    public record Ports(int controller, int natsClient, int natsCluster, int natsMonitor) { }

    /**
     * The zone gives the VIP and the controller only to the holder of a lease in JetStream KV (the
     * bucket and key below, with this time-to-live): keepalived only proposes the node it
     * elects, and a lease agent on each VIP node holds, renews and releases the lease. Absent, the
     * zone is the runbook's plain keepalived pattern.
     */
    public record VipLease(String bucket, String key, Duration ttl, Duration renew) {
        /** Where the lease agent's settings are on each VIP node (NODE_NAME, VIP, LEASE_BUCKET, ...). */
        public static final String AGENT_SETTINGS = "/opt/bsfg/lease.env";
        /** The lease agent's systemd unit on each VIP node. */
        public static final String AGENT_UNIT = "bsfg-lease.service";
    }

    /** The BSFG settings of an environment of this profile. */
    public static Settings of(Environment env) {
        return env.settings(Settings.class);
    }

    @Override
    public Map<String, Integer> namedPorts() {
        Map<String, Integer> named = new LinkedHashMap<>();
        named.put("controller", ports.controller());
        named.put("nats_client", ports.natsClient());
        named.put("nats_cluster", ports.natsCluster());
        named.put("nats_monitor", ports.natsMonitor());
        return named;
    }

    /** Reads the profile's fields from the top of an environment file (each with the runbook's default). */
    public static Settings read(Fields top) {
        List<String> peers = new ArrayList<>();
        JsonNode peerNode = top.optional("peer_endpoints");
        if (!peerNode.isMissingNode() && !peerNode.isNull()) {
            if (!peerNode.isArray()) {
                throw top.error("peer_endpoints", "must be a list of host:port");
            }
            for (int i = 0; i < peerNode.size(); i++) {
                String peer = peerNode.get(i).asText();
                if (!peer.matches("[^\\s:]+:\\d{1,5}")) {
                    throw top.error("peer_endpoints[" + i + "]", "'" + peer + "' is not host:port");
                }
                peers.add(peer);
            }
        }
        Fields p = top.object("paths");
        Paths paths = new Paths(
                p.absolutePath("cert_dir", "/opt/bsfg/certs/"),
                p.absolutePath("jetstream_config", "/opt/bsfg/jetstream.conf"),
                p.absolutePath("artifact_mount", "/artifacts"),
                p.absolutePath("jetstream_data", "/data/jetstream"),
                p.absolutePath("controller_manifest", "/opt/bsfg/docker-compose.yml"),
                p.absolutePath("keepalived_config", "/etc/keepalived/keepalived.conf"),
                // the promotion flow's health gate: a program that exits 0 only when the node may start its controller
                p.absolutePath("health_gate", "/opt/bsfg/bin/health-gate"));
        p.done();
        Fields o = top.object("ports");
        Ports ports = new Ports(
                o.integer("controller", 9443, 1, 65535),
                o.integer("nats_client", 4222, 1, 65535),
                o.integer("nats_cluster", 6222, 1, 65535),
                o.integer("nats_monitor", 8222, 1, 65535));
        o.done();
        String alert = top.text("alert_endpoint").orElse("");
        return new Settings(List.copyOf(peers), paths, ports, alert, vipLease(top));
    }

    private static Optional<VipLease> vipLease(Fields top) {
        JsonNode node = top.optional("vip_lease");
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        Fields l = top.object("vip_lease");
        String bucket = l.text("bucket").orElse("bsfg_lease");
        if (!bucket.matches("[A-Za-z0-9_-]+")) {
            throw l.error("bucket", "'" + bucket + "' is not a JetStream KV bucket name (letters, digits, - and _)");
        }
        String key = l.text("key").orElse("active");
        if (!key.matches("[A-Za-z0-9_=.-]+")) {
            throw l.error("key", "'" + key + "' is not a KV key");
        }
        Duration ttl = l.duration("ttl", "4s");
        Duration renew = l.duration("renew", "500ms");
        if (ttl.compareTo(Duration.ofSeconds(4)) < 0) {
            throw l.error("ttl", ttl.toMillis() + " ms is too short: the holder gives the lease up 2 s"
                    + " before its TTL (a renewal may wait 1 s), and the kernel's VIP lifetime is in whole seconds (at least 4s)");
        }
        if (renew.multipliedBy(2).compareTo(ttl.minusMillis(2000)) > 0) {
            throw l.error("renew", "renewing every " + renew.toMillis() + " ms leaves less than two renewals"
                    + " within the lease's validity (ttl - 2 s)");
        }
        l.done();
        return Optional.of(new VipLease(bucket, key, ttl, renew));
    }
}
