package io.triad.steps.sfa;

import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.profile.sfa.Redis;
import io.triad.profile.sfa.Shape;
import io.triad.zone.Nemesis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * drill.3: one Redis master down (its instance stopped until the heal, as a node's crash leaves
 * it): the cluster promotes its replica, the slot is served and writes to it resume, and the
 * instance returns as a replica.
 */
public class RedisDrillSteps extends SfaSupport {
    public RedisDrillSteps(io.triad.run.Run run) {
        super(run);
    }

    static final String KEY = "triad:drill:redis";

    private Host killedHost;
    private int killedPort;
    private String killedId;
    private String replicaId;
    private Instant killedAt;
    private Instant promotedAt;

    /** The instance of the inventory at an address and port: its host. */
    private Host hostAt(String address) {
        return nodes().stream().filter(h -> h.address().equals(address)).findFirst()
                .orElseThrow(() -> new AssertionError(address + " is not a node of the inventory"));
    }

    @When("the Redis master that serves the drill's key goes down, its instance stopped until the heal")
    public void killMaster() {
        Host any = nodes().get(0);
        int port = settings.redisPorts().get(0);
        String slot = output(any, "CLUSTER KEYSLOT", Redis.cli(port, "CLUSTER KEYSLOT " + q(KEY))).strip();
        List<Redis.Node> view = Redis.nodes(output(any, "cluster nodes", Redis.cli(port, "cluster nodes")));
        int s = Integer.parseInt(slot);
        Redis.Node master = view.stream().filter(Redis.Node::isMaster).filter(n -> serves(any, port, n, s)).findFirst()
                .orElseThrow(() -> new AssertionError("no master serves slot " + s));
        Optional<Redis.Node> replica = view.stream().filter(n -> n.masterId().equals(master.id())).findFirst();
        check(replica.isPresent(), "the master " + master.endpoint() + " has no replica to promote");
        killedHost = hostAt(master.address());
        killedPort = master.port();
        killedId = master.id();
        replicaId = replica.get().id();
        String service = Shape.REDIS_INSTANCES.get(settings.redisPorts().indexOf(killedPort));
        // stopped, not killed: its unit restarts a killed instance within a second, before the cluster's node
        // timeout, and it would come back a master with its data gone (no persistence of every write)
        killedAt = new Nemesis(zone).stop("kill-redis-master", killedHost, service).tookEffect(); // the figure counts from its end on the node
        zone.evidence().note("killed", "the master " + master.endpoint() + " (" + killedId + ") serving slot " + s + " of " + KEY + "; its replica "
                + replica.get().endpoint() + " (" + replicaId + ")");
    }

    /** Whether a master serves a slot, as CLUSTER SHARDS... as its own slot ranges in cluster nodes say. */
    private boolean serves(Host h, int port, Redis.Node n, int slot) {
        String line = output(h, "cluster nodes", Redis.cli(port, "cluster nodes")).lines().filter(l -> l.startsWith(n.id())).findFirst().orElse("");
        String[] f = line.split("\\s+");
        for (int i = 8; i < f.length; i++) {
            if (f[i].startsWith("[")) {
                continue;
            }
            String[] r = f[i].split("-");
            int lo = Integer.parseInt(r[0]);
            int hi = r.length == 2 ? Integer.parseInt(r[1]) : lo;
            if (slot >= lo && slot <= hi) {
                return true;
            }
        }
        return false;
    }

    /** An instance other than the killed one, to ask. */
    private Map.Entry<Host, Integer> survivor() {
        for (Host h : nodes()) {
            for (int port : settings.redisPorts()) {
                if (!(h == killedHost && port == killedPort)) {
                    return Map.entry(h, port);
                }
            }
        }
        throw new AssertionError("no Redis instance left");
    }

    @Then("within {int} seconds its replica is promoted, every slot is served again and a write to the key is acknowledged, measured")
    public void promoted(int seconds) {
        Map.Entry<Host, Integer> ask = survivor();
        Duration took = within(seconds, "the replica " + replicaId + " promoted and the key writable", () -> {
            List<Redis.Node> view = Redis.nodes(ask.getKey().exec(Redis.cli(ask.getValue(), "cluster nodes")).stdout());
            Redis.Node r = view.stream().filter(n -> n.id().equals(replicaId)).findFirst().orElseThrow(() -> new AssertionError("the replica is gone"));
            check(r.isMaster() && r.slots() > 0, "the replica " + r.endpoint() + " is " + r.flags() + " with " + r.slots() + " slots");
            check(Redis.info(ask.getKey().exec(Redis.cli(ask.getValue(), "cluster info")).stdout()).getOrDefault("cluster_state", "").equals("ok"),
                    "the cluster is not ok");
            CommandResult w = ask.getKey().exec(Redis.cli(ask.getValue(), "-c SET " + q(KEY) + " " + System.currentTimeMillis()));
            check(w.ok() && w.stdout().strip().equals("OK"), "the write was not acknowledged: " + w.stdout().strip());
        });
        promotedAt = Instant.now();
        zone.evidence().figure("Redis master down to a write to its slot acknowledged", Duration.between(killedAt, promotedAt).toMillis()
                + " ms (cluster-node-timeout 5 s; polled for " + took.toMillis() + " ms)");
    }

    @Then("{int} keys written through the cluster after the promotion are read back through every instance that runs")
    public void readBack(int count) {
        Map.Entry<Host, Integer> ask = survivor();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            CommandResult w = ask.getKey().exec(Redis.cli(ask.getValue(), "-c SET " + q(KEY + ":" + i) + " v" + i + " EX 600"));
            if (!w.stdout().strip().equals("OK")) {
                problems.add(KEY + ":" + i + " not acknowledged: " + w.stdout().strip());
            }
        }
        problems.addAll(onEachHost(nodes(), (h, found) -> {
            for (int port : settings.redisPorts()) {
                if (h == killedHost && port == killedPort) {
                    continue;
                }
                for (int i = 0; i < count; i++) {
                    String got = h.exec(Redis.cli(port, "-c GET " + q(KEY + ":" + i))).stdout().strip();
                    if (!got.equals("v" + i)) {
                        found.add(h.name() + ":" + port + " answers " + (got.isEmpty() ? "nothing" : got) + " for " + KEY + ":" + i);
                        break;
                    }
                }
            }
        }));
        none(problems, "keys written after the promotion");
    }

    @When("the stopped instance is started again")
    public void restart() {
        new Nemesis(zone).startStopped(killedHost, Shape.REDIS_INSTANCES.get(settings.redisPorts().indexOf(killedPort)));
    }

    @Then("within {int} seconds it has rejoined as a replica and every instance answers cluster_state ok")
    public void rejoined(int seconds) {
        Instant t = Instant.now();
        withinOrWhy(seconds, killedHost.name() + ":" + killedPort + " a replica again", Shape.REDIS_INSTANCES.get(settings.redisPorts().indexOf(killedPort)),
                null, t, () -> {
            List<Redis.Node> view = Redis.nodes(killedHost.exec(Redis.cli(killedPort, "cluster nodes")).stdout());
            Redis.Node me = view.stream().filter(n -> n.id().equals(killedId)).findFirst().orElseThrow(() -> new AssertionError("not in its own view"));
            check(!me.isMaster() && me.masterId().equals(replicaId), killedHost.name() + ":" + killedPort + " is " + me.flags() + " (master " + me.masterId() + ")");
        });
        steadyWithin(60, "every Redis instance ok again");
    }
}
