package io.triad.profile.threephoenix;

import io.triad.env.Fields;

import java.time.Duration;
import java.util.Map;

/**
 * The RailianceThreePhoenix zone's own fields of an environment file (under {@code phoenix:}):
 * the database layer (PostgreSQL's port, the instance's data directory, repmgr's
 * configuration, the application's database), Pgpool-II (the host it runs on, its port), the
 * ingress (the host whose address is the zone's public address, the site's name on its
 * certificate, its ports), the backups (pgBackRest's stanza and the host of its repository, the
 * size tolerance between one day's backup and the previous), and the checklist's bounds:
 * replication lag (1 s), instance age (22 days), an application instance's replacement (2 min).
 * Every field has the seed's or the reference configuration's default.
 */
public record Settings(int postgresPort, String dataDirectory, String repmgrConf, String database,
                       String poolHost, int poolPort, String ingressHost, String siteName, int httpPort, int httpsPort, int appPort,
                       String appUnit, String stanza, String repositoryHost, String repositoryPath, double backupSizeTolerance, Duration lagBound,
                       Duration maxInstanceAge, Duration replacementWindow, String secretsDir, String caFile, String jobHistory, int scanRate, Duration siteCertificateValidity, String adminUser, String adminPasswordFile, String backupJob, Kubernetes kubernetes, String rotationCommand, JobSchedule jobSchedule,
                       String restoreCommand, String restoreUser)
        implements io.triad.env.NamedPorts {

    @Override
    public Map<String, Integer> namedPorts() {
        return Map.of("postgres", postgresPort, "pgpool", poolPort, "http", httpPort, "https", httpsPort, "app", appPort);
    }

    /** A secret of the zone on its hosts ({@code secretsDir/<name>.pass}). */
    /**
     * Where the server writes its log on a Debian node: /var/log/postgresql/postgresql-VERSION-CLUSTER.log,
     * the version and cluster read from the data directory (/var/lib/postgresql/15/main).
     */
    public String serverLog() {
        java.nio.file.Path d = java.nio.file.Path.of(dataDirectory);
        String cluster = d.getFileName() == null ? "main" : d.getFileName().toString();
        String version = d.getParent() == null || d.getParent().getFileName() == null ? "15" : d.getParent().getFileName().toString();
        return "/var/log/postgresql/postgresql-" + version + "-" + cluster + ".log";
    }

    public String secret(String name) {
        return secretsDir + "/" + name + ".pass";
    }

    /**
     * Where the zone's Kubernetes objects are read (a live zone on K3s, as the seed's): the host
     * that has kubectl, the context, the application's namespace and label selector. Null when the
     * zone has none (the simulated zone; its environment declares not_applicable.kubernetes).
     */
    /** {@code simulate}: in a simulated zone, whether its host runs the control plane (a mutant catalog leaves it out where no mutant needs it). */
    public record Kubernetes(String host, String context, String namespace, String appSelector, boolean simulate) {
        /** kubectl on the host, with the context, as this setting names them. */
        public io.triad.tech.kube.Kubectl kubectl() {
            return new io.triad.tech.kube.Kubectl(host, context, "phoenix.kubernetes");
        }
    }

    /**
     * Where the phoenix-maintenance job's schedule and last jobs are read: a CronJob in a namespace,
     * through the kubernetes settings (the seed's zone, and the simulated zone's: its Jobs in the API),
     * or a systemd timer on the repository's host and the job history there (a zone without
     * Kubernetes). Exactly one of {@code timer} and {@code cronJob} is set.
     */
    public record JobSchedule(String timer, String cronJob, String namespace) { }

    public static Settings read(Fields top) {
        Fields p = top.object("phoenix");
        Fields db = p.object("database");
        int pgPort = db.integer("port", 5432, 1, 65535);
        String data = db.absolutePath("data_directory", "/var/lib/postgresql/15/main");
        String repmgr = db.absolutePath("repmgr_conf", "/etc/repmgr.conf");
        String name = db.text("application_database").orElse("forge");
        db.done();
        Fields pool = p.object("pgpool");
        String poolHost = pool.text("host").orElse("edge");
        int poolPort = pool.integer("port", 9999, 1, 65535);
        pool.done();
        Fields in = p.object("ingress");
        String ingress = in.text("host").orElse("edge");
        String site = in.text("site_name").orElse("git.phoenix.test");
        int http = in.integer("http_port", 80, 1, 65535);
        int https = in.integer("https_port", 443, 1, 65535);
        // the CA the site's certificate must chain to (a live zone's public CA bundle, the zone CA in the simulation)
        String ca = in.absolutePath("ca_file", "/etc/phoenix/zone-ca.crt");
        // the port scan's pace (packets per second): a live zone's owners may want it gentler
        int scanRate = in.integer("scan_rate", 30000, 100, 100000);
        in.done();
        Fields app = p.object("application");
        int appPort = app.integer("port", 3000, 1, 65535);
        String appUnit = app.text("unit").orElse("forge.service");
        Duration replacement = app.duration("replacement_window", "2m");
        // the account the restore test logs in with, and the file (on the repository's host) holding its password
        String adminUser = app.text("admin_user").orElse("admin");
        String adminPassword = app.absolutePath("admin_password_file", "/etc/phoenix/secrets/forge-admin.pass");
        // the restore test starts the application against the test database: its command ({config}: a file in the
        // reference application's format, LISTEN/DATABASE/...; {listen}, {db_port}, {database}, {password_file}) and its user
        String restoreCommand = app.text("restore_command").orElse("/usr/bin/python3 /opt/phoenix/forge/forge.py --config {config}");
        String restoreUser = app.text("restore_user").orElse("forge");
        app.done();
        Fields b = p.object("backup");
        String stanza = b.text("stanza").orElse("phoenix");
        String repo = b.text("repository_host").orElse("ops");
        String repoPath = b.absolutePath("repository_path", "/var/lib/pgbackrest");
        String backupJob = b.text("job_unit").orElse("phoenix-backup.service");
        int tolerance = b.integer("size_tolerance_percent", 50, 1, 1000);
        b.done();
        Duration lag = p.duration("lag_bound", "1s");
        Duration age = p.duration("max_instance_age", "22d");
        String secrets = p.absolutePath("secrets_dir", "/etc/phoenix/secrets").replaceAll("/+$", "");
        // the phoenix-maintenance jobs' records, one JSON line per job, on the repository's host
        String jobs = p.absolutePath("job_history", "/var/lib/phoenix/maintenance/history.jsonl");
        // one week of the rotation run now, on the repository's host ({week}: 1, 2 or 3), for the rotation drill
        String rotation = p.text("rotation_command").orElse("/usr/local/sbin/phoenix-maintenance --week {week}");
        if (!rotation.contains("{week}")) {
            throw p.error("rotation_command", "must name the week to run with {week} (1, 2 or 3)");
        }
        Fields js = p.object("job_schedule");
        JobSchedule jobSchedule;
        java.util.Optional<String> cron = js.text("cronjob");
        if (cron.isPresent()) {
            if (js.text("timer").isPresent()) {
                throw js.error("timer", "name either a timer or a cronjob, not both");
            }
            jobSchedule = new JobSchedule(null, cron.get(), js.text("namespace").orElse("default"));
        } else {
            jobSchedule = new JobSchedule(js.text("timer").orElse("phoenix-maintenance.timer"), null, null);
        }
        js.done();
        Fields k = p.object("kubernetes");
        Kubernetes kubernetes = null;
        if (!k.isEmpty()) {
            kubernetes = new Kubernetes(k.requiredText("host"), k.text("context").orElse(""), k.text("namespace").orElse("default"),
                    k.text("app_selector").orElse("app=gitea"), k.bool("simulate", true));
            k.done();
        }
        if (jobSchedule.cronJob() != null && kubernetes == null) {
            throw p.error("job_schedule", "a cronjob is read through phoenix.kubernetes (the host with kubectl and its context), which is not set");
        }
        // the simulated zone's own: how long the site's certificate is valid from the zone's start
        Fields sim = p.object("simulation");
        Duration certValidity = sim.duration("site_certificate_validity", "365d");
        sim.done();
        p.done();
        return new Settings(pgPort, data, repmgr, name, poolHost, poolPort, ingress, site, http, https, appPort, appUnit, stanza, repo, repoPath,
                tolerance / 100.0, lag, age, replacement, secrets, ca, jobs, scanRate, certValidity, adminUser, adminPassword, backupJob, kubernetes,
                rotation, jobSchedule, restoreCommand, restoreUser);
    }
}
