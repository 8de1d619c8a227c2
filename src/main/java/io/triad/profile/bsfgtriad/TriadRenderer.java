package io.triad.profile.bsfgtriad;

import io.triad.env.Environment;
import io.triad.env.Environment.HostSpec;
import io.triad.sim.NodeFiles;
import io.triad.sim.SshKeys;
import io.triad.sim.ZoneCa;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders what the runbook's sections 4.1-4.4 place on each node of a BSFG triad: the JetStream
 * configuration, keepalived on the VIP roles, the controller's settings (the simulation's
 * equivalent of the runbook's docker-compose.yml), certificates and keys, SSH keys, time sync,
 * and the enablement of the units that should start on their own.
 */
public final class TriadRenderer {

    /** The reference controller's approved version, checked by runbook item 4.3. */
    public static final String CONTROLLER_IMAGE = "bsfg-controller:reference-1";
    static final String INTERFACE = "eth0";
    static final int VRRP_ROUTER_ID = 51;

    private final Environment env;
    private final Settings settings;
    private final ZoneCa ca;
    private final String authorizedKey;
    private final Map<String, SshKeys.HostKey> hostKeys;
    private final SshKeys.HostKey backupKey = SshKeys.generate("bsfg-backup@zone");

    public TriadRenderer(Environment env, ZoneCa ca, String authorizedKey, Map<String, SshKeys.HostKey> hostKeys) {
        this.env = env;
        this.settings = Settings.of(env);
        this.ca = ca;
        this.authorizedKey = authorizedKey;
        this.hostKeys = hostKeys;
    }

    public Map<String, NodeFiles> render() {
        Map<String, NodeFiles> out = new LinkedHashMap<>();
        for (HostSpec host : env.hosts()) {
            NodeFiles files = new NodeFiles();
            common(host, files);
            if (env.profile().vipRoles().contains(host.role())) {
                keepalived(host, files);
                controller(host, files);
                settings.vipLease().ifPresent(lease -> lease(host, lease, files));
            }
            files.file(MANIFEST, manifest(files), 0644);
            out.put(host.name(), files);
        }
        for (HostSpec host : env.supportHosts()) {
            NodeFiles files = new NodeFiles();
            support(host, files);
            out.put(host.name(), files);
        }
        return out;
    }

    private void common(HostSpec host, NodeFiles files) {
        files.sshAccess(hostKeys.get(host.name()), authorizedKey);

        List<String> ips = new ArrayList<>(List.of(host.address().toString()));
        if (env.profile().vipRoles().contains(host.role())) {
            ips.add(env.vip().address().toString());
        }
        Instant now = Instant.now();
        Instant notAfter = env.simulation().certificateNotAfter().orElse(now.plus(Duration.ofDays(365)));
        Instant notBefore = notAfter.isBefore(now) ? notAfter.minus(Duration.ofDays(365)) : now.minusSeconds(300);
        ZoneCa.Issued cert = ca.issue(host.hostname(), List.of(host.hostname(), host.name()), ips, notBefore, notAfter);
        files.file(settings.paths().certFile("ca.crt"), ca.caPem(), 0644);
        files.file(settings.paths().certFile("node.crt"), cert.certificatePem(), 0644);
        files.file(settings.paths().certFile("node.key"), cert.privateKeyPem(), 0600);

        files.file(settings.paths().jetstreamConfig(), jetstreamConf(host), 0644);
        files.file("/opt/bsfg/zone.env", zoneEnv(host), 0644);
        files.file("/etc/chrony/chrony.conf", chronyConf(host), 0644);
        files.file("/etc/hostname", host.hostname() + "\n", 0644);
        files.file("/etc/nftables.conf", nftablesConf(host), 0755);
        files.link("/etc/systemd/system/sysinit.target.wants/nftables.service", "/lib/systemd/system/nftables.service");
        files.file("/opt/bsfg/monitoring.env", """
                # Thresholds of the zone's monitoring checks (runbook 8.5, 8.6), and where they raise their
                # alerts: the zone's alert endpoint, an Alertmanager (its API v2)
                CERT_DIR=%s
                CERT_EXPIRY_WARN_DAYS=%d
                ALERT_ENDPOINT=%s
                ALERT_INSTANCE=%s
                ALERT_ZONE=%s
                """.formatted(settings.paths().certDir().replaceAll("/+$", ""), env.thresholds().certificateHorizon().toDays(),
                java.util.Objects.toString(settings.alertEndpoint(), ""), host.name(), env.zone()), 0644);
        files.file(settings.backup().restoreDoc(), restoreDoc(), 0644);
        logForwarding(files);
        if (host.role().equals(settings.backup().role())) {
            backupJob(files);
        }
    }

