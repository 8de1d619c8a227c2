package io.triad.profile.unibus;

import io.triad.env.Environment;
import io.triad.env.Environment.HostSpec;
import io.triad.sim.NodeFiles;
import io.triad.sim.ZoneCa;
import io.triad.sim.ZoneRecipe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The simulated unibus cluster as the runbook stages it: on every node the unit's
 * {@code cluster.env} (its name, routes to the other two with no userinfo, the rollout's
 * replicas), {@code nodes.env} with no placeholder left, the data-plane certificate from the
 * client CA (the zone CA), a route certificate from a separate route CA, the route secret 0600.
 * The operator's hands (the runbook's HUMAN steps: the loopback seed of the first admin on the
 * seed node, then the staggered bring-up) are a first-boot unit, {@value #BRINGUP_UNIT}, which
 * logs each step to the journal.
 */
public final class Recipe implements ZoneRecipe {

    /** The stand-in for the operator's bring-up in the simulated zone. */
    public static final String BRINGUP_UNIT = "unibus-bringup.service";
    /** Where the operator's nats CLI context lives on each node (an admin identity of the client CA). */
    static final String NATS_CONTEXT = "/root/.config/nats/context/unibus.json";

    private final SecureRandom random = new SecureRandom();

    @Override
    public String imageProperty() {
        return "unibus.image";
    }

    @Override
    public List<String> volumes(Environment env, HostSpec host) {
        return List.of(env.settings(Settings.class).file("local_files")); // the JetStream store survives a crash
    }

    /** No check reads the filesystem of the JetStream store: in memory (io.triad.sim.MemoryVolumes). */
    @Override
    public boolean inMemory(Environment env, HostSpec host, String target) {
        return true;
    }

    @Override
    public List<String> devices(Environment env, HostSpec host) {
        // wg-quick runs wireguard-go (userspace) where the kernel has no WireGuard, as on these machines
        return env.settings(Settings.class).meshNetwork() == null ? List.of() : List.of("/dev/net/tun");
    }

    /** A WireGuard key pair (X25519), base64 as wg(8) writes them. */
    record WgKeys(String privateKey, String publicKey) {
        static WgKeys generate() {
            try {
                java.security.KeyPair kp = java.security.KeyPairGenerator.getInstance("X25519").generateKeyPair();
                byte[] priv = ((java.security.interfaces.XECPrivateKey) kp.getPrivate()).getScalar().orElseThrow();
                java.math.BigInteger u = ((java.security.interfaces.XECPublicKey) kp.getPublic()).getU();
                byte[] pub = new byte[32]; // RFC 7748: the u-coordinate, little-endian
                byte[] be = u.toByteArray();
                for (int i = 0; i < be.length && i < 32; i++) {
                    pub[i] = be[be.length - 1 - i];
                }
                java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
                return new WgKeys(b64.encodeToString(priv), b64.encodeToString(pub));
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException("no X25519 here: " + e.getMessage(), e);
            }
        }
    }

    /** The node's wg-quick configuration: its mesh address, and each other node as a peer at its own address. */
    static String wgConf(Environment env, Settings s, HostSpec h, Map<String, WgKeys> keys) {
        StringBuilder out = new StringBuilder("""
                # The WireGuard mesh the routes run over (ROUTE_NETWORK=wg in nodes.env); wg-quick@wg0
                [Interface]
                Address = %s/24
                ListenPort = %d
                PrivateKey = %s
                """.formatted(s.meshAddress(h), s.meshPort(), keys.get(h.name()).privateKey()));
        for (HostSpec o : env.hosts()) {
            if (!o.name().equals(h.name())) {
                out.append("""

                        # %s
                        [Peer]
                        PublicKey = %s
                        Endpoint = %s:%d
                        AllowedIPs = %s/32
                        PersistentKeepalive = 5
                        """.formatted(o.name(), keys.get(o.name()).publicKey(), o.address(), s.meshPort(), s.meshAddress(o)));
            }
        }
        return out.toString();
    }

    /** Besides SSH access and the hostname: the data-plane and route certificates and keys, the route secret. */
    @Override
    public boolean identity(Environment env, String path) {
        Settings s = env.settings(Settings.class);
        return ZoneRecipe.super.identity(env, path) || path.startsWith(s.file("tls/")) || path.startsWith(s.file("secrets/"));
    }

    @Override
    public Map<String, NodeFiles> render(Inputs in) {
        Environment env = in.env();
        Settings s = env.settings(Settings.class);
        ZoneCa clientCa = in.ca();
        ZoneCa routeCa = new ZoneCa(env.zone(), env.zone() + " route CA", Duration.ofDays(3650));
        Instant now = Instant.now();
        Instant notAfter = env.simulation().certificateNotAfter().orElse(now.plus(Duration.ofDays(365)));
        Instant notBefore = notAfter.isBefore(now) ? notAfter.minus(Duration.ofDays(365)) : now.minusSeconds(300);
        String secret = HexFormat.of().formatHex(bytes(32)) + "\n";
        ZoneCa.Issued admin = clientCa.issue("admin-operator", List.of(), List.of(), notBefore, notAfter);
        writeClientFiles(in.workDir(), clientCa.issue("admin-harness", List.of(), List.of(), notBefore, notAfter),
                clientCa.issue("member-harness", List.of(), List.of(), notBefore, notAfter), clientCa.caPem());

        Map<String, WgKeys> wg = new LinkedHashMap<>();
        env.hosts().forEach(h -> wg.put(h.name(), WgKeys.generate()));
        Map<String, NodeFiles> out = new LinkedHashMap<>();
        for (HostSpec h : env.hosts()) {
            NodeFiles f = new NodeFiles();
            f.sshAccess(in.hostKeys().get(h.name()), in.authorizedKey());
            f.file("/etc/hostname", h.hostname() + "\n", 0644);
            List<String> names = List.of(h.hostname(), h.name());
            // SAN = public + mesh + hostname; 127.0.0.1 on the data-plane certificate so that the runbook's own
            // health check (curl https://127.0.0.1:8470/healthz --cacert ca.crt) verifies.
            ZoneCa.Issued server = clientCa.issue(h.hostname(), names, List.of(h.address().toString(), "127.0.0.1"), notBefore, notAfter);
            List<String> routeIps = new ArrayList<>(List.of(h.address().toString()));
            if (!routeIps.contains(s.meshAddress(h))) {
                routeIps.add(s.meshAddress(h));
            }
            ZoneCa.Issued route = routeCa.issue(h.hostname(), names, routeIps, notBefore, notAfter);
            if (s.meshNetwork() != null) {
                f.file("/etc/wireguard/wg0.conf", wgConf(env, s, h, wg), 0600);
                f.link("/etc/systemd/system/multi-user.target.wants/wg-quick@wg0.service", "/lib/systemd/system/wg-quick@.service");
            }
            f.file(s.file("tls/ca.crt"), clientCa.caPem(), 0644);
            f.file(s.file("tls/server.crt"), server.certificatePem(), 0644);
            f.file(s.file("tls/server.key"), server.privateKeyPem(), 0600);
            f.file(s.file("tls/cluster-ca.crt"), routeCa.caPem(), 0644);
            f.file(s.file("tls/route.crt"), route.certificatePem(), 0644);
            f.file(s.file("tls/route.key"), route.privateKeyPem(), 0600);
            f.file(s.file("tls/admin.crt"), admin.certificatePem(), 0644);
            f.file(s.file("tls/admin.key"), admin.privateKeyPem(), 0600);
            f.file(s.file("secrets/cluster.pass"), secret, 0600);
            f.file(s.file("cluster.env"), clusterEnv(env, s, h), 0644);
            f.file(s.file("nodes.env"), nodesEnv(env, s), 0644);
            f.file(NATS_CONTEXT, """
                    {"description": "unibus operator (admin identity of the client CA)", "url": "tls://127.0.0.1:%d",
                     "cert": "%s", "key": "%s", "ca": "%s"}
                    """.formatted(s.clientPort(), s.file("tls/admin.crt"), s.file("tls/admin.key"), s.file("tls/ca.crt")), 0600);
            f.file("/root/.config/nats/context.txt", "unibus", 0600);
            f.file("/usr/local/sbin/unibus-bringup", bringup(env, s, h), 0755);
            f.file("/etc/systemd/system/" + BRINGUP_UNIT, """
                    # The operator's hands in the simulated zone (the runbook's HUMAN steps): the seed's loopback
                    # bootstrap of the first admin, then the staggered bring-up. Once, at first boot.
                    [Unit]
                    Description=unibus bring-up as the runbook's operator does it (simulated zone)
                    After=network.target wg-quick@wg0.service
                    ConditionPathExists=!%s

                    [Service]
                    # not oneshot: the node's boot completes while its operator waits for the node before it
                    Type=exec
                    ExecStart=/bin/sh -c '/usr/local/sbin/unibus-bringup && touch %s'
                    RemainAfterExit=yes

                    [Install]
                    WantedBy=multi-user.target
                    """.formatted(s.file(".brought-up"), s.file(".brought-up")), 0644);
            f.link("/etc/systemd/system/multi-user.target.wants/" + BRINGUP_UNIT, "/etc/systemd/system/" + BRINGUP_UNIT);
            out.put(h.name(), f);
        }
        return out;
    }

    /** The harness's identities in the zone: an operator's (admin-harness) and an ordinary client's (member-harness, the ACL's tries). */
    private static void writeClientFiles(Path dir, ZoneCa.Issued cert, ZoneCa.Issued member, String caPem) {
        try {
            Files.writeString(dir.resolve("client.crt"), cert.certificatePem());
            Path key = Files.writeString(dir.resolve("client.key"), cert.privateKeyPem());
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(dir.resolve("member.crt"), member.certificatePem());
            Path memberKey = Files.writeString(dir.resolve("member.key"), member.privateKeyPem());
            Files.setPosixFilePermissions(memberKey, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(dir.resolve("client-ca.crt"), caPem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, Path> clientFiles(Path workDir) {
        return Map.of("certificate", workDir.resolve("client.crt"), "key", workDir.resolve("client.key"),
                "ca", workDir.resolve("client-ca.crt"), "member_certificate", workDir.resolve("member.crt"),
                "member_key", workDir.resolve("member.key"));
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** The unit's settings on one node, as deploy-cluster.sh writes them: routes to the other two, no userinfo. */
    static String clusterEnv(Environment env, Settings s, HostSpec h) {
        String routes = env.hosts().stream().filter(o -> !o.name().equals(h.name()))
                .map(o -> "nats-route://" + s.meshAddress(o) + ":" + s.clusterPort()).collect(Collectors.joining(","));
        return """
                # membershipd-cluster.service's settings on %s (written by deploy-cluster.sh)
                NODE_NAME=%s
                BIND_ADDR=0.0.0.0
                CLIENT_PORT=%d
                HTTP_PORT=%d
                CLUSTER_NAME=%s
                CLUSTER_PORT=%d
                ROUTES=%s
                KV_REPLICAS=%d
                """.formatted(h.name(), h.name(), s.clientPort(), s.httpPort(), s.clusterName(), s.clusterPort(), routes,
                s.rolloutReplicas());
    }

    /** The topology file, filled in (no placeholder): the cluster, its ports, one row per node. */
    static String nodesEnv(Environment env, Settings s) {
        StringBuilder out = new StringBuilder("""
                # unibus cluster topology (deploy/cluster/nodes.env)
                CLUSTER_NAME=%s
                CLIENT_PORT=%d
                HTTP_PORT=%d
                CLUSTER_PORT=%d
                ROUTE_NETWORK=%s
                KV_REPLICAS=%d
                # name ssh_host public_ip wg_ip role
                """.formatted(s.clusterName(), s.clientPort(), s.httpPort(), s.clusterPort(), s.meshNetwork() == null ? "public" : "wg",
                s.rolloutReplicas()));
        for (HostSpec h : env.hosts()) {
            out.append("NODE_").append(h.name().toUpperCase().replace('-', '_')).append("=\"").append(h.name()).append(' ')
                    .append(h.hostname()).append(' ').append(h.address()).append(' ').append(s.meshAddress(h)).append(' ')
                    .append(h.role().equals("seed") ? "seed" : "replica").append("\"\n");
        }
        return out.toString();
    }

    /**
     * The runbook's seed (on the seed node) and staggered bring-up: the seed first; each replica
     * once the node before it answers its health endpoint.
     */
    static String bringup(Environment env, Settings s, HostSpec h) {
        List<HostSpec> order = new ArrayList<>(env.hosts());
        order.sort(java.util.Comparator.comparingInt(x -> env.profile().roles().indexOf(x.role())));
        int i = order.indexOf(h);
        String dir = s.dir();
        String head = "#!/bin/bash\n# The runbook's bring-up on " + h.name() + ", as its operator runs it.\nset -eu\ncd " + dir + "\n";
        // --no-block: queued, not waited for, from inside the boot (a start waited for from a unit of the boot
        // transaction was seen to hang once, its job waiting on network-online.target for 50 s)
        // After the node's boot has finished: 'systemctl enable' reloads systemd, and a reload during the boot
        // transaction (which now holds network-online.target's job, pulled in by wg-quick@wg0) once left the
        // unit's start job waiting for good (seen twice in ~60 boots under load: "membershipd-cluster.service
        // start waiting" with no other job). An operator runs it on a booted node too.
        String enable = "timeout 60 systemctl is-system-running --wait >/dev/null 2>&1 || true\n"
                + "echo 'bring-up: systemctl enable --now " + s.unit() + "'\nsystemctl enable --now --no-block " + s.unit() + "\n";
        if (i == 0) {
            return head + """
                    echo 'seed: the first admin into a local seed file'
                    ./membershipd user add --db ./seed.db --handle root --sign-pub %s --role admin
                    echo 'seed: a temporary loopback, no-auth, single-node KV server on the cluster store'
                    ./membershipd --store kv --bus-auth off --bind 127.0.0.1 --nats-store ./local_files/jetstream --db ./seed.db \\
                      >/tmp/seed-boot.log 2>&1 &
                    BOOT=$!
                    tries=0
                    until ./membershipd migrate-to-kv --db ./seed.db --nats-url nats://127.0.0.1:%d --replicas 1; do
                      tries=$((tries + 1)); [ "$tries" -lt 60 ] || { echo 'seed: migrate-to-kv never succeeded'; exit 1; }
                      sleep 0.5
                    done
                    kill "$BOOT"; wait "$BOOT" 2>/dev/null || true
                    rm -f ./seed.db
                    echo 'seed: done, bootstrap stopped, seed.db removed'
                    """.formatted("00".repeat(32), s.clientPort()) + enable;
        }
        HostSpec before = order.get(i - 1);
        // Up, not healthy: a clustered JetStream server alone elects no meta leader (its health answers 503
        // until a second node joins), so waiting for the seed's health before starting a replica never ends.
        return head + """
                echo 'bring-up: waiting for %s to listen for routes'
                tries=0
                until timeout 1 bash -c 'exec 3<>/dev/tcp/%s/%d' 2>/dev/null; do
                  tries=$((tries + 1)); [ "$tries" -lt 240 ] || { echo 'bring-up: %s never came up'; exit 1; }
                  sleep 0.5
                done
                """.formatted(before.name(), s.meshAddress(before), s.clusterPort(), before.name()) + enable;
    }
}
