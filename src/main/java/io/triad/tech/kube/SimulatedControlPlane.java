package io.triad.tech.kube;

import io.triad.sim.NodeFiles;
import io.triad.sim.ZoneCa;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real Kubernetes control plane on a host of a simulated zone: etcd, kube-apiserver,
 * kube-controller-manager and kube-scheduler as systemd units, and kwok in place of the kubelets
 * (nodes that report Ready with their leases, pods that go Running and Ready; no container runs).
 * The binaries are built once per machine from the Go module proxy ({@code fixtures/kube/build.sh})
 * and seen read-only at {@link #BIN}; kubectl answers on the host with {@code /root/.kube/config},
 * as on a live cluster's node. The nodes are the zone's own, by name and address, with the roles
 * the runbook gives them; the objects a profile's zone has (its application's Deployment, ...),
 * one file each under {@link #OBJECTS} (a mutant's overlay replaces one), are applied by
 * {@code kube-bringup.service} once the API answers.
 *
 * <p>What it cannot be, declared where a check meets it: kwok runs no container (no logs, no
 * exec), pod addresses are not routed, Services carry no traffic; a profile pairs its pods with
 * the zone's real services (systemd units) for what needs traffic.
 */
public final class SimulatedControlPlane {

    /** Where the host sees the cache's binaries (read-only bind). */
    public static final String BIN = "/opt/kube/bin";
    /** The API server's port on the host. */
    public static final int API_PORT = 6443;
    /** The units, in start order. */
    public static final List<String> UNITS = List.of("kube-etcd.service", "kube-apiserver.service", "kube-controller-manager.service",
            "kube-scheduler.service", "kwok.service", "kube-bringup.service");
    /** The directory of the zone's objects, applied in their files' order (00-nodes.yaml first). */
    public static final String OBJECTS = "/etc/kubernetes/zone/";
    /** The annotation kwok manages nodes by. */
    public static final String KWOK_ANNOTATION = "kwok.x-k8s.io/node";

    /**
     * The label of pods that kwok does not complete: their paired service on a zone host does the
     * work and sets the pod's final state (Succeeded or Failed) through the API when it is done, so
     * a Job's status is the work's outcome, not kwok's (which completes any other Job's pod at once).
     * Its value names the service.
     */
    public static final String COMPLETED_BY = "triad-acceptance.io/completed-by";

    /** A node of the cluster: its name, the address it reports, its role labels (empty: a worker). */
    public record Node(String name, String address, List<String> roles) { }

    private SimulatedControlPlane() { }

    /**
     * The steady-state part of a zone with a simulated control plane: its bring-up (the API
     * answering, the zone's objects applied, the nodes Ready and the Deployments rolled out, or
     * given up on) is over on the host {@code host} names (empty: the zone has no control plane,
     * or it is live: nothing to wait for). What it brought up is the runbook's checks', not the
     * steady state's: a zone whose nodes never go Ready settles, and its checks fail.
     */
    public static io.triad.zone.SteadyPart up(java.util.function.Function<io.triad.zone.Zone, java.util.Optional<String>> host) {
        return new io.triad.zone.SteadyPart("kubernetes-up", false, zone -> {
            java.util.Optional<String> name = host.apply(zone);
            if (name.isEmpty() || !zone.env().simulated()) {
                return List.of();
            }
            io.triad.host.Host h = zone.supportHost(name.get());
            String state = h.exec("systemctl show -P ActiveState kube-bringup.service").stdout().strip();
            return state.equals("active") || state.equals("failed") ? List.of()
                    : List.of("the Kubernetes control plane on " + h.name() + " is still coming up (kube-bringup "
                    + (state.isEmpty() ? "unknown" : state) + ")");
        });
    }

    /**
     * The binds of a zone host: the cache's binaries at {@link #BIN} on the host that runs the
     * control plane ({@code controlPlaneHost}, empty: none), a clear error when this machine has
     * not built them.
     */
    public static Map<String, Path> binds(String host, java.util.Optional<String> controlPlaneHost) {
        return binds(host, controlPlaneHost, java.util.Set.of());
    }

    /** As {@link #binds(String, java.util.Optional)}, and the binaries (kubectl among them) on the {@code clients} too ({@link #client}). */
    public static Map<String, Path> binds(String host, java.util.Optional<String> controlPlaneHost, java.util.Set<String> clients) {
        if (controlPlaneHost.isEmpty() || !(controlPlaneHost.get().equals(host) || clients.contains(host))) {
            return Map.of();
        }
        Path bin = builtBinaries(io.triad.sim.SimulatedTriad.root()).orElseThrow(() ->
                new io.triad.env.InputError("the simulated zone's Kubernetes control plane is not built on this machine: run make images"
                        + " (fixtures/kube/build.sh builds it once, from the Go module proxy)"));
        return Map.of(BIN, bin);
    }

    /**
     * The cache's bin directory this machine built ({@code fixtures/kube/build.sh --dir}); empty
     * when the control plane has not been built here (a clear error follows at the zone's start).
     */
    public static java.util.Optional<Path> builtBinaries(Path projectRoot) {
        Path script = projectRoot.resolve("fixtures/kube/build.sh");
        try {
            Process p = new ProcessBuilder(script.toString(), "--dir").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0) {
                return java.util.Optional.empty();
            }
            Path bin = Path.of(out);
            return Files.isExecutable(bin.resolve("kube-apiserver")) && Files.isRegularFile(bin.resolve("kwok-stages.yaml"))
                    ? java.util.Optional.of(bin) : java.util.Optional.empty();
        } catch (java.io.IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    /**
     * The control plane's files on {@code files}' host: certificates from the zone's CA, an admin
     * token (group system:masters) in a kubeconfig whose context is {@code context}, the units,
     * the nodes and {@code manifests} (YAML documents) to apply once the API answers.
     */
    public static void render(NodeFiles files, ZoneCa ca, String hostname, String address, String context, List<Node> nodes,
                              Map<String, String> manifests) {
        render(files, ca, hostname, address, context, nodes, manifests, newToken());
    }

    /** A fresh admin token, for {@link #render} and the {@link #client}s of one zone. */
    public static String newToken() {
        return HexFormat.of().formatHex(random(24));
    }

    /**
     * kubectl on another host of the zone, as on a workstation: {@code /root/.kube/config} for the
     * API server at {@code apiAddress} with the zone's CA and {@code token} ({@link #render}'s), and
     * kubectl from the bound binaries ({@link #binds(String, java.util.Optional, java.util.Set)}).
     */
    public static void client(NodeFiles files, ZoneCa ca, String apiAddress, String context, String token) {
        files.file("/root/.kube/config", kubeconfig(ca.caPem(), "https://" + apiAddress + ":" + API_PORT, context, token), 0600);
        files.link("/usr/local/bin/kubectl", BIN + "/kubectl");
    }

    /** As {@link #render(NodeFiles, ZoneCa, String, String, String, List, Map)}, with the admin token given. */
    public static void render(NodeFiles files, ZoneCa ca, String hostname, String address, String context, List<Node> nodes,
                              Map<String, String> manifests, String token) {
        render(files, ca, hostname, address, context, nodes, manifests, token, Duration.ofDays(365));
    }

    /**
     * As {@link #render(NodeFiles, ZoneCa, String, String, String, List, Map, String)}, the control
     * plane's certificates (the API server's serving certificate, the service accounts' key pair)
     * valid for {@code validity} from now.
     */
    public static void render(NodeFiles files, ZoneCa ca, String hostname, String address, String context, List<Node> nodes,
                              Map<String, String> manifests, String token, Duration validity) {
        Instant now = Instant.now();
        ZoneCa.Issued serving = ca.issue("kube-apiserver", List.of("kubernetes", "kubernetes.default", "kubernetes.default.svc", hostname),
                List.of("127.0.0.1", address, "10.96.0.1"), now.minusSeconds(300), now.plus(validity));
        ZoneCa.Issued serviceAccounts = ca.issue("service-accounts", List.of("service-accounts"), List.of(), now.minusSeconds(300),
                now.plus(validity));
        String pki = "/etc/kubernetes/pki/";
        files.file(pki + "ca.crt", ca.caPem(), 0644);
        files.file(pki + "apiserver.crt", serving.certificatePem(), 0644);
        files.file(pki + "apiserver.key", serving.privateKeyPem(), 0600);
        files.file(pki + "sa.crt", serviceAccounts.certificatePem(), 0644);
        files.file(pki + "sa.key", serviceAccounts.privateKeyPem(), 0600);
        files.file("/etc/kubernetes/tokens.csv", token + ",triad-admin,triad-admin,\"system:masters\"\n", 0600);
        String kubeconfig = kubeconfig(ca.caPem(), "https://127.0.0.1:" + API_PORT, context, token);
        files.file("/etc/kubernetes/admin.kubeconfig", kubeconfig, 0600);
        files.file("/root/.kube/config", kubeconfig, 0600);
        files.link("/usr/local/bin/kubectl", BIN + "/kubectl");

        Map<String, String> units = new LinkedHashMap<>();
        units.put("kube-etcd.service", unit("etcd, the control plane's store", "", BIN + "/etcd --name " + hostname
                + " --data-dir /var/lib/kube-etcd --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379"
                + " --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380"
                + " --initial-cluster " + hostname + "=http://127.0.0.1:2380 --log-level warn"));
        units.put("kube-apiserver.service", unit("kube-apiserver", "kube-etcd.service", BIN + "/kube-apiserver"
                + " --etcd-servers http://127.0.0.1:2379 --bind-address 0.0.0.0 --advertise-address " + address
                + " --secure-port " + API_PORT + " --tls-cert-file " + pki + "apiserver.crt --tls-private-key-file " + pki + "apiserver.key"
                + " --client-ca-file " + pki + "ca.crt --token-auth-file /etc/kubernetes/tokens.csv --authorization-mode Node,RBAC"
                + " --service-account-issuer https://kubernetes.default.svc --service-account-key-file " + pki + "sa.crt"
                + " --service-account-signing-key-file " + pki + "sa.key --service-cluster-ip-range 10.96.0.0/16"
                + " --allow-privileged --v 1"));
        units.put("kube-controller-manager.service", unit("kube-controller-manager", "kube-apiserver.service", BIN + "/kube-controller-manager"
                + " --kubeconfig /etc/kubernetes/admin.kubeconfig --authentication-kubeconfig /etc/kubernetes/admin.kubeconfig"
                + " --authorization-kubeconfig /etc/kubernetes/admin.kubeconfig --leader-elect=false --bind-address 127.0.0.1"
                + " --service-account-private-key-file " + pki + "sa.key --root-ca-file " + pki + "ca.crt --use-service-account-credentials=false"
                + " --node-monitor-grace-period 40s --v 1"));
        units.put("kube-scheduler.service", unit("kube-scheduler", "kube-apiserver.service", BIN + "/kube-scheduler"
                + " --kubeconfig /etc/kubernetes/admin.kubeconfig --authentication-kubeconfig /etc/kubernetes/admin.kubeconfig"
                + " --authorization-kubeconfig /etc/kubernetes/admin.kubeconfig --leader-elect=false --bind-address 127.0.0.1 --v 1"));
        units.put("kwok.service", unit("kwok: the nodes' kubelets, simulated (no container runs)", "kube-apiserver.service", BIN + "/kwok"
                + " --kubeconfig /etc/kubernetes/admin.kubeconfig --manage-all-nodes=false"
                + " --manage-nodes-with-annotation-selector " + KWOK_ANNOTATION + "=fake --node-lease-duration-seconds 40"
                + " --node-ip " + address + " --cidr 10.244.0.0/16 --server-address 127.0.0.1:10247 --config " + BIN + "/kwok-stages.yaml"));
        units.forEach((name, text) -> {
            files.file("/etc/systemd/system/" + name, text, 0644);
            files.link("/etc/systemd/system/multi-user.target.wants/" + name, "/etc/systemd/system/" + name);
        });
        files.file(OBJECTS + "00-nodes.yaml", nodes.stream().map(SimulatedControlPlane::node).collect(Collectors.joining()), 0644);
        manifests.forEach((name, yaml) -> {
            if (!name.matches("[0-9][0-9]-[a-z0-9-]+\\.yaml") || name.startsWith("00-")) {
                throw new IllegalArgumentException("a manifest's file is named NN-name.yaml, NN from 01: not '" + name + "'");
            }
            files.file(OBJECTS + name, yaml.strip() + "\n", 0644);
        });
        files.file("/usr/local/sbin/kube-bringup", """
                #!/bin/sh
                # Applies the zone's nodes and objects once the API server answers (kube-bringup.service).
                set -e
                i=0
                # asked with curl where the host has it (the API's /readyz answers anyone): a kubectl
                # start costs about 60 ms of CPU, and the API server takes seconds to answer
                ready() { if command -v curl >/dev/null; then curl -sfk --max-time 2 https://127.0.0.1:%d/readyz >/dev/null 2>&1; else kubectl get --raw /readyz >/dev/null 2>&1; fi; }
                until ready; do
                  i=$((i + 1)); [ "$i" -lt 600 ] || { echo "the API server did not answer /readyz within 120 s" >&2; exit 1; }
                  sleep 0.2
                done
                kubectl apply -f /etc/kubernetes/zone/
                # the bring-up is over once the nodes are Ready and the Deployments rolled out, or given up on
                # (30 s each: a zone whose objects never come up must still settle, for its checks to fail)
                kubectl wait --for=condition=Ready node --all --timeout=30s || echo "not every node Ready within 30 s" >&2
                kubectl wait --for=jsonpath='{.status.phase}'=Bound pvc --all -A --timeout=30s 2>&1 | grep -v "no matching resources" >&2 || true
                kubectl wait --for=condition=complete job --all -A --timeout=30s 2>&1 | grep -v "no matching resources" >&2 || true
                for ns in $(kubectl get deployments -A -o jsonpath='{.items[*].metadata.namespace}' | tr ' ' '\\n' | sort -u); do
                  kubectl rollout status deployment -n "$ns" --timeout=30s || echo "deployments in $ns not rolled out within 30 s" >&2
                done
                """.formatted(API_PORT), 0755);
        files.file("/etc/systemd/system/kube-bringup.service", """
                [Unit]
                Description=The zone's Kubernetes nodes and objects, applied once the API answers
                After=kube-apiserver.service
                Wants=kube-apiserver.service

                [Service]
                Type=oneshot
                RemainAfterExit=yes
                Environment=KUBECONFIG=/etc/kubernetes/admin.kubeconfig
                ExecStart=/usr/local/sbin/kube-bringup

                [Install]
                WantedBy=multi-user.target
                """, 0644);
        files.link("/etc/systemd/system/multi-user.target.wants/kube-bringup.service", "/etc/systemd/system/kube-bringup.service");
    }

    /** A node object kwok keeps Ready: the zone's node name and address, its roles as labels. */
    static String node(Node n) {
        String roles = n.roles().stream().map(r -> "    node-role.kubernetes.io/" + r + ": \"true\"\n").collect(Collectors.joining());
        return """
                ---
                apiVersion: v1
                kind: Node
                metadata:
                  name: %s
                  annotations:
                    %s: fake
                  labels:
                    kubernetes.io/hostname: %s
                    kubernetes.io/os: linux
                    kubernetes.io/arch: amd64
                %sstatus:
                  addresses:
                    - { type: InternalIP, address: %s }
                    - { type: Hostname, address: %s }
                """.formatted(n.name(), KWOK_ANNOTATION, n.name(), roles, n.address(), n.name());
    }

    static String unit(String description, String after, String exec) {
        return """
                [Unit]
                Description=%s
                %s
                [Service]
                ExecStart=%s
                Restart=always
                RestartSec=1

                [Install]
                WantedBy=multi-user.target
                """.formatted(description, after.isEmpty() ? "" : "After=" + after + "\nRequires=" + after + "\n", exec);
    }

    static String kubeconfig(String caPem, String server, String context, String token) {
        String ca = java.util.Base64.getEncoder().encodeToString(caPem.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: %1$s
                    cluster:
                      server: %2$s
                      certificate-authority-data: %3$s
                users:
                  - name: triad-admin
                    user:
                      token: %4$s
                contexts:
                  - name: %1$s
                    context: { cluster: %1$s, user: triad-admin }
                current-context: %1$s
                """.formatted(context, server, ca, token);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