    /** Where the manifest of rendered configs and secrets is written on each node (runbook 1.7). */
    public static final String MANIFEST = "/opt/bsfg/MANIFEST.sha256";

    /** The account backups are written as on the backup target. */
    static final String BACKUP_USER = "bsfg-backup";

    /** The rendered files under /opt/bsfg with their SHA-256, as sha256sum writes them. */
    static String manifest(NodeFiles files) {
        StringBuilder out = new StringBuilder();
        for (NodeFiles.Entry e : files.entries().values()) {
            if (!e.isLink() && e.path().startsWith("/opt/bsfg/") && !e.path().equals(MANIFEST)) {
                out.append(sha256(e.content())).append("  ").append(e.path()).append('\n');
            }
        }
        return out.toString();
    }

    private static String sha256(byte[] content) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The host firewall of the Triad-HA pattern: SSH from anywhere, JetStream client, route and
     * monitoring ports between the nodes only, VRRP from the peer, the controller port on the VIP
     * nodes, NTP from the zone to its time source; everything else dropped.
     */
    String nftablesConf(HostSpec host) {
        String nodes = env.hosts().stream().map(h -> h.address().toString()).collect(Collectors.joining(", "));
        StringBuilder rules = new StringBuilder();
        rules.append("    tcp dport 22 accept comment \"operator access\"\n");
        rules.append("    ip saddr { ").append(nodes).append(" } tcp dport { ").append(settings.ports().natsClient()).append(", ")
                .append(settings.ports().natsCluster()).append(", ").append(settings.ports().natsMonitor())
                .append(" } accept comment \"JetStream client, routes, monitoring between the nodes\"\n");
        if (env.profile().vipRoles().contains(host.role())) {
            String peers = env.vipHosts().stream().filter(h -> !h.equals(host)).map(h -> h.address().toString())
                    .collect(Collectors.joining(", "));
            rules.append("    ip saddr { ").append(peers).append(" } ip protocol 112 accept comment \"VRRP adverts from the peer\"\n");
            rules.append("    tcp dport ").append(settings.ports().controller()).append(" accept comment \"controller through the VIP\"\n");
        }
        if (host.equals(timeSource())) {
            rules.append("    ip saddr ").append(env.simulation().subnet()).append(" udp dport 123 accept comment \"NTP for the zone\"\n");
        }
        return """
                #!/usr/sbin/nft -f
                # Host firewall of %s in zone %s (Triad-HA pattern), rendered by triad-acceptance
                flush ruleset
                table inet bsfg {
                  chain input {
                    type filter hook input priority 0; policy drop;
                    ct state established,related accept
                    ct state invalid drop
                    iif lo accept
                    ip protocol icmp accept
                %s  }
                }
                """.formatted(host.name(), env.zone(), rules);
    }

    private void logForwarding(NodeFiles files) {
        String target = env.acceptance().logging().target();
        if (target.isEmpty()) {
            return;
        }
        int colon = target.lastIndexOf(':');
        // rsyslog reads the journal itself rather than journald's forward to the syslog socket: that
        // forward is best effort, and at boot (many lines, rsyslog not yet reading) it drops lines
        // ("Forwarding to syslog missed N messages"), keepalived's first VRRP transition among them.
        files.file("/etc/systemd/journald.conf.d/50-no-syslog-forward.conf", """
                # rsyslog reads the journal (imjournal): no second, lossy copy over the syslog socket
                [Journal]
                ForwardToSyslog=no
                """, 0644);
        files.file("/etc/rsyslog.d/05-journal.conf", """
                # Every journal line, from the start of the boot, with its position kept across restarts
                module(load="imjournal" StateFile="imjournal.state" IgnorePreviousMessages="off" Ratelimit.Interval="0")
                """, 0644);
        files.file("/etc/rsyslog.d/60-forward.conf", """
                # Ship every log line to the zone's aggregation target over TCP (runbook 3.6),
                # queued on disk while the target is unreachable.
                *.* action(type="omfwd" target="%s" port="%s" protocol="tcp"
                           queue.type="LinkedList" queue.filename="forward" queue.saveOnShutdown="on"
                           action.resumeRetryCount="-1" action.resumeInterval="1")
                """.formatted(target.substring(0, colon), target.substring(colon + 1)), 0644);
    }

