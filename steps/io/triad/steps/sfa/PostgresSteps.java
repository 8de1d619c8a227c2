package io.triad.steps.sfa;

import com.fasterxml.jackson.databind.JsonNode;
import io.cucumber.java.en.Then;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.tech.postgres.Db;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * pg.1 to pg.4: Patroni's view (patronictl list, its REST API) held against what PostgreSQL
 * says on each node, the lag measured, and HAProxy's routing tried with sessions and writes.
 */
public class PostgresSteps extends SfaSupport {
    public PostgresSteps(io.triad.run.Run run) {
        super(run);
    }

    @Then("patronictl list shows one Leader and every other member a Replica, running or streaming")
    public void patroniShowsOneLeader() {
        List<JsonNode> rows = patroniList(nodes().get(0));
        List<String> problems = new ArrayList<>();
        long leaders = rows.stream().filter(r -> r.path("Role").asText().equals("Leader")).count();
        if (leaders != 1) {
            problems.add(leaders + " members have the role Leader, not one");
        }
        if (rows.size() != nodes().size()) {
            problems.add(rows.size() + " members listed, not " + nodes().size());
        }
        problems.addAll(io.triad.profile.sfa.Patroni.membersAsDescribed(rows, settings.scope(), settings.postgresPort(), patroniNodes()));
        for (JsonNode r : rows) {
            String role = r.path("Role").asText();
            String state = r.path("State").asText();
            if (role.equals("Leader") && !state.equals("running")) {
                problems.add("the leader " + r.path("Member").asText() + " is " + state + ", not running");
            } else if (!role.equals("Leader") && !(role.equals("Replica") || role.equals("Sync Standby")) ) {
                problems.add(r.path("Member").asText() + " has the role " + role);
            } else if (!role.equals("Leader") && !state.equals("streaming") && !state.equals("running")) {
                // Patroni 3.0 says "running" of a replica whatever its WAL receiver does; 3.1 and later say "streaming"
                problems.add("the replica " + r.path("Member").asText() + " is " + state + ", neither running nor streaming");
            }
        }
        none(problems, "patronictl list");
    }

    @Then("on every node PostgreSQL's own state agrees with Patroni: the leader out of recovery, each replica's WAL receiver streaming from the leader on the leader's timeline")
    public void stateAgrees() {
        List<JsonNode> rows = patroniList(nodes().get(0));
        List<Db.NodeState> states = states();
        zone.evidence().note("each node's own state", String.join("\n", states.stream().map(Object::toString).toList()));
        Db.NodeState primary = primary(states);
        List<String> problems = new ArrayList<>();
        // the leader's member matched to its node by its address (member names are the deployer's choice)
        List<io.triad.profile.sfa.Patroni.Node> patroniNodes = patroniNodes();
        JsonNode leaderRow = rows.stream().filter(r -> r.path("Role").asText().equals("Leader")).findFirst().orElse(null);
        String leader = leaderRow == null ? "" : leaderRow.path("Member").asText();
        String leaderNode = leaderRow == null ? "" : io.triad.profile.sfa.Patroni.nodeOf(leaderRow, patroniNodes).map(io.triad.profile.sfa.Patroni.Node::name).orElse("");
        if (!leaderNode.equals(primary.node())) {
            problems.add("Patroni names " + (leader.isEmpty() ? "no leader" : leader + (leaderNode.isEmpty() || leaderNode.equals(leader) ? "" : " (" + leaderNode + ")"))
                    + " the leader, but " + primary.node() + " is the node out of recovery");
        }
        String address = zone.host(primary.node()).address();
        for (JsonNode r : rows) {
            int tl = r.path("TL").asInt(-1);
            if (tl != primary.timeline()) {
                problems.add("Patroni shows " + r.path("Member").asText() + " on timeline " + tl + ", the leader writes timeline " + primary.timeline());
            }
        }
        for (Db.NodeState st : states) {
            if (st != primary && !st.streamsFrom(primary, address)) {
                problems.add(st.node() + " does not stream from " + primary.node() + " on its timeline " + primary.timeline() + " (its receiver: "
                        + st.receiver() + "), whatever Patroni's table says");
            }
        }
        none(problems, "Patroni's view and the nodes' own state disagree");
    }

