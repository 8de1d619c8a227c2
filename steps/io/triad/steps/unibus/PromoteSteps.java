package io.triad.steps.unibus;

import io.cucumber.java.en.Then;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.zone.Nemesis;

import java.util.ArrayList;
import java.util.List;

/**
 * promote.2, "the allowlist never travels in cleartext", tried rather than read: migrate-to-kv,
 * given a scratch seed file of one canary user, is pointed with no --ca at another node's address,
 * where a scratch listener records every connection and every byte it receives. It must exit
 * non-zero, and the listener must see no connection at all (a client that connects has already
 * begun a cleartext session). No real server is the target, so a broken migrate-to-kv writes
 * nothing into the zone's KV. The listener and the seed file are scratch changes to two nodes:
 * only where the environment allows {@code scratch-bootstrap}; both removed whatever the outcome.
 */
public class PromoteSteps extends UnibusSupport {
    public PromoteSteps(io.triad.run.Run run) {
        super(run);
    }

    /** A listener on ADDRESS:PORT (python3) that writes "connection from HOST" and the bytes each sent to FILE, for SECONDS. */
    static String listener(String address, int port, String file, int seconds) {
        String py = """
                import socket, sys, time
                address, port, out, seconds = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
                s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind((address, port)); s.listen(8); s.settimeout(0.5)
                open(out, "w").write("listening\\n")
                end = time.time() + seconds
                while time.time() < end:
                    try:
                        c, peer = s.accept()
                    except socket.timeout:
                        continue
                    c.settimeout(3)
                    got = b""
                    try:
                        while len(got) < 4096:
                            b = c.recv(4096)
                            if not b:
                                break
                            got += b
                    except OSError:
                        pass
                    c.close()
                    open(out, "a").write("connection from %s, %d byte(s) sent\\n" % (peer[0], len(got)))
                """;
        return "nohup python3 -c " + q(py) + " " + address + " " + port + " " + q(file) + " " + seconds + " < /dev/null > /dev/null 2>&1 &"
                + " echo $! > " + q(file + ".pid");
    }

    @Then("migrate-to-kv with no --ca, pointed at another node's address, exits non-zero before it connects: a listener there sees no connection")
    public void refusesRemoteWithoutCa() {
        new Nemesis(zone).requireAllowed("scratch-bootstrap"); // a scratch listener and seed file on two nodes
        Host node = seed();
        Host other = nodes().stream().filter(h -> !h.equals(node)).findFirst().orElseThrow(() -> new AssertionError("no second node to point it at"));
        int port = settings.clientPort() + 10000;
        String address = other.address().toString();
        String capture = "/tmp/triad-promote2.capture";
        String db = "/tmp/triad-promote2.db";
        String busy = other.exec(other.asRoot("ss -Htln | awk '{print $4}' | grep -E ':" + port + "$' || true")).stdout().strip();
        check(busy.isEmpty(), other.name() + ": the scratch port " + port + " is taken (" + busy + "): migrate-to-kv cannot be tried there");
        List<String> problems = new ArrayList<>();
        other.exec(other.asRoot(listener(address, port, capture, 60))).requireOk();
        try {
            within(15, "the scratch listener on " + address + ":" + port, () -> check(other.exec(other.asRoot("ss -Htln | awk '{print $4}'"))
                    .stdout().lines().anyMatch(a -> a.strip().equals(address + ":" + port)), other.name() + " does not listen on " + port + " yet"));
            String canary = "{\"handle\":\"triad-promote2-canary\",\"sign_pub\":\"AAAA\",\"role\":\"member\"}";
            CommandResult r = node.exec(node.asRoot("printf '%s\\n' " + q(canary) + " > " + q(db) + " && cd " + q(settings.dir())
                    + " && timeout 30 ./membershipd migrate-to-kv --db " + q(db) + " --nats-url " + q("nats://" + address + ":" + port)
                    + " 2>&1; echo \"rc=$?\"; rm -f " + q(db)));
            List<String> out = r.stdout().strip().lines().toList();
            String rc = out.isEmpty() ? "" : out.get(out.size() - 1);
            String said = String.join(" / ", out.subList(0, Math.max(0, out.size() - 1)));
            // what the listener saw is read once migrate-to-kv has ended: a connection it made was recorded by then
            String seen = other.exec(other.asRoot("cat " + q(capture) + " 2>/dev/null || true")).stdout().strip();
            zone.evidence().note("migrate-to-kv --nats-url nats://" + address + ":" + port + " (no --ca) on " + node.name(),
                    rc + "\n" + said + "\nthe listener on " + other.name() + ":\n" + seen);
            check(seen.startsWith("listening"), other.name() + ": the scratch listener did not run (" + seen + ")");
            seen.lines().filter(l -> l.startsWith("connection")).forEach(l -> problems.add("migrate-to-kv with no --ca connected to "
                    + address + ":" + port + " (" + l + "): the allowlist's session began in cleartext"));
            if (rc.equals("rc=0")) {
                problems.add("migrate-to-kv with no --ca to a remote target exited 0: it did not refuse (" + said + ")");
            } else if (rc.equals("rc=124")) {
                problems.add("migrate-to-kv with no --ca to a remote target did not end within 30 s: it did not refuse");
            }
        } finally {
            other.exec(other.asRoot("kill $(cat " + q(capture + ".pid") + " 2>/dev/null) 2>/dev/null; rm -f " + q(capture) + " " + q(capture + ".pid")));
        }
        none(problems, "migrate-to-kv's refusal of a remote target without --ca");
    }
}
