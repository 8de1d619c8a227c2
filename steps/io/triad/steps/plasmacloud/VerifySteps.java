package io.triad.steps.plasmacloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cucumber.java.en.Then;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.profile.plasmacloud.Settings;
import io.triad.steps.common.Support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Section 6 and the first-boot joins: every service asked on every node, through its HTTPS API with the zone's CA. */
public class VerifySteps extends PlasmaSupport {
    public VerifySteps(io.triad.run.Run run) {
        super(run);
    }

    /** A GET of the API on a node, verified against the zone's CA: the JSON answered, or a failure naming node, URL and answer. */
    private JsonNode get(Host h, int port, String path) {
        return send(h, "GET", port, path, null);
    }

    @Then("every node's chainfire and flaredb cluster joins logged their local service healthy, then the cluster join complete")
    public void joinsLogged() {
        List<String> problems = new ArrayList<>();
        zone.onEach(zone.hosts(), h -> {
            List<String> mine = new ArrayList<>();
            for (String service : List.of("chainfire", "flaredb")) {
                CommandResult r = h.exec(h.asRoot("journalctl --no-pager -o cat -u " + service + "-cluster-join.service"));
                List<String> messages = new ArrayList<>();
                for (String line : r.stdout().lines().toList()) {
                    try {
                        JsonNode j = JSON.readTree(line);
                        if (j.has("message")) {
                            messages.add(j.path("message").asText());
                        }
                    } catch (java.io.IOException notJson) {
                        // systemd's own lines about the unit
                    }
                }
                String label = "Local " + service + " healthy";
                int healthy = messages.indexOf(label);
                int complete = messages.lastIndexOf("Cluster join complete");
                if (healthy < 0 || complete < healthy) {
                    mine.add(h.name() + "'s " + service + "-cluster-join logged " + (messages.isEmpty() ? "no JSON line" : messages)
                            + ": not '" + label + "' then 'Cluster join complete'");
                }
                boolean bootstrap = h.role().equals("bootstrap");
                if (bootstrap && !messages.contains("Bootstrap node, cluster initialized")) {
                    mine.add(h.name() + " is the bootstrap node but its " + service + " join did not log 'Bootstrap node, cluster initialized'");
                }
            }
            return mine;
        }).forEach(problems::addAll);
        none(problems, "first-boot joins");
    }

    @Then("every node's Chainfire, FlareDB and IAM answer healthy as the runbook documents, verified against the zone's CA")
    public void healthy() {
        List<String> problems = new ArrayList<>();
        zone.onEach(zone.hosts(), h -> {
            List<String> mine = new ArrayList<>();
            for (String service : List.of("chainfire", "flaredb")) {
                try {
                    JsonNode j = get(h, settings.apiPort(service), "/health");
                    String role = j.path("raft").asText();
                    if (!j.path("status").asText().equals("healthy") || j.path("cluster_size").asInt() != 3
                            || !(role.equals("leader") || role.equals("follower"))) {
                        mine.add(h.name() + "'s " + service + " health: " + j + " (expected status healthy, cluster_size 3, raft leader or follower)");
                    }
                    if (service.equals("flaredb") && !j.path("chainfire").asText().equals("connected")) {
                        mine.add(h.name() + "'s flaredb health: chainfire " + j.path("chainfire").asText("not reported") + ", not connected");
                    }
                } catch (AssertionError e) {
                    mine.add(e.getMessage());
                }
            }
            try {
                JsonNode j = get(h, settings.iamPort(), "/health");
                if (!j.path("status").asText().equals("healthy") || !j.path("database").asText().equals("connected")) {
                    mine.add(h.name() + "'s iam health: " + j + " (expected status healthy, database connected)");
                }
            } catch (AssertionError e) {
                mine.add(e.getMessage());
            }
            return mine;
        }).forEach(problems::addAll);
        none(problems, "health");
    }