    @Then("every replica's lag in patronictl list is within the lag threshold")
    public void patroniLag() {
        List<String> problems = new ArrayList<>();
        Map<String, String> lags = new LinkedHashMap<>();
        for (JsonNode r : patroniList(nodes().get(0))) {
            if (r.path("Role").asText().equals("Leader")) {
                continue;
            }
            // the runbook's jq reads .Lag; Patroni's JSON names the field "Lag in MB"
            JsonNode lag = r.has("Lag in MB") ? r.path("Lag in MB") : r.path("Lag");
            lags.put(r.path("Member").asText(), lag.asText());
            if (!lag.isNumber()) {
                problems.add(r.path("Member").asText() + " has no lag figure (" + lag.asText("none") + "): it is not replicating");
            } else if (lag.asDouble() * 1024 * 1024 > settings.lagThresholdBytes()) {
                problems.add(r.path("Member").asText() + " lags " + lag.asText() + " MB, over the threshold of " + settings.lagThresholdBytes() + " bytes");
            }
        }
        lags.forEach((m, l) -> zone.evidence().figure("replication lag in patronictl list: " + m, l + " MB"));
        none(problems, "replication lag");
    }

    @Then("Patroni promotes no replica lagging beyond the threshold: maximum_lag_on_failover, read from every node's REST API, within it")
    public void maximumLag() {
        List<String> problems = new ArrayList<>();
        for (Host h : nodes()) {
            String out = output(h, "Patroni's configuration (GET /config)", "curl -fsS --max-time 5 http://127.0.0.1:" + settings.restPort() + "/config");
            JsonNode c = HealthSteps.tree(out);
            JsonNode max = c.path("maximum_lag_on_failover");
            // Patroni's default when the setting is absent: 1 MiB
            boolean unset = max.isMissingNode() || max.isNull();
            long bytes = unset ? 1048576 : max.isIntegralNumber() ? max.asLong()
                    : max.isTextual() && max.asText().strip().matches("\\d+") ? Long.parseLong(max.asText().strip()) : -1;
            zone.evidence().figure("maximum_lag_on_failover on " + h.name(), (unset ? "unset (Patroni's default) " : "") + bytes + " bytes");
            if (bytes < 0) {
                problems.add(h.name() + ": maximum_lag_on_failover is not a number of bytes: " + max);
            } else if (bytes > settings.lagThresholdBytes()) {
                problems.add(h.name() + ": maximum_lag_on_failover is " + bytes + " bytes: a replica that far behind may be promoted,"
                        + " losing what it had not received, over the lag threshold of " + settings.lagThresholdBytes() + " bytes");
            }
        }
        none(problems, "Patroni's failover lag bound");
    }

    @Then("the leader's pg_stat_replication shows every replica streaming, its replay within the lag threshold of the leader's position")
    public void leaderSeesReplicas() {
        Db.NodeState primary = primary(states());
        Host leader = zone.host(primary.node());
        List<List<String>> rows = Db.rows(leader, "postgres",
                "SELECT client_addr, state, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint, coalesce(replay_lag::text, '') FROM pg_stat_replication");
        Map<String, String> byAddress = nodeNamesByAddress();
        List<String> problems = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (List<String> row : rows) {
            String node = byAddress.getOrDefault(row.get(0), row.get(0));
            seen.add(node);
            zone.evidence().figure("replay behind the leader: " + node, row.get(2) + " bytes");
            if (!row.get(1).equals("streaming")) {
                problems.add(node + " is " + row.get(1) + ", not streaming");
            } else if (!row.get(2).isEmpty() && Long.parseLong(row.get(2)) > settings.lagThresholdBytes()) {
                problems.add(node + " has replayed " + row.get(2) + " bytes behind the leader, over the threshold");
            }
        }
        for (Host h : nodes()) {
            if (!h.name().equals(primary.node()) && !seen.contains(h.name())) {
                problems.add(h.name() + " is not among the leader's replication connections");
            }
        }
        none(problems, primary.node() + "'s pg_stat_replication");
    }

    @Then("a marker row written on the leader is read on every replica within the environment's lag bound")
    public void markerReplayed() {
        Db.NodeState primary = primary(states());
        Host leader = zone.host(primary.node());
        String marker = "triad-" + System.nanoTime();
        Db.rows(leader, settings.database(), MARKER_TABLE);
        Db.rows(leader, settings.database(), "INSERT INTO triad_marker (id) VALUES ('" + marker + "')");
        List<Host> replicas = nodes().stream().filter(h -> !h.name().equals(primary.node())).toList();
        Duration took = within((int) Math.max(1, settings.lagWithin().toSeconds()), "the marker row replayed on " + names(replicas), () -> {
            List<String> missing = new ArrayList<>();
            for (Host r : replicas) {
                if (Db.rows(r, settings.database(), "SELECT 1 FROM triad_marker WHERE id = '" + marker + "'").isEmpty()) {
                    missing.add(r.name());
                }
            }
            none(missing, "the marker is not yet on");
        });
        zone.evidence().figure("marker row written on the leader to read on every replica", took.toMillis() + " ms");
        Db.rows(leader, settings.database(), "DELETE FROM triad_marker WHERE id = '" + marker + "'");
    }

