package io.triad.steps.threephoenix;

import io.triad.tech.postgres.Db;
import io.cucumber.java.en.Then;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.profile.threephoenix.RepmgrCluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** II. Database & Persistence: the cluster's state, replication, routing and backups. */
public class DatabaseSteps extends PhoenixSupport {
    public DatabaseSteps(io.triad.run.Run run) {
        super(run);
    }

    private final Map<String, RepmgrCluster> shown = new LinkedHashMap<>();

    private String repmgr(String args) {
        return "runuser -u postgres -- repmgr -f " + q(settings.repmgrConf()) + " " + args;
    }

    @Then("repmgr cluster show on every node lists exactly 1 primary and 2 standbys, running, the same on every node")
    public void clusterShow() {
        List<String> problems = onEachHost(nodes(), (h, found) -> {
            CommandResult r = h.exec(h.asRoot(repmgr("cluster show")));
            if (r.stdout().isBlank()) {
                found.add(h.name() + ": repmgr cluster show answered nothing (" + Db.firstLine(r.stderr()) + ")");
                return;
            }
            parsed(h, "repmgr cluster show", found, () -> RepmgrCluster.parse(r.stdout()))
                    .ifPresent(c -> {
                        synchronized (shown) {
                            shown.put(h.name(), c);
                        }
                        found.addAll(c.problems(h.name(), nodes().size()));
                    });
        });
        none(problems, "repmgr's cluster");
        List<RepmgrCluster> views = nodes().stream().map(h -> shown.get(h.name())).toList();
        for (int i = 1; i < views.size(); i++) {
            check(views.get(i).equals(views.get(0)), nodes().get(i).name() + " shows the cluster otherwise than " + nodes().get(0).name()
                    + ": " + views.get(i) + " against " + views.get(0));
        }
    }

    @Then("repmgr cluster crosscheck finds every node reachable from every other")
    public void crosscheck() {
        Host h = nodes().get(0);
        CommandResult r = h.exec(h.asRoot(repmgr("cluster crosscheck")));
        zone.evidence().note("repmgr cluster crosscheck on " + h.name(), r.stdout());
        check(r.ok(), "repmgr cluster crosscheck on " + h.name() + " reports unreachable nodes (exit " + r.exitCode() + "): "
                + r.stdout().strip().replace('\n', ' '));
    }

    @Then("the primary repmgr names is the only node not in recovery, and no server on any host is another writable copy of the database")
    public void primaryIsTheWriter() {
        check(!shown.isEmpty(), "repmgr cluster show was not read");
        String named = shown.values().iterator().next().primary();
        Db.NodeState p = primary(states());
        check(p.node().equals(named), "repmgr names " + named + " the primary, but " + p.node() + " is the node not in recovery");
        // "Only": every PostgreSQL server on every host of the zone, found by what it is (a postmaster,
        // whatever its port or data directory), asked what it is: a writable copy of this database (the
        // same system identifier: a restore, a base backup started without standby.signal) is a
        // second primary wherever it runs.
        List<Host> all = new java.util.ArrayList<>(zone.hosts());
        all.addAll(zone.supportHosts());
        List<io.triad.tech.postgres.Servers.Server> servers = zone.onEach(all, io.triad.tech.postgres.Servers::on).stream()
                .flatMap(List::stream).toList();
        zone.evidence().note("every PostgreSQL server on the zone's hosts", String.join("\n", servers.stream().map(Object::toString).toList()));
        List<io.triad.tech.postgres.Servers.Server> theirs = servers.stream().filter(v -> v.host().equals(named) && v.writable()).toList();
        check(theirs.size() == 1, named + " runs " + theirs.size() + " writable PostgreSQL servers, expected its one instance: " + servers);
        String system = theirs.get(0).systemIdentifier();
        List<io.triad.tech.postgres.Servers.Server> others = servers.stream().filter(v -> v != theirs.get(0)
                && (v.error() != null || v.writable() && system.equals(v.systemIdentifier()))).toList();
        check(others.isEmpty(), "besides the primary " + named + ", " + String.join("; ", others.stream().map(Object::toString).toList())
                + (others.stream().anyMatch(v -> v.error() == null) ? ": a second writable copy of the database (system " + system + ")"
                : ": a server that could not be asked what it is"));
    }

