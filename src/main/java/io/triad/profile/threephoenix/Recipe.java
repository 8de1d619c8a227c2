package io.triad.profile.threephoenix;

import io.triad.env.Environment;
import io.triad.env.Environment.HostSpec;
import io.triad.tech.kube.SimulatedControlPlane;
import io.triad.sim.NodeFiles;
import io.triad.sim.SshKeys;
import io.triad.sim.ZoneCa;
import io.triad.sim.ZoneRecipe;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The simulated RailianceThreePhoenix zone, every part real and from Debian's packages (the image
 * {@code fixtures/three-phoenix/node}): three database nodes (PostgreSQL 15 with repmgr and
 * repmgrd; node A the first primary, B and C asynchronous standbys cloned from it; on each an
 * instance of the application, {@code forge}, under systemd with {@code Restart=always}), the
 * {@code edge} host (Pgpool-II routing writes to the primary and load-balancing SELECTs; the nginx
 * ingress with TLS from the zone CA and HTTP answered with a 301 to HTTPS; its address is the
 * zone's public address, where nothing else is reachable), and the {@code ops} host (the pgBackRest
 * repository, "the external location", with its daily backup; the phoenix-maintenance timer
 * standing in for the seed's CronJob). The first boot of each host is the operators' setup
 * ({@code phoenix-bringup}, in the image); this class renders its inputs.
 *
 * <p>Equivalences declared: the seed's Kubernetes Deployment of three Gitea pods with
 * anti-affinity is three {@code forge} instances, one per node, replaced by systemd when killed;
 * its CronJob is a systemd timer with the same schedule and a job history
 * ({@code /var/lib/phoenix/maintenance/history.jsonl}); Longhorn's replicated volumes have no
 * stand-in (each instance keeps its data on its own node, replicated by PostgreSQL).
 */
public final class Recipe implements ZoneRecipe, io.triad.tech.postgres.PrimaryRole {

    static final String NODE_ENV = "/etc/phoenix/node.env";
    static final String ZONE_ENV = "/etc/phoenix/zone.env";
    static final String BRINGUP = "phoenix-bringup.service";

    private final SecureRandom random = new SecureRandom();

    /** The zone's moving role: the primary (node A as built, moved by a failover or the rotation's switchover). */
    @Override
    public List<io.triad.host.Host> databaseNodes(io.triad.zone.Zone zone) {
        return Shape.nodes(zone);
    }

    /** repmgr's switchover, as the rotation's week 3 runs it: the node promoted, the old primary and the other standby following it. */
    @Override
    public void handTo(io.triad.zone.Zone zone, String node) {
        Settings s = zone.env().settings(Settings.class);
        io.triad.host.CommandResult r = zone.host(node).exec("runuser -u postgres -- repmgr -f " + io.triad.host.Shell.quote(s.repmgrConf())
                + " standby switchover --siblings-follow", java.time.Duration.ofSeconds(120));
        if (!r.ok()) {
            throw new AssertionError("repmgr standby switchover on " + node + " failed (exit " + r.exitCode() + "): "
                    + io.triad.tech.postgres.Db.firstLine(r.stderr().isBlank() ? r.stdout() : r.stderr()));
        }
        // Pgpool-II 4.3 learns of a new primary from a failover only: after a switchover in which no
        // node went down long enough for its health check, it names the old primary for good (tried:
        // 150 s). Restarted, it asks every node again (sr_check), as an operator's restart would.
        io.triad.host.Host pool = zone.supportHost(s.poolHost());
        io.triad.host.CommandResult p = pool.exec("systemctl restart pgpool2.service", java.time.Duration.ofSeconds(60));
        if (!p.ok()) {
            throw new AssertionError("Pgpool on " + s.poolHost() + " did not restart after the switchover: " + p.stderr().strip());
        }
    }

    @Override
    public String imageProperty() {
        return "three-phoenix.image";
    }

    @Override
    public List<String> volumes(Environment env, HostSpec host) {
        // a database node's instance survives a crash (the support hosts are never crashed by a drill)
        // and the backup repository on its own volume, in memory with the instances' stores
        return host.role().startsWith("node-") ? List.of("/var/lib/postgresql")
                : host.name().equals(env.settings(Settings.class).repositoryHost()) ? List.of(BACKUP_REPOSITORY) : List.of();
    }

    /** pgBackRest's repository on the backup host ({@code repo1-path}). */
    static final String BACKUP_REPOSITORY = "/var/lib/pgbackrest";

    /** No check reads the filesystem of the instances' stores or of the backup repository: in memory (io.triad.sim.MemoryVolumes). */
    @Override
    public boolean inMemory(Environment env, HostSpec host, String target) {
        return true;
    }

    /** Besides SSH access and the hostname: the zone's secrets, keys and certificates. */
    @Override
    public boolean identity(Environment env, String path) {
        Settings s = env.settings(Settings.class);
        return ZoneRecipe.super.identity(env, path) || path.startsWith(s.secretsDir() + "/") || path.startsWith("/etc/nginx/tls/")
                || path.startsWith("/var/lib/postgresql/.ssh/") || path.equals("/var/lib/postgresql/.pgpass")
                || path.equals("/etc/ssh/ssh_known_hosts") || path.startsWith("/root/.ssh/phoenix");
    }

    @Override
    public Map<String, NodeFiles> render(Inputs in) {
        Environment env = in.env();
        Settings s = env.settings(Settings.class);
        List<HostSpec> nodes = nodesInOrder(env);
        HostSpec primary = nodes.get(0);
        HostSpec edge = env.supportHost(s.poolHost());
        HostSpec ingress = env.supportHost(s.ingressHost());
        HostSpec ops = env.supportHost(s.repositoryHost());
        String subnet = env.simulation().subnet().toString();
        String gateway = subnet.substring(0, subnet.lastIndexOf('.') + 1) + "1"; // where the harness reaches the zone from

        Map<String, String> secrets = new LinkedHashMap<>();
        for (String name : List.of("repmgr", "forge", "pgpool", "forge-token", "forge-admin")) {
            secrets.put(name, HexFormat.of().formatHex(bytes(16)));
        }
        SshKeys.HostKey postgresKey = SshKeys.generate("postgres@" + env.zone());
        SshKeys.HostKey phoenixKey = SshKeys.generate("phoenix-maintenance@" + ops.hostname());
        StringBuilder knownHosts = new StringBuilder();
        List<HostSpec> all = new java.util.ArrayList<>(env.hosts());
        all.addAll(env.supportHosts());
        for (HostSpec h : all) {
            knownHosts.append(h.name()).append(',').append(h.hostname()).append(',').append(h.address()).append(' ')
                    .append(in.hostKeys().get(h.name()).publicKeyLine()).append('\n');
        }
        String nodeList = nodes.stream().map(h -> h.name() + ":" + h.address()).collect(Collectors.joining(" "));
        String zoneEnv = """
                # The zone as its automation knows it (phoenix-bringup, phoenix-maintenance, phoenix-backup)
                ZONE=%s
                NODES="%s"
                NODE_ADDRESSES="%s"
                PRIMARY_ADDRESS=%s
                STANZA=%s
                %s""".formatted(env.zone(), nodeList, nodes.stream().map(h -> h.address().toString()).collect(Collectors.joining(" ")),
                primary.address(), s.stanza(), cronJobMode(s)
                        ? "# the phoenix jobs are the CronJob's, in the control plane: phoenix-jobs runs each (phoenix-bringup creates the first)\n"
                        + "PHOENIX_CRONJOB=" + s.jobSchedule().namespace() + "/" + s.jobSchedule().cronJob() + "\n" : "");
        String kubeToken = io.triad.tech.kube.SimulatedControlPlane.newToken();
        String pgpass = "*:*:*:repmgr:%s\n*:*:*:forge:%s\n*:*:*:pgpool:%s\n".formatted(secrets.get("repmgr"), secrets.get("forge"),
                secrets.get("pgpool"));

        Instant now = Instant.now();
        Instant notAfter = env.simulation().certificateNotAfter().orElse(now.plus(s.siteCertificateValidity()));
        Instant notBefore = notAfter.isBefore(now) ? notAfter.minus(Duration.ofDays(365)) : now.minusSeconds(300);

        Map<String, NodeFiles> out = new LinkedHashMap<>();
        for (HostSpec h : all) {
            NodeFiles f = new NodeFiles();
            f.sshAccess(in.hostKeys().get(h.name()), in.authorizedKey());
            f.file("/etc/hostname", h.hostname() + "\n", 0644);
            f.file("/etc/ssh/ssh_known_hosts", knownHosts.toString(), 0644);
            f.file(Ingress.ZONE_CA, in.ca().caPem(), 0644);
            f.file(ZONE_ENV, zoneEnv, 0644);
            secrets.forEach((name, value) -> f.file(s.secret(name), value + "\n", 0600));
            f.file("/var/lib/postgresql/.pgpass", pgpass, 0600);
            f.file("/var/lib/postgresql/.ssh/id_ecdsa", postgresKey.privateKeyOpenSsh(), 0600);
            f.file("/var/lib/postgresql/.ssh/authorized_keys", postgresKey.publicKeyLine() + "\n", 0600);
            f.file("/var/lib/postgresql/.ssh/config", "IdentityFile ~/.ssh/id_ecdsa\nBatchMode yes\nConnectTimeout 5\n", 0600);
            boolean kubeHost = s.kubernetes() != null && h.name().equals(s.kubernetes().host());
            if (!kubeHost) {
                f.link("/etc/systemd/system/multi-user.target.wants/" + BRINGUP, "/etc/systemd/system/" + BRINGUP);
            }
            if (h.role().startsWith("node-")) {
                String role = h.equals(primary) ? "primary" : "standby";
                f.file(NODE_ENV, "# this host's part in the zone\nROLE=%s\nNODE_NAME=%s\n".formatted(role, h.name()), 0644);
                f.file("/etc/phoenix/postgresql.conf", postgresqlConf(s, h), 0644);
                f.file("/etc/phoenix/pg_hba.conf", pgHba(subnet), 0640);
                f.file(s.repmgrConf(), repmgrConf(s, h, nodes.indexOf(h) + 1), 0644);
                f.file("/etc/pgbackrest.conf", """
                        [global]
                        repo1-host=%s
                        repo1-host-user=postgres
                        log-level-console=warn
                        log-level-file=info

                        [%s]
                        pg1-path=%s
                        pg1-port=%d
                        """.formatted(ops.address(), s.stanza(), s.dataDirectory(), s.postgresPort()), 0644);
                f.file("/etc/phoenix/forge.env", """
                        # the application's instance on %s
                        LISTEN=0.0.0.0:%d
                        INSTANCE=%s
                        DATABASE=host=%s port=%d dbname=%s user=forge connect_timeout=3
                        DATABASE_PASSWORD_FILE=%s
                        SECRET_FILE=%s
                        ADMIN_USER=admin
                        ADMIN_PASSWORD_FILE=%s
                        """.formatted(h.name(), s.appPort(), h.name(), edge.address(), s.poolPort(), s.database(), s.secret("forge"),
                        s.secret("forge-token"), s.secret("forge-admin")), 0644);
                f.file("/root/.ssh/authorized_keys2", phoenixKey.publicKeyLine() + "\n", 0600);
                f.file("/etc/nftables.conf", nodeFirewall(s, nodes, edge, ops, gateway), 0755);
                f.link("/etc/systemd/system/sysinit.target.wants/nftables.service", "/lib/systemd/system/nftables.service");
            }
            if (h.equals(edge)) {
                f.file(NODE_ENV, "ROLE=edge\nNODE_NAME=%s\n".formatted(h.name()), 0644);
                f.file("/etc/pgpool2/pgpool.conf", pgpoolConf(s, nodes, secrets.get("pgpool")), 0640);
            }
            if (h.equals(ingress)) {
                ZoneCa.Issued site = in.ca().issue(s.siteName(), List.of(s.siteName()), List.of(h.address().toString()), notBefore, notAfter);
                f.file("/etc/nginx/tls/site.crt", site.certificatePem() + in.ca().caPem(), 0644);
                f.file("/etc/nginx/tls/site.key", site.privateKeyPem(), 0600);
                f.file("/etc/nginx/tls/zone-ca.crt", in.ca().caPem(), 0644);
                f.link("/etc/nginx/sites-enabled/default", "/dev/null");
                f.file("/etc/nginx/conf.d/forge.conf", nginxConf(s, nodes), 0644);
                f.file("/etc/nftables.conf", publicFirewall(s, nodes, edge, gateway), 0755);
                f.link("/etc/systemd/system/sysinit.target.wants/nftables.service", "/lib/systemd/system/nftables.service");
            }
            if (kubeHost && s.kubernetes().simulate()) {
                kubernetes(in, s, h, nodes, f, kubeToken);
            }
            if (h.equals(ops) && cronJobMode(s)) {
                HostSpec kube = env.supportHost(s.kubernetes().host());
                SimulatedControlPlane.client(f, in.ca(), kube.address().toString(), context(s), kubeToken);
            }
            if (h.equals(ops)) {
                f.file(NODE_ENV, "ROLE=ops\nNODE_NAME=%s\n".formatted(h.name()), 0644);
                StringBuilder repo = new StringBuilder("""
                        [global]
                        repo1-path=/var/lib/pgbackrest
                        repo1-retention-full=7
                        start-fast=y
                        compress-type=lz4
                        process-max=2
                        log-level-console=warn
                        log-level-file=info

                        [%s]
                        """.formatted(s.stanza()));
                for (int i = 0; i < nodes.size(); i++) {
                    repo.append("pg%d-host=%s\npg%d-path=%s\npg%d-port=%d\n".formatted(i + 1, nodes.get(i).address(), i + 1,
                            s.dataDirectory(), i + 1, s.postgresPort()));
                }
                f.file("/etc/pgbackrest.conf", repo.toString(), 0644);
                f.file("/root/.ssh/phoenix_ecdsa", phoenixKey.privateKeyOpenSsh(), 0600);
            }
            out.put(h.name(), f);
        }
        return out;
    }

    /** The application's namespace and Deployment, in the control plane's objects (a mutant overlays this file). */
    static final String APPLICATION_OBJECTS = "10-application.yaml";

    /**
     * The K3s cluster the seed's zone runs on, as a real control plane on the kubernetes host
     * ({@link SimulatedControlPlane}): the three nodes as control-plane nodes with K3s's roles
     * (control-plane, etcd, master), and the application's Deployment as the seed gives it: three
     * replicas spread by required anti-affinity on the hostname. Its pods are paired with the
     * application's systemd units on the same nodes, which carry the traffic (kwok runs no container).
     */
    /**
     * Whether the phoenix jobs are a CronJob's in the simulated control plane ({@code job_schedule.cronjob}
     * with {@code kubernetes.simulate}): the CronJob's Jobs, made at its schedule or from it by hand, are
     * run by {@code phoenix-jobs} on the repository's host (the work needs the database nodes, and
     * kwok runs no container), which sets each Job's pod Succeeded or Failed as the work ended, so the
     * Jobs' statuses are the work's. Otherwise {@code phoenix-maintenance.timer} runs them.
     */
    static boolean cronJobMode(Settings s) {
        if (s.jobSchedule().cronJob() == null) {
            return false;
        }
        if (s.kubernetes() == null || !s.kubernetes().simulate()) {
            throw new IllegalArgumentException("phoenix.job_schedule.cronjob needs the simulated control plane in a simulated zone"
                    + " (phoenix.kubernetes with simulate true), or name the timer instead");
        }
        return true;
    }

    private static String context(Settings s) {
        return s.kubernetes().context().isEmpty() ? "default" : s.kubernetes().context();
    }

    /** The phoenix-maintenance CronJob, as the seed gives it: weekly, Sunday 03:00 UTC; its pods completed by phoenix-jobs. */
    static final String PHOENIX_OBJECTS = "20-phoenix-maintenance.yaml";

    private static void kubernetes(Inputs in, Settings s, HostSpec h, List<HostSpec> nodes, NodeFiles f, String token) {
        Settings.Kubernetes k = s.kubernetes();
        String[] selector = k.appSelector().split("=", 2);
        if (selector.length != 2 || !selector[0].matches("[a-z0-9A-Z._/-]+") || !selector[1].matches("[a-z0-9A-Z._-]+")) {
            throw new IllegalArgumentException("phoenix.kubernetes.app_selector must be one key=value label to simulate, not '" + k.appSelector() + "'");
        }
        String deployment = """
                apiVersion: v1
                kind: Namespace
                metadata: { name: %1$s }
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: { name: forge, namespace: %1$s }
                spec:
                  replicas: 3
                  selector: { matchLabels: { %2$s: %3$s } }
                  template:
                    metadata: { labels: { %2$s: %3$s } }
                    spec:
                      affinity:
                        podAntiAffinity:
                          requiredDuringSchedulingIgnoredDuringExecution:
                            - labelSelector: { matchLabels: { %2$s: %3$s } }
                              topologyKey: kubernetes.io/hostname
                      containers:
                        - name: forge
                          image: forge:simulated
                          ports: [ { containerPort: %4$d } ]
                """.formatted(k.namespace(), selector[0], selector[1], s.appPort());
        Map<String, String> objects = new LinkedHashMap<>(Map.of(APPLICATION_OBJECTS, deployment));
        if (cronJobMode(s)) {
            Settings.JobSchedule js = s.jobSchedule();
            String namespace = js.namespace().equals(k.namespace()) || List.of("default", "kube-system").contains(js.namespace()) ? "" : """
                    apiVersion: v1
                    kind: Namespace
                    metadata: { name: %s }
                    ---
                    """.formatted(js.namespace());
            objects.put(PHOENIX_OBJECTS, namespace + """
                    apiVersion: batch/v1
                    kind: CronJob
                    metadata: { name: %1$s, namespace: %2$s }
                    spec:
                      schedule: "0 3 * * 0"
                      timeZone: Etc/UTC
                      concurrencyPolicy: Forbid
                      successfulJobsHistoryLimit: 3
                      failedJobsHistoryLimit: 3
                      jobTemplate:
                        metadata: { labels: { %3$s: phoenix-maintenance } }
                        spec:
                          backoffLimit: 0
                          template:
                            metadata: { labels: { %3$s: phoenix-maintenance } }
                            spec:
                              restartPolicy: Never
                              containers:
                                - name: phoenix
                                  image: phoenix-maintenance:simulated
                    """.formatted(js.cronJob(), js.namespace(), SimulatedControlPlane.COMPLETED_BY));
        }
        SimulatedControlPlane.render(f, in.ca(), h.hostname(), h.address().toString(), context(s),
                nodes.stream().map(n -> new SimulatedControlPlane.Node(n.name(), n.address().toString(), List.of("control-plane", "etcd", "master")))
                        .toList(), objects, token);
    }

    @Override
    public Map<String, java.nio.file.Path> binds(Environment env, HostSpec host) {
        Settings s = env.settings(Settings.class);
        return SimulatedControlPlane.binds(host.name(), java.util.Optional.ofNullable(s.kubernetes()).filter(Settings.Kubernetes::simulate)
                .map(Settings.Kubernetes::host), cronJobMode(s) ? java.util.Set.of(s.repositoryHost()) : java.util.Set.of());
    }

    /** The zone's database nodes in the order of the profile's roles (node A, B, C). */
    static List<HostSpec> nodesInOrder(Environment env) {
        List<HostSpec> nodes = new java.util.ArrayList<>(env.hosts());
        nodes.sort(java.util.Comparator.comparingInt(x -> env.profile().roles().indexOf(x.role())));
        return nodes;
    }

    static String postgresqlConf(Settings s, HostSpec h) {
        return """
                # PostgreSQL 15 on %s, as the zone's database nodes run it (repmgr, pgBackRest's archive)
                listen_addresses = '*'
                port = %d
                cluster_name = '%s'
                wal_level = replica
                max_wal_senders = 10
                max_replication_slots = 10
                hot_standby = on
                wal_log_hints = on
                wal_keep_size = 256MB
                shared_preload_libraries = 'repmgr'
                archive_mode = on
                archive_command = 'pgbackrest --stanza=%s archive-push %%p'
                password_encryption = scram-sha-256
                shared_buffers = 32MB
                max_connections = 100
                log_line_prefix = '%%m [%%p] %%q%%u@%%d '
                """.formatted(h.name(), s.postgresPort(), h.name(), s.stanza());
    }

    static String pgHba(String subnet) {
        return """
                # TYPE  DATABASE     USER      ADDRESS   METHOD
                local   all          postgres            peer
                local   replication  all                 peer
                local   all          all                 peer
                host    repmgr       repmgr    %1$s  scram-sha-256
                host    replication  repmgr    %1$s  scram-sha-256
                host    forge        forge     %1$s  scram-sha-256
                host    postgres     pgpool    %1$s  scram-sha-256
                host    forge        pgpool    %1$s  scram-sha-256
                """.formatted(subnet);
    }

    static String repmgrConf(Settings s, HostSpec h, int id) {
        return """
                # repmgr on %1$s
                node_id=%2$d
                node_name='%1$s'
                conninfo='host=%3$s port=%4$d user=repmgr dbname=repmgr connect_timeout=2'
                data_directory='%5$s'
                pg_bindir='/usr/lib/postgresql/15/bin'
                use_replication_slots=yes
                priority=%6$d
                failover='automatic'
                promote_command='/usr/bin/repmgr standby promote -f %7$s --log-to-file'
                follow_command='/usr/bin/repmgr standby follow -f %7$s --log-to-file --upstream-node-id=%%n'
                service_start_command='sudo /usr/bin/systemctl start postgresql@15-main'
                service_stop_command='sudo /usr/bin/systemctl stop postgresql@15-main'
                service_restart_command='sudo /usr/bin/systemctl restart postgresql@15-main'
                service_reload_command='sudo /usr/bin/systemctl reload postgresql@15-main'
                monitor_interval_secs=2
                reconnect_attempts=3
                reconnect_interval=2
                primary_visibility_consensus=true
                ssh_options='-q -o BatchMode=yes -o ConnectTimeout=5'
                log_level='INFO'
                log_facility='STDERR'
                """.formatted(h.name(), id, h.address(), s.postgresPort(), s.dataDirectory(), 100 - id, s.repmgrConf());
    }

    static String pgpoolConf(Settings s, List<HostSpec> nodes, String password) {
        StringBuilder backends = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) {
            backends.append("""
                    backend_hostname%1$d = '%2$s'
                    backend_port%1$d = %3$d
                    backend_weight%1$d = 1
                    backend_data_directory%1$d = '%4$s'
                    backend_flag%1$d = 'ALLOW_TO_FAILOVER'
                    backend_application_name%1$d = '%5$s'
                    """.formatted(i, nodes.get(i).address(), s.postgresPort(), s.dataDirectory(), nodes.get(i).name()));
        }
        return """
                # Pgpool-II 4.3 on the edge: writes to the primary, SELECTs load-balanced over the nodes
                backend_clustering_mode = 'streaming_replication'
                listen_addresses = '*'
                port = %1$d
                socket_dir = '/var/run/postgresql'
                pcp_listen_addresses = 'localhost'
                pcp_port = 9898
                pcp_socket_dir = '/var/run/postgresql'
                pid_file_name = '/var/run/postgresql/pgpool.pid'
                %2$s
                enable_pool_hba = off
                allow_clear_text_frontend_auth = on
                pool_passwd = ''
                num_init_children = 32
                max_pool = 2
                connection_cache = on
                load_balance_mode = on
                statement_level_load_balance = off
                disable_load_balance_on_write = 'transaction'
                sr_check_period = 1
                sr_check_user = 'pgpool'
                sr_check_password = '%3$s'
                sr_check_database = 'postgres'
                delay_threshold = 10000000
                health_check_period = 1
                health_check_timeout = 2
                health_check_user = 'pgpool'
                health_check_password = '%3$s'
                health_check_database = 'postgres'
                health_check_max_retries = 2
                health_check_retry_delay = 1
                failover_on_backend_error = on
                search_primary_node_timeout = 0
                auto_failback = on
                auto_failback_interval = 5
                log_destination = 'stderr'
                log_per_node_statement = off
                logging_collector = off
                """.formatted(s.poolPort(), backends, password);
    }

    static String nginxConf(Settings s, List<HostSpec> nodes) {
        String upstream = nodes.stream().map(h -> "    server %s:%d max_fails=1 fail_timeout=5s;".formatted(h.address(), s.appPort()))
                .collect(Collectors.joining("\n"));
        return """
                # The ingress: TLS terminated here for %1$s, HTTP answered with a permanent redirect to HTTPS
                upstream forge {
                %2$s
                }
                server {
                    listen %3$d default_server;
                    server_name _;
                    return 301 https://$host$request_uri;
                }
                server {
                    listen %4$d ssl default_server;
                    server_name %1$s;
                    ssl_certificate /etc/nginx/tls/site.crt;
                    ssl_certificate_key /etc/nginx/tls/site.key;
                    ssl_protocols TLSv1.2 TLSv1.3;
                    location / {
                        proxy_pass http://forge;
                        proxy_next_upstream error timeout http_502 http_503;
                        proxy_connect_timeout 2s;
                        proxy_set_header Host $host;
                        proxy_set_header X-Forwarded-Proto https;
                    }
                }
                """.formatted(s.siteName(), upstream, s.httpPort(), s.httpsPort());
    }

    /**
     * The edge's firewall: its address is the zone's public address, where only the ingress (HTTP
     * and HTTPS) is reachable; Pgpool only from the database nodes (their application instances),
     * SSH only from where the operators (the harness) come from.
     */
    static String publicFirewall(Settings s, List<HostSpec> nodes, HostSpec edge, String management) {
        String apps = nodes.stream().map(h -> h.address().toString()).collect(Collectors.joining(", "));
        return firewall(edge.name() + ": the zone's public address. Only HTTP and HTTPS from anywhere.",
                "tcp dport { %d, %d } accept".formatted(s.httpPort(), s.httpsPort()),
                "ip saddr { %s } tcp dport %d accept".formatted(apps, s.poolPort()),
                "ip saddr %s tcp dport 22 accept".formatted(management));
    }

    /**
     * A database node's firewall: the zone's internals reachable from the zone only. PostgreSQL
     * from the other nodes and the edge (Pgpool), the application from the edge (the ingress), SSH
     * from the nodes (repmgr's switchover), the ops host (backups, the phoenix job) and the
     * operators (the harness).
     */
    static String nodeFirewall(Settings s, List<HostSpec> nodes, HostSpec edge, HostSpec ops, String management) {
        String peers = nodes.stream().map(h -> h.address().toString()).collect(Collectors.joining(", "));
        return firewall("a database node: reachable from the zone only",
                "ip saddr { %s, %s } tcp dport %d accept".formatted(peers, edge.address(), s.postgresPort()),
                "ip saddr %s tcp dport %d accept".formatted(edge.address(), s.appPort()),
                "ip saddr { %s, %s, %s } tcp dport 22 accept".formatted(peers, ops.address(), management));
    }

    /** An nftables ruleset: input dropped but for established traffic, loopback, ping and the given rules. */
    static String firewall(String comment, String... accepts) {
        StringBuilder rules = new StringBuilder();
        for (String a : accepts) {
            rules.append("        ").append(a).append('\n');
        }
        return """
                #!/usr/sbin/nft -f
                # %s
                flush ruleset
                table inet filter {
                    chain input {
                        type filter hook input priority 0; policy drop;
                        ct state established,related accept
                        iif lo accept
                %s        icmp type echo-request accept
                    }
                }
                """.formatted(comment, rules);
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
