package io.triad.steps.sfa;

import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.profile.sfa.Redis;
import io.triad.tech.postgres.Db;
import io.triad.zone.Nemesis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * redis.3-5, the runbook's scaling of the Redis cluster carried out as it writes it, with real
 * redis-cli: a new instance added ({@code --cluster add-node}), 1000 slots resharded to it
 * ({@code --cluster reshard}) with keys written into the cluster before, then its slots moved back
 * and the instance removed ({@code --cluster del-node}). The new instance is a scratch one on the
 * first node (the inventory's highest port + 1, run as a transient systemd unit as the redis user):
 * the runbook's "redis-4" is a new machine, which the zone does not have. Every outcome is read on
 * every instance ({@code cluster nodes}, {@code cluster info}), and every key read back through the
 * cluster. Whatever the outcome, the scratch instance's slots are moved away, it is removed from
 * the cluster, stopped and its files deleted; the keys expire within the hour.
 */
public class RedisScalingSteps extends SfaSupport {
    public RedisScalingSteps(io.triad.run.Run run) {
        super(run);
    }

    private static final String UNIT = "triad-redis-scale";
    private Host host;
    private int port;
    private String added; // the new instance's node id
    private String source; // the master whose slots were moved to it
    private final Map<String, String> keys = new LinkedHashMap<>();

    private String endpoint() {
        return host.address() + ":" + port;
    }

    /** The inventory's instances and the new one, address:port. */
    private Set<String> inventory() {
        Set<String> out = new TreeSet<>();
        nodes().forEach(h -> settings.redisPorts().forEach(p -> out.add(h.address() + ":" + p)));
        return out;
    }

    /** cluster nodes as an instance of the inventory sees it, by its endpoint. */
    private Map<String, String> clusterNodes() {
        Map<String, String> out = new java.util.TreeMap<>();
        zone.onEach(nodes(), h -> {
            Map<String, String> mine = new LinkedHashMap<>();
            for (int p : settings.redisPorts()) {
                mine.put(h.address() + ":" + p, h.exec(Redis.cli(p, "cluster nodes")).stdout());
            }
            return mine;
        }).forEach(out::putAll);
        return out;
    }

    /**
     * Undoes whatever of the scaling is in place, in the runbook's order: the scratch instance's
     * slots moved to the other masters (rebalance with weight 0), the instance removed from the
     * cluster (del-node), stopped, its files deleted. Each part does nothing where there is nothing
     * to undo.
     */
    private void undo() {
        String first = host.address() + ":" + settings.redisPorts().get(0);
        String script = """
                id=$(redis-cli --no-auth-warning -p %1$d cluster myid 2>/dev/null | tr -d '\\r')
                if [ -n "$id" ] && redis-cli --no-auth-warning -p %2$d cluster nodes | grep -q "^$id "; then
                  if redis-cli --no-auth-warning -p %2$d cluster nodes | grep "^$id " | awk '{ exit (NF > 8 ? 0 : 1) }'; then
                    redis-cli --no-auth-warning --cluster rebalance %3$s --cluster-weight "$id=0" --cluster-yes >/dev/null 2>&1
                  fi
                  redis-cli --no-auth-warning --cluster del-node %3$s "$id" >/dev/null 2>&1
                fi
                systemctl stop %4$s 2>/dev/null; systemctl reset-failed %4$s 2>/dev/null
                rm -f /var/lib/redis/nodes-%1$d.conf /var/lib/redis/dump-%1$d.rdb
                true
                """.formatted(port, settings.redisPorts().get(0), first, UNIT);
        host.exec(host.asRoot("bash -c " + q(script)), Duration.ofSeconds(180)).requireOk();
    }

    // ---- redis.3 add a node -----------------------------------------------------------------------

    @When("a new Redis instance is started on the first node and added to the cluster with redis-cli --cluster add-node")
    public void addNode() {
        new Nemesis(zone).requireAllowed("redis-scale");
        host = nodes().get(0);
        port = settings.redisPorts().stream().mapToInt(Integer::intValue).max().orElse(6379) + 1;
        String busy = host.exec(host.asRoot("ss -Htln | awk '{print $4}' | grep -E ':(" + port + "|" + (port + 10000) + ")$' || true")).stdout().strip();
        check(busy.isEmpty(), host.name() + ": port " + port + " or its cluster bus port is taken (" + busy + "): no scratch instance can be added there");
        zone.faults().applied("a scratch Redis instance on " + endpoint() + " added to the cluster", this::undo);
        String start = "systemd-run --quiet --unit " + UNIT + " --uid redis --gid redis --description 'triad-acceptance: redis.3-5 scratch instance'"
                + " /usr/bin/redis-server --port " + port + " --bind 0.0.0.0 --protected-mode no --cluster-enabled yes"
                + " --cluster-config-file /var/lib/redis/nodes-" + port + ".conf --cluster-node-timeout 5000 --cluster-announce-ip " + host.address()
                + " --dir /var/lib/redis --dbfilename dump-" + port + ".rdb --save '' --appendonly no --daemonize no";
        host.exec(host.asRoot(start)).requireOk();
        within(20, "the new instance on " + endpoint() + " answering", () -> check(host.exec(Redis.cli(port, "ping")).stdout().strip().equals("PONG"),
                endpoint() + " does not answer PING yet"));
        CommandResult add = host.exec("redis-cli --no-auth-warning --cluster add-node " + endpoint() + " " + host.address() + ":"
                + settings.redisPorts().get(0), Duration.ofSeconds(60));
        zone.evidence().note("redis-cli --cluster add-node " + endpoint(), add.stdout() + add.stderr());
        check(add.ok() && add.stdout().contains("[OK] New node added correctly."), "redis-cli --cluster add-node " + endpoint() + " failed: "
                + lastLines(add.stdout() + add.stderr()));
        added = host.exec(Redis.cli(port, "cluster myid")).stdout().strip();
        check(added.matches("[0-9a-f]{40}"), endpoint() + " answered no node id: " + added);
    }

    @Then("within {int} seconds every instance sees the new one as a master with no slots, and the cluster is ok with every slot covered")
    public void addedSeenByAll(int seconds) {
        Duration took = within(seconds, "every instance seeing " + endpoint(), () -> {
            List<String> problems = new ArrayList<>();
            clusterNodes().forEach((who, text) -> {
                Redis.Node n = Redis.nodes(text).stream().filter(x -> x.id().equals(added)).findFirst().orElse(null);
                if (n == null) {
                    problems.add(who + " does not know " + endpoint());
                } else if (!n.isMaster() || n.failing() || n.slots() != 0 || !n.link().equals("connected")) {
                    problems.add(who + " sees " + endpoint() + " as " + n.flags() + ", " + n.link() + ", " + n.slots() + " slot(s)");
                }
            });
            problems.addAll(clusterOk(endpoints()));
            none(problems, "the added instance");
        });
        zone.evidence().figure("add-node to seen by every instance", took.toMillis() + " ms");
    }

    /** cluster_state ok and every slot ok on each of these instances (address:port). */
    private List<String> clusterOk(java.util.Collection<String> endpoints) {
        List<String> problems = new ArrayList<>();
        for (String e : endpoints) {
            String[] a = e.split(":");
            Map<String, String> i = Redis.info(host.exec(Redis.cli(a[0], Integer.parseInt(a[1]), "cluster info")).stdout());
            if (!"ok".equals(i.get("cluster_state")) || !String.valueOf(Redis.SLOTS).equals(i.get("cluster_slots_ok"))) {
                problems.add(e + " says cluster_state " + i.get("cluster_state") + ", " + i.get("cluster_slots_ok") + " slots ok");
            }
        }
        return problems;
    }

    private List<String> endpoints() {
        List<String> out = new ArrayList<>(inventory());
        if (added != null && host.exec(Redis.cli(port, "ping")).stdout().strip().equals("PONG")) {
            out.add(endpoint());
        }
        return out;
    }

    // ---- redis.4 reshard 1000 slots ---------------------------------------------------------------

    /**
     * Keys written through the cluster in one redis-cli -c session (it follows MOVED, printing a
     * "-> Redirected" line before the answer), each expiring within the hour.
     */
    private void writeKeys(int count) {
        String prefix = "triad:scale:" + Long.toString(System.nanoTime(), 36);
        StringBuilder cmds = new StringBuilder();
        for (int i = 0; i < count; i++) {
            keys.put(prefix + ":" + i, "v" + i);
            cmds.append("SET ").append(prefix).append(':').append(i).append(" v").append(i).append(" EX 3600\n");
        }
        CommandResult r = host.exec("redis-cli --no-auth-warning -c -p " + settings.redisPorts().get(0) + " <<'TRIAD_KEYS'\n" + cmds + "TRIAD_KEYS");
        long ok = r.stdout().lines().filter(l -> l.strip().equals("OK")).count();
        check(ok == count, "of " + count + " keys written through the cluster, " + ok + " answered OK: " + lastLines(r.stdout() + r.stderr()));
    }

    /** The keys read back through the cluster (redis-cli -c from the first node): those missing or changed. */
    private List<String> keysLost() {
        StringBuilder cmds = new StringBuilder();
        keys.keySet().forEach(k -> cmds.append("GET ").append(k).append('\n'));
        CommandResult r = host.exec("redis-cli --no-auth-warning -c -p " + settings.redisPorts().get(0) + " <<'TRIAD_KEYS'\n" + cmds + "TRIAD_KEYS");
        List<String> got = r.stdout().lines().filter(l -> !l.startsWith("-> Redirected")).toList();
        List<String> lost = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, String> e : keys.entrySet()) {
            String v = i < got.size() ? got.get(i).strip() : "(no answer)";
            if (!v.equals(e.getValue())) {
                lost.add(e.getKey() + " reads '" + v + "'");
            }
            i++;
        }
        return lost;
    }

    @When("{int} keys are written through the cluster and {int} slots resharded from a master of the first node to the new instance")
    public void reshard(int count, int slots) {
        writeKeys(count);
        List<Redis.Node> view = Redis.nodes(host.exec(Redis.cli(settings.redisPorts().get(0), "cluster nodes")).stdout());
        Redis.Node from = view.stream().filter(n -> n.isMaster() && n.slots() > slots && n.address().equals(host.address().toString()))
                .findFirst().or(() -> view.stream().filter(n -> n.isMaster() && n.slots() > slots).findFirst())
                .orElseThrow(() -> new AssertionError("no master holds more than " + slots + " slots to move"));
        source = from.id();
        long t0 = System.nanoTime();
        CommandResult r = host.exec("redis-cli --no-auth-warning --cluster reshard " + host.address() + ":" + settings.redisPorts().get(0)
                + " --cluster-from " + source + " --cluster-to " + added + " --cluster-slots " + slots + " --cluster-yes", Duration.ofSeconds(300));
        zone.evidence().figure("reshard of " + slots + " slots from " + from.endpoint() + " to " + endpoint(), (System.nanoTime() - t0) / 1_000_000 + " ms");
        zone.evidence().note("redis-cli --cluster reshard (its last lines)", String.join("\n", r.stdout().lines()
                .reduce(new ArrayList<String>(), (acc, l) -> { acc.add(l); if (acc.size() > 20) { acc.remove(0); } return acc; }, (x, y) -> x)) + r.stderr());
        check(r.ok(), "redis-cli --cluster reshard of " + slots + " slots from " + from.endpoint() + " to " + endpoint() + " failed (exit "
                + r.exitCode() + "): " + lastLines(r.stdout() + r.stderr()));
    }

    @Then("within {int} seconds the new instance holds {int} slots on every instance's view, none left migrating or importing, every slot covered, and every key written is read back through the cluster")
    public void resharded(int seconds, int slots) {
        within(seconds, endpoint() + " holding " + slots + " slots on every view", () -> {
            List<String> problems = new ArrayList<>();
            clusterNodes().forEach((who, text) -> {
                text.lines().filter(l -> l.contains("[")).forEach(l -> problems.add(who + " has a slot left open: " + l.strip()));
                Redis.nodes(text).stream().filter(x -> x.id().equals(added)).findFirst().ifPresentOrElse(n -> {
                    if (n.slots() != slots) {
                        problems.add(who + " sees " + endpoint() + " holding " + n.slots() + " slot(s), not " + slots);
                    }
                }, () -> problems.add(who + " does not know " + endpoint()));
            });
            problems.addAll(clusterOk(endpoints()));
            none(problems, "the reshard");
        });
        String held = host.exec(Redis.cli(port, "dbsize")).stdout().strip();
        zone.evidence().figure("keys on " + endpoint() + " after the reshard", held + " of " + keys.size() + " written");
        List<String> lost = keysLost();
        check(lost.isEmpty(), lost.size() + " of " + keys.size() + " keys lost or changed through the reshard: "
                + String.join("; ", lost.subList(0, Math.min(5, lost.size()))));
        check(!held.equals("0"), "no key written before the reshard is on " + endpoint() + " after it: the moved slots took no key with them");
    }

    // ---- redis.5 remove a node --------------------------------------------------------------------

    @When("its slots are resharded back to that master and it is removed with redis-cli --cluster del-node")
    public void removeNode() {
        String first = host.address() + ":" + settings.redisPorts().get(0);
        int held = Redis.nodes(host.exec(Redis.cli(port, "cluster nodes")).stdout()).stream().filter(n -> n.id().equals(added))
                .mapToInt(Redis.Node::slots).findFirst().orElse(0);
        if (held > 0) {
            CommandResult back = host.exec("redis-cli --no-auth-warning --cluster reshard " + first + " --cluster-from " + added + " --cluster-to "
                    + source + " --cluster-slots " + held + " --cluster-yes", Duration.ofSeconds(300));
            check(back.ok(), "the reshard of " + endpoint() + "'s " + held + " slots back failed: " + lastLines(back.stdout() + back.stderr()));
        }
        CommandResult del = host.exec("redis-cli --no-auth-warning --cluster del-node " + first + " " + added, Duration.ofSeconds(60));
        zone.evidence().note("redis-cli --cluster del-node " + added, del.stdout() + del.stderr());
        check(del.ok(), "redis-cli --cluster del-node " + added + " failed: " + lastLines(del.stdout() + del.stderr()));
        // the runbook's del-node shuts the removed instance down; its scratch unit and files are the undo's
    }

    @Then("within {int} seconds no instance of the inventory knows the removed one, the cluster is ok with every slot covered and every master replicated on another node, and every key is still read back")
    public void removed(int seconds) {
        Set<String> inventory = inventory();
        within(seconds, "the removed instance forgotten by every instance", () -> {
            List<String> problems = new ArrayList<>();
            clusterNodes().forEach((who, text) -> {
                List<Redis.Node> view = Redis.nodes(text);
                if (view.stream().anyMatch(n -> n.id().equals(added))) {
                    problems.add(who + " still knows " + endpoint() + " (" + added + ")");
                }
                problems.addAll(Redis.shapeProblems(who, view, inventory, 3));
            });
            problems.addAll(clusterOk(inventory)); // the removed instance, reset by del-node, is no longer the cluster's
            none(problems, "the cluster after del-node");
        });
        List<String> lost = keysLost();
        check(lost.isEmpty(), lost.size() + " of " + keys.size() + " keys lost or changed after the removal: "
                + String.join("; ", lost.subList(0, Math.min(5, lost.size()))) + " (" + Db.firstLine(String.join("\n", lost)) + ")");
    }
}