    @Then("every standby's WAL receiver streams from the primary, on the primary's timeline")
    public void receivers() {
        List<Db.NodeState> states = states();
        Db.NodeState p = primary(states);
        String address = zone.host(p.node()).address();
        zone.evidence().figure("primary", p.node() + " on timeline " + p.timeline() + " at " + p.currentLsn());
        List<String> problems = new ArrayList<>();
        for (Db.NodeState s : states) {
            if (s == p) {
                continue;
            }
            zone.evidence().figure(s.node() + " receiver", s.receiver() + ", replayed to " + s.replayLsn());
            if (!s.receiverStatus().equals("streaming")) {
                problems.add(s.node() + "'s WAL receiver is " + (s.receiverStatus().isEmpty() ? "not running" : s.receiverStatus()));
            } else if (!s.senderHost().equals(address)) {
                problems.add(s.node() + " streams from " + s.senderHost() + ", not from the primary " + p.node() + " (" + address + ")");
            } else if (s.receivedTimeline() != p.timeline()) {
                problems.add(s.node() + " streams on timeline " + s.receivedTimeline() + ", the primary writes timeline " + p.timeline());
            }
        }
        none(problems, "standbys not following the primary");
    }

    @Then("the primary's pg_stat_replication lists every standby streaming")
    public void senders() {
        Db.NodeState p = primary(states());
        Host primary = zone.host(p.node());
        List<List<String>> rows = Db.rows(primary, "postgres",
                "SELECT application_name, client_addr, state, replay_lsn, coalesce(extract(epoch FROM replay_lag), 0) FROM pg_stat_replication");
        zone.evidence().note("pg_stat_replication on " + p.node(), rows.stream().map(r -> String.join(" | ", r)).reduce("", (a, b) -> a + b + "\n"));
        List<String> problems = new ArrayList<>();
        for (Host h : nodes()) {
            if (h.name().equals(p.node())) {
                continue;
            }
            var row = rows.stream().filter(r -> r.get(1).equals(h.address())).findFirst();
            if (row.isEmpty()) {
                problems.add(p.node() + " sends WAL to no connection from " + h.name() + " (" + h.address() + ")");
            } else if (!row.get().get(2).equals("streaming")) {
                problems.add(p.node() + "'s sender to " + h.name() + " is " + row.get().get(2));
            } else if (Double.parseDouble(row.get().get(4)) * 1000 >= settings.lagBound().toMillis()) {
                problems.add(h.name() + "'s replay lag as the primary measures it is " + row.get().get(4) + " s");
            }
        }
        none(problems, "the primary's senders");
    }

    @Then("no node names a synchronous standby, and the primary's pg_stat_replication lists every standby async")
    public void asynchronous() {
        Db.NodeState p = primary(states());
        Host primary = zone.host(p.node());
        Map<String, String> names = new LinkedHashMap<>();
        for (Host h : nodes()) { // every node: each is the primary after a failover or a rotation's switchover
            List<List<String>> r = Db.rows(h, "postgres", io.triad.tech.postgres.SynchronousReplication.NAMES);
            names.put(h.name(), r.isEmpty() ? "" : r.get(0).get(0));
        }
        List<List<String>> senders = Db.rows(primary, "postgres", io.triad.tech.postgres.SynchronousReplication.SENDERS);
        zone.evidence().note("synchronous_standby_names on every node", names.toString());
        zone.evidence().note("pg_stat_replication on " + p.node() + " (application_name | client_addr | sync_state)",
                senders.stream().map(r -> String.join(" | ", r)).reduce("", (a, b) -> a + b + "\n"));
        Map<String, String> standbys = new LinkedHashMap<>();
        nodes().stream().filter(h -> !h.name().equals(p.node())).forEach(h -> standbys.put(h.name(), h.address()));
        none(io.triad.tech.postgres.SynchronousReplication.problems(p.node(), names, senders, standbys), "replication that is not asynchronous");
    }