    private String restoreDoc() {
        Settings.Backup b = settings.backup();
        return """
                # Restore procedure of zone %1$s

                Backups: JetStream stream snapshots taken by %2$s on the %3$s node,
                scheduled in %4$s, copied to %5$s<UTC time>/.

                1. Escalate: page the platform on-call lead before touching a production zone.
                2. List the backups: `rclone lsf --dirs-only %5$s`
                3. Fetch one: `rclone copy %5$s<time>/ /var/tmp/restore/`
                4. Restore each stream: `nats stream restore /var/tmp/restore/<STREAM>`
                   (on a rebuilt cluster; `--replicas` overrides the replica count)
                5. Verify: `nats stream info <STREAM>`: messages and last sequence as in BACKUP_INFO.
                """.formatted(env.zone(), b.script(), b.role(), b.schedule(), b.remote());
    }

    private void backupJob(NodeFiles files) {
        Settings.Backup backup = settings.backup();
        files.file(backup.schedule(), """
                # JetStream snapshot backup of zone %s (runbook 7.1, 7.3): daily at 02:17 UTC
                SHELL=/bin/sh
                PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
                17 2 * * * %s %s
                """.formatted(env.zone(), backup.user(), backup.script()), 0644);
        files.file("/opt/bsfg/backup.env", """
                NATS_URL=nats://127.0.0.1:%d
                BACKUP_REMOTE=%s
                BACKUP_MAX_AGE_SECONDS=${BACKUP_MAX_AGE_SECONDS:-%d}
                """.formatted(settings.ports().natsClient(), backup.remote(), env.thresholds().backupFreshness().toSeconds()), 0644);
        if (env.supportHosts().isEmpty()) {
            return;
        }
        HostSpec target = env.supportHosts().get(0);
        files.file("/opt/bsfg/backup/id_ecdsa", backupKey.privateKeyOpenSsh(), 0600);
        files.file("/opt/bsfg/backup/known_hosts", target.address() + " " + hostKeys.get(target.name()).publicKeyLine() + "\n", 0644);
        files.file("/root/.config/rclone/rclone.conf", """
                # The zone's remote backup target (runbook 7.2): SFTP on %s
                [remote]
                type = sftp
                host = %s
                user = %s
                key_file = /opt/bsfg/backup/id_ecdsa
                known_hosts_file = /opt/bsfg/backup/known_hosts
                shell_type = none
                md5sum_command = none
                sha1sum_command = none
                """.formatted(target.name(), target.address(), BACKUP_USER), 0600);
    }

    /** A support host: SSH for the harness, the log aggregation target, the SFTP backup target. */
    private void support(HostSpec host, NodeFiles files) {
        files.sshAccess(hostKeys.get(host.name()), authorizedKey);
        files.file("/etc/hostname", host.hostname() + "\n", 0644);
        files.file("/etc/rsyslog.d/10-aggregate.conf", """
                # Log aggregation target of zone %s: lines received over TCP, one file per sending host
                module(load="imtcp")
                template(name="PerHost" type="string" string="/var/log/remote/%%HOSTNAME%%.log")
                ruleset(name="remote") { action(type="omfile" dynaFile="PerHost") }
                input(type="imtcp" port="514" ruleset="remote")
                """.formatted(env.zone()), 0644);
        files.file("/etc/ssh/sshd_config.d/backup.conf", """
                # The backup account may only use SFTP
                Match User %s
                  ForceCommand internal-sftp
                  AllowTcpForwarding no
                  X11Forwarding no
                """.formatted(BACKUP_USER), 0644);
        files.file("/srv/backup/.ssh/authorized_keys", "restrict " + backupKey.publicKeyLine() + "\n", 0644);
        alertmanager(host, files);
        String remote = settings.backup().remote();
        String dir = remote.substring(remote.indexOf(':') + 1).replaceAll("/+$", "");
        if (!dir.isEmpty()) {
            files.file("/etc/tmpfiles.d/bsfg-backup.conf", "# The zone's retention location on the backup target\n"
                    + "d /srv/backup/" + dir + " 0750 " + BACKUP_USER + " " + BACKUP_USER + " -\n", 0644);
        }
    }

