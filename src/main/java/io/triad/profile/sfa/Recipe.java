package io.triad.profile.sfa;

import io.triad.env.Environment;
import io.triad.env.Environment.HostSpec;
import io.triad.sim.NodeFiles;
import io.triad.sim.SshKeys;
import io.triad.sim.ZoneCa;
import io.triad.sim.ZoneRecipe;

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
 * The simulated SFA data tier, every part from Debian's packages (the image {@code fixtures/sfa/node}):
 * three database nodes (etcd, Patroni with PostgreSQL 15, two Redis Cluster instances, the node and
 * postgres exporters) and the {@code ops} host (HAProxy, Prometheus with the runbook's alert rules,
 * Alertmanager and its page receiver, the backup repository with the runbook's cron schedule). The
 * first boot of each host is the operators' setup ({@code sfa-bringup}, in the image): it writes a
 * service's configuration only where none is laid, so a file rendered here or laid by a mutant's
 * overlay is the one the service runs with. This class renders the zone's identity: who is who
 * ({@code zone.env}, {@code node.env}), the secrets, the certificates, the SSH keys that carry WAL
 * segments to the backup host.
 */
public final class Recipe implements ZoneRecipe, io.triad.tech.postgres.PrimaryRole {

    static final String ZONE_ENV = "/etc/sfa/zone.env";
    static final String NODE_ENV = "/etc/sfa/node.env";
    static final String SECRETS = "/etc/sfa/secrets";
    static final String BRINGUP = "sfa-bringup.service";
    static final List<String> SECRET_NAMES = List.of("superuser", "replication", "rest-api");

    private final SecureRandom random = new SecureRandom();

    /** The zone's moving role: the primary (Patroni's leader, db1 as built, moved by a failover or a switchover). */
    @Override
    public List<io.triad.host.Host> databaseNodes(io.triad.zone.Zone zone) {
        return Shape.nodes(zone);
    }

    /** Patroni's switchover (pg.5's command): the leader handed to the node, the others following it. */
    @Override
    public void handTo(io.triad.zone.Zone zone, String node) {
        Settings s = zone.env().settings(Settings.class);
        String leader = holder(zone).orElseThrow(() -> new AssertionError("no one node accepts writes: no leader to switch over from"));
        io.triad.host.Host h = zone.host(leader);
        // the members' names as Patroni knows them (the deployer's choice, not always the inventory's)
        List<com.fasterxml.jackson.databind.JsonNode> rows = Shape.patroniList(h, s);
        io.triad.host.CommandResult r = h.exec(h.asRoot("patronictl -c " + io.triad.host.Shell.quote(s.patroniConfig()) + " switchover --leader "
                + io.triad.host.Shell.quote(Shape.patroniMember(zone, leader, rows)) + " --candidate " + io.triad.host.Shell.quote(Shape.patroniMember(zone, node, rows))
                + " --force"), java.time.Duration.ofSeconds(90));
        if (!r.ok()) {
            throw new AssertionError("patronictl switchover from " + leader + " to " + node + " failed (exit " + r.exitCode() + "): "
                    + io.triad.tech.postgres.Db.firstLine(r.stderr().isBlank() ? r.stdout() : r.stderr()));
        }
    }

    @Override
    public String imageProperty() {
        return "sfa.image";
    }

    @Override
    public List<String> volumes(Environment env, HostSpec host) {
        // a database node's stores survive a crash (the support host is never crashed by a drill)
        // and the backup host's base backups and WAL archive (one tree) on a volume, to keep it in memory with the stores
        Settings s = env.settings(Settings.class);
        return env.hosts().contains(host) ? List.of("/var/lib/postgresql", "/var/lib/etcd", "/var/lib/redis")
                : host.name().equals(s.backupHost()) ? List.of(s.baseBackups()) : List.of();
    }

    /** No check reads the filesystem of the stores: in memory (io.triad.sim.MemoryVolumes). */
    @Override
    public boolean inMemory(Environment env, HostSpec host, String target) {
        return true;
    }

    /** Besides SSH access and the hostname: the zone's secrets, certificates and keys. */
    @Override
    public boolean identity(Environment env, String path) {
        Settings s = env.settings(Settings.class);
        return ZoneRecipe.super.identity(env, path) || path.startsWith(SECRETS + "/") || path.startsWith(s.tlsDir() + "/")
                || path.startsWith("/var/lib/postgresql/.ssh/") || path.startsWith("/root/.ssh/") || path.equals("/etc/ssh/ssh_known_hosts");
    }

    @Override
    public Map<String, NodeFiles> render(Inputs in) {
        Environment env = in.env();
        Settings s = env.settings(Settings.class);
        List<HostSpec> nodes = env.hosts();
        List<HostSpec> all = new ArrayList<>(nodes);
        all.addAll(env.supportHosts());
        HostSpec ops = env.supportHost(s.backupHost());
        Map<String, String> secrets = new LinkedHashMap<>();
        SECRET_NAMES.forEach(n -> secrets.put(n, HexFormat.of().formatHex(bytes(16))));
        SshKeys.HostKey walKey = SshKeys.generate("postgres@" + env.zone());
        // the backup host's root copies every node's Redis RDB files with scp (the runbook's Redis backup)
        SshKeys.HostKey copyKey = SshKeys.generate("root@" + ops.name() + " redis-backup");
        StringBuilder knownHosts = new StringBuilder();
        for (HostSpec h : all) {
            knownHosts.append(h.name()).append(',').append(h.hostname()).append(',').append(h.address()).append(' ')
                    .append(in.hostKeys().get(h.name()).publicKeyLine()).append('\n');
        }
        String zoneEnv = """
                # The zone as its automation knows it (sfa-bringup, the backup scripts)
                ZONE=%s
                SCOPE=%s
                NODES="%s"
                OPS_ADDRESS=%s
                SUBNET=%s
                # the parts the environment declares absent (not_applicable): not built
                ABSENT="%s"
                # HAProxy: on the support host (PROXY_NODES=no, bound to every address) or on every
                # database node bound to its own address (yes: autobase's layout); PROXY_ADDRESS is
                # where the backups ask its write port
                PROXY_NODES=%s
                PROXY_ADDRESS=%s
                # every node's Redis instances (the backup host's copy of their RDB files)
                REDIS_PORTS="%s"
                """.formatted(env.zone(), s.scope(), nodes.stream().map(h -> h.name() + ":" + h.address()).collect(Collectors.joining(" ")),
                ops.address(), env.simulation().subnet(), String.join(" ", ABSENT_PARTS.stream()
                        .filter(p -> env.notApplicable(p).isPresent()).toList()),
                nodes.stream().anyMatch(h -> h.name().equals(s.proxyHost())) ? "yes" : "no", s.proxyAddress(),
                s.redisPorts().stream().map(String::valueOf).collect(Collectors.joining(" ")));
        Instant now = Instant.now();
        Instant notAfter = env.simulation().certificateNotAfter().orElse(now.plus(Duration.ofDays(365)));
        Instant notBefore = notAfter.isBefore(now) ? notAfter.minus(Duration.ofDays(365)) : now.minusSeconds(300);
        Map<String, NodeFiles> out = new LinkedHashMap<>();
        for (HostSpec h : all) {
            boolean kubeHost = s.kubernetes() != null && h.name().equals(s.kubernetes().host());
            NodeFiles f = new NodeFiles();
            f.sshAccess(in.hostKeys().get(h.name()), in.authorizedKey());
            f.file("/etc/hostname", h.hostname() + "\n", 0644);
            f.file("/etc/ssh/ssh_known_hosts", knownHosts.toString(), 0644);
            f.file(ZONE_ENV, zoneEnv, 0644);
            f.file(NODE_ENV, "# this host's part in the zone\nNODE_NAME=%s\nADDRESS=%s\nROLE=%s\n".formatted(h.name(), h.address(),
                    nodes.contains(h) ? "node" : kubeHost ? "kubernetes" : "ops"), 0644);
            secrets.forEach((name, value) -> f.file(SECRETS + "/" + name, value + "\n", 0600));
            ZoneCa.Issued cert = in.ca().issue(h.hostname(), List.of(h.hostname(), h.name(), "localhost"), List.of(h.address().toString(), "127.0.0.1"),
                    notBefore, notAfter);
            f.file(s.caFile(), in.ca().caPem(), 0644);
            f.file(s.tlsDir() + "/" + h.name() + ".crt", cert.certificatePem(), 0644);
            f.file(s.tlsDir() + "/" + h.name() + ".key", cert.privateKeyPem(), 0600);
            if (kubeHost) {
                // the RKE2 cluster's stand-in: a control plane host with the zone's CA and its certificate
                // (cert.1 reads every host's), no part of the data tier, no bring-up of its
                if (s.kubernetes().simulate()) {
                    rke2(in, s, h, f);
                }
                out.put(h.name(), f);
                continue;
            }
            if (nodes.contains(h)) {
                f.file("/root/.ssh/authorized_keys", in.authorizedKey() + "\nfrom=\"" + ops.address() + "\" " + copyKey.publicKeyLine() + "\n", 0600);
                f.file("/var/lib/postgresql/.ssh/id_ecdsa", walKey.privateKeyOpenSsh(), 0600);
                f.file("/var/lib/postgresql/.ssh/config", "IdentityFile ~/.ssh/id_ecdsa\nBatchMode yes\nConnectTimeout 5\n", 0600);
            } else {
                f.file("/var/lib/postgresql/.ssh/authorized_keys", walKey.publicKeyLine() + "\n", 0600);
                if (h.name().equals(ops.name())) {
                    f.file("/root/.ssh/id_ecdsa", copyKey.privateKeyOpenSsh(), 0600);
                }
            }
            f.link("/etc/systemd/system/multi-user.target.wants/" + BRINGUP, "/etc/systemd/system/" + BRINGUP);
            out.put(h.name(), f);
        }
        return out;
    }

    /** The parts of the zone its first boot builds only when the environment does not declare them absent. */
    static final List<String> ABSENT_PARTS = List.of("redis", "monitoring");

    @Override
    public Map<String, java.nio.file.Path> binds(Environment env, HostSpec host) {
        Settings s = env.settings(Settings.class);
        return io.triad.tech.kube.SimulatedControlPlane.binds(host.name(), java.util.Optional.ofNullable(s.kubernetes())
                .filter(Settings.Kubernetes::simulate).map(Settings.Kubernetes::host));
    }

    /** The application's workloads on the RKE2 stand-in (a mutant overlays this file). */
    static final String RKE2_OBJECTS = "10-workloads.yaml";

    /** The zone's objects on the RKE2 stand-in ({@link #RKE2_OBJECTS}; a mutant's overlay is this file with its one change). */
    static final String WORKLOADS = """
            apiVersion: v1
            kind: Namespace
            metadata: { name: sfa }
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: { name: user-management-service, namespace: sfa }
            spec:
              replicas: 3
              # the rolling update the runbook's standard deployment relies on, written out (kubectl's defaults)
              strategy: { type: RollingUpdate, rollingUpdate: { maxUnavailable: 25%, maxSurge: 25% } }
              selector: { matchLabels: { app: user-management-service } }
              template:
                metadata: { labels: { app: user-management-service } }
                spec:
                  affinity:
                    nodeAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                        nodeSelectorTerms:
                          - matchExpressions: [ { key: node-role.kubernetes.io/control-plane, operator: DoesNotExist } ]
                  containers: [ { name: app, image: "user-management-service:1.0" } ]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: { name: user-service-blue, namespace: sfa }
            spec:
              replicas: 2
              selector: { matchLabels: { app: user-service, version: blue } }
              template:
                metadata: { labels: { app: user-service, version: blue } }
                spec:
                  affinity:
                    nodeAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                        nodeSelectorTerms:
                          - matchExpressions: [ { key: node-role.kubernetes.io/control-plane, operator: DoesNotExist } ]
                  containers: [ { name: app, image: "user-service:1.0", ports: [ { containerPort: 8080 } ] } ]
            ---
            apiVersion: v1
            kind: Service
            metadata: { name: user-service, namespace: sfa }
            spec:
              selector: { app: user-service, version: blue }
              ports: [ { port: 8080, targetPort: 8080 } ]
            ---
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: { name: user-management-service, namespace: sfa }
            spec:
              minAvailable: 2
              selector: { matchLabels: { app: user-management-service } }
            ---
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: { name: node-agent, namespace: sfa }
            spec:
              selector: { matchLabels: { app: node-agent } }
              template:
                metadata: { labels: { app: node-agent } }
                spec:
                  containers: [ { name: agent, image: "node-agent:1.0" } ]
            ---
            apiVersion: batch/v1
            kind: Job
            metadata: { name: schema-migration, namespace: sfa }
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers: [ { name: migrate, image: "user-management-service:1.0" } ]
            ---
            apiVersion: v1
            kind: PersistentVolume
            metadata: { name: sfa-uploads }
            spec:
              capacity: { storage: 1Gi }
              accessModes: [ ReadWriteOnce ]
              storageClassName: manual
              hostPath: { path: /srv/sfa-uploads }
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: { name: uploads, namespace: sfa }
            spec:
              accessModes: [ ReadWriteOnce ]
              storageClassName: manual
              resources: { requests: { storage: 1Gi } }
            """;

    /**
     * The seed's RKE2 cluster as a real control plane ({@link io.triad.tech.kube.SimulatedControlPlane})
     * with kwok's nodes as the runbook counts them: {@code control_planes} servers
     * (rke2-server-N: control-plane, etcd, master) and {@code min_workers} workers (worker-node-N),
     * every node reporting the control plane host's address (no container runs on them); and
     * workloads whose state k8s.1, node.2, deploy.1 and deploy.7 read: the runbook's user-management-service
     * (three replicas off the control plane, rolled out by a rolling update, a disruption budget of two), the
     * runbook's blue-green user-service (its Service selecting version blue, deploy.2), a DaemonSet, a completed
     * Job, and a claim bound by the persistent-volume controller to its volume. Its certificates are valid for
     * {@code simulated_certificate_validity} (k8s.4).
     */
    private static void rke2(Inputs in, Settings s, HostSpec h, NodeFiles f) {
        Settings.Kubernetes k = s.kubernetes();
        List<io.triad.tech.kube.SimulatedControlPlane.Node> nodes = new ArrayList<>();
        for (int i = 1; i <= k.controlPlanes(); i++) {
            nodes.add(new io.triad.tech.kube.SimulatedControlPlane.Node("rke2-server-" + i, h.address().toString(), List.of("control-plane", "etcd", "master")));
        }
        for (int i = 1; i <= k.minWorkers(); i++) {
            nodes.add(new io.triad.tech.kube.SimulatedControlPlane.Node("worker-node-" + i, h.address().toString(), List.of()));
        }
        io.triad.tech.kube.SimulatedControlPlane.render(f, in.ca(), h.hostname(), h.address().toString(), k.context().isEmpty() ? "default" : k.context(),
                nodes, Map.of(RKE2_OBJECTS, WORKLOADS), io.triad.tech.kube.SimulatedControlPlane.newToken(), k.simulatedCertificateValidity());
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