    @Then("on every node Patroni's REST API answers \\/primary 200 only on the leader, \\/replica 200 only on the replicas and \\/health 200 everywhere")
    public void restApi() {
        Db.NodeState primary = primary(states());
        List<String> problems = onEachHost(nodes(), (h, found) -> {
            boolean leads = h.name().equals(primary.node());
            Map<String, Integer> want = new LinkedHashMap<>();
            want.put("/primary", leads ? 200 : 503);
            want.put("/replica", leads ? 503 : 200);
            want.put("/health", 200);
            for (Map.Entry<String, Integer> e : want.entrySet()) {
                CommandResult r = h.exec("curl -s -o /dev/null --max-time 5 -w '%{http_code}' " + q("http://" + h.address() + ":" + settings.restPort() + e.getKey()));
                String code = r.stdout().strip();
                if (!code.equals(String.valueOf(e.getValue()))) {
                    found.add(h.name() + " (" + (leads ? "the leader" : "a replica") + ") answers " + e.getKey() + " with " + (code.isEmpty() ? "nothing" : code)
                            + ", not " + e.getValue());
                }
            }
        });
        none(problems, "Patroni's REST API");
    }

    /** psql through HAProxy from its own host, as the superuser (its password in that host's .pgpass, never in a command). */
    String viaProxy(int port, String sql) {
        return io.triad.tech.postgres.Db.psqlTo("-XAtq -v ON_ERROR_STOP=1 " + q("host=" + settings.proxyAddress() + " port=" + port + " dbname=" + settings.database()
                + " user=postgres connect_timeout=5") + " -c " + q(sql));
    }

    @Then("{int} sessions through HAProxy's write port all reach the leader, and a write through it is accepted")
    public void writePort(int sessions) {
        Db.NodeState primary = primary(states());
        Sessions made = sessions(settings.writePort(), sessions);
        Map<String, Integer> landed = made.byNode();
        zone.evidence().note("sessions through the write port " + settings.writePort() + ", by the node that answered", landed
                + (made.failed() > 0 ? ", " + made.failed() + " failed" : ""));
        List<String> problems = new ArrayList<>();
        made.failures(sessions, problems);
        landed.forEach((node, n) -> {
            if (!node.equals(primary.node())) {
                problems.add(n + " of " + sessions + " sessions reached " + node + ", not the leader " + primary.node());
            }
        });
        Host p = proxyHost();
        CommandResult w = p.exec(p.asRoot(viaProxy(settings.writePort(),
                MARKER_TABLE + "; INSERT INTO triad_marker (id) VALUES ('proxy-"
                        + System.nanoTime() + "')")));
        if (!w.ok()) {
            problems.add("a write through the write port was refused: " + Db.firstLine(w.stderr()));
        }
        none(problems, "HAProxy's write port");
    }

    @Then("{int} sessions through HAProxy's read port all reach replicas, every replica among them, and a write through it is refused")
    public void readPort(int sessions) {
        Db.NodeState primary = primary(states());
        Sessions made = sessions(settings.readPort(), sessions);
        Map<String, Integer> landed = made.byNode();
        zone.evidence().note("sessions through the read port " + settings.readPort() + ", by the node that answered", landed
                + (made.failed() > 0 ? ", " + made.failed() + " failed" : ""));
        List<String> problems = new ArrayList<>();
        made.failures(sessions, problems);
        if (landed.containsKey(primary.node())) {
            problems.add(landed.get(primary.node()) + " of " + sessions + " sessions reached the leader " + primary.node());
        }
        // a balancer that never sends a session to a replica leaves it out of the read pool: its
        // reads go elsewhere until the one it uses fails, and then nowhere
        for (Host h : nodes()) {
            if (!h.name().equals(primary.node()) && !landed.containsKey(h.name())) {
                problems.add("no session of " + sessions + " reached the replica " + h.name() + ": it is not in the read pool");
            }
        }
        Host p = proxyHost();
        CommandResult w = p.exec(p.asRoot(viaProxy(settings.readPort(), "CREATE TEMP TABLE triad_probe (x int); INSERT INTO triad_marker (id) VALUES ('read-port-"
                + System.nanoTime() + "')")));
        if (w.ok()) {
            problems.add("a write through the read port was accepted: it reached a node that takes writes");
        } else if (!w.stderr().contains("read-only transaction")) {
            problems.add("a write through the read port failed, but not as read-only: " + Db.firstLine(w.stderr()));
        }
        none(problems, "HAProxy's read port");
    }

