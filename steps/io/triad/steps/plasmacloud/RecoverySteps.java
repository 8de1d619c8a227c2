package io.triad.steps.plasmacloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.host.Shell;
import io.triad.profile.plasmacloud.Settings;
import io.triad.profile.plasmacloud.Shape;
import io.triad.steps.common.Support;
import io.triad.zone.Nemesis;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Section 9, recovery, carried out on the zone: a single node's failure (9.3: quorum holds, the
 * failed node removed, a replacement under the same name) and the backup tarballs of 9.4 restored
 * into the cluster. Keys written before are read back with their revisions.
 */
public class RecoverySteps extends PlasmaSupport {
    public RecoverySteps(io.triad.run.Run run) {
        super(run);
    }

    private static final List<String> STORES = List.of(Shape.CHAINFIRE, Shape.FLAREDB);
    private final Map<String, Long> written = new LinkedHashMap<>(); // key -> revision, as acknowledged
    private final Map<String, Long> after = new LinkedHashMap<>(); // written after the backup
    private Host failed;
    private String backupDir;

    private String url(Host h, String service, String path) {
        return url(h, settings.apiPort(service), path);
    }

    /** A request on a node to its own API: the HTTP status (-1: none) and the JSON answered (null when none). */
    private Map.Entry<Integer, JsonNode> call(Host h, String method, String url, String body) {
        Answer a = request(h, method, url, body, 5);
        return new java.util.AbstractMap.SimpleImmutableEntry<>(a.status(), a.json());
    }

    private void writeKeys(int count, String what, Map<String, Long> into) {
        new Nemesis(zone).requireAllowed("test-writes");
        Host h = zone.hosts().get(0);
        String prefix = "triad-recovery-" + java.util.UUID.randomUUID().toString().substring(0, 6);
        for (int i = 1; i <= count; i++) {
            String key = prefix + "-" + i;
            var answer = call(h, "PUT", url(h, Shape.CHAINFIRE, "/v1/kv/" + key), "{\"value\":\"" + key + "\"}");
            check(answer.getKey() == 200 && answer.getValue() != null, h.name() + ": the write of " + key + " answered HTTP " + answer.getKey());
            into.put(key, answer.getValue().path("revision").asLong());
        }
        zone.evidence().note(what, into.entrySet().stream().map(e -> e.getKey() + " at revision " + e.getValue())
                .collect(java.util.stream.Collectors.joining("\n")));
    }

    @Given("{int} Chainfire keys written, their revisions noted")
    public void keysWritten(int count) {
        writeKeys(count, "keys written before", written);
    }

    // ---- 9.3 single node failure ------------------------------------------------------------------------

    @When("the inventory's first member node fails \\(its node crashes)")
    public void nodeFails() {
        failed = zone.hosts().stream().filter(h -> h.role().equals("member-1")).findFirst()
                .orElseThrow(() -> new AssertionError("no node of role member-1 in the inventory"));
        new Nemesis(zone).crash(failed);
    }

    private List<Host> others() {
        return zone.hosts().stream().filter(h -> h != failed).toList();
    }

    /** The members list of a service as a node answers it: name -> status; empty when it does not answer. */
    private Map<String, String> members(Host h, String service) {
        var answer = call(h, "GET", url(h, service, "/admin/cluster/members"), null);
        Map<String, String> out = new java.util.TreeMap<>();
        if (answer.getKey() == 200 && answer.getValue() != null) {
            answer.getValue().path("members").forEach(m -> out.put(m.path("id").asText(), m.path("status").asText()));
        }
        return out;
    }

    /** Runbook 9.3 step 1: the remaining nodes have quorum (2 healthy members) and a write is still acknowledged. */
    @Then("within {int} seconds both others list 2 healthy members on Chainfire and on FlareDB, and a write is acknowledged")
    public void quorumHolds(int seconds) {
        Duration took = within(seconds, "2 healthy members of each store, asked of " + others().stream().map(Host::name).toList(), () -> {
            List<String> problems = new ArrayList<>();
            for (Host h : others()) {
                for (String service : STORES) {
                    Map<String, String> m = members(h, service);
                    long healthy = m.values().stream().filter("healthy"::equals).count();
                    if (healthy != 2 || "healthy".equals(m.get(failed.name()))) {
                        problems.add(h.name() + "'s " + service + " lists " + m);
                    }
                }
            }
            none(problems, "not yet");
        });
        zone.evidence().figure("failure to 2 healthy members seen", took.toMillis() + " ms");
        Map<String, Long> probe = new LinkedHashMap<>();
        writeKeys(1, "a write while " + failed.name() + " is down", probe);
        written.putAll(probe);
    }

