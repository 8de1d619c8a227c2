package io.triad.steps.unibus;

import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.nats.client.api.Replica;
import io.nats.client.api.StreamInfo;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.profile.unibus.ControlPlane;
import io.triad.profile.unibus.Settings;
import io.triad.zone.Nemesis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Scale to R3: the runbook's command on every control-plane bucket, and what it must keep. */
public class ScaleSteps extends UnibusSupport {
    public ScaleSteps(io.triad.run.Run run) {
        super(run);
    }

    private final Map<String, ControlPlane.Snapshot> before = new LinkedHashMap<>();

    @Given("within {int} seconds the cluster is steady")
    public void steady(int seconds) {
        steadyWithin(seconds, "the cluster steady");
    }

    @Given("the control plane is replicated on every node, raised to R3 as the runbook says where it is not")
    public void replicated() {
        List<String> below = belowTarget();
        if (below.isEmpty()) {
            return;
        }
        zone.evidence().note("control plane below R" + settings.replicas(), String.join("\n", below));
        new Nemesis(zone).requireAllowed("scale-to-r3"); // a change to the zone: only where the drills allow it
        scale();
        everyBucketReplicated(60);
        // The scale-up changed the zone: the drill starts from a settled one, every node's own view current (its
        // /healthz, every stream's replica on it), not only each bucket's leader's. Stopping the former R1 holder
        // 1.2 s after its leader called every replica current left its replica of KV_UNIBUS_room_keys stuck
        // ("monitor goroutine not running") for minutes after its restart (2026-11-23, nats-server 2.12.15).
        Duration took = steadyWithin(60, "the cluster steady after the scale-up");
        zone.evidence().figure("steady after the scale-up", took.toMillis() + " ms");
    }

    private List<String> belowTarget() {
        List<String> below = new ArrayList<>();
        try (ControlPlane cp = ControlPlane.open(zone, seed())) {
            for (String bucket : Settings.BUCKETS) {
                int r = cp.stream(bucket).getConfiguration().getReplicas();
                if (r < settings.replicas()) {
                    below.add(bucket + " has " + r + " replica(s)");
                }
            }
        } catch (Exception e) {
            throw new AssertionError("cannot read the control plane's buckets: " + e.getMessage(), e);
        }
        return below;
    }

    @When("every control-plane bucket is raised to R3 as the runbook says")
    public void scale() {
        new Nemesis(zone).requireAllowed("scale-to-r3");
        readState(); // what the scale-up must keep
        Host seed = seed();
        List<String> findings = new ArrayList<>();
        for (String bucket : Settings.BUCKETS) {
            // The runbook's line, verbatim.
            CommandResult r = seed.exec(seed.asRoot(nats("stream update " + bucket + " --replicas " + settings.replicas() + " -f")));
            if (r.ok()) {
                continue;
            }
            String why = (r.stderr() + r.stdout()).strip();
            if (!why.contains("without a terminal")) {
                throw new AssertionError("the runbook's scale-up failed on " + bucket + ": " + why);
            }
            // The nats CLI refuses to edit a KV bucket's stream without a terminal (-f does not cover its KV
            // warning): the CLI's own supported way changes the same setting.
            findings.add(bucket);
            seed.exec(seed.asRoot(nats("kv edit " + bucket.replaceFirst("^KV_", "") + " --replicas " + settings.replicas())))
                    .requireOk();
        }
        if (!findings.isEmpty()) {
            zone.evidence().note("FINDING: the runbook's scale-up command does not run unattended",
                    "'nats stream update <bucket> --replicas " + settings.replicas() + " -f' stops at the nats CLI's warning about"
                            + " editing a KV bucket's stream (\"cannot ask for confirmation without a terminal\"; -f does not"
                            + " answer it) for " + findings + "; each was raised with 'nats kv edit <bucket> --replicas "
                            + settings.replicas() + "' instead (the same setting, through the CLI's KV command)");
            zone.evidence().figure("buckets raised with nats kv edit (the runbook's command needs a terminal)", String.valueOf(findings.size()));
        }
    }

