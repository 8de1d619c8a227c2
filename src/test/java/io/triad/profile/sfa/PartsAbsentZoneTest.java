package io.triad.profile.sfa;

import io.triad.env.Environment;
import io.triad.run.CucumberRun;
import io.triad.run.Progress;
import io.triad.sim.SimulatedTriad;
import io.triad.zone.Zone;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 35: a zone laid out as others build it. The SFA simulated zone built without Redis and
 * without monitoring (the environment's not_applicable redis and monitoring: its first boot starts
 * neither), as a Patroni-only cluster is, and with HAProxy on every database node bound to that
 * node's address (autobase's layout; sfa.haproxy.host and address name the one the harness asks):
 * the steady state waits for neither absent part, the Patroni and HAProxy items and the switchover,
 * crash and DCS-majority drills run and pass (Patroni's members named for the hosts' names, pgnode1 to 3,
 * not the inventory's db1 to db3: matched to the nodes by their addresses), and the Redis and alert items are skipped as not
 * applicable, with the environment's reason.
 */
class PartsAbsentZoneTest {

    @Test
    void aZoneWithoutRedisAndMonitoringRunsThePatroniItemsAndDrills() throws Exception {
        Path root = SimulatedTriad.root();
        Environment env = io.triad.sim.OperatorLogin.load(root.resolve("environments/sfa/simulated.yaml"), tree -> {
            // HAProxy on every database node, bound to the node's address alone (autobase's layout); the
            // harness asks db3's (moved with the zone's addresses)
            // the nodes' host names are not the inventory's names (pgnode1..3, as an operator's hosts are
            // named): Patroni names its members for them, as autobase does
            int k = 1;
            for (var h : tree.withArray("hosts")) {
                if (h.path("name").asText().startsWith("db")) {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) h).put("hostname", "pgnode" + k++);
                }
            }
            var proxy = tree.with("sfa").with("haproxy");
            proxy.put("host", "db3");
            proxy.put("address", "10.213.82.13");
            io.triad.env.Beside.move(tree, 20, "-parts");
            var na = tree.with("not_applicable");
            na.put("redis", "this zone's data tier is PostgreSQL alone: no Redis cluster");
            na.put("monitoring", "monitored by the operators' own stack, outside the zone");
        });
        Path reports = Files.createDirectories(root.resolve("target/test-reports/sfa-parts-absent"));
        try (Zone zone = Zone.open(env, Progress.stderr())) {
            var redis = zone.hosts().get(0).exec("systemctl is-active redis-server@6379.service").stdout().strip();
            assertEquals("inactive", redis, "the zone declared without Redis runs none");
            // HAProxy where the environment says, bound where it says: not on the support host, on each node its own address only
            assertEquals("inactive", zone.supportHost("ops").exec("systemctl is-active haproxy.service").stdout().strip(),
                    "HAProxy runs on the database nodes, not on the support host");
            for (var h : zone.hosts()) {
                String listening = h.exec("ss -Htln sport = :5000").stdout().strip();
                assertTrue(listening.contains(h.address() + ":5000") && !listening.contains("*:5000") && !listening.contains("0.0.0.0:5000"),
                        h.name() + "'s HAProxy is bound to its address alone: " + listening);
            }
            // Patroni knows the nodes by their host names, not the inventory's: the checks and the switchover match members by address
            var first = zone.hosts().get(0);
            String members = first.exec(first.asRoot("patronictl -c /etc/patroni/patroni.yml list --format json")).stdout();
            for (String m : List.of("pgnode1", "pgnode2", "pgnode3")) {
                assertTrue(members.contains("\"Member\": \"" + m + "\""), "Patroni's members are named for the hosts: " + members);
            }
            assertTrue(!members.contains("\"Member\": \"db1\""), "no member is named for the inventory: " + members);
            CucumberRun.Result result = CucumberRun.run(zone, root.resolve("features/sfa"),
                    "@runbook:dcs.1 or @runbook:pg.1 or @runbook:pg.4 or @runbook:redis.1 or @runbook:alert.1 or @runbook:pg.5"
                            + " or @runbook:drill.1 or @runbook:drill.2",
                    reports, Progress.stderr());
            int skipped = 0;
            for (CucumberRun.ScenarioResult s : result.scenarios()) {
                boolean na = !s.passed() && s.message().startsWith("not applicable to zone ");
                skipped += na ? 1 : 0;
                assertTrue(s.passed() || na, s.name() + ": " + s.status() + " " + s.message());
                if (s.name().contains("Redis") || s.name().contains("alert")) {
                    assertTrue(na, s.name() + " ran on a zone that declares its part absent: " + s.status());
                }
            }
            assertTrue(result.scenarios().stream().anyMatch(s -> s.passed() && s.name().contains("DCS")), "the DCS majority drill passed: "
                    + result.scenarios());
            assertEquals(2, skipped, "redis.1 and alert.1 not applicable: " + result.scenarios());
        }
    }
}