    @When("it is removed from Chainfire and FlareDB with DELETE \\/admin\\/member\\/<name>")
    public void remove() {
        Host h = others().get(0);
        for (String service : STORES) {
            var answer = call(h, "DELETE", url(h, service, "/admin/member/" + failed.name()), null);
            check(answer.getKey() == 200, h.name() + ": DELETE /admin/member/" + failed.name() + " on " + service + " answered HTTP "
                    + answer.getKey() + " " + answer.getValue());
        }
        // until its replacement has joined, the zone misses a member: undone by provisioning it again
        zone.faults().applied("removed from the cluster", failed.name(), java.time.Instant.now(), io.triad.zone.Faults.Impact.NONE,
                () -> replace(failed));
    }

    @Then("both others list 2 members on each store, both healthy")
    public void twoMembers() {
        within(10, "2 members, both healthy", () -> {
            List<String> problems = new ArrayList<>();
            for (Host h : others()) {
                for (String service : STORES) {
                    Map<String, String> m = members(h, service);
                    if (m.size() != 2 || m.values().stream().anyMatch(s -> !s.equals("healthy")) || m.containsKey(failed.name())) {
                        problems.add(h.name() + "'s " + service + " lists " + m);
                    }
                }
            }
            none(problems, "not yet");
        });
    }

    /**
     * A replacement provisioned under the same name (runbook 9.3 step 3, as nixos-anywhere leaves
     * it): the node started, its stores emptied, the services and their first-boot joins started
     * again, so that it joins through its cluster-config.json's leader_url.
     */
    private void replace(Host h) {
        zone.faults().heal("node crashed", h.name(), zone.evidence());
        String script = """
                systemctl stop chainfire-cluster-join flaredb-cluster-join flaredb chainfire
                rm -rf /var/lib/chainfire/* /var/lib/flaredb/*
                systemctl start chainfire flaredb
                systemctl restart chainfire-cluster-join flaredb-cluster-join
                """;
        h.exec(h.asRoot("bash -c " + Shell.quote(script)), Duration.ofSeconds(120)).requireOk();
    }

    @When("its replacement is provisioned under the same name: the node started with empty stores, its first-boot joins run again")
    public void provision() {
        check(zone.faults().heal("removed from the cluster", failed.name(), zone.evidence()), failed.name() + " was not removed");
    }

    @Then("within {int} seconds the zone is steady again, the replacement a member of both stores")
    public void steadyAgain(int seconds) {
        Duration took = steadyWithin(seconds, "the zone steady with " + (failed == null ? "its restored stores" : failed.name() + " back in both stores"));
        zone.evidence().figure("steady again", took.toMillis() + " ms");
    }

    /** Every key written before, read on {@code on} (a linearizable read): its value, and the revision it was written at. */
    private List<String> missing(Host on, Map<String, Long> keys) {
        List<String> problems = new ArrayList<>();
        keys.forEach((key, revision) -> {
            var answer = call(on, "GET", url(on, Shape.CHAINFIRE, "/v1/kv/" + key), null);
            if (answer.getKey() != 200 || answer.getValue() == null) {
                problems.add(key + " answered HTTP " + answer.getKey() + " on " + on.name());
            } else if (answer.getValue().path("revision").asLong() != revision || !answer.getValue().path("value").asText().equals(key)) {
                problems.add(key + " on " + on.name() + " is '" + answer.getValue().path("value").asText() + "' at revision "
                        + answer.getValue().path("revision").asLong() + ", written at " + revision);
            }
        });
        return problems;
    }

    @Then("the replacement reads every key written before, each at the revision it was written at")
    public void keysOnReplacement() {
        List<String> problems = missing(failed, written);
        zone.evidence().figure("keys read on " + failed.name(), (written.size() - problems.size()) + " of " + written.size());
        none(problems, "keys lost or changed on " + failed.name());
    }

    // ---- 7.5 draining a node for maintenance -------------------------------------------------------------

    /**
     * Runbook 7.5's stores' part: the node's Chainfire and FlareDB stopped as the runbook stops them
     * ({@code systemctl stop}), each undone by starting it again. FiberLB's drain and PlasmaVMC's
     * migrations are not the zone's (it runs neither).
     */
    @When("the inventory's first member node is drained for maintenance: its Chainfire and FlareDB stopped")
    public void drain() {
        failed = zone.hosts().stream().filter(h -> h.role().equals("member-1")).findFirst()
                .orElseThrow(() -> new AssertionError("no node of role member-1 in the inventory"));
        Nemesis nemesis = new Nemesis(zone);
        for (String service : STORES) {
            nemesis.stop("drain-node", failed, service);
        }
    }

    /** The runbook's reboot after the maintenance: on a simulated zone the node's container ends and starts again, its units starting at boot. */
    @When("it is rebooted, its services starting at boot")
    public void reboot() {
        new Nemesis(zone).crash(failed);
        check(zone.faults().heal("node crashed", failed.name(), zone.evidence()), failed.name() + " was not rebooted");
    }