    @Then("every standby replays the primary's current position within the lag bound")
    public void lag() {
        Db.NodeState p = primary(states());
        List<Host> standbys = nodes().stream().filter(h -> !h.name().equals(p.node())).toList();
        Host primary = zone.host(p.node());
        // Something to replay: on an idle primary every standby has replayed its position already,
        // and a standby that replays late (recovery_min_apply_delay, a slow link) would pass. A
        // transaction that takes an id commits a WAL record and leaves nothing behind.
        Db.rows(primary, "postgres", "SELECT txid_current()");
        long target = afterCommit(Db.rows(primary, "postgres", "SELECT pg_current_wal_insert_lsn()").get(0).get(0));
        long t0 = System.nanoTime();
        Duration bound = settings.lagBound();
        List<String> problems = onEachHost(standbys, (h, found) -> {
            // how long the standby takes to replay the position the primary had when asked
            while (true) {
                String replay = Db.rows(h, "postgres", "SELECT coalesce(pg_last_wal_replay_lsn()::text, '0/0')").get(0).get(0);
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                if (Db.lsn(replay) >= target) {
                    zone.evidence().figure(h.name() + " replay lag", took.toMillis() + " ms (at most; " + replay + ")");
                    return;
                }
                if (took.compareTo(bound) >= 0) {
                    found.add(h.name() + " had not replayed the primary's position " + Long.toHexString(target) + " after "
                            + took.toMillis() + " ms (at " + replay + ")");
                    return;
                }
            }
        });
        none(problems, "replication lag over " + bound.toMillis() + " ms");
    }

    /**
     * The position a standby has replayed once it has replayed the commit just made: the primary's
     * WAL insert position read after it. Not the write position ({@code pg_current_wal_lsn()}): a
     * transaction that wrote no WAL before its commit record (an id taken, nothing else) commits
     * asynchronously, its record written by the WAL writer up to 200 ms later, so the write position
     * read at once can stop short of it, and a standby held before that commit by
     * recovery_min_apply_delay passed (seen in CI on 2026-11-26, once the psql calls had become
     * faster than the WAL writer). At a page's start the insert position is past the page header
     * (24 bytes, 40 at a segment's first page; 8 KiB pages, 16 MiB segments, the defaults), where no record ends: the record's end
     * is before the header.
     */
    static long afterCommit(String insertLsn) {
        long target = Db.lsn(insertLsn);
        if (target % (16L << 20) == 40) { // a segment's first page (16 MiB segments): its long header
            return target - 40;
        }
        return target % 8192 == 24 ? target - 24 : target; // any other page's short header
    }

    /** psql through Pgpool on its own host, as the application's user (its password in the host's .pgpass), one session. */
    private String throughPool(String sql) {
        return io.triad.tech.postgres.Db.psqlTo(q("host=127.0.0.1 port=" + settings.poolPort() + " user=" + settings.database()
                + " dbname=" + settings.database() + " connect_timeout=3") + " -XAtq -c " + q(sql));
    }

    /** Which node answered each of {@code n} fresh sessions through Pgpool running {@code sql}, counted by node. */
    private Map<String, Integer> answeredBy(String sql, int n, List<String> errors) {
        Host pool = zone.supportHost(settings.poolHost());
        CommandResult r = pool.exec(pool.asRoot("for i in $(seq " + n + "); do " + throughPool(sql) + " 2>&1 | tail -n 1; done"),
                Duration.ofSeconds(60));
        Map<String, Integer> counts = new java.util.TreeMap<>();
        java.util.Set<String> names = new java.util.HashSet<>(nodes().stream().map(Host::name).toList());
        for (String line : r.stdout().split("\n")) {
            if (names.contains(line.strip())) {
                counts.merge(line.strip(), 1, Integer::sum);
            } else if (!line.isBlank()) {
                errors.add(line.strip());
            }
        }
        return counts;
    }

