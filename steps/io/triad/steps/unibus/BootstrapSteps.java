package io.triad.steps.unibus;

import io.cucumber.java.en.Then;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.zone.Nemesis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * seed.3, the loopback bootstrap's promise tried, not read: the runbook's bootstrap command
 * (membershipd --bus-auth off --bind 127.0.0.1) run on a scratch store and scratch ports of a node,
 * every listener of that process read (127.0.0.1 only) and its port tried from another node; then
 * the same command with --bind set to the node's own address, which must exit with an error before
 * it listens on anything. A scratch server is a change to a node: only where the environment allows
 * {@code scratch-bootstrap}; it is stopped and its store removed whatever the outcome.
 */
public class BootstrapSteps extends UnibusSupport {
    public BootstrapSteps(io.triad.run.Run run) {
        super(run);
    }

    /** The scratch server's ports: the zone's own moved up by 10000 (beside the running service's). */
    int[] scratchPorts() {
        return new int[] {settings.clientPort() + 10000, settings.httpPort() + 10000, settings.monitorPort() + 10000};
    }

    /** Starts the bootstrap command in the background (its pid in pid, its exit status in rc); prints the scratch directory. */
    String start(String bind, int[] p) {
        String run = "./membershipd --store kv --bus-auth off --bind " + q(bind) + " --port " + p[0] + " --http-port " + p[1]
                + " --monitor-port " + p[2] + " --nats-store \"$1/js\" > \"$1/log\" 2>&1 & echo $! > \"$1/pid\"; wait $!; echo $? > \"$1/rc\"";
        return "t=$(mktemp -d /tmp/triad-seed3.XXXXXX) && cd " + q(settings.dir()) + " && { nohup sh -c " + q(run) + " sh \"$t\""
                + " < /dev/null > /dev/null 2>&1 & echo \"$t\"; }";
    }

    /** Every TCP listener (local address:port) of the scratch run's process, one a line: whatever port it opened. */
    static String listenersOf(String dir) {
        return "p=$(cat " + q(dir + "/pid") + " 2>/dev/null) && [ -n \"$p\" ] && ss -Htlnp | grep -F \"pid=$p,\" | awk '{print $4}' || true";
    }

    /** The listeners (local address:port) on a scratch port, whoever holds them, one a line. */
    static String listeners(int[] p) {
        return "ss -Htlnp | awk '{print $4}' | grep -E ':(" + p[0] + "|" + p[1] + "|" + p[2] + ")$' || true";
    }

    /** Stops the scratch run's process (its pid file) and removes its store. */
    static String cleanUp(String dir) {
        String pid = q(dir + "/pid");
        return "p=$(cat " + pid + " 2>/dev/null); if [ -n \"$p\" ]; then kill \"$p\" 2>/dev/null; for i in $(seq 50); do kill -0 \"$p\" 2>/dev/null || break;"
                + " sleep 0.1; done; kill -9 \"$p\" 2>/dev/null; fi; rm -rf -- " + q(dir);
    }