    /**
     * The zone's alert endpoint (runbook 8.5, 9.4, 9.7), on the support host it names: a real
     * Alertmanager (Debian's prometheus-alertmanager), alone (no gossip cluster), critical alerts
     * routed to the "page" receiver, the others to "ticket". The monitoring checks on the nodes
     * raise and resolve their alerts through its API.
     */
    private void alertmanager(HostSpec host, NodeFiles files) {
        String endpoint = settings.alertEndpoint();
        int colon = endpoint == null ? -1 : endpoint.lastIndexOf(':');
        if (colon <= 0) {
            return;
        }
        String at = endpoint.substring(0, colon);
        if (!at.equals(host.address().toString()) && !at.equals(host.hostname()) && !at.equals(host.name())) {
            return;
        }
        files.file("/etc/prometheus/alertmanager.yml", """
                # The alert endpoint of zone %s, rendered by triad-acceptance
                route:
                  receiver: ticket
                  group_by: [alertname, instance]
                  group_wait: 1s
                  routes:
                    - matchers: ['severity="critical"']
                      receiver: page
                receivers:
                  - name: page
                  - name: ticket
                """.formatted(env.zone()), 0644);
        files.file("/etc/default/prometheus-alertmanager",
                "ARGS=\"--web.listen-address=" + host.address() + ":" + endpoint.substring(colon + 1) + " --cluster.listen-address=\"\n", 0644);
        files.link("/etc/systemd/system/multi-user.target.wants/prometheus-alertmanager.service",
                "/lib/systemd/system/prometheus-alertmanager.service");
    }

    String jetstreamConf(HostSpec host) {
        String routes = env.hosts().stream()
                .map(h -> "    nats-route://" + h.address() + ":" + settings.ports().natsCluster())
                .collect(Collectors.joining("\n"));
        return """
                # JetStream configuration of zone %s, node %s (role %s), rendered by triad-acceptance
                server_name: %s
                listen: 0.0.0.0:%d
                http: 0.0.0.0:%d
                # a stop begins in lame-duck mode (the unit sends SIGUSR2): Raft leaders are handed over first
                lame_duck_grace_period: 1s
                lame_duck_duration: 30s

                jetstream {
                  store_dir: "%s"
                  max_memory_store: 64MB
                  max_file_store: 1GB
                }

                cluster {
                  name: "%s"
                  listen: 0.0.0.0:%d
                  routes: [
                %s
                  ]
                }
                """.formatted(env.zone(), host.name(), host.role(), host.hostname(), settings.ports().natsClient(),
                settings.ports().natsMonitor(), settings.paths().jetstreamData(), env.zone(), settings.ports().natsCluster(), routes);
    }

    String keepalivedConf(HostSpec host) {
        HostSpec first = env.vipHosts().get(0);
        int priority = host.equals(first) ? 150 : 100;
        String peers = env.vipHosts().stream().filter(h -> !h.equals(host))
                .map(h -> "    " + h.address()).collect(Collectors.joining("\n"));
        return """
                # keepalived of zone %s on %s (role %s), rendered by triad-acceptance
                global_defs {
                  router_id %s
                  script_user root
                  enable_script_security
                }

                vrrp_script chk_jetstream {
                  script "/opt/bsfg/bin/check-jetstream"
                  interval 1
                  timeout 2
                  fall 2
                  rise 2
                }

                vrrp_instance BSFG_%s {
                  state BACKUP
                  interface %s
                  virtual_router_id %d
                  priority %d
                  advert_int 1
                  unicast_src_ip %s
                  unicast_peer {
                %s
                  }
                %s  track_script {
                    chk_jetstream
                  }
                  notify "/opt/bsfg/bin/bsfg-notify"
                }
                """.formatted(env.zone(), host.name(), host.role(), host.hostname(), env.zone().toUpperCase().replace('-', '_'),
                INTERFACE, VRRP_ROUTER_ID, priority, host.address(), peers, virtualAddresses());
    }

    /** keepalived's VIP block; none where the lease agent gives the VIP to the lease holder only. */
    private String virtualAddresses() {
        if (settings.vipLease().isPresent()) {
            return "  # no virtual_ipaddress: keepalived only elects; bsfg-lease adds the VIP under the zone's\n"
                    + "  # lease (/opt/bsfg/lease.env), so two MASTERs never both hold it\n";
        }
        return "  virtual_ipaddress {\n    " + env.vip() + " dev " + INTERFACE + "\n  }\n";
    }

