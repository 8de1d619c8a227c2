package io.triad.steps.unibus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cucumber.java.en.Then;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.tech.nats.JetStreamView;
import io.triad.profile.unibus.Cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Prerequisites, staging, seed, bring-up and verify: what the runbook leaves on and in every node. */
public class NodeSteps extends UnibusSupport {
    public NodeSteps(io.triad.run.Run run) {
        super(run);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Then("no node's nodes.env holds a placeholder, and every node row has its addresses")
    public void nodesEnv() {
        List<String> problems = onEachHost(nodes(), (h, found) -> {
            String text = read(h, file("nodes.env"));
            for (String line : text.split("\n")) {
                if (!line.startsWith("#") && line.matches(".*<[A-Z0-9_]+>.*")) {
                    found.add(h.name() + "'s nodes.env still holds a placeholder: " + line.strip());
                }
            }
            for (Host n : nodes()) {
                if (!text.contains(n.address())) {
                    found.add(h.name() + "'s nodes.env has no row with " + n.name() + "'s address " + n.address());
                }
            }
        });
        none(problems, "nodes.env is not filled in");
    }

    @Then("every node has the same client CA, and its data-plane certificate chains to it")
    public void clientCa() {
        Set<String> fingerprints = new TreeSet<>();
        List<String> problems = onEachHost(nodes(), (h, found) -> {
            CommandResult fp = h.exec(h.asRoot("openssl x509 -noout -fingerprint -sha256 -in " + q(file("tls/ca.crt"))));
            if (!fp.ok()) {
                found.add(h.name() + " has no client CA at " + file("tls/ca.crt"));
                return;
            }
            synchronized (fingerprints) {
                fingerprints.add(fp.stdout().strip());
            }
            CommandResult v = h.exec(h.asRoot("openssl verify -CAfile " + q(file("tls/ca.crt")) + " " + q(file("tls/server.crt"))));
            if (!v.ok()) {
                found.add(h.name() + "'s data-plane certificate does not chain to the client CA: " + (v.stdout() + v.stderr()).strip());
            }
        });
        if (fingerprints.size() > 1) {
            problems.add("the nodes hold different client CAs: " + fingerprints);
        }
        none(problems, "the client CA");
    }

    @Then("every node's route certificate is issued by a route CA that is not the client CA")
    public void routeCa() {
        List<String> problems = onEachHost(nodes(), (h, found) -> {
            // the files the running service uses, as its command line names them
            java.util.Map<String, String> flags = runningFlags(h);
            String ca = served(flags, "ca", "tls/ca.crt");
            String routeCa = served(flags, "cluster-ca", "tls/cluster-ca.crt");
            String route = served(flags, "cluster-cert", "tls/route.crt");
            String server = served(flags, "tls-cert", "tls/server.crt");
            CommandResult same = h.exec(h.asRoot("cmp -s " + q(ca) + " " + q(routeCa)));
            if (same.exitCode() == 0) {
                found.add(h.name() + "'s route CA is the client CA (one CA for routes and clients)");
            }
            if (!h.exec(h.asRoot("openssl verify -CAfile " + q(routeCa) + " " + q(route))).ok()) {
                found.add(h.name() + "'s route certificate is not issued by its route CA " + routeCa);
            }
            // what must not work: the client CA must not vouch for a route certificate
            if (h.exec(h.asRoot("openssl verify -CAfile " + q(ca) + " " + q(route))).ok()) {
                found.add(h.name() + "'s route certificate verifies against the client CA: a client's CA can mint routes");
            }
            if (h.exec(h.asRoot("openssl verify -CAfile " + q(routeCa) + " " + q(server))).ok()) {
                found.add(h.name() + "'s data-plane certificate verifies against the route CA: one CA for routes and clients");
            }
        });
        none(problems, "the route CA");
    }

    @Then("every node's route certificate is for serverAuth and clientAuth, with its address and hostname as SANs")
    public void routeCertificate() {
        List<String> problems = onEachHost(nodes(), (h, found) -> {
            String route = served(runningFlags(h), "cluster-cert", "tls/route.crt");
            CommandResult r = h.exec(h.asRoot("openssl x509 -noout -ext extendedKeyUsage,subjectAltName -in " + q(route)));
            if (!r.ok()) {
                found.add(h.name() + " has no readable route certificate: " + r.stderr().strip());
                return;
            }
            String text = r.stdout();
            if (!text.contains("TLS Web Server Authentication")) {
                found.add(h.name() + "'s route certificate lacks serverAuth");
            }
            if (!text.contains("TLS Web Client Authentication")) {
                found.add(h.name() + "'s route certificate lacks clientAuth (mutual routes need it)");
            }
            String hostname = zone.env().host(h.name()).hostname();
            if (!text.contains("IP Address:" + h.address())) {
                found.add(h.name() + "'s route certificate has no SAN for its address " + h.address());
            }
            if (!text.contains("DNS:" + hostname)) {
                found.add(h.name() + "'s route certificate has no SAN for its hostname " + hostname);
            }
            io.triad.profile.unibus.Topology topology = topology(h);
            topology.rows().values().stream().filter(row -> row.name().equals(h.name()) && topology.meshRoutes()).findFirst()
                    .filter(row -> !text.contains("IP Address:" + row.meshIp()))
                    .ifPresent(row -> found.add(h.name() + "'s route certificate has no SAN for its mesh address " + row.meshIp()));
        });
        none(problems, "the route certificates");
    }

    @Then("every node has the same route secret, owned by root with mode 0600")
    public void routeSecret() {
        Set<String> digests = new TreeSet<>();
        String secret = file("secrets/cluster.pass");
        List<String> problems = onEachHost(nodes(), (h, found) -> {
            CommandResult st = h.exec(h.asRoot("stat -c '%a %U %s' " + q(secret)));
            if (!st.ok()) {
                found.add(h.name() + " has no route secret at " + secret);
                return;
            }
            String[] f = st.stdout().strip().split(" ");
            if (!f[0].equals("600") || !f[1].equals("root")) {
                found.add(h.name() + "'s route secret is mode " + f[0] + " owned by " + f[1] + ", not 0600 root");
            }
            if (f[2].equals("0")) {
                found.add(h.name() + "'s route secret is empty");
            }
            CommandResult sum = h.exec(h.asRoot("sha256sum < " + q(secret)));
            synchronized (digests) {
                digests.add(sum.stdout().strip());
            }
        });
        if (digests.size() > 1) {
            problems.add("the nodes hold different route secrets (" + digests.size() + " distinct)");
        }
        none(problems, "the route secret");
    }

    @Then("the route secret appears in no process's command line and in no unit file on any node")
    public void secretOutOfArgv() {
        String secret = file("secrets/cluster.pass");
        List<String> problems = onEachHost(nodes(), (h, found) -> {
            // The secret itself never leaves the node: grep reads it there (-f) and says only where it is.
            String units = "/etc/systemd /lib/systemd/system /usr/lib/systemd/system /run/systemd/system";
            CommandResult argv = h.exec(h.asRoot("for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline 2>/dev/null | grep -qF -f " + q(secret)
                    + " && echo \"pid ${p#/proc/}: $(tr '\\0' ' ' < $p/cmdline | cut -c1-60)\"; done; true"));
            if (!argv.stdout().isBlank()) {
                found.add(h.name() + ": a command line carries the routes' shared key (" + argv.stdout().strip().split("\n")[0]
                        .replaceAll("(?i)(pass\\S*\\s+)\\S+", "$1<secret>") + ")");
            }
            CommandResult inUnits = h.exec(h.asRoot("grep -rlF -f " + q(secret) + " " + units + " " + q(file("cluster.env")) + " 2>/dev/null; true"));
            if (!inUnits.stdout().isBlank()) {
                found.add(h.name() + ": the routes' shared key is written out in " + String.join(", ", inUnits.stdout().strip().split("\n")));
            }
            CommandResult running = h.exec("systemctl is-active " + q(zone.unit(io.triad.profile.unibus.Shape.SERVICE)));
            if (!running.stdout().strip().equals("active")) {
                found.add(h.name() + ": the service is not running (" + running.stdout().strip() + "), so its command line could not be read");
            }
        });
        none(problems, "the routes' shared key (cluster.pass) is not kept out of argv and unit files");
    }

    @Then("a command runs as root on every node")
    public void rootSsh() {
        List<String> problems = onEachHost(nodes(), (h, found) -> {
            CommandResult r = h.exec(h.asRoot("id -u"));
            if (!r.ok() || !r.stdout().strip().equals("0")) {
                found.add(h.name() + ": a command as root answered " + (r.stdout() + r.stderr()).strip());
            }
        });
        none(problems, "root SSH");
    }

    /**
     * stage.5: the build each node's service runs (its process's executable, not a file that may
     * have been replaced since it started), read without Go: the build settings Go embeds (what
     * {@code go version -m} prints), ldd's answer, its SHA-256; the same on every node.
     */
    @Then("every node's service runs a linux\\/amd64 build with CGO_ENABLED=0 that needs no C library, the same binary on every node")
    public void sameStaticBuild() {
        java.util.Map<String, io.triad.tech.go.GoBuild> builds = new java.util.concurrent.ConcurrentSkipListMap<>();
        List<String> problems = onEachHost(nodes(), (h, found) -> {
            CommandResult r = h.exec(h.asRoot(io.triad.tech.go.GoBuild.command(zone.unit(io.triad.profile.unibus.Shape.SERVICE))));
            if (r.exitCode() == 3) {
                found.add(h.name() + "'s " + zone.unit(io.triad.profile.unibus.Shape.SERVICE) + " has no main process");
                return;
            }
            io.triad.tech.go.GoBuild b = io.triad.tech.go.GoBuild.parse(r.stdout());
            builds.put(h.name(), b);
            b.problems("linux", "amd64").forEach(p -> found.add(h.name() + ": " + p));
        });
        builds.forEach((name, b) -> zone.evidence().figure(name + "'s membershipd", b.exe() + " sha256 " + b.sha256() + ", " + b.settings()
                + (b.isStatic() ? ", static" : ", dynamic")));
        java.util.Map<String, List<String>> bySha = new java.util.TreeMap<>();
        builds.forEach((name, b) -> bySha.computeIfAbsent(b.sha256(), k -> new java.util.ArrayList<>()).add(name));
        if (bySha.size() > 1) {
            problems.add("the nodes run different binaries: " + String.join("; ", bySha.entrySet().stream()
                    .map(e -> String.join(", ", e.getValue()) + " sha256 " + e.getKey().substring(0, Math.min(12, e.getKey().length()))).toList()));
        }
        none(problems, "membershipd's build");
    }

    @Then("every node has the unit with enforce, ACL, TLS, the KV store, the password file and Restart=always")
    public void unitStaged() {
        List<String> problems = onEachHost(nodes(), (h, found) -> {
            CommandResult r = h.exec("systemctl cat " + q(zone.unit(io.triad.profile.unibus.Shape.SERVICE)));
            if (!r.ok()) {
                found.add(h.name() + " has no unit " + zone.unit(io.triad.profile.unibus.Shape.SERVICE));
                return;
            }
            String unit = r.stdout();
            for (String needed : List.of("--bus-auth enforce", "--acl", "--tls-cert", "--store kv", "--cluster-pass-file",
                    "--cluster-cert", "--cluster-ca")) {
                if (!unit.contains(needed)) {
                    found.add(h.name() + "'s unit lacks " + needed);
                }
            }
            if (!unit.lines().map(String::strip).anyMatch(l -> l.equals("Restart=always"))) {
                found.add(h.name() + "'s unit has no Restart=always");
            }
            CommandResult shown = h.exec("systemctl show -p Restart --value " + q(zone.unit(io.triad.profile.unibus.Shape.SERVICE)));
            if (!shown.stdout().strip().equals("always")) {
                found.add(h.name() + "'s unit restarts " + shown.stdout().strip() + " (a drop-in overrides Restart=always)");
            }
        });
        none(problems, "the unit is not staged as the runbook's");
    }

    @Then("every node's cluster.env names the node itself")
    public void clusterEnvNamesNode() {
        List<String> problems = onEachHost(nodes(), (h, found) -> {
            Map<String, String> env = envFile(read(h, file("cluster.env")));
            if (!h.name().equals(env.get("NODE_NAME"))) {
                found.add(h.name() + "'s cluster.env says NODE_NAME=" + env.get("NODE_NAME"));
            }
            if (!settings.clusterName().equals(env.get("CLUSTER_NAME"))) {
                found.add(h.name() + "'s cluster.env says CLUSTER_NAME=" + env.get("CLUSTER_NAME") + ", not " + settings.clusterName());
            }
        });
        none(problems, "cluster.env");
    }

    static Map<String, String> envFile(String text) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            line = line.strip();
            int eq = line.indexOf('=');
            if (line.isEmpty() || line.startsWith("#") || eq < 0) {
                continue;
            }
            env.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip().replaceAll("^\"|\"$", ""));
        }
        return env;
    }

    @Then("every node's routes name exactly the other two nodes, with no userinfo")
    public void routesStaged() {
        List<String> problems = onEachHost(nodes(), (h, found) -> {
            String routes = envFile(read(h, file("cluster.env"))).getOrDefault("ROUTES", "");
            Set<String> named = new LinkedHashSet<>();
            for (String r : routes.split(",")) {
                r = r.strip();
                if (r.isEmpty()) {
                    continue;
                }
                java.net.URI uri;
                try {
                    uri = java.net.URI.create(r);
                } catch (IllegalArgumentException e) {
                    found.add(h.name() + ": route '" + r + "' is not a URL");
                    continue;
                }
                if (uri.getUserInfo() != null) {
                    found.add(h.name() + ": route " + uri.getHost() + " carries userinfo (the routes' shared key belongs in the file --cluster-pass-file names)");
                }
                named.add(uri.getHost() + ":" + uri.getPort());
            }
            // where the routes go, as the zone's own topology file on the node says (the mesh address over WireGuard)
            io.triad.profile.unibus.Topology topology = topology(h);
            Set<String> expected = new LinkedHashSet<>();
            nodes().stream().filter(o -> o != h).forEach(o -> expected.add(topology.routeAddress(o.name()).orElse(o.address().toString())
                    + ":" + settings.clusterPort()));
            if (!named.equals(expected)) {
                found.add(h.name() + " routes to " + named + ", not to the other two " + expected);
            }
        });
        none(problems, "the routes");
    }

    /**
     * The topology file is the zone's one map: every node's {@code nodes.env} gives the same route
     * network and the same rows (a node with its own idea of where the others are routes elsewhere);
     * and where the environment declares the mesh, the file routes over it, every node's mesh
     * address in the declared network (a topology that routes on the public addresses passes every
     * route check while the cluster's traffic runs in the clear).
     */
    @Then("every node's topology file is the same, and where the environment declares the mesh, it routes over it")
    public void topologyAgrees() {
        Map<String, io.triad.profile.unibus.Topology> byNode = new java.util.LinkedHashMap<>();
        List<String> problems = onEachHost(nodes(), (h, found) -> {
            io.triad.profile.unibus.Topology t = topology(h);
            synchronized (byNode) {
                byNode.put(h.name(), t);
            }
        });
        io.triad.profile.unibus.Topology first = byNode.get(nodes().get(0).name());
        for (Host h : nodes()) {
            io.triad.profile.unibus.Topology t = byNode.get(h.name());
            if (t != null && first != null && !t.equals(first)) {
                problems.add(h.name() + "'s " + file("nodes.env") + " differs from " + nodes().get(0).name() + "'s: " + t + " against " + first);
            }
        }
        byNode.forEach((node, t) -> nodes().stream().filter(o -> !t.rows().containsKey(o.name())).forEach(o ->
                problems.add(node + "'s " + file("nodes.env") + " has no row for " + o.name())));
        String mesh = settings.meshNetwork();
        if (mesh != null && first != null) {
            String prefix = mesh.substring(0, mesh.lastIndexOf('.') + 1);
            byNode.forEach((node, t) -> {
                if (!t.meshRoutes()) {
                    problems.add(node + "'s " + file("nodes.env") + " says ROUTE_NETWORK=" + t.routeNetwork() + ": the routes run on the"
                            + " nodes' own addresses, not over the mesh " + mesh + " the environment declares");
                }
                t.rows().values().forEach(r -> {
                    if (r.meshIp() == null || !r.meshIp().startsWith(prefix)) {
                        problems.add(node + "'s " + file("nodes.env") + " gives " + r.name() + " the mesh address " + r.meshIp()
                                + ", outside the mesh " + mesh);
                    }
                });
            });
        }
        none(problems.stream().distinct().toList(), "the zone's topology");
    }

    /**
     * The mesh itself, read from WireGuard on each node ({@code wg show all dump}): every other node a
     * peer whose allowed address is its mesh address, with a handshake in the last 3 minutes
     * (WireGuard renews its session every 2 minutes while traffic flows).
     */
    @Then("where the routes run over the WireGuard mesh, every node has a recent handshake with each of the other two")
    public void meshHandshakes() {
        List<String> problems = onEachHost(nodes(), (h, found) -> {
            io.triad.profile.unibus.Topology topology = topology(h);
            if (!topology.meshRoutes()) {
                synchronized (zone.evidence()) {
                    zone.evidence().note("no mesh on " + h.name(), "nodes.env says ROUTE_NETWORK=" + topology.routeNetwork()
                            + ": the routes run on the nodes' own addresses, no WireGuard to read");
                }
                return;
            }
            CommandResult r = h.exec(h.asRoot("date +%s; wg show all dump"));
            if (!r.ok()) {
                found.add(h.name() + " has no WireGuard interface to read (wg show: " + (r.stderr() + r.stdout()).strip() + ")");
                return;
            }
            String[] lines = r.stdout().strip().split("\n");
            long now = Long.parseLong(lines[0].strip());
            Map<String, Long> handshake = new TreeMap<>(); // mesh address -> latest handshake (epoch s)
            for (int i = 1; i < lines.length; i++) {
                String[] f = lines[i].split("\t");
                if (f.length >= 9) { // a peer: interface, public key, psk, endpoint, allowed ips, handshake, rx, tx, keepalive
                    for (String allowed : f[4].split(",")) {
                        handshake.put(allowed.replaceFirst("/32$", ""), Long.parseLong(f[5]));
                    }
                }
            }
            for (Host o : nodes()) {
                if (o == h) {
                    continue;
                }
                String mesh = Optional.ofNullable(topology.rows().get(o.name())).map(io.triad.profile.unibus.Topology.Row::meshIp).orElse("?");
                Long at = handshake.get(mesh);
                if (at == null) {
                    found.add(h.name() + " has no WireGuard peer for " + o.name() + " (" + mesh + ")");
                } else if (at == 0 || now - at > 180) {
                    found.add(h.name() + "'s WireGuard peer " + o.name() + " (" + mesh + ") " + (at == 0 ? "never completed a handshake"
                            : "last shook hands " + (now - at) + " s ago"));
                }
            }
        });
        none(problems, "the WireGuard mesh");
    }

    @Then("every node's server dialled or accepted a route from each of the other two")
    public void routesUp() {
        List<String> problems = onEachHost(nodes(), (h, found) -> {
            missingRoutes(h, found);
        });
        none(problems, "the cluster's routes");
    }

    /** Each node's topology file, read once per scenario (a poll of the routes asks again and again). */
    private final Map<Host, io.triad.profile.unibus.Topology> topologies = new java.util.concurrent.ConcurrentHashMap<>();

    /** The zone's topology as {@code nodes.env} on the node says (its mesh and route addresses). */
    private io.triad.profile.unibus.Topology topology(Host h) {
        return topologies.computeIfAbsent(h, n -> io.triad.profile.unibus.Topology.parse(read(n, file("nodes.env"))));
    }

    /**
     * Adds a line for each other node {@code h} has no route with, as its own /routez shows, and for
     * each route that does not run where the zone's topology file says (the mesh address over WireGuard).
     */
    private void missingRoutes(Host h, List<String> found) {
        Map<String, Set<String>> peers = routedPeers(h, found);
        io.triad.profile.unibus.Topology topology = topology(h);
        for (Host o : nodes()) {
            if (o == h) {
                continue;
            }
            if (!peers.containsKey(o.name())) {
                found.add(h.name() + " has no route with " + o.name() + " (routed: " + peers.keySet() + ")");
                continue;
            }
            topology.routeAddress(o.name()).filter(a -> !peers.get(o.name()).contains(a)).ifPresent(a -> found.add(h.name()
                    + "'s route with " + o.name() + " runs from " + peers.get(o.name()) + ", not from its route address " + a
                    + (topology.meshRoutes() ? " on the mesh" : "")));
        }
    }

    /** The servers a node has a route with and the remote addresses of those routes, from its own /routez. */
    private Map<String, Set<String>> routedPeers(Host h, List<String> found) {
        Map<String, Set<String>> peers = new TreeMap<>();
        CommandResult r = h.exec(Cluster.monitor(settings, "/routez"));
        if (!r.ok()) {
            found.add(h.name() + "'s monitoring does not answer /routez");
            return peers;
        }
        try {
            for (JsonNode route : JSON.readTree(r.stdout()).path("routes")) {
                String name = route.path("remote_name").asText("");
                if (!name.isEmpty()) {
                    peers.computeIfAbsent(name, k -> new TreeSet<>()).add(route.path("ip").asText(""));
                }
            }
        } catch (java.io.IOException e) {
            found.add(h.name() + "'s /routez is not JSON");
        }
        return peers;
    }

    @Then("on every node the private keys and the route secret are 0600, owned by root, and unreadable by another user")
    public void secretsOwned() {
        List<String> secrets = List.of(file("tls/server.key"), file("tls/route.key"), file("secrets/cluster.pass"));
        List<String> problems = onEachHost(nodes(), (h, found) -> {
            for (String s : secrets) {
                CommandResult st = h.exec(h.asRoot("stat -c '%a %U' " + q(s)));
                if (!st.ok()) {
                    found.add(h.name() + " has no " + s);
                    continue;
                }
                if (!st.stdout().strip().equals("600 root")) {
                    found.add(h.name() + ": " + s + " is " + st.stdout().strip() + ", not 600 root");
                }
                // what must not work: another user reading it
                CommandResult other = h.exec(h.asRoot("runuser -u nobody -- head -c1 " + q(s) + " >/dev/null 2>&1 && echo READABLE; true"));
                if (other.stdout().contains("READABLE")) {
                    found.add(h.name() + ": " + s + " is readable by the user nobody");
                }
            }
        });
        none(problems, "secrets readable beyond their owner");
    }

    @Then("within {int} seconds the seeded admin is in KV_UNIBUS_users, read through the cluster")
    public void adminSeeded(int seconds) {
        // polled: right after a start the seed's bucket may not be assigned in the cluster yet ("bucket not found")
        within(seconds, "the seeded admin in KV_UNIBUS_users", () -> {
            Host h = seed(); // one read through the cluster answers for the replicated KV
            CommandResult r = h.exec(h.asRoot(nats("kv get UNIBUS_users root --raw")));
            check(r.ok(), "no admin in KV_UNIBUS_users: " + h.name() + ": " + (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip());
            JsonNode user;
            try {
                user = JSON.readTree(r.stdout());
            } catch (java.io.IOException e) {
                throw new AssertionError("no admin in KV_UNIBUS_users: " + h.name() + " reads the user root as '" + r.stdout().strip()
                        + "', not a user record");
            }
            check("admin".equals(user.path("role").asText()), "no admin in KV_UNIBUS_users: " + h.name()
                    + " reads the user root with role '" + user.path("role").asText() + "', not admin");
        });
    }

    @Then("no node runs a membershipd with bus-auth off, and no node has a seed.db")
    public void bootstrapGone() {
        List<String> problems = onEachHost(nodes(), (h, found) -> {
            // every spelling Go's flag package takes: -bus-auth off, --bus-auth off, --bus-auth=off
            CommandResult ps = h.exec("ps -eo pid,args | grep -E -- '(^|[[:space:]])--?bus-auth(=|[[:space:]]+)off([[:space:]]|$)' | grep -v grep; true");
            if (!ps.stdout().isBlank()) {
                found.add(h.name() + " still runs the loopback bootstrap: " + ps.stdout().strip());
            }
            CommandResult db = h.exec(h.asRoot("ls -l " + q(file("seed.db")) + " 2>/dev/null; true"));
            if (!db.stdout().isBlank()) {
                found.add(h.name() + " still has " + file("seed.db"));
            }
        });
        none(problems, "the loopback bootstrap left something behind");
    }

    /** systemd's journal message "Started <unit>" (sd-messages.h, SD_MESSAGE_UNIT_STARTED). */
    static final String UNIT_STARTED = "39f53479d3a045ac8e11786248231fbf";

    /**
     * The order of the bring-up, from each node's first start of the service since its boot (systemd's
     * journal), not its last: a replica started before the seed, whose service then failed and was
     * restarted by systemd after the seed came up, was started first all the same. A node whose journal
     * no longer holds that start (rotated) is read from its last start, and the evidence says so.
     */
    @Then("the seed's service started before either replica's")
    public void seedFirst() {
        String unit = q(zone.unit(io.triad.profile.unibus.Shape.SERVICE));
        Map<String, Long> started = new LinkedHashMap<>();
        Map<String, String> source = new LinkedHashMap<>();
        for (Host h : nodes()) {
            CommandResult first = h.exec(h.asRoot("journalctl -b -q -o short-unix --no-pager UNIT=" + unit + " MESSAGE_ID=" + UNIT_STARTED
                    + " | awk 'NR==1{print $1}'"));
            String micros = first.ok() ? first.stdout().strip() : "";
            if (micros.matches("\\d+\\.\\d{6}")) {
                started.put(h.name(), Long.parseLong(micros.replace(".", "")));
                source.put(h.name(), "first start since boot (journal)");
                continue;
            }
            CommandResult r = h.exec("systemctl show --timestamp=us+utc -p ExecMainStartTimestamp --value " + unit
                    + " | xargs -r -I{} date -d {} +%s%N");
            check(r.ok() && !r.stdout().isBlank(), h.name() + "'s service has no start time (is it running?)");
            if (r.ok() && !r.stdout().isBlank()) {
                started.put(h.name(), Long.parseLong(r.stdout().strip()) / 1_000); // microseconds
                source.put(h.name(), "last start (the journal holds no start since boot)");
            }
        }
        zone.evidence().note("service start times (microseconds since the epoch, each node's clock)", started + " from " + source);
        Long seed = started.get(seed().name());
        for (Map.Entry<String, Long> e : started.entrySet()) {
            if (seed != null && !e.getKey().equals(seed().name())) {
                check(seed < e.getValue(), "the seed " + seed().name() + " started after " + e.getKey()
                        + " (by " + (seed - e.getValue()) / 1000 + " ms, " + source.get(e.getKey()) + "): the bring-up was not staggered from the seed");
            }
        }
    }

    @Then("within {int} seconds every node routes to the other two and names one meta leader, every peer current")
    public void routedAndLed(int seconds) {
        within(seconds, "three routed servers, one meta leader, every peer current", () -> {
            Map<String, JetStreamView> views = new LinkedHashMap<>();
            List<String> problems = onEachHost(nodes(), (h, found) -> {
                missingRoutes(h, found);
                CommandResult jsz = h.exec(Cluster.monitor(settings, "/jsz?streams=true&config=true"));
                if (!jsz.ok()) {
                    found.add(h.name() + " does not answer /jsz");
                    return;
                }
                parsed(h, "/jsz", found, () -> JetStreamView.parse(jsz.stdout())).ifPresent(v -> {
                    synchronized (views) {
                        views.put(h.name(), v);
                    }
                });
                CommandResult meta = h.exec(Cluster.monitor(settings, "/jsz"));
                parsed(h, "/jsz", found, () -> io.triad.tech.nats.JetStreamStatus.parse(meta.stdout())).ifPresent(s -> {
                    if (s.clusterSize() != nodes().size()) {
                        found.add(h.name() + " sees a meta group of " + s.clusterSize());
                    }
                    // whether a peer is current is the meta leader's to say: a follower does not track its peers (nats-server
                    // 2.15 reports them not current from a follower)
                    if (s.leader().equals(h.name())) {
                        s.replicas().stream().filter(r -> !r.current() || r.offline())
                                .forEach(r -> found.add(h.name() + ", the meta leader, sees meta peer " + r.name() + " not current"));
                    }
                });
            });
            problems.addAll(JetStreamView.problems(views));
            none(problems, "the cluster is not routed and led");
        });
    }

    @Then("within {int} seconds every node's health endpoint answers enforce, acl, tls, cluster and store kv")
    public void posture(int seconds) {
        within(seconds, "every node's posture", () -> {
            List<String> problems = onEachHost(nodes(), (h, found) -> {
                CommandResult r = h.exec(Cluster.healthz(settings));
                String out = r.stdout().strip();
                if (!out.endsWith("HTTP 200")) {
                    found.add(h.name() + "'s health endpoint answered " + (out.isEmpty() ? r.stderr().strip() : out.replace('\n', ' ')));
                    return;
                }
                try {
                    JsonNode p = JSON.readTree(out.substring(0, out.lastIndexOf("HTTP 200"))).path("posture");
                    Map<String, String> want = Map.of("auth", "enforce", "acl", "true", "tls", "true", "cluster", "true", "store", "kv");
                    new java.util.TreeMap<>(want).forEach((k, v) -> {
                        if (!p.path(k).asText().equals(v)) {
                            found.add(h.name() + "'s posture has " + k + "=" + p.path(k).asText("(none)") + ", not " + v);
                        }
                    });
                } catch (java.io.IOException e) {
                    found.add(h.name() + "'s health endpoint answered no JSON");
                }
            });
            none(problems, "the posture");
        });
    }

    /** Each node's route port probed from the node before it (routes are peers' business), with one identity. */
    private List<String> probeRoutePorts(String identityName, java.util.function.Function<Host, javax.net.ssl.SSLContext> identity,
                                         boolean mustAccept) {
        List<String> problems = new ArrayList<>();
        fromTheHostBefore(nodes(), (via, target) -> {
            javax.net.ssl.SSLContext ctx = identity.apply(via);
            io.triad.profile.unibus.RoutePort.Answer a;
            try (Host.Tunnel t = via.tunnel(target.address(), settings.clusterPort())) {
                a = io.triad.profile.unibus.RoutePort.handshake("127.0.0.1", t.localPort(), ctx, 3000);
            } catch (Exception e) {
                problems.add("cannot reach " + target.name() + "'s route port from " + via.name() + ": " + e.getMessage());
                return;
            }
            zone.evidence().note("route port of " + target.name() + " (from " + via.name() + ") with " + identityName,
                    (a.accepted() ? "ACCEPTED: " : "REFUSED: ") + a.detail());
            if (a.accepted() != mustAccept) {
                problems.add(target.name() + "'s route port " + (a.accepted() ? "accepted" : "refused") + " " + identityName + ": " + a.detail());
            }
        });
        return problems;
    }

    @Then("a route-CA certificate completes a TLS handshake on every node's route port")
    public void routeIdentityAccepted() {
        none(probeRoutePorts("the route certificate of the node it comes from", via -> {
            // read over SSH without being recorded: a private key never enters the evidence
            java.util.Map<String, String> flags = runningFlags(via); // the identity the node itself presents on its routes
            String cert = via.execUnrecorded(via.asRoot("cat " + q(served(flags, "cluster-cert", "tls/route.crt"))),
                    java.time.Duration.ofSeconds(10)).requireOk().stdout();
            String key = via.execUnrecorded(via.asRoot("cat " + q(served(flags, "cluster-key", "tls/route.key"))),
                    java.time.Duration.ofSeconds(10)).requireOk().stdout();
            return io.triad.probe.Tls.context(cert, key, null);
        }, true), "the route port refuses its own cluster's route certificate (so the refusals below would prove nothing)");
    }

    @Then("a client-CA certificate and a client without a certificate are refused on every node's route port")
    public void clientIdentityRefused() {
        javax.net.ssl.SSLContext client = clientIdentity("certificate", "key");
        List<String> problems = new ArrayList<>(probeRoutePorts("a client-CA certificate", via -> client, false));
        javax.net.ssl.SSLContext anonymous = io.triad.probe.Tls.context(null, null, null);
        problems.addAll(probeRoutePorts("no client certificate", via -> anonymous, false));
        none(problems, "the route port accepts what is not a route");
    }
}
