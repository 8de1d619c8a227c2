package io.triad.profile.plasmacloud;

import io.triad.env.Fields;

/**
 * The PlasmaCloud zone's own fields of an environment file (under {@code plasmacloud:}): the
 * cluster's name and the nodes' DNS domain (the runbook's initial peers are
 * {@code <node>.<domain>:<raft port>}), the services' ports as the runbook's port matrix gives
 * them, and where the runbook keeps a node's secrets (cluster-config.json, the CA, the node's
 * certificate and key) and its services' data.
 */
public record Settings(String clusterName, String domain, int chainfirePort, int chainfireRaftPort, int chainfireGossipPort,
                       int flaredbPort, int flaredbRaftPort, int iamPort, String secretsDir, String clusterSubnet,
                       String internalNetwork, java.util.Optional<String> dnsServer, java.util.Map<String, Inventory> inventory,
                       long bandwidthFloorMbps, int bandwidthPort, java.time.Duration writesWithin, java.time.Duration queryWithin,
                       java.time.Duration electionTimeout, java.util.Optional<Provisioning> provisioning)
        implements io.triad.env.NamedPorts {

    /**
     * The provisioning network (runbook 3.2, 4.3): the host serving DHCP, TFTP and HTTP (the PXE
     * server, a support host), the host on the provisioning network the DHCP requests, TFTP gets
     * and HTTP requests are made from (as a booting server would), the network, the DHCP pool, the
     * router the offers name, the HTTP port of the boot script and health endpoint, and the nodes'
     * reservations (their provisioning NIC's MAC, the fixed address, the host name).
     */
    public record Provisioning(String server, String client, io.triad.env.Ipv4.Cidr network, io.triad.env.Ipv4 poolFirst,
                               io.triad.env.Ipv4 poolLast, io.triad.env.Ipv4 router, int httpPort, String tftpRoot,
                               String bootScript, java.util.Map<String, Reservation> reservations) {
        /** A reserved MAC's fixed address and host name. */
        public record Reservation(String mac, io.triad.env.Ipv4 address) { }

        /** The boot file the runbook's dhcpd.conf names for a client: iPXE's user class first, then the architecture (option 93). */
        public String bootFile(String serverAddress, String kind) {
            return switch (kind) {
                case "ipxe" -> bootScriptUrl(serverAddress);
                case "bios" -> "undionly.kpxe";
                default -> "ipxe.efi"; // UEFI x86_64 (7 and 9) and every other architecture
            };
        }

        public String bootScriptUrl(String serverAddress) {
            return "http://" + serverAddress + ":" + httpPort + "/boot/ipxe/boot.ipxe";
        }

        public boolean inPool(io.triad.env.Ipv4 a) {
            return Integer.compareUnsigned(a.bits(), poolFirst.bits()) >= 0 && Integer.compareUnsigned(a.bits(), poolLast.bits()) <= 0;
        }
    }

    /** A node's row of the hardware inventory (runbook 4.1, 4.4): its MAC, its serial (when recorded) and its role. */
    public record Inventory(String mac, java.util.Optional<String> serial, String role) { }

    /** The runbook's port matrix names two networks: the cluster subnet (the Raft services) and the internal network (SSH, IAM). */
    @Override
    public java.util.Map<String, String> namedSources() {
        return java.util.Map.of("cluster_subnet", clusterSubnet, "internal_network", internalNetwork);
    }

    @Override
    public java.util.Map<String, Integer> namedPorts() {
        return java.util.Map.of("chainfire", chainfirePort, "chainfire-raft", chainfireRaftPort, "chainfire-gossip", chainfireGossipPort,
                "flaredb", flaredbPort, "flaredb-raft", flaredbRaftPort, "iam", iamPort);
    }

    /** The node's cluster-config.json (the runbook's first-boot automation reads it). */
    public String clusterConfig() {
        return secretsDir + "/cluster-config.json";
    }

    public String caFile() {
        return secretsDir + "/ca-cert.pem";
    }

    public String certFile(String node) {
        return secretsDir + "/" + node + "-cert.pem";
    }

    public String keyFile(String node) {
        return secretsDir + "/" + node + "-key.pem";
    }

    /** The API port of a Raft service ({@code chainfire} or {@code flaredb}). */
    public int apiPort(String service) {
        return service.equals("flaredb") ? flaredbPort : chainfirePort;
    }

    /** Reads {@code plasmacloud:} from the top of an environment file (every field has the runbook's value). */
    public static Settings read(Fields top) {
        Fields u = top.object("plasmacloud");
        String cluster = u.text("cluster_name").orElse("prod-cluster");
        if (!cluster.matches("[A-Za-z0-9_-]+")) {
            throw u.error("cluster_name", "'" + cluster + "' is not a cluster name (letters, digits, - and _)");
        }
        String domain = u.text("domain").orElse("example.com");
        if (!domain.matches("[a-z0-9-]+(\\.[a-z0-9-]+)+")) {
            throw u.error("domain", "'" + domain + "' is not a DNS domain (lower-case labels separated by dots)");
        }
        Fields p = u.object("ports");
        int chainfire = p.integer("chainfire", 2379, 1, 65535);
        int chainfireRaft = p.integer("chainfire_raft", 2380, 1, 65535);
        int gossip = p.integer("chainfire_gossip", 2381, 1, 65535);
        int flaredb = p.integer("flaredb", 2479, 1, 65535);
        int flaredbRaft = p.integer("flaredb_raft", 2480, 1, 65535);
        int iam = p.integer("iam", 8080, 1, 65535);
        p.done();
        String secrets = u.absolutePath("secrets_dir", "/etc/nixos/secrets").replaceAll("/+$", "");
        // how long a follower waits for its leader before it stands for election: no new leader, and
        // no write acknowledged by the survivors, can come sooner after the leader's end (etcd's
        // default, which the stores keep unless configured; a failover figure below it measured nothing)
        java.time.Duration election = u.duration("election_timeout", "1s");
        String clusterSubnet = network(u, "cluster_subnet");
        String internal = network(u, "internal_network");
        java.util.Optional<String> dns = u.text("dns_server");
        if (dns.isPresent()) {
            try {
                io.triad.env.Ipv4.parse(dns.get());
            } catch (IllegalArgumentException e) {
                throw u.error("dns_server", "'" + dns.get() + "' is not an IPv4 address");
            }
        }
        java.util.Map<String, Inventory> inventory = new java.util.LinkedHashMap<>();
        Fields inv = u.object("inventory");
        for (String node : inv.keys()) {
            Fields row = inv.object(node);
            String mac = mac(row);
            inventory.put(node, new Inventory(mac, row.text("serial"), row.text("role").orElse("control-plane")));
            row.done();
        }
        inv.done();
        Fields perf = u.object("performance");
        long floor = perf.integer("bandwidth_floor_mbps", 1000, 1, 1_000_000); // runbook 3.6: control plane 1 Gbps minimum
        int iperf = perf.integer("bandwidth_port", 5201, 1, 65535);
        java.time.Duration writes = perf.duration("writes_within", "10s"); // runbook 6.6: 1000 writes in under 10 s
        java.time.Duration query = perf.duration("query_within", "100ms"); // runbook 6.6: a FlareDB query in under 100 ms
        perf.done();
        java.util.Optional<Provisioning> provisioning = provisioning(u.object("provisioning"));
        u.done();
        return new Settings(cluster, domain, chainfire, chainfireRaft, gossip, flaredb, flaredbRaft, iam, secrets, clusterSubnet, internal,
                dns, java.util.Collections.unmodifiableMap(inventory), floor, iperf, writes, query, election, provisioning);
    }

    /** {@code plasmacloud.provisioning}: absent when the zone names no PXE server (3.2 and 4.3 then say so). */
    private static java.util.Optional<Provisioning> provisioning(Fields p) {
        if (p.isEmpty()) {
            return java.util.Optional.empty();
        }
        String server = p.requiredText("server");
        String client = p.requiredText("client");
        io.triad.env.Ipv4.Cidr network;
        try {
            network = io.triad.env.Ipv4.Cidr.parse(p.requiredText("network"));
        } catch (IllegalArgumentException e) {
            throw p.error("network", "'" + p.requiredText("network") + "' is not an IPv4 network (a CIDR such as 10.0.100.0/24)");
        }
        String pool = p.requiredText("pool");
        String[] ends = pool.split("\\s*-\\s*");
        io.triad.env.Ipv4 first;
        io.triad.env.Ipv4 last;
        try {
            if (ends.length != 2) {
                throw new IllegalArgumentException();
            }
            first = io.triad.env.Ipv4.parse(ends[0]);
            last = io.triad.env.Ipv4.parse(ends[1]);
        } catch (IllegalArgumentException e) {
            throw p.error("pool", "'" + pool + "' is not an address range (first-last, such as 10.0.100.100-10.0.100.200)");
        }
        if (!network.contains(first) || !network.contains(last) || Integer.compareUnsigned(first.bits(), last.bits()) > 0) {
            throw p.error("pool", "'" + pool + "' is not a range inside " + network);
        }
        io.triad.env.Ipv4 router = address(p, "router");
        int http = p.integer("http_port", 8080, 1, 65535);
        String tftpRoot = p.absolutePath("tftp_root", "/srv/tftp").replaceAll("/+$", "");
        // the file on the PXE server that nginx serves as /boot/ipxe/boot.ipxe
        String bootScript = p.absolutePath("boot_script", "/var/lib/pxe-boot/ipxe/boot.ipxe");
        java.util.Map<String, Provisioning.Reservation> reservations = new java.util.LinkedHashMap<>();
        Fields res = p.object("reservations");
        for (String node : res.keys()) {
            Fields row = res.object(node);
            String mac = mac(row);
            io.triad.env.Ipv4 a = address(row, "address");
            if (!network.contains(a)) {
                throw row.error("address", a + " is not on the provisioning network " + network);
            }
            reservations.put(node, new Provisioning.Reservation(mac, a));
            row.done();
        }
        res.done();
        p.done();
        return java.util.Optional.of(new Provisioning(server, client, network, first, last, router, http, tftpRoot,
                bootScript, java.util.Collections.unmodifiableMap(reservations)));
    }

    /** A row's MAC address (six hex pairs separated by colons), lower-case. */
    private static String mac(Fields row) {
        String mac = row.requiredText("mac").toLowerCase(java.util.Locale.ROOT);
        if (!mac.matches("([0-9a-f]{2}:){5}[0-9a-f]{2}")) {
            throw row.error("mac", "'" + mac + "' is not a MAC address (six hex pairs separated by colons)");
        }
        return mac;
    }

    private static io.triad.env.Ipv4 address(Fields f, String key) {
        String text = f.requiredText(key);
        try {
            return io.triad.env.Ipv4.parse(text);
        } catch (IllegalArgumentException e) {
            throw f.error(key, "'" + text + "' is not an IPv4 address");
        }
    }

    /** A network of the port matrix: required, a CIDR. */
    private static String network(Fields u, String key) {
        String text = u.requiredText(key);
        try {
            io.triad.env.Ipv4.Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            throw u.error(key, "'" + text + "' is not an IPv4 network (a CIDR such as 10.0.200.0/24)");
        }
        return text;
    }
}
