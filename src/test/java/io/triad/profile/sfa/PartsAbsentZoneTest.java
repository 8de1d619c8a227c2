package io.triad.profile.sfa;

import io.triad.env.Environment;
import io.triad.run.CucumberRun;
import io.triad.run.Progress;
import io.triad.sim.SimulatedTriad;
import io.triad.zone.Zone;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 35: a zone that declares parts of the profile absent. The SFA simulated zone built without
 * Redis and without monitoring (the environment's not_applicable redis and monitoring: its first
 * boot starts neither), as a Patroni-only cluster is: the steady state waits for neither, the
 * Patroni items and the switchover and DCS-majority drills run and pass, and the Redis and alert
 * items are skipped as not applicable, with the environment's reason.
 */
class PartsAbsentZoneTest {

    @Test
    void aZoneWithoutRedisAndMonitoringRunsThePatroniItemsAndDrills() throws Exception {
        Path root = SimulatedTriad.root();
        Environment env = io.triad.sim.OperatorLogin.load(root.resolve("environments/sfa/simulated.yaml"), tree -> {
            io.triad.env.Beside.move(tree, 20, "-parts");
            var na = tree.with("not_applicable");
            na.put("redis", "this zone's data tier is PostgreSQL alone: no Redis cluster");
            na.put("monitoring", "monitored by the operators' own stack, outside the zone");
        });
        Path reports = Files.createDirectories(root.resolve("target/test-reports/sfa-parts-absent"));
        try (Zone zone = Zone.open(env, Progress.stderr())) {
            var redis = zone.hosts().get(0).exec("systemctl is-active redis-server@6379.service").stdout().strip();
            assertEquals("inactive", redis, "the zone declared without Redis runs none");
            CucumberRun.Result result = CucumberRun.run(zone, root.resolve("features/sfa"),
                    "@runbook:dcs.1 or @runbook:pg.1 or @runbook:redis.1 or @runbook:alert.1 or @runbook:pg.5 or @runbook:drill.2",
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
