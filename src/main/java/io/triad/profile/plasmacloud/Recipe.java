package io.triad.profile.plasmacloud;

import io.triad.env.Environment;
import io.triad.env.Environment.HostSpec;
import io.triad.sim.NodeFiles;
import io.triad.sim.ZoneCa;
import io.triad.sim.ZoneRecipe;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The simulated PlasmaCloud control plane as the runbook's provisioning leaves it (the PXE and
 * nixos-anywhere phases are not run: their result is laid): on every node its
 * {@code cluster-config.json} (the first node the bootstrap node, every node's initial peers by
 * name), the zone CA and the node's certificate (its names, its address, localhost) with its key
 * 0400 in the runbook's secrets directory, and the services and their first-boot joins enabled.
 */
public final class Recipe implements ZoneRecipe {

    private static final String WANTS = "/etc/systemd/system/multi-user.target.wants/";
    static final List<String> UNITS = List.of("chainfire.service", "flaredb.service", "iam.service", "chainfire-cluster-join.service",
            "flaredb-cluster-join.service");

    @Override
    public String imageProperty() {
        return "plasmacloud.image";
    }

    @Override
    public List<String> volumes(Environment env, HostSpec host) {
        return List.of("/var/lib/chainfire", "/var/lib/flaredb"); // the Raft stores survive a crash
    }

    /** No check reads the filesystem of the Raft stores: in memory (io.triad.sim.MemoryVolumes). */
    @Override
    public boolean inMemory(Environment env, HostSpec host, String target) {
        return true;
    }

    /** Besides SSH access and the hostname: the node's secrets (its certificate and key, the CA, its cluster configuration). */
    @Override
    public boolean identity(Environment env, String path) {
        return ZoneRecipe.super.identity(env, path) || path.startsWith(env.settings(Settings.class).secretsDir() + "/")
                || path.equals("/etc/plasmacloud/node.env");
    }

    @Override
    public Map<String, NodeFiles> render(Inputs in) {
        Environment env = in.env();
        Settings s = env.settings(Settings.class);
        ZoneCa ca = in.ca();
        Instant now = Instant.now();
        Instant notAfter = env.simulation().certificateNotAfter().orElse(now.plus(Duration.ofDays(365)));
        Instant notBefore = notAfter.isBefore(now) ? notAfter.minus(Duration.ofDays(365)) : now.minusSeconds(300);
        List<HostSpec> nodes = env.hosts();
        Map<String, NodeFiles> out = new LinkedHashMap<>();
        for (HostSpec h : nodes) {
            NodeFiles f = new NodeFiles();
            f.sshAccess(in.hostKeys().get(h.name()), in.authorizedKey());
            f.file("/etc/hostname", h.hostname() + "\n", 0644);
            ZoneCa.Issued cert = ca.issue(h.hostname(), List.of(h.hostname(), h.name(), "localhost"),
                    List.of(h.address().toString(), "127.0.0.1"), notBefore, notAfter);
            f.file(s.caFile(), ca.caPem(), 0644);
            f.file(s.certFile(h.name()), cert.certificatePem(), 0644);
            f.file(s.keyFile(h.name()), cert.privateKeyPem(), 0400);
            f.file(s.clusterConfig(), clusterConfig(s, nodes, h), 0600);
            f.file("/etc/plasmacloud/node.env", "# this node's identity for its services' units\nNODE_ID=" + h.name() + "\n", 0644);
            for (String unit : UNITS) {
                f.link(WANTS + unit, "/etc/systemd/system/" + unit);
            }
            f.file("/etc/chrony/chrony.conf", """
                    # the zone's time source: the support host (no NTP upstream on a closed network)
                    server %s iburst minpoll 0 maxpoll 4
                    driftfile /var/lib/chrony/chrony.drift
                    makestep 1 3
                    """.formatted(timeSource(env).address()), 0644);
            f.file("/etc/nftables.conf", firewall(env, s), 0755);
            f.link("/etc/systemd/system/sysinit.target.wants/nftables.service", "/lib/systemd/system/nftables.service");
            out.put(h.name(), f);
        }
        for (HostSpec h : env.supportHosts()) {
            NodeFiles f = new NodeFiles();
            f.sshAccess(in.hostKeys().get(h.name()), in.authorizedKey());
            f.file("/etc/hostname", h.hostname() + "\n", 0644);
            f.file(s.caFile(), ca.caPem(), 0644); // a client outside the cluster subnet verifies the services too
            if (h.equals(timeSource(env))) {
                f.file("/etc/chrony/chrony.conf", """
                        # %s serves time and names to the zone in the simulation (no upstream on a closed network)
                        local stratum 8
                        allow %s
                        driftfile /var/lib/chrony/chrony.drift
                        """.formatted(h.name(), env.simulation().subnet()), 0644);
                f.file("/etc/plasmacloud/dns.d/zone.conf", dnsZone(env, s, h), 0644);
                f.file("/etc/systemd/system/" + DNS_UNIT, """
                        # the zone's DNS server (runbook 3.3: forward and reverse zones for the nodes)
                        [Unit]
                        Description=The zone's DNS server (dnsmasq, forward and reverse records of the nodes)
                        After=network-online.target

                        [Service]
                        ExecStart=/usr/sbin/dnsmasq --keep-in-foreground --conf-dir=/etc/plasmacloud/dns.d,*.conf
                        Restart=always

                        [Install]
                        WantedBy=multi-user.target
                        """, 0644);
                f.link(WANTS + DNS_UNIT, "/etc/systemd/system/" + DNS_UNIT);
            }
            s.provisioning().filter(p -> p.server().equals(h.name())).ifPresent(p -> pxeServer(p, h, f));
            out.put(h.name(), f);
        }
        return out;
    }

