package io.triad.steps.sfa;

import io.cucumber.java.en.Then;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.tech.postgres.Db;
import io.triad.profile.sfa.Redis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** redis.1 and redis.2: the Redis cluster asked of every instance of the inventory (every node, every port). */
public class RedisSteps extends SfaSupport {
    public RedisSteps(io.triad.run.Run run) {
        super(run);
    }

    /** The inventory's instances, address:port. */
    Set<String> inventory() {
        Set<String> out = new TreeSet<>();
        for (Host h : nodes()) {
            settings.redisPorts().forEach(p -> out.add(h.address() + ":" + p));
        }
        return out;
    }

    @Then("redis-cli --cluster check finds every slot covered and every node agreeing")
    public void clusterCheck() {
        Host h = nodes().get(0);
        CommandResult r = h.exec("redis-cli --no-auth-warning --cluster check " + h.address() + ":" + settings.redisPorts().get(0));
        zone.evidence().note("redis-cli --cluster check on " + h.name(), r.stdout());
        List<String> problems = Redis.clusterCheckProblems(h.name() + ":" + settings.redisPorts().get(0) + " (" + h.address() + ")",
                r.stdout() + "\n" + r.stderr());
        none(problems, "redis-cli --cluster check");
    }

    @Then("every instance of the inventory answers cluster_state ok and sees exactly the inventory's instances, {int} masters covering every slot, each with a replica on another node")
    public void everyInstance(int masters) {
        Set<String> inventory = inventory();
        List<String> problems = onEachHost(nodes(), (h, found) -> {
            for (int port : settings.redisPorts()) {
                String who = h.name() + ":" + port;
                CommandResult info = h.exec(Redis.cli(port, "cluster info"));
                if (!info.ok()) {
                    found.add(who + " does not answer: " + Db.firstLine(info.stderr()));
                    continue;
                }
                Map<String, String> i = Redis.info(info.stdout());
                if (!"ok".equals(i.get("cluster_state"))) {
                    found.add(who + " says cluster_state " + i.get("cluster_state"));
                }
                if (!String.valueOf(Redis.SLOTS).equals(i.get("cluster_slots_ok"))) {
                    found.add(who + " has " + i.get("cluster_slots_ok") + " slots ok");
                }
                CommandResult nodes = h.exec(Redis.cli(port, "cluster nodes"));
                parsed(h, "cluster nodes", found, () -> Redis.nodes(nodes.stdout()))
                        .ifPresent(list -> found.addAll(Redis.shapeProblems(who, list, inventory, masters)));
            }
        });
        none(problems, "the Redis cluster");
    }

    @Then("every instance of the inventory reports used_memory and maxmemory in info memory")
    public void memory() {
        Map<String, String> used = new LinkedHashMap<>();
        List<String> problems = onEachHost(nodes(), (h, found) -> {
            for (int port : settings.redisPorts()) {
                CommandResult r = h.exec(Redis.cli(port, "info memory"));
                Map<String, String> i = Redis.info(r.stdout());
                if (!r.ok() || !i.containsKey("used_memory") || !i.containsKey("maxmemory")) {
                    found.add(h.name() + ":" + port + " reports no used_memory and maxmemory");
                    continue;
                }
                synchronized (used) {
                    used.put(h.name() + ":" + port, i.get("used_memory_human") + " used, maxmemory " + i.get("maxmemory")
                            + (i.get("maxmemory").equals("0") ? " (no limit)" : "") + ", policy " + i.getOrDefault("maxmemory_policy", "?"));
                }
            }
        });
        new java.util.TreeMap<>(used).forEach((k, v) -> zone.evidence().figure("Redis memory: " + k, v));
        none(problems, "Redis memory use");
    }

    @Then("a probe key written through one instance is read back through every instance of the inventory")
    public void probeKey() {
        Host first = nodes().get(0);
        String key = "triad:probe:" + System.nanoTime();
        String value = Long.toString(System.currentTimeMillis());
        CommandResult set = first.exec(Redis.cli(settings.redisPorts().get(0), "-c SET " + q(key) + " " + value + " EX 600"));
        check(set.ok() && set.stdout().strip().equals("OK"), "the probe key was not written through " + first.name() + ": " + set.stdout().strip()
                + " " + Db.firstLine(set.stderr()));
        // the cluster's replication is asynchronous: a replica read (READONLY) may lag, a cluster-mode read follows the slot's master
        List<String> problems = onEachHost(nodes(), (h, found) -> {
            for (int port : settings.redisPorts()) {
                CommandResult get = h.exec(Redis.cli(port, "-c GET " + q(key)));
                if (!get.stdout().strip().equals(value)) {
                    found.add(h.name() + ":" + port + " answers " + (get.stdout().isBlank() ? "nothing" : get.stdout().strip()) + ", not the probe's value");
                }
            }
        });
        first.exec(Redis.cli(settings.redisPorts().get(0), "-c DEL " + q(key)));
        none(problems, "the probe key read through the cluster");
    }