    private void lease(HostSpec host, Settings.VipLease lease, NodeFiles files) {
        files.file(Settings.VipLease.AGENT_SETTINGS, """
                # Lease agent of %s (bsfg-lease.service): the VIP and the controller only under the zone's lease,
                # a key in a JetStream KV bucket replicated on all three nodes (granted through Gamma's vote).
                NODE_NAME=%s
                VIP=%s
                INTERFACE=%s
                NATS_URL=nats://127.0.0.1:%d
                LEASE_BUCKET=%s
                LEASE_KEY=%s
                LEASE_TTL_MS=%d
                LEASE_RENEW_MS=%d
                LEASE_REQUEST_TIMEOUT_MS=1000
                REPLICAS=3
                """.formatted(host.name(), host.name(), env.vip(), INTERFACE, settings.ports().natsClient(), lease.bucket(), lease.key(),
                lease.ttl().toMillis(), lease.renew().toMillis()), 0644);
        files.link("/etc/systemd/system/multi-user.target.wants/bsfg-lease.service", "/etc/systemd/system/bsfg-lease.service");
    }

    private void keepalived(HostSpec host, NodeFiles files) {
        // Whatever ends keepalived (stop, crash, kill -9), the controller is stopped and the VIP
        // released after it. The controller line was found by the harness (a controller left
        // running after a graceful stop: systemd can kill the STOP hook before it finishes); the
        // VIP line by the drills (after kill -9 the address stayed on the node, and once the peer
        // took over, two nodes held the VIP until keepalived was restarted).
        // A graceful stop stops the controller first (ExecStop runs before keepalived gets SIGTERM
        // and gives up the VIP): found by the drills, whose 20 Hz samples showed the old
        // controller still active ~0.4 s after the peer had started its own.
        files.file("/etc/systemd/system/keepalived.service.d/bsfg.conf", """
                [Service]
                ExecStop=/bin/systemctl stop bsfg-controller.service
                ExecStopPost=/bin/systemctl stop --no-block bsfg-controller.service
                ExecStopPost=-/sbin/ip addr del %s dev %s
                """.formatted(env.vip(), INTERFACE), 0644);
        files.file(settings.paths().keepalivedConfig(), keepalivedConf(host), 0644);
        files.link("/etc/systemd/system/multi-user.target.wants/keepalived.service", "/lib/systemd/system/keepalived.service");
    }

    private void controller(HostSpec host, NodeFiles files) {
        files.file("/opt/bsfg/controller.env", """
                # Settings of the BSFG controller on %s. In the simulation this file stands in for the
                # runbook's /opt/bsfg/docker-compose.yml: IMAGE is the approved image, BIND_ADDRESS the VIP.
                IMAGE=%s
                NODE_NAME=%s
                BIND_ADDRESS=%s
                PORT=%d
                NATS_URL=nats://127.0.0.1:%d
                CERT_FILE=%s
                KEY_FILE=%s
                CA_FILE=%s
                STREAM=BSFG_WRITES
                REPLICAS=3
                %s""".formatted(host.name(), CONTROLLER_IMAGE, host.name(), env.vip().address(), settings.ports().controller(),
                settings.ports().natsClient(), settings.paths().certFile("node.crt"), settings.paths().certFile("node.key"),
                settings.paths().certFile("ca.crt"), settings.vipLease().isPresent() ? "LEASE_FILE=" + Settings.VipLease.LEASE_FILE + "\n" : ""), 0644);
    }

    private String zoneEnv(HostSpec host) {
        return """
                ZONE_NAME=%s
                NODE_NAME=%s
                NODE_ROLE=%s
                VIP=%s
                """.formatted(env.zone(), host.name(), host.role(), env.vip().address());
    }

    /** The node that serves time to the others in the simulation: the first without a VIP role. */
    private HostSpec timeSource() {
        return env.hosts().stream().filter(h -> !env.profile().vipRoles().contains(h.role()))
                .findFirst().orElse(env.hosts().get(0));
    }

    private String chronyConf(HostSpec host) {
        HostSpec timeSource = timeSource();
        if (host.equals(timeSource)) {
            return """
                    # %s serves time to the zone in the simulation (no NTP upstream on a closed network)
                    local stratum 8
                    allow %s
                    driftfile /var/lib/chrony/chrony.drift
                    """.formatted(host.name(), env.simulation().subnet());
        }
        return """
                server %s iburst minpoll 0 maxpoll 4
                driftfile /var/lib/chrony/chrony.drift
                makestep 1 3
                """.formatted(timeSource.address());
    }
}
