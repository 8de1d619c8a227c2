package io.triad.cli;

import io.triad.env.Environment;
import io.triad.env.EnvironmentLoader;
import io.triad.run.ExitCodes;
import io.triad.sim.KeptZone;
import io.triad.sim.SimulatedTriad;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static io.triad.cli.LiveSafetyTest.triad;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live ThreePhoenix zone the harness cannot audit (issue 18's bad input), reached as a live zone
 * through 'triad up': wrong database credentials (the Pgpool monitoring user's password in the
 * edge's .pgpass changed), then Pgpool not answering (stopped), then the Kubernetes API server not
 * answering kubectl on the kube host (an environment that declares kubernetes not applicable is
 * audited all the same). Each time one message naming the host and what failed, exit 2, no
 * scenario run, no password printed; then the zone mended.
 */
class PhoenixLiveBadInputTest {

    static final Path ROOT = SimulatedTriad.root();

    @AfterAll
    static void down() {
        triad("down");
    }

    @Test
    void wrongCredentialsOrPgpoolUnreachableStopTheRunBeforeAnyScenario() {
        LiveSafetyTest.Outcome up = triad("up", "--env", ROOT.resolve("environments/three-phoenix/simulated.yaml").toString());
        assertEquals(ExitCodes.PASSED, up.code(), up.err());
        Path env = KeptZone.environmentFile("phoenix-sim");
        assertEquals(Environment.Kind.LIVE, EnvironmentLoader.load(env).kind());

        // the monitoring user's password changed in .pgpass (the line kept aside to be put back)
        dockerExec("edge", "cp /var/lib/postgresql/.pgpass /root/pgpass.kept && sed -i 's/^\\(\\*:\\*:\\*:pgpool:\\).*/\\1not-the-password/' "
                + "/var/lib/postgresql/.pgpass");
        LiveSafetyTest.Outcome wrong = triad("drill", "--env", env.toString(), "--tags", "@runbook:II.1");
        assertEquals(ExitCodes.BAD_INPUT, wrong.code(), wrong.err());
        assertTrue(wrong.err().contains("cannot be audited: Pgpool on edge (port 9999) refused or did not answer the user pgpool"), wrong.err());
        assertTrue(wrong.err().contains("authentication failed"), wrong.err());
        assertFalse(wrong.err().contains("not-the-password"), "no password printed: " + wrong.err());
        assertFalse(wrong.err().contains("scenario:"), "no scenario run: " + wrong.err());
        assertFalse(wrong.err().contains("\tat "), "no stack trace: " + wrong.err());

        // the credentials right again (through the container: the harness opens no zone whose gate fails), Pgpool stopped
        dockerExec("edge", "cp /root/pgpass.kept /var/lib/postgresql/.pgpass && systemctl stop pgpool2.service");
        LiveSafetyTest.Outcome unreachable = triad("drill", "--env", env.toString(), "--tags", "@runbook:II.1");
        assertEquals(ExitCodes.BAD_INPUT, unreachable.code(), unreachable.err());
        assertTrue(unreachable.err().contains("cannot be audited: Pgpool on edge (port 9999) refused or did not answer"), unreachable.err());
        assertFalse(unreachable.err().contains("scenario:"), "no scenario run: " + unreachable.err());

        // Pgpool started again, and waited for (a live zone the harness did not disturb is not waited for)
        dockerExec("edge", "systemctl start pgpool2.service && cd / && timeout 30 sh -c 'until runuser -u postgres -- psql"
                + " \"host=127.0.0.1 port=9999 user=pgpool dbname=postgres\" -XAtc \"SELECT 1\" >/dev/null 2>&1; do sleep 0.2; done'");
        LiveSafetyTest.Outcome mended = triad("drill", "--env", env.toString(), "--tags", "@runbook:II.1");
        assertEquals(ExitCodes.PASSED, mended.code(), mended.err());

        // the cluster's API server stopped: kubectl on the kube host cannot reach it (issue 36's bad input)
        dockerExec("kube", "systemctl stop kube-apiserver.service");
        LiveSafetyTest.Outcome noCluster = triad("drill", "--env", env.toString(), "--tags", "@runbook:II.1");
        assertEquals(ExitCodes.BAD_INPUT, noCluster.code(), noCluster.err());
        assertTrue(noCluster.err().contains("cannot be audited: kubectl on kube (context phoenix-sim) cannot reach the cluster phoenix.kubernetes names:"),
                noCluster.err());
        assertFalse(noCluster.err().contains("scenario:"), "no scenario run: " + noCluster.err());
        assertFalse(noCluster.err().contains("\tat "), "no stack trace: " + noCluster.err());
        // an environment that declares kubernetes not applicable is audited without it
        com.fasterxml.jackson.databind.node.ObjectNode tree = (com.fasterxml.jackson.databind.node.ObjectNode)
                io.triad.env.YamlFiles.read(env, "environment file");
        tree.with("not_applicable").put("kubernetes", "the operators audit the cluster apart");
        Path declared = env.resolveSibling("phoenix-sim-without-kubernetes.yaml");
        try {
            new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().writeValue(declared.toFile(), tree);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        LiveSafetyTest.Outcome withoutIt;
        try {
            withoutIt = triad("drill", "--env", declared.toString(), "--tags", "@runbook:II.1");
        } finally {
            declared.toFile().delete();
        }
        assertEquals(ExitCodes.PASSED, withoutIt.code(), withoutIt.err());
        dockerExec("kube", "systemctl start kube-apiserver.service && timeout 60 sh -c 'until kubectl get --raw /readyz >/dev/null 2>&1;"
                + " do sleep 0.2; done'");
        LiveSafetyTest.Outcome back = triad("drill", "--env", env.toString(), "--tags", "@runbook:I.1");
        assertEquals(ExitCodes.PASSED, back.code(), back.err());
    }

    /** A command in the kept zone's container of a host, through Docker (the zone refuses the harness while broken). */
    static void dockerExec(String host, String command) {
        try {
            Process ps = new ProcessBuilder("docker", "ps", "-q", "--filter", "label=triad.kept=true", "--filter", "name=-" + host + "-")
                    .redirectErrorStream(true).start();
            String id = new String(ps.getInputStream().readAllBytes()).strip();
            assertEquals(0, ps.waitFor());
            assertFalse(id.isEmpty() || id.contains("\n"), "one kept container for " + host + ": '" + id + "'");
            Process p = new ProcessBuilder("docker", "exec", id, "sh", "-c", command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), command + ": " + out);
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError("docker exec on " + host + ": " + e.getMessage(), e);
        }
    }
}