    @Then("within {int} seconds every control-plane bucket has 3 replicas, every replica current")
    public void everyBucketReplicated(int seconds) {
        Duration took;
        try {
            // A bucket configured with other than the target is not being raised (the scale-up sets the configuration at
            // once; its replicas then catch up): no wait makes it reach R3, so it fails now, not after the wait.
            List<String> configuredBelow = replicationProblems().stream().filter(p -> p.matches(".* has \\d+ replica\\(s\\)")).toList();
            none(configuredBelow, "the control plane is not replicated (configured so: nothing is raising it)");
            took = within(seconds, "every bucket at R" + settings.replicas() + ", every replica current",
                    () -> none(replicationProblems(), "the control plane is not replicated"));
        } finally {
            zone.evidence().note("the control plane's buckets (every key-value stream of the server)", String.join(", ", bucketsSeen));
        }
        zone.evidence().figure("scale-up to every replica current", took.toMillis() + " ms");
    }

    /** The buckets the last look at the replication found. */
    private List<String> bucketsSeen = List.of();

    /**
     * Per bucket, as its leader reports it: the replica count, a leader, every other replica current and
     * online. Every bucket: the runbook's and every other key-value stream the server holds.
     */
    private List<String> replicationProblems() {
        List<String> problems = new ArrayList<>();
        try (ControlPlane cp = ControlPlane.open(zone, seed())) {
            List<String> buckets = cp.buckets();
            bucketsSeen = buckets;
            for (String bucket : buckets) {
                StreamInfo info = cp.stream(bucket);
                int r = info.getConfiguration().getReplicas();
                if (r != settings.replicas()) {
                    problems.add(bucket + " has " + r + " replica(s)");
                    continue;
                }
                var cluster = info.getClusterInfo();
                if (cluster == null || cluster.getLeader() == null || cluster.getLeader().isEmpty()) {
                    problems.add(bucket + " has no leader");
                    continue;
                }
                List<Replica> replicas = cluster.getReplicas() == null ? List.of() : cluster.getReplicas();
                if (replicas.size() != settings.replicas() - 1) {
                    problems.add(bucket + "'s leader " + cluster.getLeader() + " sees " + replicas.size() + " other replica(s)");
                }
                replicas.stream().filter(p -> !p.isCurrent() || p.isOffline())
                        .forEach(p -> problems.add(bucket + "'s replica on " + p.getName() + " is not current"));
            }
        } catch (Exception e) {
            problems.add("the control plane could not be read: " + e.getMessage());
        }
        return problems;
    }

    /**
     * A replica that was current with the few bytes of the rollout may not hold what comes next (a node
     * whose storage limit is below the control plane's size kept up until its first real write): R3 is
     * proven by writing. A 2 KiB probe key into every bucket, acknowledged by the bucket's quorum, then
     * every replica current with it; the probe keys are purged afterwards.
     */
    @Then("a probe written to every control-plane bucket after the scale-up is acknowledged, and within {int} seconds every replica is current with it")
    public void writtenAfterScale(int seconds) {
        String key = "triad-probe." + Long.toHexString(System.nanoTime());
        byte[] value = ("triad-acceptance scale-up probe " + key + " ").repeat(64).substring(0, 2048).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        List<String> refused = new ArrayList<>();
        try (ControlPlane cp = ControlPlane.open(zone, seed())) {
            for (String stream : Settings.BUCKETS) {
                String bucket = stream.replaceFirst("^KV_", "");
                try {
                    cp.keyValue(bucket).put(key, value);
                } catch (Exception e) {
                    refused.add(bucket + ": " + e.getMessage());
                }
            }
            try {
                none(refused, "a write after the scale-up was not acknowledged");
                Duration took = within(seconds, "every replica current with the probe",
                        () -> none(replicationProblems(), "the control plane is not replicated after a write"));
                zone.evidence().figure("every replica current with a 2 KiB probe per bucket", took.toMillis() + " ms");
            } finally {
                for (String stream : Settings.BUCKETS) {
                    try {
                        cp.keyValue(stream.replaceFirst("^KV_", "")).purge(key);
                    } catch (Exception e) {
                        zone.evidence().note("probe left behind", stream + " " + key + ": " + e.getMessage());
                    }
                }
            }
        }
    }