    @Then("within {int} seconds the zone is steady again, the drained node a healthy member of both stores")
    public void steadyAfterDrain(int seconds) {
        steadyAgain(seconds);
    }

    @Then("the drained node reads every key written before and during its maintenance, each at the revision it was written at")
    public void keysAfterDrain() {
        keysOnReplacement();
    }

    // ---- 9.4 backup and restore -----------------------------------------------------------------------------

    /**
     * The runbook's backup script (9.4): a tarball of /var/lib/chainfire and of /var/lib/flaredb of
     * every node, taken while the services run. Kept on each node under /var/backups (the runbook
     * streams them to the provisioning server, which the simulated zone does not have).
     */
    @When("backup tarballs of every node's Chainfire and FlareDB data are taken as the runbook's backup script takes them")
    public void backup() {
        new Nemesis(zone).requireAllowed("restore-test");
        backupDir = "/var/backups/plasmacloud/cluster-" + java.time.LocalDateTime.now(java.time.ZoneOffset.UTC)
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        List<String> sizes = zone.onEach(zone.hosts(), h -> {
            // GNU tar exits 1 when a file changed while it was read ("some files differ"): the runbook's script takes
            // its tarballs from running services and does not stop on that (no set -e), so neither does this; the
            // restore below is what shows whether such a tarball serves. Exit 2 and above (a fatal error) stops it.
            String script = "set -e; mkdir -p " + q(backupDir) + "; for s in chainfire flaredb; do rc=0; tar -czf " + q(backupDir)
                    + "/$s-" + h.name() + ".tar.gz -C / var/lib/$s 2>/tmp/triad-backup-$s.err || rc=$?;"
                    + " if [ $rc -gt 1 ]; then cat /tmp/triad-backup-$s.err >&2; exit $rc; fi;"
                    + " if [ $rc -eq 1 ]; then echo \"$s: a file changed while read\"; fi; done;"
                    + " du -cb " + q(backupDir) + "/*.tar.gz | tail -n 1 | cut -f1";
            List<String> out = h.exec(h.asRoot("bash -c " + Shell.quote(script)), Duration.ofSeconds(120)).requireOk().stdout().strip().lines().toList();
            return h.name() + " " + out.get(out.size() - 1) + " bytes" + (out.size() > 1
                    ? " (" + String.join("; ", out.subList(0, out.size() - 1)) + ", as the runbook's script allows)" : "");
        });
        zone.faults().applied("backup tarballs in " + backupDir, () -> zone.onEach(zone.hosts(), h ->
                h.exec(h.asRoot("rm -rf " + q(backupDir)))));
        zone.evidence().figure("backup tarballs (" + backupDir + ")", String.join("; ", sizes));
    }

    @Then("{int} more keys are written after the backup")
    public void keysAfter(int count) {
        writeKeys(count, "keys written after the backup", after);
    }

    /** The runbook's restore script (9.4): the stores stopped on every node, the tarballs unpacked over them, started again. */
    @When("the tarballs are restored into the cluster as the runbook's restore script restores them")
    public void restore() {
        Nemesis nemesis = new Nemesis(zone);
        for (Host h : zone.hosts()) {
            nemesis.stop("restore-test", h, Shape.FLAREDB);
            nemesis.stop("restore-test", h, Shape.CHAINFIRE);
        }
        zone.onEach(zone.hosts(), h -> h.exec(h.asRoot("bash -c " + Shell.quote("set -e; for s in chainfire flaredb; do rm -rf /var/lib/$s/*;"
                + " tar -xzf " + q(backupDir) + "/$s-" + h.name() + ".tar.gz -C /; done")), Duration.ofSeconds(120)).requireOk());
        for (Host h : zone.hosts()) {
            zone.faults().heal(Shape.CHAINFIRE + " stopped", h.name(), zone.evidence());
            zone.faults().heal(Shape.FLAREDB + " stopped", h.name(), zone.evidence());
        }
    }

    @Then("every key written before the backup is back on every node at its revision, and none written after it")
    public void restored() {
        List<String> problems = new ArrayList<>();
        for (Host h : zone.hosts()) {
            problems.addAll(missing(h, written));
            after.keySet().forEach(key -> {
                var answer = call(h, "GET", url(h, Shape.CHAINFIRE, "/v1/kv/" + key), null);
                if (answer.getKey() != 404) {
                    problems.add(key + ", written after the backup, answered HTTP " + answer.getKey() + " on " + h.name()
                            + " (the restore did not go back to the backup)");
                }
            });
        }
        zone.evidence().figure("keys back after the restore", written.size() + " written before, read on every node; " + after.size()
                + " written after, gone");
        none(problems, "the restore");
    }
}
