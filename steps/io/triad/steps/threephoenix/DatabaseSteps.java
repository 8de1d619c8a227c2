package io.triad.steps.threephoenix;

import io.cucumber.java.en.Then;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.profile.threephoenix.Db;
import io.triad.profile.threephoenix.RepmgrCluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** II. Database & Persistence: the cluster's state, replication, routing and backups. */
public class DatabaseSteps extends PhoenixSupport {

    private final Map<String, RepmgrCluster> shown = new LinkedHashMap<>();

    private String repmgr(String args) {
        return "runuser -u postgres -- repmgr -f " + q(settings.repmgrConf()) + " " + args;
    }

    @Then("repmgr cluster show on every node lists exactly 1 primary and 2 standbys, running, the same on every node")
    public void clusterShow() {
        List<String> problems = onEachHost(nodes(), (h, found) -> {
            CommandResult r = h.exec(h.asRoot(repmgr("cluster show")));
            if (r.stdout().isBlank()) {
                found.add(h.name() + ": repmgr cluster show answered nothing (" + Db.firstLine(r.stderr()) + ")");
                return;
            }
            parsed(h, "repmgr cluster show", found, () -> RepmgrCluster.parse(r.stdout()))
                    .ifPresent(c -> {
                        synchronized (shown) {
                            shown.put(h.name(), c);
                        }
                        found.addAll(c.problems(h.name(), nodes().size()));
                    });
        });
        none(problems, "repmgr's cluster");
        List<RepmgrCluster> views = nodes().stream().map(h -> shown.get(h.name())).toList();
        for (int i = 1; i < views.size(); i++) {
            check(views.get(i).equals(views.get(0)), nodes().get(i).name() + " shows the cluster otherwise than " + nodes().get(0).name()
                    + ": " + views.get(i) + " against " + views.get(0));
        }
    }

    @Then("repmgr cluster crosscheck finds every node reachable from every other")
    public void crosscheck() {
        Host h = nodes().get(0);
        CommandResult r = h.exec(h.asRoot(repmgr("cluster crosscheck")));
        zone.evidence().note("repmgr cluster crosscheck on " + h.name(), r.stdout());
        check(r.ok(), "repmgr cluster crosscheck on " + h.name() + " reports unreachable nodes (exit " + r.exitCode() + "): "
                + r.stdout().strip().replace('\n', ' '));
    }

    @Then("the primary repmgr names is the only node not in recovery")
    public void primaryIsTheWriter() {
        check(!shown.isEmpty(), "repmgr cluster show was not read");
        String named = shown.values().iterator().next().primary();
        Db.NodeState p = primary(states());
        check(p.node().equals(named), "repmgr names " + named + " the primary, but " + p.node() + " is the node not in recovery");
    }

    @Then("every standby's WAL receiver streams from the primary, on the primary's timeline")
    public void receivers() {
        List<Db.NodeState> states = states();
        Db.NodeState p = primary(states);
        String address = zone.host(p.node()).address();
        zone.evidence().figure("primary", p.node() + " on timeline " + p.timeline() + " at " + p.currentLsn());
        List<String> problems = new ArrayList<>();
        for (Db.NodeState s : states) {
            if (s == p) {
                continue;
            }
            zone.evidence().figure(s.node() + " receiver", (s.receiverStatus().isEmpty() ? "none" : s.receiverStatus() + " from "
                    + s.senderHost() + " on timeline " + s.receivedTimeline()) + ", replayed to " + s.replayLsn());
            if (!s.receiverStatus().equals("streaming")) {
                problems.add(s.node() + "'s WAL receiver is " + (s.receiverStatus().isEmpty() ? "not running" : s.receiverStatus()));
            } else if (!s.senderHost().equals(address)) {
                problems.add(s.node() + " streams from " + s.senderHost() + ", not from the primary " + p.node() + " (" + address + ")");
            } else if (s.receivedTimeline() != p.timeline()) {
                problems.add(s.node() + " streams on timeline " + s.receivedTimeline() + ", the primary writes timeline " + p.timeline());
            }
        }
        none(problems, "standbys not following the primary");
    }

    @Then("the primary's pg_stat_replication lists every standby streaming")
    public void senders() {
        Db.NodeState p = primary(states());
        Host primary = zone.host(p.node());
        List<List<String>> rows = Db.rows(primary, "postgres",
                "SELECT application_name, client_addr, state, replay_lsn, coalesce(extract(epoch FROM replay_lag), 0) FROM pg_stat_replication");
        zone.evidence().note("pg_stat_replication on " + p.node(), rows.stream().map(r -> String.join(" | ", r)).reduce("", (a, b) -> a + b + "\n"));
        List<String> problems = new ArrayList<>();
        for (Host h : nodes()) {
            if (h.name().equals(p.node())) {
                continue;
            }
            var row = rows.stream().filter(r -> r.get(1).equals(h.address())).findFirst();
            if (row.isEmpty()) {
                problems.add(p.node() + " sends WAL to no connection from " + h.name() + " (" + h.address() + ")");
            } else if (!row.get().get(2).equals("streaming")) {
                problems.add(p.node() + "'s sender to " + h.name() + " is " + row.get().get(2));
            } else if (Double.parseDouble(row.get().get(4)) * 1000 >= settings.lagBound().toMillis()) {
                problems.add(h.name() + "'s replay lag as the primary measures it is " + row.get().get(4) + " s");
            }
        }
        none(problems, "the primary's senders");
    }

    @Then("every standby replays the primary's current position within the lag bound")
    public void lag() {
        Db.NodeState p = primary(states());
        List<Host> standbys = nodes().stream().filter(h -> !h.name().equals(p.node())).toList();
        long target = Db.lsn(Db.rows(zone.host(p.node()), "postgres", "SELECT pg_current_wal_lsn()").get(0).get(0));
        long t0 = System.nanoTime();
        Duration bound = settings.lagBound();
        List<String> problems = onEachHost(standbys, (h, found) -> {
            // how long the standby takes to replay the position the primary had when asked
            while (true) {
                String replay = Db.rows(h, "postgres", "SELECT coalesce(pg_last_wal_replay_lsn()::text, '0/0')").get(0).get(0);
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                if (Db.lsn(replay) >= target) {
                    zone.evidence().figure(h.name() + " replay lag", took.toMillis() + " ms (at most; " + replay + ")");
                    return;
                }
                if (took.compareTo(bound) >= 0) {
                    found.add(h.name() + " had not replayed the primary's position " + Long.toHexString(target) + " after "
                            + took.toMillis() + " ms (at " + replay + ")");
                    return;
                }
            }
        });
        none(problems, "replication lag over " + bound.toMillis() + " ms");
    }
}
