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
                       Optional<VipLease> vipLease, Storage storage, Certificates certificates, Controller controller,
                       Backup backup, Monitoring monitoring) implements NamedPorts {

    /** The fields this profile owns at the top of an environment file. */
    static final java.util.Set<String> FIELDS = java.util.Set.of("vip_lease", "peer_endpoints", "paths", "ports", "alert_endpoint",
            "storage", "certificates", "controller", "backup", "monitoring");

    /** Filesystem types and mount options the JetStream filesystem must have (runbook 3.x). */
    public record Storage(List<String> jetstreamFstypes, List<String> jetstreamOptions) { }

    /** The zone's certificate files (in the cert directory), the private key and who may read it. */
    public record Certificates(String certificate, String ca, String key, String keyOwner) { }

    /** The controller images approved for the zone. */
    public record Controller(List<String> approvedImages) { }

    /** The snapshot backup: the role that runs it, its script, schedule file and user, the remote, the restore procedure. */
    public record Backup(String role, String script, String schedule, String user, String remote, String restoreDoc) { }

    /** The zone's monitoring checks: certificate expiry, backup freshness, the VRRP role signal. */
    public record Monitoring(String certExpiryCheck, String backupFreshnessCheck, String roleSignal) { }

    /** The triad's roles, the profile's ({@link Shape}); the backup's default role is Gamma's, the runbook's backup node. */
    static final List<String> ROLES = List.of("alpha", "beta", "gamma");

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
        /** The lease agent's record of the lease it holds (holder, revision, valid_until_monotonic_ns); the controller serves only under it. */
        public static final String LEASE_FILE = "/run/bsfg/lease";
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
        Optional<VipLease> lease = vipLease(top);

        Fields st = top.object("storage");
        Storage storage = new Storage(
                st.optional("jetstream_fstypes").isMissingNode() ? List.of("ext4", "xfs") : List.copyOf(st.stringSet("jetstream_fstypes")),
                st.optional("jetstream_options").isMissingNode() ? List.of("rw") : List.copyOf(st.stringSet("jetstream_options")));
        st.done();

        Fields c = top.object("certificates");
        Certificates certs = new Certificates(
                c.text("certificate").orElse("node.crt"), c.text("ca").orElse("ca.crt"),
                c.text("key").orElse("node.key"), c.text("key_owner").orElse("bsfg"));
        c.done();

        Fields ct = top.object("controller");
        Controller controller = new Controller(List.copyOf(ct.stringSet("approved_images")));
        ct.done();

        Fields bk = top.object("backup");
        // the runbook's default: Gamma runs the snapshot backup
        String role = bk.text("role").orElse(ROLES.get(ROLES.size() - 1));
        if (!ROLES.contains(role)) {
            throw bk.error("role", "unknown role '" + role + "' (the triad's roles: " + String.join(", ", ROLES) + ")");
        }
        Backup backup = new Backup(role,
                bk.absolutePath("script", "/opt/bsfg/bin/bsfg-backup"),
                bk.absolutePath("schedule", "/etc/cron.d/bsfg-backup"),
                bk.text("user").orElse("root"),
                bk.text("remote").orElse(""),
                bk.absolutePath("restore_doc", "/opt/bsfg/ops/RESTORE.md"));
        bk.done();

        Fields m = top.object("monitoring");
        Monitoring monitoring = new Monitoring(
                m.absolutePath("cert_expiry_check", "/opt/bsfg/bin/check-cert-expiry"),
                m.absolutePath("backup_freshness_check", "/opt/bsfg/bin/check-backup-freshness"),
                m.absolutePath("role_signal", "/run/bsfg/vrrp-state"));
        m.done();
        return new Settings(List.copyOf(peers), paths, ports, alert, lease, storage, certs, controller, backup, monitoring);
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