    @Then("asked of every node, Chainfire and FlareDB each list the 3 nodes of the inventory, every one healthy, the same list everywhere")
    public void members() {
        TreeSet<String> inventory = new TreeSet<>(zone.hosts().stream().map(Host::name).toList());
        List<String> problems = new ArrayList<>();
        for (String service : List.of("chainfire", "flaredb")) {
            Map<String, String> views = new TreeMap<>();
            List<Object> answers = zone.onEach(zone.hosts(), h -> {
                try {
                    return get(h, settings.apiPort(service), "/admin/cluster/members");
                } catch (AssertionError e) {
                    return e.getMessage();
                }
            });
            for (int i = 0; i < answers.size(); i++) {
                Host h = zone.hosts().get(i);
                if (!(answers.get(i) instanceof JsonNode j)) {
                    problems.add(String.valueOf(answers.get(i)));
                    continue;
                }
                TreeSet<String> ids = new TreeSet<>();
                List<String> view = new ArrayList<>();
                for (JsonNode m : j.path("members")) {
                    ids.add(m.path("id").asText());
                    view.add(m.path("id").asText() + "@" + m.path("raft_addr").asText());
                    if (!m.path("status").asText().equals("healthy")) {
                        problems.add(service + " as " + h.name() + " lists " + m.path("id").asText() + " " + m.path("status").asText());
                    }
                }
                if (!ids.equals(inventory) || j.path("members").size() != inventory.size()) {
                    problems.add(service + " as " + h.name() + " lists " + j.path("members").size() + " members " + ids + ", not the inventory's "
                            + inventory);
                }
                views.put(h.name(), String.join(",", new TreeSet<>(view)));
            }
            if (new TreeSet<>(views.values()).size() > 1) {
                problems.add(service + "'s members differ by the node asked: " + views);
            }
            zone.evidence().figure(service + " members", views.values().stream().findFirst().orElse("none"));
        }
        none(problems, "membership");
    }

    @Then("every node names the same Chainfire leader and the same FlareDB leader, reaches it, and the members list agrees")
    public void leader() {
        List<String> problems = new ArrayList<>();
        for (String service : List.of("chainfire", "flaredb")) {
            Map<String, String> named = new TreeMap<>();
            List<Object> answers = zone.onEach(zone.hosts(), h -> {
                try {
                    return List.of(get(h, settings.apiPort(service), "/admin/cluster/leader"),
                            get(h, settings.apiPort(service), "/admin/cluster/members"));
                } catch (AssertionError e) {
                    return e.getMessage();
                }
            });
            for (int i = 0; i < answers.size(); i++) {
                Host h = zone.hosts().get(i);
                if (!(answers.get(i) instanceof List<?> pair)) {
                    problems.add(String.valueOf(answers.get(i)));
                    continue;
                }
                JsonNode leader = (JsonNode) pair.get(0);
                JsonNode members = (JsonNode) pair.get(1);
                String name = leader.path("leader").asText("");
                named.put(h.name(), name);
                if (!leader.path("reachable").asBoolean(false)) {
                    problems.add(h.name() + " names " + name + " the " + service + " leader but does not reach it");
                }
                List<String> leaders = new ArrayList<>();
                members.path("members").forEach(m -> {
                    if (m.path("role").asText().equals("leader")) {
                        leaders.add(m.path("id").asText());
                    }
                });
                if (!leaders.equals(List.of(name))) {
                    problems.add(service + "'s members list as " + h.name() + " shows " + (leaders.isEmpty() ? "no leader" : "leader(s) " + leaders)
                            + " while " + h.name() + " names " + (name.isEmpty() ? "none" : name));
                }
            }
            if (new TreeSet<>(named.values()).size() != 1 || named.containsValue("")) {
                problems.add("the nodes do not agree on one " + service + " leader: " + named);
            }
            zone.evidence().figure(service + " leader", named.toString());
        }
        none(problems, "leader");
    }

    /** A request to the API on a node (with a JSON body unless null), verified against the zone's CA: the JSON answered, or a failure. */
    private JsonNode send(Host h, String method, int port, String path, String body) {
        String url = url(h, port, path);
        Answer a = request(h, method, url, body, 3);
        check(a.ran() && a.status() == 200, h.name() + ": " + (body == null ? "" : method + " ") + url + " answered "
                + (a.ran() ? "HTTP " + a.status() + " " + a.body() : a.error()));
        if (a.json() == null) {
            throw new AssertionError(h.name() + ": " + url + " answered no JSON: " + a.body());
        }
        return a.json();
    }