    @Then("plain SELECTs through Pgpool, each in a fresh session, are answered by every standby")
    public void selectsToStandbys() {
        Host pool = zone.supportHost(settings.poolHost());
        Map<String, String> names = io.triad.profile.threephoenix.Shape.names(zone);
        var before = io.triad.profile.threephoenix.PoolNodes.read(pool, settings, names);
        List<String> errors = new ArrayList<>();
        // current_setting() is stable: a SELECT calling a volatile function would always go to the primary
        Map<String, Integer> counts = answeredBy("SELECT current_setting('cluster_name')", 30, errors);
        var after = io.triad.profile.threephoenix.PoolNodes.read(pool, settings, names);
        zone.evidence().figure("SELECTs answered (30 fresh sessions through Pgpool)", counts.toString());
        StringBuilder delta = new StringBuilder();
        for (int i = 0; i < after.nodes().size(); i++) {
            delta.append(after.nodes().get(i).name()).append(' ').append(after.nodes().get(i).role()).append(": +")
                    .append(after.nodes().get(i).selectCount() - (i < before.nodes().size() ? before.nodes().get(i).selectCount() : 0)).append('\n');
        }
        zone.evidence().note("SHOW POOL_NODES select_cnt, during the 30 sessions", delta.toString());
        check(errors.isEmpty(), "SELECTs through Pgpool failed: " + String.join("; ", errors.stream().distinct().toList()));
        Db.NodeState p = primary(states());
        List<String> missed = nodes().stream().map(Host::name).filter(n -> !n.equals(p.node()) && counts.getOrDefault(n, 0) == 0).toList();
        check(missed.isEmpty(), "no SELECT of 30 reached the standby " + String.join(" or ", missed) + " (answered: " + counts
                + "): Pgpool does not spread reads over the standbys");
    }

    @Then("writes through Pgpool, each in a fresh session, are all taken by the primary")
    public void writesToPrimary() {
        List<String> errors = new ArrayList<>();
        // a temporary table: a write that leaves nothing behind, and answers which node took it
        Map<String, Integer> counts = answeredBy("CREATE TEMP TABLE triad_probe (x int); "
                + "INSERT INTO triad_probe VALUES (1) RETURNING current_setting('cluster_name')", 10, errors);
        zone.evidence().figure("writes taken (10 fresh sessions through Pgpool)", counts.toString());
        Db.NodeState p = primary(states());
        check(errors.isEmpty(), "writes through Pgpool failed: " + String.join("; ", errors.stream().distinct().toList()));
        check(counts.keySet().equals(java.util.Set.of(p.node())), "writes through Pgpool were taken by " + counts
                + ", not by the primary " + p.node() + " alone");
    }

