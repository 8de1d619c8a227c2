package io.triad.steps.plasmacloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cucumber.java.en.Then;
import io.triad.env.Environment.HostSpec;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.profile.plasmacloud.Settings;
import io.triad.steps.common.Support;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Section 4, the pre-deployment checklists, on the zone as deployed: the technical half of each
 * row the harness can read or try (the inventory's MACs and serials, DNS, ping, bandwidth, the
 * nodes' cluster configuration, the certificates and their keys); the rows only people can check
 * are attestations (common steps).
 */
public class ChecklistSteps extends PlasmaSupport {
    public ChecklistSteps(io.triad.run.Run run) {
        super(run);
    }

    private static String firstLine(String text) {
        return text.strip().lines().findFirst().orElse("no output");
    }

    private HostSpec spec(Host h) {
        return zone.env().host(h.name());
    }

    // ---- 4.1 hardware inventory --------------------------------------------------------------------

    @Then("the inventory records every node and no other, each with its MAC, its hostname and its role")
    public void inventoryComplete() {
        List<String> problems = new ArrayList<>();
        Set<String> nodes = zone.env().hosts().stream().map(HostSpec::name).collect(Collectors.toCollection(TreeSet::new));
        for (String n : nodes) {
            if (!settings.inventory().containsKey(n)) {
                problems.add(n + " is not in the inventory (plasmacloud.inventory in " + zone.env().file() + ")");
            }
        }
        for (String n : settings.inventory().keySet()) {
            if (!nodes.contains(n)) {
                problems.add("the inventory lists " + n + ", which is not a node of the zone");
            }
        }
        Map<String, List<String>> byMac = new LinkedHashMap<>();
        settings.inventory().forEach((n, row) -> byMac.computeIfAbsent(row.mac(), m -> new ArrayList<>()).add(n));
        byMac.forEach((mac, names) -> {
            if (names.size() > 1) {
                problems.add("the inventory gives " + names + " the same MAC " + mac);
            }
        });
        zone.evidence().note("inventory", settings.inventory().entrySet().stream().map(e -> e.getKey() + " "
                + zone.env().host(e.getKey()).hostname() + " " + e.getValue().mac() + " " + e.getValue().role()
                + e.getValue().serial().map(s -> " serial " + s).orElse("")).collect(Collectors.joining("\n")));
        none(problems, "the node inventory");
    }

    /** The MAC of the interface that carries the node's inventory address ({@code ip -j addr}), against the inventory's. */
    @Then("every node's MAC address, on the interface that carries its address, is the one the inventory records")
    public void macs() {
        List<String> problems = onEachHost(zone.hosts(), (h, found) -> {
            CommandResult r = h.exec("ip -j addr show");
            if (!r.ok()) {
                found.add(h.name() + ": ip addr failed: " + r.stderr().strip());
                return;
            }
            String address = spec(h).address().toString();
            String mac = null;
            try {
                for (JsonNode link : JSON.readTree(r.stdout())) {
                    for (JsonNode a : link.path("addr_info")) {
                        if (a.path("local").asText().equals(address)) {
                            mac = link.path("address").asText().toLowerCase(java.util.Locale.ROOT);
                        }
                    }
                }
            } catch (IOException e) {
                found.add(h.name() + ": ip -j addr does not parse: " + e.getMessage());
                return;
            }
            Settings.Inventory row = settings.inventory().get(h.name());
            if (mac == null) {
                found.add(h.name() + " has no interface with its inventory address " + address);
            } else if (row == null) {
                found.add(h.name() + " (MAC " + mac + ") is not in the inventory");
            } else if (!row.mac().equals(mac)) {
                found.add(h.name() + "'s interface with " + address + " has MAC " + mac + "; the inventory records " + row.mac());
            }
        });
        none(problems, "MAC addresses");
    }

    @Then("every node's serial number is the one the inventory records, unless the environment says why none is recorded")
    public void serials() {
        List<String> read = new ArrayList<>(zone.onEach(zone.hosts(), h ->
                h.exec(h.asRoot("cat /sys/class/dmi/id/product_serial 2>/dev/null || dmidecode -s system-serial-number")).stdout().strip()));
        List<String> problems = new ArrayList<>();
        StringBuilder seen = new StringBuilder();
        for (int i = 0; i < zone.hosts().size(); i++) {
            Host h = zone.hosts().get(i);
            String serial = read.get(i);
            seen.append(h.name()).append(": ").append(serial.isEmpty() ? "(none readable)" : serial).append('\n');
            Settings.Inventory row = settings.inventory().get(h.name());
            java.util.Optional<String> recorded = row == null ? java.util.Optional.empty() : row.serial();
            if (recorded.isEmpty()) {
                if (zone.env().notApplicable("hardware-serials").isEmpty()) {
                    problems.add("the inventory records no serial number for " + h.name() + " (read: " + (serial.isEmpty() ? "none" : serial) + ")");
                }
            } else if (!recorded.get().equals(serial)) {
                problems.add(h.name() + "'s serial number is " + (serial.isEmpty() ? "not readable" : serial) + "; the inventory records "
                        + recorded.get());
            }
        }
        zone.evidence().note("serial numbers read", seen + zone.env().notApplicable("hardware-serials")
                .map(r -> "none recorded, as the environment says: " + r).orElse(""));
        none(problems, "serial numbers");
    }

    // ---- 4.2 network ---------------------------------------------------------------------------------

    /**
     * Asked on every node of the zone's DNS server (or the node's resolver when the environment
     * names none): each node's name has exactly its inventory address, and that address has
     * exactly the node's name back.
     */
    @Then("asked on every node, every node's name resolves to its address and its address back to its name, and nothing else")
    public void dns() {
        String server = settings.dnsServer().map(s -> " @" + s).orElse("");
        StringBuilder script = new StringBuilder();
        for (HostSpec n : zone.env().hosts()) {
            script.append("echo \"A ").append(n.name()).append(" $(dig +short +time=2 +tries=2").append(server).append(' ')
                    .append(q(n.hostname())).append(" A | tr '\\n' ' ')\"; ");
            script.append("echo \"PTR ").append(n.name()).append(" $(dig +short +time=2 +tries=2").append(server).append(" -x ")
                    .append(n.address()).append(" | tr '\\n' ' ')\"; ");
        }
        List<String> problems = onEachHost(zone.hosts(), (h, found) -> {
            CommandResult r = h.exec(script.toString());
            Map<String, String> answers = new LinkedHashMap<>();
            for (String line : r.stdout().lines().toList()) {
                String[] f = line.strip().split(" ", 3);
                if (f.length >= 2) {
                    answers.put(f[0] + " " + f[1], f.length == 3 ? f[2].strip() : "");
                }
            }
            for (HostSpec n : zone.env().hosts()) {
                String a = answers.getOrDefault("A " + n.name(), "(no answer)");
                if (!a.equals(n.address().toString())) {
                    found.add("from " + h.name() + ": " + n.hostname() + " resolves to '" + a + "', expected only " + n.address());
                }
                String ptr = answers.getOrDefault("PTR " + n.name(), "(no answer)");
                if (!ptr.equals(n.hostname() + ".")) {
                    found.add("from " + h.name() + ": " + n.address() + " resolves back to '" + ptr + "', expected only " + n.hostname() + ".");
                }
            }
        });
        zone.evidence().note("DNS", "asked of " + settings.dnsServer().orElse("each node's resolver") + ": "
                + zone.env().hosts().stream().map(n -> n.hostname() + " <-> " + n.address()).collect(Collectors.joining(", ")));
        none(problems, "DNS forward and reverse resolution");
    }

    private static final Pattern RTT = Pattern.compile("= [0-9.]+/([0-9.]+)/([0-9.]+)/");

    /** Ping from every node to every other node; the runbook (3.6) calls under 5 ms between nodes acceptable. */
    @Then("every node answers ping from every other node, the round trip under {int} ms")
    public void ping(int maxMs) {
        List<String> rtts = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> problems = onEachHost(zone.hosts(), (from, found) -> {
            for (Host to : zone.hosts()) {
                if (to == from) {
                    continue;
                }
                CommandResult r = from.exec("ping -n -c 3 -i 0.2 -W 1 " + to.address());
                Matcher m = RTT.matcher(r.stdout());
                if (!r.ok() || !m.find()) {
                    found.add(from.name() + " -> " + to.name() + ": no answer to ping (" + firstLine(r.stdout() + r.stderr()) + ")");
                    continue;
                }
                double avg = Double.parseDouble(m.group(1));
                rtts.add(from.name() + " -> " + to.name() + " " + m.group(1) + " ms");
                if (avg >= maxMs) {
                    found.add(from.name() + " -> " + to.name() + ": round trip " + m.group(1) + " ms on average, not under " + maxMs + " ms");
                }
            }
        });
        zone.evidence().figure("ping round trips (average of 3)", rtts.stream().sorted().collect(Collectors.joining("; ")));
        none(problems, "ping between the nodes");
    }

    /**
     * iperf3 from each node to the next (node01 to node02, node02 to node03, node03 to node01), one
     * pair at a time: a one-shot server on the receiver (it exits after the test), the client for
     * 2 s; the received rate against the environment's floor.
     */
    @Then("the bandwidth from each node to the next, measured with iperf3, is at least the floor")
    public void bandwidth() {
        List<Host> nodes = zone.hosts();
        int port = settings.bandwidthPort();
        List<String> problems = new ArrayList<>();
        List<String> figures = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Host from = nodes.get(i);
            Host to = nodes.get((i + 1) % nodes.size());
            CommandResult server = to.exec("(timeout 20 iperf3 -s -1 -p " + port + " >/dev/null 2>&1 &) ; echo started");
            if (!server.ok()) {
                problems.add(to.name() + ": iperf3's server did not start: " + server.stderr().strip());
                continue;
            }
            // the client starts once the server listens (polled on its host, up to 10 s: a busy node
            // took longer than the client's own retries), and still retries its connection for up to 5 s
            CommandResult listening = to.exec("for i in $(seq 1 100); do ss -Hltn 'sport = :" + port + "' | grep -q . && exit 0; sleep 0.1; done;"
                    + " exit 1", java.time.Duration.ofSeconds(20));
            if (!listening.ok()) {
                problems.add(to.name() + ": iperf3's server did not listen on port " + port + " within 10 s of its start");
                continue;
            }
            CommandResult r = from.exec("for i in $(seq 1 50); do out=$(iperf3 -c " + to.address() + " -p " + port
                    + " -t 2 -J 2>&1) && { printf '%s\\n' \"$out\"; exit 0; }; sleep 0.1; done; printf '%s\\n' \"$out\"; exit 1",
                    java.time.Duration.ofSeconds(20));
            double bps;
            try {
                JsonNode j = JSON.readTree(r.stdout());
                if (j.has("error")) {
                    problems.add(from.name() + " -> " + to.name() + ": iperf3: " + j.path("error").asText());
                    continue;
                }
                bps = j.path("end").path("sum_received").path("bits_per_second").asDouble(-1);
            } catch (IOException e) {
                problems.add(from.name() + " -> " + to.name() + ": iperf3 did not answer (" + firstLine(r.stdout() + r.stderr()) + ")");
                continue;
            }
            long mbps = Math.round(bps / 1e6);
            figures.add(from.name() + " -> " + to.name() + " " + mbps + " Mbit/s");
            if (bps < 0 || mbps < settings.bandwidthFloorMbps()) {
                problems.add(from.name() + " -> " + to.name() + ": " + mbps + " Mbit/s, under the floor of " + settings.bandwidthFloorMbps() + " Mbit/s");
            }
        }
        zone.evidence().figure("bandwidth (iperf3, 2 s each, received)", String.join("; ", figures) + " (floor "
                + settings.bandwidthFloorMbps() + " Mbit/s)");
        none(problems, "bandwidth between the nodes");
    }

    // ---- 4.4 node configuration ------------------------------------------------------------------------

    /** Every node's cluster-config.json (runbook 5.3 step 3.2): itself, its role, the cluster's name, the three nodes as peers. */
    @Then("every node's cluster configuration names the node, its role and the cluster, and the three nodes of the inventory as its peers")
    public void clusterConfig() {
        Set<String> raftPeers = zone.env().hosts().stream().map(n -> n.hostname() + ":" + settings.chainfireRaftPort())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> flarePeers = zone.env().hosts().stream().map(n -> n.hostname() + ":" + settings.flaredbRaftPort())
                .collect(Collectors.toCollection(TreeSet::new));
        List<String> problems = onEachHost(zone.hosts(), (h, found) -> {
            CommandResult r = h.exec(h.asRoot("cat " + q(settings.clusterConfig())));
            if (!r.ok()) {
                found.add(h.name() + " has no " + settings.clusterConfig() + " (" + r.stderr().strip() + ")");
                return;
            }
            JsonNode c;
            try {
                c = JSON.readTree(r.stdout());
            } catch (IOException e) {
                found.add(h.name() + ": " + settings.clusterConfig() + " is not JSON: " + e.getMessage());
                return;
            }
            boolean bootstrap = h.role().equals("bootstrap");
            if (!c.path("node_id").asText().equals(h.name())) {
                found.add(h.name() + "'s cluster configuration names node_id '" + c.path("node_id").asText() + "'");
            }
            if (!c.path("bootstrap").isBoolean() || c.path("bootstrap").asBoolean() != bootstrap) {
                found.add(h.name() + "'s cluster configuration says bootstrap " + c.path("bootstrap") + "; it is " + (bootstrap ? "" : "not ")
                        + "the bootstrap node");
            }
            if (!c.path("cluster_name").asText().equals(settings.clusterName())) {
                found.add(h.name() + "'s cluster configuration names cluster '" + c.path("cluster_name").asText() + "', not " + settings.clusterName());
            }
            Settings.Inventory row = settings.inventory().get(h.name());
            if (row != null && !c.path("node_role").asText().equals(row.role())) {
                found.add(h.name() + "'s cluster configuration gives role '" + c.path("node_role").asText() + "'; the inventory says " + row.role());
            }
            for (var peers : List.of(Map.entry("initial_peers", raftPeers), Map.entry("flaredb_peers", flarePeers))) {
                Set<String> listed = new TreeSet<>();
                c.path(peers.getKey()).forEach(p -> listed.add(p.asText()));
                if (!listed.equals(peers.getValue())) {
                    found.add(h.name() + "'s " + peers.getKey() + " are " + listed + ", expected " + peers.getValue());
                }
            }
            String expectedLeader = "https://" + zone.env().hosts().get(0).hostname() + ":" + settings.chainfirePort();
            if (!bootstrap && !c.path("leader_url").asText().equals(expectedLeader)) {
                found.add(h.name() + "'s leader_url is '" + c.path("leader_url").asText() + "', not the bootstrap node's " + expectedLeader);
            }
        });
        none(problems, "cluster configuration");
    }

    // ---- 4.5 TLS certificates ------------------------------------------------------------------------------

    @Then("every node holds the zone's CA and its own certificate, issued by that CA for its name, the expiry recorded")
    public void certificatesIssued() {
        List<String> expiries = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> problems = onEachHost(zone.hosts(), (h, found) -> {
            String cert = settings.certFile(h.name());
            CommandResult verify = h.exec(h.asRoot("openssl verify -CAfile " + q(settings.caFile()) + " " + q(cert)));
            if (!verify.ok()) {
                found.add(h.name() + ": " + cert + " does not verify against " + settings.caFile() + ": "
                        + (verify.stdout() + verify.stderr()).strip().replace('\n', ' '));
            }
            CommandResult text = h.exec(h.asRoot("openssl x509 -in " + q(cert) + " -noout -subject -issuer -dates -ext subjectAltName -nameopt RFC2253"));
            if (!text.ok()) {
                found.add(h.name() + ": " + cert + " cannot be read: " + text.stderr().strip());
                return;
            }
            String name = spec(h).hostname();
            if (!text.stdout().contains("CN=" + name) && !text.stdout().contains("DNS:" + name)) {
                found.add(h.name() + "'s certificate is not for " + name + ": " + firstLine(text.stdout()));
            }
            try {
                Instant notAfter = io.triad.probe.parse.X509Text.parse(text.stdout()).notAfter();
                expiries.add(h.name() + " until " + notAfter);
            } catch (IllegalArgumentException e) {
                found.add(h.name() + ": " + e.getMessage());
            }
        });
        zone.evidence().figure("node certificates' expiry (recorded)", expiries.stream().sorted().collect(Collectors.joining("; ")));
        none(problems, "node certificates");
    }

    /**
     * Each node's private key: mode 0400, owned by root, the certificate's own key, and tried: an
     * unprivileged account ({@code nobody}) cannot read it.
     */
    @Then("every node's private key is mode 0400, owned by root, matches its certificate, and another user's attempt to read it fails")
    public void keys() {
        List<String> problems = onEachHost(zone.hosts(), (h, found) -> {
            String key = settings.keyFile(h.name());
            CommandResult stat = h.exec(h.asRoot("stat -c '%a %U' " + q(key)));
            if (!stat.ok()) {
                found.add(h.name() + " has no key " + key);
                return;
            }
            if (!stat.stdout().strip().equals("400 root")) {
                found.add(h.name() + "'s " + key + " is mode and owner '" + stat.stdout().strip() + "', expected 400 root");
            }
            CommandResult tried = h.exec(h.asRoot("runuser -u nobody -- head -c 1 " + q(key) + " >/dev/null 2>&1 && echo READABLE || echo refused"));
            if (!tried.stdout().strip().equals("refused")) {
                found.add(h.name() + "'s " + key + " was read by the account nobody");
            }
            CommandResult match = h.exec(h.asRoot("a=$(openssl x509 -in " + q(settings.certFile(h.name())) + " -noout -pubkey | sha256sum);"
                    + " b=$(openssl pkey -in " + q(key) + " -pubout | sha256sum); [ \"$a\" = \"$b\" ] && echo same || echo different"));
            if (!match.stdout().strip().equals("same")) {
                found.add(h.name() + "'s " + key + " is not the key of its certificate");
            }
        });
        none(problems, "private keys");
    }
}