    /**
     * "Nothing else", tried rather than read: every TCP port HAProxy listens on, found on its host
     * ({@code ss -tlnp}: the haproxy processes' sockets, whatever its configuration names), other
     * than the write and read ports, is asked for a PostgreSQL session on the address it is bound
     * to; none may reach a database. A listener left from a migration, a test or another tool's
     * template that balances over every member is a path to the primary and the replicas alike that
     * no read of the two named sections would see. The stats page and anything else that does not
     * speak PostgreSQL is refused by psql and passes.
     */
    @Then("no other port HAProxy listens on reaches PostgreSQL")
    public void nothingElseThroughHaproxy() {
        Host p = proxyHost();
        List<io.triad.probe.Listeners.Socket> haproxy = io.triad.probe.Listeners.parse(output(p, "ss -tlnp", p.asRoot("ss -tlnp"))).stream()
                .filter(s -> s.process().equals("haproxy")).toList();
        zone.evidence().note("HAProxy's listening sockets on " + p.name() + " (ss -tlnp)", haproxy.isEmpty() ? "none"
                : haproxy.stream().map(Object::toString).collect(java.util.stream.Collectors.joining("\n")));
        // blind guard: a search that cannot see HAProxy's sockets proves nothing about the others
        check(haproxy.stream().anyMatch(s -> s.port() == settings.writePort()) && haproxy.stream().anyMatch(s -> s.port() == settings.readPort()),
                "HAProxy's write port " + settings.writePort() + " and read port " + settings.readPort() + " are not both among its listening sockets on "
                        + p.name() + " (" + haproxy + "): its other ports cannot be told apart");
        Map<String, String> byAddress = nodeNamesByAddress();
        List<String> problems = new ArrayList<>();
        List<String> tried = new ArrayList<>();
        for (io.triad.probe.Listeners.Socket s : haproxy) {
            if (s.port() == settings.writePort() || s.port() == settings.readPort() || tried.contains(s.toString())) {
                continue;
            }
            tried.add(s.toString());
            String address = s.wildcard() ? "127.0.0.1" : s.address();
            CommandResult r = p.exec(p.asRoot(io.triad.tech.postgres.Db.psqlTo("-XAtq " + q("host=" + address + " port=" + s.port()
                    + " dbname=" + settings.database() + " user=postgres connect_timeout=3") + " -c " + q("SELECT host(inet_server_addr())"))));
            zone.evidence().note("a PostgreSQL session through HAProxy's " + address + ":" + s.port(), r.ok()
                    ? "ANSWERED by " + byAddress.getOrDefault(r.stdout().strip(), r.stdout().strip()) : "refused: " + Db.firstLine(r.stderr()));
            if (r.ok()) {
                problems.add("HAProxy's port " + s.port() + " (" + address + ") reaches PostgreSQL on "
                        + byAddress.getOrDefault(r.stdout().strip(), r.stdout().strip()) + ": a path to the database besides the write and read ports");
            }
        }
        zone.evidence().note("HAProxy's other ports tried", tried.isEmpty() ? "none besides the write and read ports" : String.join(", ", tried));
        none(problems, "HAProxy routes sessions beyond writes to the primary and reads to the replicas");
    }

    /** The database nodes' names, by their address (what inet_server_addr() answers). */
    private Map<String, String> nodeNamesByAddress() {
        Map<String, String> byAddress = new LinkedHashMap<>();
        nodes().forEach(h -> byAddress.put(h.address(), h.name()));
        return byAddress;
    }

    /** Fresh sessions through a port of HAProxy, each asking which node it is on (its address): how many landed on each node. */
    /** Sessions through a HAProxy port: how many each node answered, and how many failed with the first error. */
    record Sessions(Map<String, Integer> byNode, int failed, String firstError) {
        void failures(int count, List<String> problems) {
            if (failed > 0) {
                problems.add(failed + " of " + count + " sessions failed (" + firstError + ")");
            }
        }
    }

    Sessions sessions(int port, int count) {
        Host p = proxyHost();
        Map<String, String> byAddress = nodeNamesByAddress();
        String one = viaProxy(port, "SELECT host(inet_server_addr())");
        CommandResult r = p.exec(p.asRoot("for i in $(seq " + count + "); do " + one + " || echo " + SESSION_FAILED + "; done"));
        Map<String, Integer> landed = new java.util.TreeMap<>();
        int failed = 0;
        for (String line : r.stdout().split("\n")) {
            if (line.strip().equals(SESSION_FAILED)) {
                failed++;
            } else if (!line.isBlank()) {
                landed.merge(byAddress.getOrDefault(line.strip(), line.strip()), 1, Integer::sum);
            }
        }
        check(landed.values().stream().mapToInt(Integer::intValue).sum() + failed == count, "not every session through port " + port
                + " answered: " + landed + " " + Db.firstLine(r.stderr()));
        return new Sessions(landed, failed, Db.firstLine(r.stderr()));
    }

    /** What the shell prints for a session psql could not make (never an address). */
    static final String SESSION_FAILED = "triad-session-failed";
}
