package io.triad.bench;

import io.triad.env.Environment;
import io.triad.env.EnvironmentLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Testinfra replay of a run's commands.log: which lines are commands, and a script Python reads back as written. */
class ReplayTest {

    @TempDir
    Path dir;

    @Test
    void commandsAreReadInOrderAndStreamsAndTunnelsLeftOut() {
        List<Replay.Command> commands = Replay.parse(List.of(
                "2026-11-22T15:37:18.301310898Z alpha exit 0 17 ms $ curl -s -m 3 http://127.0.0.1:8222/jsz",
                "2026-11-22T15:37:18.314044558Z gamma exit 1 11 ms $ test -s '/opt/bsfg/certs/node.key'",
                "2026-11-22T15:37:19.000000000Z beta timed out 30000 ms $ systemctl is-system-running --wait",
                "2026-11-22T15:37:19.100000000Z alpha stream $ while read -t 0.05; do :; done",
                "2026-11-22T15:37:19.200000000Z alpha port forward to 127.0.0.1:4222"));
        assertEquals(List.of(new Replay.Command("alpha", "curl -s -m 3 http://127.0.0.1:8222/jsz"),
                new Replay.Command("gamma", "test -s '/opt/bsfg/certs/node.key'"),
                new Replay.Command("beta", "systemctl is-system-running --wait")), commands);
    }

    @Test
    void theScriptHoldsEveryCommandAsWritten() throws Exception {
        Environment sim = EnvironmentLoader.load(Path.of(System.getProperty("triad.root", ".")).resolve("environments/bsfg-triad/simulated.yaml"));
        String tricky = "printf '%s\\n' \"a\\\"b\" | grep -F \"$(hostname)\" # tab\there";
        Path script = Replay.write(dir.resolve("test_replay.py"), sim, List.of(new Replay.Command("alpha", tricky),
                new Replay.Command("ops", "true")));
        Process p = new ProcessBuilder("python3", "-c", "import ast, sys; t = ast.parse(open(sys.argv[1]).read());"
                + " d = {}; exec(compile(ast.Module([n for n in t.body if not isinstance(n, (ast.Import, ast.FunctionDef))], []),"
                + " 'x', 'exec'), d); print(d['COMMANDS'][0][1]); print(sorted(d['HOSTS']))", script.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertEquals(tricky + "\n['alpha', 'beta', 'gamma', 'ops']\n", out);
        assertTrue(java.nio.file.Files.readString(script).contains("paramiko://root@10.213.77.11:22"));
    }
}
