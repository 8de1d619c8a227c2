package io.triad.profile.sfa;

import io.triad.env.Fields;

import java.time.Duration;
import java.util.List;

/**
 * The SFA platform's own fields of an environment file (under {@code sfa:}): where Patroni's
 * configuration is (the runbook's {@code patronictl -c /etc/patroni/patroni.yml}), its REST and
 * PostgreSQL ports and the replication lag it tolerates; the HAProxy host and its write and read
 * ports; the Redis cluster's instances; the backup host, its WAL archive and base backups, and the
 * runbook's objectives (RPO for critical data, RTO for database recovery); Prometheus and
 * Alertmanager, the page receiver critical alerts must reach, and the certificates' directory.
 */
public record Settings(String patroniConfig, String scope, int restPort, int postgresPort, long lagThresholdBytes, Duration lagWithin,
                       String proxyHost, String proxyAddress, int writePort, int readPort, List<Integer> redisPorts,
                       String backupHost, String walArchive, String baseBackups, Duration rpo, Duration rto,
                       Duration fullBackupEvery, String redisCopy, String monitorHost, int prometheusPort, int alertmanagerPort, String rulesDir,
                       String pageReceiver, String pageLog, Duration alertMargin, String tlsDir, String database,
                       Kubernetes kubernetes, MongoDb mongodb, Emqx emqx) {

    /**
     * The RKE2 cluster, read with kubectl on {@code host} (with {@code context} when set): the
     * runbook's 3 control-plane nodes and at least 6 workers, and the etcd pods in kube-system
     * ({@code etcd-<control-plane node>}) asked with the client certificate RKE2 writes there. Null
     * when the environment has no {@code sfa.kubernetes} (the simulated zone declares it not applicable).
     * {@code blueGreenService}: the Service the runbook's blue-green deployment switches by its
     * {@code version} label (deploy.2); {@code certificateDir}: the control plane's certificates on
     * {@code host} (k8s.4; RKE2's server TLS directory); {@code simulatedCertificateValidity}: how long
     * a simulated control plane's certificates are made valid for (a mutant makes it short).
     */
    public record Kubernetes(String host, String context, int controlPlanes, int minWorkers, String etcdCaCert, String etcdCert, String etcdKey,
                             String deployment, String namespace, boolean simulate, String blueGreenService, String certificateDir,
                             Duration simulatedCertificateValidity) {
        /** kubectl on the host, with the context, as this setting names them. */
        public io.triad.tech.kube.Kubectl kubectl() {
            return new io.triad.tech.kube.Kubectl(host, context, "sfa.kubernetes");
        }
    }

    /**
     * The MongoDB replica set, asked member by member with mongosh on {@code host}, as {@code user}
     * with the password read from {@code passwordFile} on that host (never in the environment file):
     * a secondary's replication lag bound, the oplog window it must hold, and the backup schedule's
     * host and dump directory.
     */
    public record MongoDb(String host, List<String> members, String user, String passwordFile, Duration lagBound, Duration oplogWindow,
                          String backupHost, String dumps, Duration dumpEvery) { }

    /** The EMQX cluster's nodes and their dashboard API (port 18083), asked with curl on {@code host}, credentials from a netrc file on that host. */
    public record Emqx(String host, List<String> nodes, int apiPort, String netrcFile, double memoryBound) { }

    /** Reads {@code sfa:} from the top of an environment file (every field has the runbook's value or the zone's default). */
    public static Settings read(Fields top) {
        Fields u = top.object("sfa");
        Fields pg = u.object("patroni");
        String config = pg.absolutePath("config", "/etc/patroni/patroni.yml");
        String scope = pg.text("scope").orElse("sfa-postgres");
        int rest = pg.integer("rest_port", 8008, 1, 65535);
        int port = pg.integer("postgres_port", 5432, 1, 65535);
        long lag = pg.integer("lag_threshold_bytes", 1_048_576, 0, Integer.MAX_VALUE); // Patroni's maximum_lag_on_failover default
        Duration lagWithin = pg.duration("lag_within", "5s");
        String database = pg.text("database").orElse("postgres");
        pg.done();
        Fields proxy = u.object("haproxy");
        String proxyHost = proxy.requiredText("host");
        // where HAProxy's ports are asked on its host: the loopback where it binds every address (the
        // reference zone), the host's address where it binds that alone (autobase's layout)
        String proxyAddress = proxy.text("address").orElse("127.0.0.1");
        int write = proxy.integer("write_port", 5000, 1, 65535);
        int read = proxy.integer("read_port", 5001, 1, 65535);
        proxy.done();
        Fields redis = u.object("redis");
        List<Integer> redisPorts = ports(redis, "ports", List.of(6379, 6380));
        redis.done();
        Fields backup = u.object("backup");
        String backupHost = backup.requiredText("host");
        String wal = backup.absolutePath("wal_archive", "/backup/postgres-wal");
        String base = backup.absolutePath("base_backups", "/backup");
        Duration rpo = backup.duration("rpo", "15m"); // the runbook's RPO for critical data
        Duration rto = backup.duration("rto", "30m"); // the runbook's RTO for database recovery
        Duration full = backup.duration("full_every", "24h"); // the runbook's daily full backup
        // the backup host's copy of each Redis instance's RDB file of a day: {node} (or {index}, from 1), {port}, {date} (yyyyMMdd);
        // the runbook's is /backup/redis-{index}-{date}.rdb, one instance a node
        String redisCopy = backup.absolutePath("redis_copy", "/backup/redis/{node}-{port}-{date}.rdb");
        if (!redisCopy.contains("{date}") || !(redisCopy.contains("{node}") || redisCopy.contains("{index}"))) {
            throw backup.error("redis_copy", "'" + redisCopy + "' must name the node ({node} or {index}) and the day ({date})");
        }
        backup.done();
        Fields mon = u.object("monitoring");
        String monitorHost = mon.requiredText("host");
        int prometheus = mon.integer("prometheus_port", 9090, 1, 65535);
        int alertmanager = mon.integer("alertmanager_port", 9093, 1, 65535);
        String rules = mon.absolutePath("rules_dir", "/etc/prometheus/rules");
        String receiver = mon.text("page_receiver").orElse("page");
        String pageLog = mon.absolutePath("page_log", "/var/log/sfa/page.log");
        Duration margin = mon.duration("alert_margin", "60s");
        mon.done();
        String tls = u.absolutePath("tls_dir", "/etc/sfa/tls");
        Kubernetes kubernetes = null;
        Fields k = u.object("kubernetes");
        if (!k.isEmpty()) {
            String tlsEtcd = "/var/lib/rancher/rke2/server/tls/etcd/";
            kubernetes = new Kubernetes(k.requiredText("host"), k.text("context").orElse(""), k.integer("control_planes", 3, 1, 99),
                    k.integer("min_workers", 6, 0, 9999), k.absolutePath("etcd_ca_cert", tlsEtcd + "server-ca.crt"),
                    k.absolutePath("etcd_cert", tlsEtcd + "server-client.crt"), k.absolutePath("etcd_key", tlsEtcd + "server-client.key"),
                    // the service function the runbook's rollout and rollback name (deploy.7), and its namespace
                    k.text("deployment").orElse("user-management-service"), k.text("namespace").orElse("default"),
                    // in a simulated zone, whether the kubernetes host runs the control plane (a mutant catalog leaves it out where no mutant needs it)
                    k.bool("simulate", true),
                    // the runbook's blue-green Service (deploy.2), the control plane's certificate directory (k8s.4)
                    k.text("blue_green_service").orElse("user-service"), k.absolutePath("certificate_dir", "/var/lib/rancher/rke2/server/tls"),
                    k.duration("simulated_certificate_validity", "365d"));
            k.done();
        }
        MongoDb mongodb = null;
        Fields m = u.object("mongodb");
        if (!m.isEmpty()) {
            List<String> members = List.copyOf(m.stringSet("members"));
            if (members.isEmpty()) {
                throw m.error("members", "must list the replica set's members as host:port (the runbook's three)");
            }
            for (String member : members) {
                if (!member.matches("[A-Za-z0-9.-]+:\\d{1,5}")) {
                    throw m.error("members", "'" + member + "' is not host:port");
                }
            }
            mongodb = new MongoDb(m.requiredText("host"), members, m.text("user").orElse("monitor"), m.absolutePath("password_file", "/etc/sfa/mongodb-monitor.pass"),
                    m.duration("lag_bound", "10s"), m.duration("oplog_window", "24h"), m.text("backup_host").orElse(backupHost),
                    m.absolutePath("dumps", "/backup"), m.duration("dump_every", "24h"));
            m.done();
        }
        Emqx emqx = null;
        Fields e = u.object("emqx");
        if (!e.isEmpty()) {
            List<String> emqxNodes = List.copyOf(e.stringSet("nodes"));
            if (emqxNodes.isEmpty()) {
                throw e.error("nodes", "must list the EMQX nodes' API hosts (the runbook's emqx-1, emqx-2, emqx-3)");
            }
            emqx = new Emqx(e.requiredText("host"), emqxNodes, e.integer("api_port", 18083, 1, 65535), e.absolutePath("netrc_file", "/etc/sfa/emqx-api.netrc"),
                    e.integer("memory_bound_percent", 90, 1, 100) / 100.0);
            e.done();
        }
        u.done();
        return new Settings(config, scope, rest, port, lag, lagWithin, proxyHost, proxyAddress, write, read, redisPorts, backupHost, wal, base, rpo, rto,
                full, redisCopy, monitorHost, prometheus, alertmanager, rules, receiver, pageLog, margin, tls, database, kubernetes, mongodb, emqx);
    }

    /** A list of TCP ports (at least one), or the fallback when the key is absent. */
    private static List<Integer> ports(Fields f, String key, List<Integer> fallback) {
        com.fasterxml.jackson.databind.JsonNode n = f.optional(key);
        if (n.isMissingNode()) {
            return fallback;
        }
        if (!n.isArray() || n.isEmpty()) {
            throw f.error(key, "is not a list of ports (e.g. [6379, 6380])");
        }
        List<Integer> out = new java.util.ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode p : n) {
            if (!p.canConvertToInt() || p.asInt() < 1 || p.asInt() > 65535) {
                throw f.error(key, "'" + p.asText() + "' is not a TCP port (1 to 65535)");
            }
            out.add(p.asInt());
        }
        return List.copyOf(out);
    }

    /** The zone CA's certificate on every host. */
    public String caFile() {
        return tlsDir + "/ca.crt";
    }
}