    @Then("every bucket's messages, last sequence and every key's value and revision are as before the scale-up")
    public void nothingLost() {
        check(!before.isEmpty(), "no state was read before the scale-up");
        Map<String, ControlPlane.Snapshot> after = new LinkedHashMap<>();
        List<String> differences = differencesThroughEveryNode(after);
        zone.evidence().note("control plane after the scale-up, read through every node", describe(after));
        none(differences, "the scale-up changed the control plane");
    }

    /**
     * Every bucket read through every node (each replica must hold the same state) against the
     * state read before, one line per difference; the snapshots go into {@code after}.
     */
    private List<String> differencesThroughEveryNode(Map<String, ControlPlane.Snapshot> after) {
        List<String> differences = new ArrayList<>();
        for (Host h : nodes()) {
            try (ControlPlane cp = ControlPlane.open(zone, h)) {
                for (String bucket : Settings.BUCKETS) {
                    ControlPlane.Snapshot s = cp.snapshot(bucket);
                    after.put(h.name() + " " + bucket, s);
                    s.differences(before.get(bucket)).forEach(d -> differences.add("through " + h.name() + ": " + d));
                }
            } catch (Exception e) {
                differences.add("the control plane could not be read through " + h.name() + ": " + e.getMessage());
            }
        }
        return differences;
    }

    private static String describe(Map<String, ControlPlane.Snapshot> snapshots) {
        StringBuilder out = new StringBuilder();
        snapshots.forEach((name, s) -> out.append(name).append(": ").append(s.messages()).append(" messages, last sequence ")
                .append(s.lastSequence()).append(", keys ").append(s.keys()).append('\n'));
        return out.toString();
    }

    @Then("within {int} seconds every key of every control-plane bucket is readable through each other node, as before")
    public void readableWithoutSeed(int seconds) {
        check(!before.isEmpty(), "no state was read before");
        Duration took = within(seconds, "every key readable through the other nodes", () -> {
            List<String> differences = new ArrayList<>();
            for (Host h : nodes()) {
                if (h.name().equals(seed().name())) {
                    continue;
                }
                try (ControlPlane cp = ControlPlane.open(zone, h)) {
                    for (String bucket : Settings.BUCKETS) {
                        Map<String, String> was = before.get(bucket).keys();
                        Map<String, String> now = cp.read(bucket, was.keySet());
                        was.forEach((k, v) -> {
                            if (!v.equals(now.get(k))) {
                                differences.add("through " + h.name() + ": " + bucket + " key " + k + " was " + v + ", reads " + now.get(k));
                            }
                        });
                    }
                } catch (Exception e) {
                    differences.add("the control plane could not be read through " + h.name() + ": " + e.getMessage());
                }
            }
            none(differences, "keys not readable as before");
        });
        zone.evidence().figure("every key readable without the seed", took.toMillis() + " ms");
    }

    @Given("the control plane's state is read")
    public void readState() {
        before.clear();
        try (ControlPlane cp = ControlPlane.open(zone, seed())) {
            for (String bucket : Settings.BUCKETS) {
                before.put(bucket, cp.snapshot(bucket));
            }
        } catch (Exception e) {
            throw new AssertionError("cannot read the control plane: " + e.getMessage(), e);
        }
        zone.evidence().note("control plane before", describe(before));
    }

    /** What the standalone run removed from the node's own store (a stream gone, or its messages gone). */
    private final List<String> storeLosses = new ArrayList<>();

