package io.triad.sim;

import io.triad.env.Environment;
import io.triad.env.Environment.HostSpec;

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
    private final ZoneCa ca;
    private final String authorizedKey;
    private final Map<String, SshKeys.HostKey> hostKeys;

    public TriadRenderer(Environment env, ZoneCa ca, String authorizedKey, Map<String, SshKeys.HostKey> hostKeys) {
        this.env = env;
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
            }
            out.put(host.name(), files);
        }
        return out;
    }

    private void common(HostSpec host, NodeFiles files) {
        SshKeys.HostKey key = hostKeys.get(host.name());
        files.file("/etc/ssh/ssh_host_ecdsa_key", key.privateKeyOpenSsh(), 0600);
        files.file("/etc/ssh/ssh_host_ecdsa_key.pub", key.publicKeyLine() + "\n", 0644);
        files.file("/root/.ssh/authorized_keys", authorizedKey + "\n", 0600);

        String certDir = env.paths().certDir().endsWith("/") ? env.paths().certDir() : env.paths().certDir() + "/";
        List<String> ips = new ArrayList<>(List.of(host.address().toString()));
        if (env.profile().vipRoles().contains(host.role())) {
            ips.add(env.vip().address().toString());
        }
        Instant now = Instant.now();
        ZoneCa.Issued cert = ca.issue(host.hostname(), List.of(host.hostname(), host.name()), ips,
                now.minusSeconds(300), now.plus(Duration.ofDays(365)));
        files.file(certDir + "ca.crt", ca.caPem(), 0644);
        files.file(certDir + "node.crt", cert.certificatePem(), 0644);
        files.file(certDir + "node.key", cert.privateKeyPem(), 0600);

        files.file(env.paths().jetstreamConfig(), jetstreamConf(host), 0644);
        files.file("/opt/bsfg/zone.env", zoneEnv(host), 0644);
        files.file("/etc/chrony/chrony.conf", chronyConf(host), 0644);
        files.file("/etc/hostname", host.hostname() + "\n", 0644);
    }

    String jetstreamConf(HostSpec host) {
        String routes = env.hosts().stream()
                .map(h -> "    nats-route://" + h.address() + ":" + env.ports().natsCluster())
                .collect(Collectors.joining("\n"));
        return """
                # JetStream configuration of zone %s, node %s (role %s), rendered by triad-acceptance
                server_name: %s
                listen: 0.0.0.0:%d
                http: 0.0.0.0:%d

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
                """.formatted(env.zone(), host.name(), host.role(), host.hostname(), env.ports().natsClient(),
                env.ports().natsMonitor(), env.paths().jetstreamData(), env.zone(), env.ports().natsCluster(), routes);
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
                  virtual_ipaddress {
                    %s dev %s
                  }
                  track_script {
                    chk_jetstream
                  }
                  notify "/opt/bsfg/bin/bsfg-notify"
                }
                """.formatted(env.zone(), host.name(), host.role(), host.hostname(), env.zone().toUpperCase().replace('-', '_'),
                INTERFACE, VRRP_ROUTER_ID, priority, host.address(), peers, env.vip(), INTERFACE);
    }

    private void keepalived(HostSpec host, NodeFiles files) {
        files.file(env.paths().keepalivedConfig(), keepalivedConf(host), 0644);
        files.link("/etc/systemd/system/multi-user.target.wants/keepalived.service", "/lib/systemd/system/keepalived.service");
    }

    private void controller(HostSpec host, NodeFiles files) {
        String certDir = env.paths().certDir().endsWith("/") ? env.paths().certDir() : env.paths().certDir() + "/";
        files.file("/opt/bsfg/controller.env", """
                # Settings of the BSFG controller on %s. In the simulation this file stands in for the
                # runbook's /opt/bsfg/docker-compose.yml: IMAGE is the approved image, BIND_ADDRESS the VIP.
                IMAGE=%s
                NODE_NAME=%s
                BIND_ADDRESS=%s
                PORT=%d
                NATS_URL=nats://127.0.0.1:%d
                CERT_FILE=%snode.crt
                KEY_FILE=%snode.key
                CA_FILE=%sca.crt
                STREAM=BSFG_WRITES
                REPLICAS=3
                """.formatted(host.name(), CONTROLLER_IMAGE, host.name(), env.vip().address(), env.ports().controller(),
                env.ports().natsClient(), certDir, certDir, certDir), 0644);
    }

    private String zoneEnv(HostSpec host) {
        return """
                ZONE_NAME=%s
                NODE_NAME=%s
                NODE_ROLE=%s
                VIP=%s
                """.formatted(env.zone(), host.name(), host.role(), env.vip().address());
    }

    private String chronyConf(HostSpec host) {
        HostSpec timeSource = env.hosts().stream().filter(h -> !env.profile().vipRoles().contains(h.role()))
                .findFirst().orElse(env.hosts().get(0));
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
