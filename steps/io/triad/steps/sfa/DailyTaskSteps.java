package io.triad.steps.sfa;

import io.cucumber.java.en.Then;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.tech.postgres.Db;
import io.triad.tech.postgres.ServerLog;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runbook's PostgreSQL daily tasks (pg.6-pg.9): each the runbook's own query (as printed it does
 * not always parse; the corrected one is in the catalogue's method), and where the task promises an
 * effect (a slow statement is there to review) the effect tried: a statement slower than the
 * threshold is run and looked for where the review reads it.
 */
public class DailyTaskSteps extends SfaSupport {
    public DailyTaskSteps(io.triad.run.Run run) {
        super(run);
    }

    /** The runbook's "Check active connections" query, corrected (as printed its alias and closing ':' do not parse). */
    static final String CONNECTIONS_BY_STATE = "SELECT count(*), coalesce(state, '(no state: a server process)') FROM pg_stat_activity GROUP BY state ORDER BY 1 DESC";

    /**
     * What an ordinary client's connection depends on, read from the server itself: its data directory,
     * max_connections, the slots reserved for superusers, and the client backends open now. Past
     * {@code max_connections - superuser_reserved_connections} client backends PostgreSQL refuses every
     * connection but a superuser's ("remaining connection slots are reserved"): the clients are out.
     */
    static final String CAPACITY = "SELECT current_setting('data_directory'), current_setting('max_connections'),"
            + " current_setting('superuser_reserved_connections'), (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')";

    @Then("every node reports the free space of its data directory and its connections by state, with room left for an ordinary client")
    public void diskAndConnections() {
        List<String> problems = new ArrayList<>();
        for (Host h : nodes()) { // every node: each is the leader after a failover, and a replica serves the reads
            List<String> c = Db.rows(h, "postgres", CAPACITY).get(0);
            String dataDirectory = c.get(0).strip();
            int max = Integer.parseInt(c.get(1).strip());
            int reserved = Integer.parseInt(c.get(2).strip());
            int clients = Integer.parseInt(c.get(3).strip());
            CommandResult df = h.exec(h.asRoot(DiskSpace.command(dataDirectory)));
            DiskSpace space = DiskSpace.parse(df).orElseThrow(() -> new AssertionError(h.name() + " cannot report the free space of its data directory "
                    + dataDirectory + ": " + Db.firstLine(df.stderr().isBlank() ? df.stdout() : df.stderr())));
            long available = space.available();
            List<List<String>> byState = Db.rows(h, "postgres", CONNECTIONS_BY_STATE);
            zone.evidence().note(h.name() + ": the data directory's file system and the connections by state",
                    dataDirectory + ": " + space + "\n"
                            + byState.stream().map(r -> r.get(0).strip() + " " + r.get(1).strip()).collect(java.util.stream.Collectors.joining("\n"))
                            + "\nclient backends " + clients + " of max_connections " + max + ", " + reserved + " of them reserved for superusers");
            if (available == 0) {
                problems.add(h.name() + "'s data directory " + dataDirectory + " is on a full file system (" + space.mount() + ", " + space.used() + " used, nothing free)");
            }
            if (clients >= max - reserved) {
                problems.add(h.name() + " has " + clients + " client connections of max_connections " + max + " with " + reserved
                        + " reserved for superusers: an ordinary client is refused there now");
            }
        }
        none(problems, "disk space and connection counts");
    }

    private static String gib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }

    /** A directory's file system as {@code df -P -B1} reports it: its size and free bytes, its use, its mount point. */
    record DiskSpace(long size, long available, String used, String mount) {
        static String command(String directory) {
            return "df -P -B1 -- " + io.triad.host.Shell.quote(directory);
        }

        /** df's last line, empty when df failed or printed no such line. */
        static java.util.Optional<DiskSpace> parse(CommandResult df) {
            String[] f = df.stdout().strip().lines().reduce((a, b) -> b).orElse("").trim().split("\\s+");
            if (!df.ok() || f.length < 6 || !f[1].matches("\\d+") || !f[3].matches("\\d+")) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(new DiskSpace(Long.parseLong(f[1]), Long.parseLong(f[3]), f[4], f[5]));
        }

        @Override
        public String toString() {
            return gib(available) + " free of " + gib(size) + " (" + used + " used, on " + mount + ")";
        }
    }

    /** The runbook's "Review slow query logs" query (printed with ':' for ';'). */
    static final String SLOWEST = "SELECT query, mean_exec_time, calls, total_exec_time FROM pg_stat_statements ORDER BY mean_exec_time DESC LIMIT 10";

    @Then("the runbook's query of pg_stat_statements answers on the leader with its slowest statements")
    public void slowest() {
        Host leader = zone.host(primary(states()).node());
        CommandResult r = leader.exec(leader.asRoot(Db.psql(settings.database(), SLOWEST)));
        check(r.ok(), leader.name() + ": the runbook's query of pg_stat_statements fails in " + settings.database() + ": "
                + Db.firstLine(r.stderr().isBlank() ? r.stdout() : r.stderr())
                + " (pg_stat_statements must be in shared_preload_libraries and its extension created there)");
        zone.evidence().note("the ten slowest statements on " + leader.name() + " (query | mean ms | calls | total ms)", r.stdout());
    }

    @Then("every node logs statements slower than its threshold, and one run that slow on the leader is in the leader's log and in pg_stat_statements")
    public void slowStatementReviewable() {
        Map<String, Long> thresholds = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Host h : nodes()) { // every node: each is the leader after a failover, and its log the one to review
            List<List<String>> r = Db.rows(h, "postgres", "SELECT setting FROM pg_settings WHERE name = 'log_min_duration_statement'");
            long ms = r.isEmpty() ? -1 : Long.parseLong(r.get(0).get(0).strip());
            thresholds.put(h.name(), ms);
            if (ms < 0) {
                problems.add(h.name() + " logs no slow statement (log_min_duration_statement = -1): there is nothing to review");
            }
        }
        zone.evidence().note("log_min_duration_statement on every node (ms)", thresholds.toString());
        none(problems, "the slow query log");

        Host leader = zone.host(primary(states()).node());
        long threshold = thresholds.get(leader.name());
        Duration sleep = Duration.ofMillis(threshold + 300);
        check(sleep.compareTo(Duration.ofSeconds(30)) <= 0, leader.name() + "'s slow-query threshold is " + threshold
                + " ms: a statement that slow is not run here (at most 30 s); the setting is read on every node above");
        String token = "triad-slow-" + Long.toHexString(System.nanoTime());
        Instant since = Instant.now();
        String statement = "SELECT pg_sleep(" + sleep.toMillis() / 1000.0 + ") /* " + token + " */";
        Db.rows(leader, settings.database(), statement);
        zone.evidence().note("a statement slower than the threshold, run on " + leader.name(), statement);
        Duration logged = within(20, "the slow statement in " + leader.name() + "'s log", () -> {
            String log = leader.exec(leader.asRoot(ServerLog.everywhere(since))).stdout();
            check(log.lines().anyMatch(l -> l.contains(token) && l.contains("duration:")),
                    leader.name() + " did not log the statement " + token + " that ran " + sleep.toMillis() + " ms, over its threshold of "
                            + threshold + " ms");
        });
        zone.evidence().figure("slow statement found in the leader's log", logged.toMillis() + " ms after it ended");
        List<List<String>> counted = Db.rows(leader, settings.database(),
                "SELECT calls, round(mean_exec_time) FROM pg_stat_statements WHERE position('" + token + "' in query) > 0");
        check(!counted.isEmpty(), "pg_stat_statements on " + leader.name() + " does not count the statement " + token
                + " (track = none, or not the database's statistics)");
    }

    /**
     * The runbook's "Check database sizes" query, corrected (printed "pg database" for pg_database).
     * pg_database_size answers NULL for a database whose directory it cannot list (gone, or not
     * readable by the server): a database of the catalogue whose files are not there.
     */
    static final String SIZES = "SELECT datname, pg_database_size(datname) FROM pg_database ORDER BY pg_database_size(datname) DESC NULLS FIRST";

    @Then("the runbook's query of the database sizes answers on the leader with a size for every database of the cluster, largest first, beside its data directory's free space")
    public void databaseSizes() {
        Host leader = zone.host(primary(states()).node());
        CommandResult r = leader.exec(leader.asRoot(Db.psql("postgres", SIZES)));
        check(r.ok(), leader.name() + ": the runbook's query of the database sizes fails: " + Db.firstLine(r.stderr().isBlank() ? r.stdout() : r.stderr()));
        List<List<String>> rows = Db.parse(r.stdout());
        List<String> problems = new ArrayList<>();
        StringBuilder table = new StringBuilder();
        long total = 0;
        for (List<String> row : rows) {
            String name = row.get(0).strip();
            String size = row.size() > 1 ? row.get(1).strip() : "";
            if (!size.matches("\\d+")) {
                problems.add("the database " + name + " has no size (pg_database_size answers " + (size.isEmpty() ? "NULL" : size)
                        + "): its directory is gone or the server cannot read it");
                table.append(name).append(": no size\n");
                continue;
            }
            total += Long.parseLong(size);
            table.append(name).append(": ").append(gib(Long.parseLong(size))).append(" (").append(size).append(" bytes)\n");
        }
        String dataDirectory = Db.rows(leader, "postgres", "SHOW data_directory").get(0).get(0).strip();
        CommandResult df = leader.exec(leader.asRoot(DiskSpace.command(dataDirectory)));
        String free = DiskSpace.parse(df).map(DiskSpace::toString).orElse("its free space not readable: " + Db.firstLine(df.stderr()));
        zone.evidence().note("database sizes on the leader " + leader.name() + ", largest first", table + "all: " + gib(total) + "; the data directory "
                + dataDirectory + ": " + free);
        zone.evidence().figure("databases on the leader", String.valueOf(rows.size()));
        none(problems, "database sizes");
    }
}