    @Then("{int} values written one after the other on the Chainfire leader are each read back on every follower right after the write is acknowledged, none missing or older")
    public void replicated(int times) {
        new io.triad.zone.Nemesis(zone).requireAllowed("test-writes");
        Host first = zone.hosts().get(0);
        String leaderName = get(first, settings.chainfirePort(), "/admin/cluster/leader").path("leader").asText("");
        Host leader = zone.hosts().stream().filter(h -> h.name().equals(leaderName)).findFirst()
                .orElseThrow(() -> new AssertionError(first.name() + " names no leader of the inventory: '" + leaderName + "'"));
        List<Host> followers = zone.hosts().stream().filter(h -> h != leader).toList();
        String key = "triad-replication-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        List<String> stale = new ArrayList<>();
        long lastRevision = 0;
        for (int i = 1; i <= times; i++) {
            String value = "written " + i + " of " + times;
            JsonNode put = send(leader, "PUT", settings.chainfirePort(), "/v1/kv/" + key, "{\"value\":\"" + value + "\"}");
            long revision = put.path("revision").asLong();
            check(revision > lastRevision, "the leader " + leader.name() + " acknowledged write " + i + " at revision " + revision
                    + ", not after the previous one's " + lastRevision);
            lastRevision = revision;
            int n = i;
            zone.onEach(followers, h -> {
                try {
                    JsonNode got = get(h, settings.chainfirePort(), "/v1/kv/" + key);
                    return got.path("value").asText().equals(value) ? "" : h.name() + " read '" + got.path("value").asText() + "' (revision "
                            + got.path("revision").asLong() + ") right after write " + n + " was acknowledged at revision " + revision;
                } catch (AssertionError e) {
                    return "after write " + n + ": " + e.getMessage();
                }
            }).stream().filter(p -> !p.isEmpty()).forEach(stale::add);
        }
        zone.evidence().figure("replication probe", times + " writes on " + leader.name() + " to " + key + ", each read on "
                + names(followers) + ": " + stale.size() + " stale or missing");
        none(stale, "stale reads on a follower");
    }

    @Then("every service port of every node presents a certificate the zone's CA verifies for the node's name, expiring beyond the horizon")
    public void certificates() {
        java.time.Duration horizon = zone.env().thresholds().certificateHorizon();
        java.time.Instant bound = java.time.Instant.now().plus(horizon);
        List<String> problems = new ArrayList<>();
        List<String> expiries = new ArrayList<>();
        List<String> plain = new ArrayList<>();
        List<Integer> services = List.of(settings.chainfirePort(), settings.flaredbPort(), settings.iamPort());
        // each node's part returns its problems, its expiries and its ports without TLS (kept apart, then added in the hosts' order)
        zone.onEach(zone.hosts(), h -> {
            List<List<String>> mine = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            String name = hostname(h);
            // every port: the services' (asked even when nothing listens), and every other port the node listens on
            // beyond loopback, whatever its configuration names, each on its own address: a port that speaks TLS is judged
            // as theirs are; the runbook's 6.4, s_client against the zone's CA, with the name checked (one handshake a port)
            CommandResult r = h.exec(h.asRoot(io.triad.probe.PresentedCertificates.command(name, services, settings.caFile(), name, List.of())));
            List<io.triad.probe.PresentedCertificates.Port> ports;
            try {
                ports = io.triad.probe.PresentedCertificates.parse(r.stdout());
            } catch (IllegalArgumentException e) {
                mine.get(0).add(h.name() + ": its ports could not be asked: " + e.getMessage() + " " + r.stderr().strip());
                return mine;
            }
            for (io.triad.probe.PresentedCertificates.Port port : ports) {
                boolean service = services.contains(port.port());
                if (!service && !port.tls()) {
                    mine.get(2).add(h.name() + ":" + port.port()); // sshd and plain HTTP present no certificate: not TLS, not judged
                    continue;
                }
                String which = h.name() + ":" + port.port() + (service ? "" : " (a port besides the services')")
                        + (port.address().equals(name) ? "" : " on " + port.address());
                if (!port.verified()) {
                    mine.get(0).add(which + " does not verify against the zone's CA for " + name + ": "
                            + (port.tls() ? port.verify() : "none (no handshake)"));
                }
                if (port.certificate().isPresent()) {
                    java.time.Instant notAfter = port.certificate().get().notAfter();
                    mine.get(1).add(which + " until " + notAfter);
                    if (notAfter.isBefore(bound)) {
                        mine.get(0).add(which + "'s certificate expires " + notAfter + ", not beyond the horizon of "
                                + horizon.toDays() + " days");
                    }
                } else if (port.tls()) {
                    mine.get(0).add(which + ": no certificate could be read (" + port.unreadable() + ")");
                }
            }
            return mine;
        }).forEach(m -> {
            problems.addAll(m.get(0));
            expiries.addAll(m.get(1));
            plain.addAll(m.get(2));
        });
        zone.evidence().note("ports listening beyond loopback that present no certificate (not TLS: not judged here)", String.join(", ", plain));
        zone.evidence().figure("certificate expiry (recorded)", String.join("; ", expiries));
        none(problems, "certificates");
    }
}