    static final String DNS_UNIT = "zone-dns.service";

    /** The PXE server's units (fixtures/plasmacloud/node/rootfs): DHCP, TFTP, HTTP and the health endpoint. */
    static final List<String> PXE_UNITS = List.of("isc-dhcp-server.service", "atftpd.service", "nginx.service", "pxe-health.service");

    /**
     * The runbook's PXE server (3.2, 4.3, 5.1): its dhcpd.conf with the environment's network,
     * pool, router and reservations (the boot file by user class and architecture as the runbook
     * writes it), atftpd serving the TFTP root (Debian's iPXE bootloaders, laid by the image),
     * nginx serving /boot/ from /var/lib/pxe-boot and /health from the health endpoint, and the
     * iPXE boot script.
     */
    private static void pxeServer(Settings.Provisioning p, HostSpec h, NodeFiles f) {
        f.file("/etc/dhcp/dhcpd.conf", dhcpdConf(p, h), 0644);
        f.file("/etc/nftables.conf", PXE_FIREWALL, 0755);
        f.link("/etc/systemd/system/sysinit.target.wants/nftables.service", "/lib/systemd/system/nftables.service");
        f.file("/etc/default/isc-dhcp-server", "# the provisioning network's interface\nINTERFACESv4=\"eth0\"\nINTERFACESv6=\"\"\n", 0644);
        f.file("/etc/default/atftpd", "## Options for atftpd (the PXE server's TFTP root):\nOPTIONS=\"--port 69 --tftpd-timeout 300 --retry-timeout 5"
                + " --maxthread 100 --verbose=5 " + p.tftpRoot() + "\"\n", 0644);
        f.file("/etc/nginx/sites-enabled/pxe", """
                # the PXE server's HTTP service (runbook 4.3, 5.1): the boot script and images, the health endpoint
                server {
                    listen 80;
                    listen %d;
                    location /boot/ { alias /var/lib/pxe-boot/; }
                    location = /health { proxy_pass http://127.0.0.1:8081; }
                }
                """.formatted(p.httpPort()), 0644);
        f.file(p.bootScript(), """
                #!ipxe
                # PlasmaCloud's boot menu (runbook 1, 5.1): the node's profile's NixOS netboot kernel and initrd over HTTP
                set base http://%s:%d/boot/nixos
                menu PlasmaCloud netboot
                item control-plane Control plane
                item worker Worker
                item all-in-one All-in-one
                choose --default control-plane --timeout 5000 profile || goto failed
                kernel ${base}/${profile}/bzImage init=/nix/var/nix/profiles/system/init || goto failed
                initrd ${base}/${profile}/initrd || goto failed
                boot || goto failed
                :failed
                echo Netboot failed, retrying in 10 s
                sleep 10
                reboot
                """.formatted(h.address(), p.httpPort()), 0644);
        for (String unit : PXE_UNITS) {
            f.link(WANTS + unit, (unit.equals("nginx.service") ? "/lib/systemd/system/" : "/etc/systemd/system/") + unit);
        }
    }

    /**
     * The runbook's provisioning server firewall (3.4) in nftables: DHCP (udp 67, 68), TFTP (udp
     * 69), HTTP (tcp 80, 8080) and SSH (tcp 22) accepted. The runbook adds no drop rule for this
     * server; its table is replaced, not the whole ruleset (Docker's name resolution lives in it).
     */
    static final String PXE_FIREWALL = """
            #!/usr/sbin/nft -f
            # the provisioning server's firewall (runbook 3.4): DHCP, TFTP, HTTP and SSH accepted
            table inet filter
            delete table inet filter
            table inet filter {
                chain input {
                    type filter hook input priority 0; policy accept;
                    udp dport { 67, 68 } accept   # DHCP
                    udp dport 69 accept           # TFTP
                    tcp dport { 80, 8080 } accept # HTTP (boot server)
                    tcp dport 22 accept           # SSH (for nixos-anywhere)
                }
            }
            """;