    /**
     * redis.6, the runbook's persistence commands on every instance: BGSAVE, then LASTSAVE until it is
     * at or past the second the save was asked in (the host's clock) with the save counted
     * (rdb_saves, Redis 7) and none in progress; then info persistence: the last save's status ok,
     * and where AOF is on its last rewrite's and write's too. An instance that cannot save (its
     * directory not writable, BGSAVE refused) halts.
     */
    @Then("every instance of the inventory saves on BGSAVE: LASTSAVE advances past it and info persistence reports no failed save or rewrite")
    public void persistence() {
        List<String> problems = new ArrayList<>();
        Map<String, String> saved = new java.util.TreeMap<>();
        for (Host h : nodes()) {
            for (int port : settings.redisPorts()) {
                String who = h.name() + ":" + port;
                Map<String, String> before = Redis.info(h.exec(Redis.cli(port, "info persistence")).stdout());
                CommandResult bg = h.exec("date +%s; " + Redis.cli(port, "BGSAVE"));
                List<String> out = bg.stdout().lines().toList();
                String answer = out.size() > 1 ? out.get(1).strip() : Db.firstLine(bg.stderr());
                if (!bg.ok() || out.isEmpty() || !answer.startsWith("Background saving")) {
                    problems.add(who + " refused BGSAVE: " + answer);
                    continue;
                }
                long asked = Long.parseLong(out.get(0).strip());
                long savesBefore = Long.parseLong(before.getOrDefault("rdb_saves", "-1"));
                // BGSAVE forks before it answers: from here the save is in progress until its child ends, and then decided
                java.util.concurrent.atomic.AtomicReference<Map<String, String>> after = new java.util.concurrent.atomic.AtomicReference<>(Map.of());
                java.time.Duration took;
                try {
                    took = within(60, who + "'s save to end", () -> {
                        Map<String, String> now = Redis.info(h.exec(Redis.cli(port, "info persistence")).stdout());
                        after.set(now);
                        check("0".equals(now.get("rdb_bgsave_in_progress")), who + ": its BGSAVE is still in progress");
                    });
                } catch (AssertionError e) {
                    problems.add(e.getMessage());
                    continue;
                }
                Map<String, String> p = after.get(); // info persistence once the save had ended
                String lastSave = h.exec(Redis.cli(port, "LASTSAVE")).stdout().replaceAll("\\D", "");
                long last = lastSave.isEmpty() ? 0 : Long.parseLong(lastSave);
                long saves = Long.parseLong(p.getOrDefault("rdb_saves", "0"));
                if (last < asked || (savesBefore >= 0 && saves <= savesBefore)) {
                    problems.add(who + ": LASTSAVE " + last + " is not past its BGSAVE asked at " + asked + " (the save ended after "
                            + took.toMillis() + " ms; rdb_saves " + savesBefore + " before, " + saves + " after; rdb_last_bgsave_status "
                            + p.get("rdb_last_bgsave_status") + ")");
                    continue;
                }
                if (!"ok".equals(p.get("rdb_last_bgsave_status"))) {
                    problems.add(who + " reports rdb_last_bgsave_status " + p.get("rdb_last_bgsave_status"));
                }
                String aof = "AOF off";
                if ("1".equals(p.get("aof_enabled"))) {
                    for (String k : List.of("aof_last_bgrewrite_status", "aof_last_write_status")) {
                        if (!"ok".equals(p.get(k))) {
                            problems.add(who + " has AOF on and reports " + k + " " + p.get(k));
                        }
                    }
                    aof = "AOF on, last rewrite " + p.get("aof_last_bgrewrite_status");
                }
                saved.put(who, "saved, LASTSAVE " + last + ", " + took.toMillis() + " ms after BGSAVE; " + aof);
            }
        }
        saved.forEach((k, v) -> zone.evidence().figure("Redis persistence: " + k, v));
        none(problems, "Redis persistence");
    }

    /**
     * redis.7, the runbook's Redis backup as the backup host holds it: for every instance of the
     * inventory a copy of its RDB file of the day ({@code sfa.backup.redis_copy} names it: the node,
     * or its index from 1, the port, the day on the backup host's clock), each read whole there by
     * redis-check-rdb (its keys read recorded). Read-only: the copies are the backup's own.
     */
    @Then("the backup host holds a copy of the day of every instance's RDB file, each read whole by redis-check-rdb")
    public void redisCopies() {
        Host b = zone.supportHost(settings.backupHost());
        String day = b.exec("date +%Y%m%d").requireOk().stdout().strip();
        Map<String, String> copies = new LinkedHashMap<>(); // the copy's path, the instances it holds
        List<Host> nodes = nodes();
        for (int i = 0; i < nodes.size(); i++) {
            for (int port : settings.redisPorts()) {
                String path = settings.redisCopy().replace("{node}", nodes.get(i).name()).replace("{index}", String.valueOf(i + 1))
                        .replace("{port}", String.valueOf(port)).replace("{date}", day);
                copies.merge(path, nodes.get(i).name() + ":" + port, (x, y) -> x + ", " + y);
            }
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> copy : copies.entrySet()) {
            String path = copy.getKey();
            String dir = path.substring(0, path.lastIndexOf('/') + 1);
            CommandResult r = b.exec(b.asRoot("test -f " + q(path) + " || { echo 'in " + dir + ":'; ls -1t " + q(dir) + " 2>&1 | head -4; exit 4; };"
                    + " redis-check-rdb " + q(path) + " 2>&1"));
            String out = r.stdout().strip();
            if (r.exitCode() == 4) {
                problems.add(copy.getValue() + ": no copy of the day " + path + " on " + b.name() + " (" + out.replace("\n", " ") + ")");
                continue;
            }
            zone.evidence().note("redis-check-rdb " + path + " on " + b.name(), out);
            if (!r.ok() || !out.contains("RDB looks OK")) {
                problems.add(copy.getValue() + ": redis-check-rdb rejects " + path + " (exit " + r.exitCode() + "): "
                        + out.lines().filter(l -> !l.isBlank()).reduce((x, y) -> y).orElse("no output"));
                continue;
            }
            String keys = out.lines().filter(l -> l.contains("keys read")).findFirst().orElse("").replaceAll(".*\\] *", "").strip();
            zone.evidence().figure("Redis backup copy of " + copy.getValue(), path + ", " + (keys.isEmpty() ? "read whole" : keys));
        }
        none(problems, "the Redis backup on " + b.name());
    }
}
