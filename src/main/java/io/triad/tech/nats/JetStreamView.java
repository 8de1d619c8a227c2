package io.triad.tech.nats;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One server's view of the JetStream cluster from {@code /jsz?streams=true&config=true}: the meta group's
 * leader and, for every stream it hosts, the stream's leader and replicas. Only the stream's
 * leader reports {@code leader_since} and knows whether its followers are current; a follower
 * keeps naming a leader that died until a new one is elected, so a stream is settled only when a
 * server reports itself its leader and sees every replica current (measured: right after a
 * {@code kill -9} of a stream's leader the two followers still named it, and {@code /healthz}
 * on both answered ok).
 */
public record JetStreamView(String metaLeader, List<Stream> streams) {

    /**
     * A stream as this server sees it; {@code leading} when this server says it is its leader, and
     * {@code since} the instant its leadership began as it reports it ({@code leader_since}, "" when it
     * reports none): a new value is a new tenure, even between two samples that both saw it lead.
     */
    public record Stream(String name, String leader, boolean leading, String since, List<JetStreamStatus.Replica> replicas) {
        /** Whether this server leads the stream and heard from a majority of its replicas within {@code within}. */
        public boolean leadsWithQuorum(java.time.Duration within) {
            return leading && (replicas.isEmpty()
                    || JetStreamStatus.leadsWithQuorum(leader, leader, replicas.size() + 1, replicas, within));
        }
    }

    public static JetStreamView parse(String json) {
        JsonNode root = JetStreamStatus.jsz(json);
        List<Stream> streams = new ArrayList<>();
        for (JsonNode account : root.path("account_details")) {
            for (JsonNode s : account.path("stream_detail")) {
                JsonNode cluster = s.path("cluster");
                List<JetStreamStatus.Replica> replicas = new ArrayList<>();
                for (JsonNode r : cluster.path("replicas")) {
                    replicas.add(JetStreamStatus.Replica.of(r));
                }
                String leader = cluster.path("leader").asText("");
                // A stream of one replica (R1) reports no leader_since and no other replica: the one server
                // that lists it (each server lists the streams it hosts) is its leader. So does, for a moment, a
                // replicated stream on a server that has just started, before its raft node runs: it names
                // that server leader, with no replica and no leader_since (recorded: homer 160 ms after its
                // start named itself leader of KV_UNIBUS_members, R3, while magnus led it). The configured
                // replica count, read where the query asked for the config (config=true), tells them apart.
                JsonNode config = s.path("config");
                boolean single = config.isMissingNode() || config.path("num_replicas").asInt(1) <= 1;
                boolean leading = cluster.has("leader_since") || (single && replicas.isEmpty() && !leader.isEmpty());
                streams.add(new Stream(s.path("name").asText(), leader, leading, cluster.path("leader_since").asText(""),
                        List.copyOf(replicas)));
            }
        }
        return new JetStreamView(root.path("meta_cluster").path("leader").asText(""), List.copyOf(streams));
    }

    /**
     * What keeps the cluster from being settled, from every server's view (host name to view): a
     * server without a meta leader, servers naming different meta leaders, a stream no server
     * leads (or two do), servers naming different leaders of a stream, a replica its leader does
     * not see current. Empty when settled.
     */
    public static List<String> problems(Map<String, JetStreamView> views) {
        List<String> problems = new ArrayList<>();
        Set<String> metaLeaders = new TreeSet<>();
        views.forEach((host, v) -> {
            if (v.metaLeader().isEmpty()) {
                problems.add(host + " sees no JetStream meta leader");
            } else {
                metaLeaders.add(v.metaLeader());
            }
        });
        if (metaLeaders.size() > 1) {
            problems.add("the servers name different meta leaders: " + metaLeaders);
        }
        Map<String, Map<String, Stream>> byStream = new LinkedHashMap<>();
        views.forEach((host, v) -> v.streams().forEach(s -> byStream.computeIfAbsent(s.name(), k -> new LinkedHashMap<>()).put(host, s)));
        byStream.forEach((name, seen) -> {
            Set<String> leaders = new LinkedHashSet<>();
            List<String> leading = new ArrayList<>();
            seen.forEach((host, s) -> {
                if (s.leader().isEmpty()) {
                    problems.add("stream " + name + " has no leader as " + host + " sees it");
                } else {
                    leaders.add(s.leader());
                }
                if (s.leading()) {
                    leading.add(host);
                }
            });
            if (leaders.size() > 1) {
                problems.add("the servers name different leaders of stream " + name + ": " + leaders);
            }
            if (leading.isEmpty()) {
                if (!leaders.isEmpty()) {
                    problems.add("no server reports itself leader of stream " + name + " (its followers still name " + leaders + ")");
                }
            } else if (leading.size() > 1) {
                problems.add("stream " + name + " has two leaders: " + leading);
            } else {
                for (JetStreamStatus.Replica r : seen.get(leading.get(0)).replicas()) {
                    if (!r.current() || r.offline()) {
                        problems.add("stream " + name + "'s replica on " + r.name() + " is " + (r.offline() ? "offline" : "not current")
                                + " (as its leader " + leading.get(0) + " sees it)");
                    }
                }
            }
        });
        return problems;
    }
}