    /** The runbook's /etc/dhcp/dhcpd.conf (3.2) with the environment's provisioning network. */
    static String dhcpdConf(Settings.Provisioning p, HostSpec server) {
        StringBuilder hosts = new StringBuilder();
        p.reservations().forEach((node, r) -> hosts.append("""
                host %s {
                  hardware ethernet %s;
                  fixed-address %s;
                  option host-name "%s";
                }
                """.formatted(node, r.mac(), r.address(), node)));
        int prefix = p.network().prefix();
        long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
        String netmask = (mask >> 24) + "." + ((mask >> 16) & 255) + "." + ((mask >> 8) & 255) + "." + (mask & 255);
        return """
                # the provisioning network's DHCP (runbook 3.2)
                option architecture-type code 93 = unsigned integer 16;
                default-lease-time 600;
                max-lease-time 7200;
                authoritative;

                subnet %s netmask %s {
                  range %s %s;
                  option routers %s;
                  # PXE boot server
                  next-server %s;
                  # the boot file by architecture; a client already running iPXE gets the boot script over HTTP
                  if exists user-class and option user-class = "iPXE" {
                    filename "%s";
                  } elsif option architecture-type = 00:00 {
                    filename "undionly.kpxe";
                  } elsif option architecture-type = 00:07 {
                    filename "ipxe.efi";
                  } elsif option architecture-type = 00:09 {
                    filename "ipxe.efi";
                  } else {
                    filename "ipxe.efi";
                  }
                }

                # static reservations for the control plane nodes
                %s""".formatted(p.network().network(), netmask, p.poolFirst(), p.poolLast(), p.router(), server.address(),
                p.bootScriptUrl(server.address().toString()), hosts);
    }

    /** The support host that serves time and names to the simulated zone: the first. */
    private static HostSpec timeSource(Environment env) {
        if (env.supportHosts().isEmpty()) {
            throw new io.triad.env.InputError(env.file() + ": the simulated PlasmaCloud zone needs a support host (its DNS and NTP server)");
        }
        return env.supportHosts().get(0);
    }

    /** dnsmasq's records of the nodes: an A and a PTR record each (host-record), nothing forwarded. */
    static String dnsZone(Environment env, Settings s, HostSpec server) {
        StringBuilder out = new StringBuilder("""
                # forward (%s) and reverse zones of the nodes; nothing else is answered or forwarded
                no-resolv
                no-hosts
                bind-interfaces
                listen-address=%s
                local=/%s/
                """.formatted(s.domain(), server.address(), s.domain()));
        for (HostSpec h : env.hosts()) {
            out.append("host-record=").append(h.hostname()).append(',').append(h.address()).append('\n');
        }
        return out.toString();
    }

    /** The runbook's nftables rules (3.4) with the environment's networks: the matrix's rows and nothing else. */
    static String firewall(Environment env, Settings s) {
        StringBuilder rules = new StringBuilder();
        for (io.triad.probe.PortMatrix.Row r : io.triad.probe.PortMatrix.of(env).rows()) {
            String from = switch (r.from()) {
                case "cluster_subnet" -> s.clusterSubnet();
                case "internal_network" -> s.internalNetwork();
                case "nodes" -> env.hosts().stream().map(h -> h.address().toString()).collect(Collectors.joining(", ", "{ ", " }"));
                default -> r.from();
            };
            rules.append("        ").append(from.equals("any") ? "" : "ip saddr " + from + " ").append(r.protocol()).append(" dport ")
                    .append(r.port()).append(" accept   # ").append(r.why()).append('\n');
        }
        return """
                #!/usr/sbin/nft -f
                # the cluster node's firewall (runbook 3.4): SSH and IAM from the internal network, the
                # Raft services from the cluster subnet only, everything else dropped. The runbook
                # flushes the whole ruleset; here only this table is replaced, since the container's
                # name resolution (Docker's 127.0.0.11) lives in a nat table of the same ruleset.
                table inet filter
                delete table inet filter
                table inet filter {
                    chain input {
                        type filter hook input priority 0; policy drop;
                        ct state established,related accept
                        iif lo accept
                        icmp type echo-request accept
                %s    }
                }
                """.formatted(rules);
    }

    /** The runbook's cluster-config.json (section 5.3, step 3.2) of one node. */
    static String clusterConfig(Settings s, List<HostSpec> nodes, HostSpec h) {
        HostSpec first = nodes.get(0);
        String peers = nodes.stream().map(n -> "    \"" + n.hostname() + ":" + s.chainfireRaftPort() + "\"").collect(Collectors.joining(",\n"));
        String flaredb = nodes.stream().map(n -> "    \"" + n.hostname() + ":" + s.flaredbRaftPort() + "\"").collect(Collectors.joining(",\n"));
        return """
                {
                  "node_id": "%s",
                  "node_role": "control-plane",
                  "bootstrap": %s,
                  "cluster_name": "%s",
                  "leader_url": "https://%s:%d",
                  "raft_addr": "%s:%d",
                  "initial_peers": [
                %s
                  ],
                  "flaredb_peers": [
                %s
                  ]
                }
                """.formatted(h.name(), h.equals(first), s.clusterName(), first.hostname(), s.chainfirePort(), h.address(),
                s.chainfireRaftPort(), peers, flaredb);
    }
}