    @Then("the runbook's bootstrap listens on 127.0.0.1 only, and refuses to start with bus-auth off on the node's own address")
    public void loopbackOnly() {
        new Nemesis(zone).requireAllowed("scratch-bootstrap"); // a server started on a node: only where the drills allow it
        Host node = seed();
        Host other = nodes().stream().filter(h -> !h.equals(node)).findFirst().orElseThrow(() -> new AssertionError("no second node to try from"));
        int[] p = scratchPorts();
        String busy = node.exec(node.asRoot(listeners(p))).stdout().strip();
        check(busy.isEmpty(), node.name() + ": the scratch ports " + p[0] + ", " + p[1] + ", " + p[2] + " are taken (" + busy.replace('\n', ' ')
                + "): the bootstrap cannot be tried there");
        List<String> problems = new ArrayList<>();

        // 1. the runbook's command as printed: loopback
        String dir = node.exec(node.asRoot(start("127.0.0.1", p))).requireOk().stdout().strip();
        try {
            Duration up = within(30, "the loopback bootstrap on " + node.name() + " listening on " + p[0], () -> {
                // up: its client, HTTP and monitor ports all open (what it opens beyond them is read from its pid below)
                String l = node.exec(node.asRoot(listeners(p))).stdout();
                check(java.util.stream.IntStream.of(p).allMatch(port -> l.lines().anyMatch(a -> a.strip().endsWith(":" + port))),
                        node.name() + ": the bootstrap does not listen on " + p[0] + ", " + p[1] + " and " + p[2] + " yet ("
                        + lastLine(node.exec(node.asRoot("cat " + q(dir + "/log") + " 2>/dev/null; cat " + q(dir + "/rc") + " 2>/dev/null")).stdout()) + ")");
            });
            List<String> ls = node.exec(node.asRoot(listenersOf(dir))).stdout().lines().map(String::strip).filter(a -> !a.isEmpty()).toList();
            zone.evidence().note("the loopback bootstrap's listeners on " + node.name() + " (up after " + up.toMillis() + " ms)", String.join("\n", ls));
            ls.stream().filter(a -> !a.startsWith("127.0.0.1:") && !a.startsWith("[::1]:"))
                    .forEach(a -> problems.add("the bootstrap (bus-auth off) on " + node.name() + " listens on " + a + ", beyond loopback"));
            String address = node.address().toString();
            CommandResult tried = other.exec("timeout 3 bash -c " + q("exec 3<>/dev/tcp/" + address + "/" + p[0]) + " 2>&1; echo rc=$?");
            if (tried.stdout().strip().endsWith("rc=0")) {
                problems.add("the bootstrap (bus-auth off) on " + node.name() + " takes a connection from " + other.name() + " on " + address + ":" + p[0]);
            }
        } finally {
            node.exec(node.asRoot(cleanUp(dir)));
        }

        // 2. the same command with --bind set to the node's own address: an error, and no listener ever
        String address = node.address().toString();
        String dir2 = node.exec(node.asRoot(start(address, p))).requireOk().stdout().strip();
        try {
            String[] outcome = new String[1];
            Duration decided = within(20, "the bootstrap on " + address + " exiting", () -> {
                String l = String.join(" ", new java.util.TreeSet<>((node.exec(node.asRoot(listenersOf(dir2))).stdout() + "\n"
                        + node.exec(node.asRoot(listeners(p))).stdout()).lines().map(String::strip).filter(a -> !a.isEmpty()).toList()));
                String rc = node.exec(node.asRoot("cat " + q(dir2 + "/rc") + " 2>/dev/null || true")).stdout().strip();
                if (!l.isEmpty()) {
                    outcome[0] = "listens on " + l;
                    return;
                }
                check(!rc.isEmpty(), node.name() + ": membershipd --bus-auth off --bind " + address + " neither exited nor listens yet");
                outcome[0] = "exit " + rc;
            });
            String log = node.exec(node.asRoot("cat " + q(dir2 + "/log") + " 2>/dev/null || true")).stdout().strip();
            zone.evidence().note("membershipd --bus-auth off --bind " + address + " on " + node.name() + " (" + decided.toMillis() + " ms)",
                    outcome[0] + "\n" + log);
            if (outcome[0].startsWith("listens")) {
                problems.add("membershipd with bus-auth off started on " + node.name() + "'s own address " + address + " and " + outcome[0]
                        + ": an unauthenticated server beyond loopback");
            } else if (outcome[0].equals("exit 0")) {
                problems.add("membershipd with bus-auth off on " + address + " exited 0: it did not refuse");
            }
        } finally {
            node.exec(node.asRoot(cleanUp(dir2)));
        }
        none(problems, "the loopback bootstrap");
    }

    /** The last line of what a scratch run said, for a failure's message. */
    static String lastLine(String s) {
        List<String> l = s.strip().lines().toList();
        return l.isEmpty() ? "it said nothing" : "it said: " + l.get(l.size() - 1);
    }
}