    /** pgBackRest's own account of the stanza's backups, on the repository's host. */
    private com.fasterxml.jackson.databind.JsonNode backups() {
        Host repo = zone.supportHost(settings.repositoryHost());
        CommandResult r = repo.exec(repo.asRoot("runuser -u postgres -- pgbackrest --stanza=" + q(settings.stanza()) + " info --output=json"));
        check(r.ok(), "pgbackrest info on " + repo.name() + " failed: " + Db.firstLine(r.stderr().isBlank() ? r.stdout() : r.stderr()));
        try {
            com.fasterxml.jackson.databind.JsonNode stanza = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.stdout()).path(0);
            check(stanza.path("status").path("code").asInt(-1) == 0, "the stanza " + settings.stanza() + " is not usable: "
                    + stanza.path("status").path("message").asText("no status"));
            return stanza.path("backup");
        } catch (java.io.IOException e) {
            throw new AssertionError("pgbackrest info on " + repo.name() + " is not JSON: " + e.getMessage());
        }
    }

    @Then("the newest backup in the repository finished less than 24 hours ago")
    public void backupFresh() {
        var list = backups();
        check(list.size() > 0, "the repository holds no backup of " + settings.stanza());
        var newest = list.get(list.size() - 1);
        java.time.Instant stop = java.time.Instant.ofEpochSecond(newest.path("timestamp").path("stop").asLong());
        Duration age = Duration.between(stop, java.time.Instant.now());
        Duration bound = zone.env().thresholds().backupFreshness();
        zone.evidence().figure("newest backup", newest.path("label").asText() + " (" + newest.path("type").asText() + "), finished " + stop
                + ", " + age.toMinutes() + " min ago");
        check(age.compareTo(bound) < 0, "the newest backup " + newest.path("label").asText() + " finished " + human(age)
                + " ago, not within " + human(bound));
    }

    /** A duration as a person reads it: hours from two hours up, minutes from two minutes up, else seconds. */
    static String human(Duration d) {
        return d.toHours() >= 2 ? d.toHours() + " h" : d.toMinutes() >= 2 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }

    @Then("the daily backup job is scheduled to run again within 24 hours")
    public void backupScheduled() {
        Host repo = zone.supportHost(settings.repositoryHost());
        String timer = settings.backupJob().replaceAll("\\.service$", "") + ".timer";
        TimerNext t = timerNext(repo, timer);
        zone.evidence().figure(timer, (t.next() == null ? "no next run" : "next run " + t.next()) + (t.enabled().isEmpty() ? "" : ", " + t.enabled()));
        check(t.next() != null, "the daily backup job is not scheduled: " + timer + " on " + repo.name() + " has no next run");
        Duration until = Duration.between(java.time.Instant.now(), t.next());
        check(until.compareTo(Duration.ofHours(24)) <= 0, "the daily backup job is not scheduled within 24 h: " + timer + " runs next in "
                + human(until));
    }

    @Then("the newest backup verifies against its repository, every file whole")
    public void backupVerifies() {
        var list = backups();
        check(list.size() > 0, "the repository holds no backup of " + settings.stanza());
        String label = list.get(list.size() - 1).path("label").asText();
        Host repo = zone.supportHost(settings.repositoryHost());
        CommandResult r = repo.exec(repo.asRoot("runuser -u postgres -- pgbackrest --stanza=" + q(settings.stanza()) + " --set=" + q(label)
                + " --log-level-console=info verify"), Duration.ofMinutes(5));
        zone.evidence().note("pgbackrest verify --set=" + label, r.stdout());
        String out = r.stdout() + r.stderr();
        check(r.ok() && !out.contains("invalid") && !out.contains("ERROR"), "the backup " + label + " does not verify (exit " + r.exitCode()
                + "): " + out.lines().filter(l -> l.contains("invalid") || l.contains("ERROR") || l.contains("WARN")).limit(3).toList());
    }

    @Then("the newest backup's size is within the stated tolerance of the previous backup's")
    public void backupSize() {
        var list = backups();
        check(list.size() >= 2, "the repository holds " + list.size() + " backup(s): nothing to compare the newest with");
        Host repo = zone.supportHost(settings.repositoryHost());
        List<String> problems = new ArrayList<>();
        long[] sizes = new long[2];
        for (int i = 0; i < 2; i++) {
            var b = list.get(list.size() - 2 + i);
            String label = b.path("label").asText();
            long recorded = b.path("info").path("repository").path("size").asLong();
            CommandResult du = repo.exec(repo.asRoot("du -sb --exclude='backup.manifest*' " + q(settings.repositoryPath() + "/backup/"
                    + settings.stanza() + "/" + label) + " | cut -f1"));
            check(du.ok(), "the backup " + label + " is not on " + repo.name() + "'s disk: " + Db.firstLine(du.stderr()));
            long onDisk = Long.parseLong(du.stdout().strip());
            sizes[i] = onDisk;
            zone.evidence().figure("backup " + label, onDisk + " bytes on disk, " + recorded + " bytes as recorded");
            if (onDisk < recorded) {
                problems.add("the backup " + label + " has " + onDisk + " bytes on disk, fewer than the " + recorded + " pgBackRest recorded");
            }
        }
        double tolerance = settings.backupSizeTolerance();
        if (Math.abs(sizes[1] - sizes[0]) > tolerance * sizes[0]) {
            problems.add("the newest backup is " + sizes[1] + " bytes, the previous " + sizes[0] + " bytes: more than "
                    + Math.round(tolerance * 100) + " % apart");
        }
        none(problems, "backup sizes");
    }
}