    @When("a node's unit is stopped and membershipd runs on it without --store kv or --cluster-name, then the unit starts again")
    public void rollback() {
        Host h = nodes().get(nodes().size() - 1);
        new Nemesis(zone).stop("stop-one", h, io.triad.profile.unibus.Shape.SERVICE);
        String store = file("local_files/jetstream");
        Map<String, Long> onDisk = storeOnDisk(h, store);
        check(!onDisk.isEmpty(), h.name() + " holds no stream in " + store + " before the rollback run: nothing to keep");
        // The runbook's rollback: the same binary, its store, no KV store and no cluster (loopback only here),
        // until it answers with its store loaded, then stopped.
        CommandResult started = h.exec(h.asRoot("cd " + q(settings.dir()) + " && { nohup ./membershipd --store memory --bus-auth off"
                + " --bind 127.0.0.1 --nats-store " + q(store) + " > /tmp/rollback.log 2>&1 & echo $!; }"));
        check(started.ok() && started.stdout().strip().matches("\\d+"), "the standalone membershipd did not start on " + h.name()
                + ": " + started.stderr().strip());
        String pid = started.stdout().strip();
        try {
            within(30, "the standalone membershipd on " + h.name() + " answers with JetStream up", () -> {
                CommandResult health = h.exec("curl -s -m 2 http://127.0.0.1:" + settings.httpPort() + "/healthz");
                check(health.stdout().contains("\"jetstream\":true"), "not yet: " + (health.stdout() + health.stderr()).strip());
            });
        } finally {
            h.exec(h.asRoot("kill " + pid + " 2>/dev/null; for i in $(seq 100); do kill -0 " + pid
                    + " 2>/dev/null || exit 0; sleep 0.1; done; kill -9 " + pid + "; true"), Duration.ofSeconds(20));
            zone.evidence().note("rollback run on " + h.name(), h.exec(h.asRoot("tail -5 /tmp/rollback.log")).stdout());
        }
        Map<String, Long> after = storeOnDisk(h, store);
        onDisk.forEach((stream, bytes) -> {
            Long now = after.get(stream);
            if (now == null) {
                storeLosses.add(h.name() + ": " + stream + " is gone from " + store);
            } else if (bytes > 0 && now == 0) {
                storeLosses.add(h.name() + ": " + stream + "'s messages are gone (" + bytes + " bytes before, none after)");
            }
        });
        zone.evidence().note("the node's own store around the rollback run (stream: bytes of message blocks)", onDisk + " -> " + after);
        new Nemesis(zone).startStopped(h, io.triad.profile.unibus.Shape.SERVICE);
    }

    /** Per stream directory of a node's JetStream store: the bytes of its message blocks, read from the disk. */
    private Map<String, Long> storeOnDisk(Host h, String store) {
        CommandResult r = h.exec(h.asRoot("cd " + q(store) + " 2>/dev/null && find . -path '*/streams/*' -name '*.blk' -printf '%h %s\\n'; true"));
        Map<String, Long> bytes = new java.util.TreeMap<>();
        for (String line : r.stdout().split("\n")) {
            String[] f = line.strip().split(" ");
            if (f.length == 2 && f[0].endsWith("/msgs")) {
                String stream = f[0].substring(0, f[0].length() - "/msgs".length()).replaceFirst("^.*/streams/", "");
                bytes.merge(stream, Long.parseLong(f[1]), Long::sum);
            }
        }
        CommandResult dirs = h.exec(h.asRoot("cd " + q(store) + " 2>/dev/null && find . -mindepth 4 -maxdepth 4 -path '*/streams/*' -type d; true"));
        for (String d : dirs.stdout().split("\n")) {
            if (d.contains("/streams/")) {
                bytes.putIfAbsent(d.strip().replaceFirst("^.*/streams/", ""), 0L);
            }
        }
        return bytes;
    }

    @Then("within {int} seconds the cluster is steady and every bucket and key remains, read through every node")
    public void nothingDeleted(int seconds) {
        none(storeLosses, "the rollback run deleted data from the node's own store");
        steady(seconds);
        Duration took = within(seconds, "every bucket and key remains",
                () -> none(differencesThroughEveryNode(new LinkedHashMap<>()), "the rollback changed the control plane"));
        zone.evidence().figure("every key as before after the rollback run", took.toMillis() + " ms");
    }
}
