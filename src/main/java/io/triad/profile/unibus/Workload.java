package io.triad.profile.unibus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.history.History;
import io.triad.history.History.Outcome;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.tech.nats.JetStreamStatus;
import io.triad.tech.nats.JetStreamView;
import io.triad.zone.Zone;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The unibus drills' recorded history: a client outside the cluster that knows all three nodes
 * (it tries them in turn when one does not answer) makes authorization requests with fresh
 * nonces for a member granted at the start ({@code authorize}: OK when allowed, FAIL when
 * denied, UNKNOWN when no node answered), grants new members one after another ({@code write}:
 * OK once the quorum acknowledged it), and on demand revokes a member and asks for it
 * ({@code revoke}, {@code revoked-authorize}); every node sampled for the meta leader and the
 * leader of {@code KV_UNIBUS_members}. After the heal every acknowledged grant is read back.
 */
public final class Workload implements io.triad.zone.Recording, AutoCloseable {

    public static final String ROOM = "drill-room";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Zone zone;
    private final Settings settings;
    private final History history = new History();
    private final HttpClient http;
    private final List<Host> nodes;
    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private final String member;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger seq = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private volatile String revoked;
    private final java.time.Instant started = java.time.Instant.now();

    private Workload(Zone zone) {
        this.zone = zone;
        this.settings = zone.env().settings(Settings.class);
        this.nodes = zone.hostsRunning(Shape.SERVICE);
        this.member = "member-" + run;
        this.http = HttpClient.newBuilder().sslContext(ControlPlane.clientTls(zone)).connectTimeout(Duration.ofSeconds(1)).build();
    }

    /** The client alone (no loop, no sampler): single requests for the steps. */
    public static Workload client(Zone zone) {
        Workload w = new Workload(zone);
        w.running.set(false);
        return w;
    }

    /** Grants a member of its own (acknowledged) and returns its name. */
    public String grant() {
        return granted(member, "the drill's member");
    }

    /** Grants {@code user} (kept in the history) and returns it; a failure naming {@code what} when not acknowledged. */
    private String granted(String user, String what) {
        History.Op grant = grantOp("grant", user);
        history.add(grant);
        if (!grant.ok()) {
            throw new AssertionError(what + " could not be granted: " + grant.detail());
        }
        return user;
    }

    private History.Op grantOp(String kind, String user) {
        return call(kind, user, "PUT", "/v1/members/" + ROOM + "/" + user, null);
    }

    private static String authorizeBody(String user, String nonce) {
        return "{\"user\":\"" + user + "\",\"room\":\"" + ROOM + "\",\"nonce\":\"" + nonce + "\"}";
    }

    /** One authorization request, on one node, with the nonce given. */
    public History.Op authorizeOn(Host h, String user, String nonce) {
        History.Op op = callOn(List.of(h), user.equals(revoked) ? "revoked-authorize" : "authorize", user, "POST", "/v1/authorize",
                authorizeBody(user, nonce));
        history.add(op);
        return op;
    }

    /** Grants the drill's member (acknowledged) and starts the client and the samplers. */
    public static Workload start(Zone zone) {
        Workload w = new Workload(zone);
        w.grant();
        zone.record(w); // the zone's recording: the common hooks stop it, keep its history and draw its timeline
        zone.faults().recordInto(w.history);
        w.loop("authorize", 100, () -> w.authorize("authorize", w.member));
        w.loop("write", 150, () -> {
            String user = "w-" + w.run + "-" + w.seq.incrementAndGet();
            w.history.add(w.grantOp("write", user));
        });
        w.loop("revoked-authorize", 200, () -> {
            String r = w.revoked;
            if (r != null) {
                w.authorize("revoked-authorize", r);
            }
        });
        for (Host h : w.nodes) {
            w.loop("sample " + h.name(), 250, () -> w.sample(h));
        }
        return w;
    }

    @Override
    public java.time.Instant started() {
        return started;
    }

    @Override
    public History history() {
        return history;
    }

    /** The member whose authorizations are asked for throughout. */
    public String member() {
        return member;
    }

    private void loop(String name, long periodMs, Runnable body) {
        threads.add(io.triad.zone.Paced.start("unibus-" + name, periodMs, running, body));
    }

    private void authorize(String kind, String user) {
        history.add(call(kind, user, "POST", "/v1/authorize", authorizeBody(user, UUID.randomUUID().toString())));
    }

    /** Grants the member a drill will revoke (acknowledged); returns its name. */
    public String grantRevocable() {
        return granted("revoked-" + run, "the member to revoke");
    }

    /** Revokes {@code user} through {@code via}; from then on the client asks for it too ({@code revoked-authorize}). */
    public History.Op revokeOn(Host via, String user) {
        History.Op op = callOn(List.of(via), "revoke", user, "DELETE", "/v1/members/" + ROOM + "/" + user, null);
        history.add(op);
        if (op.ok()) {
            revoked = user;
        }
        return op;
    }

    private History.Op call(String kind, String id, String method, String path, String body) {
        // the client knows all three nodes and starts with a different one each time
        int start = Math.floorMod(seq.get() + kind.hashCode(), nodes.size());
        List<Host> order = new ArrayList<>(nodes.subList(start, nodes.size()));
        order.addAll(nodes.subList(0, start));
        return callOn(order, kind, id, method, path, body);
    }

    private History.Op callOn(List<Host> order, String kind, String id, String method, String path, String body) {
        Instant invoke = Instant.now();
        StringBuilder tried = new StringBuilder();
        for (Host h : order) {
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("https://" + h.address() + ":" + settings.httpPort() + path))
                    .timeout(Duration.ofSeconds(5));
            req = switch (method) {
                case "PUT" -> req.PUT(HttpRequest.BodyPublishers.noBody());
                case "DELETE" -> req.DELETE();
                default -> req.POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
            };
            try {
                HttpResponse<String> r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
                JsonNode answer = JSON.readTree(r.body());
                String node = answer.path("node").asText(h.name());
                boolean ok = kind.endsWith("authorize") ? r.statusCode() == 200 && answer.path("allow").asBoolean(false)
                        : r.statusCode() == 200;
                if (r.statusCode() == 503 && !kind.endsWith("authorize")) {
                    tried.append(h.name()).append(": 503 ").append(answer.path("error").asText()).append("; ");
                    continue; // a write the node could not place: the client tries the next node
                }
                // an acknowledged grant keeps the revision (the stream sequence) the quorum gave it: the evidence of where it
                // was stored, should it be missing later
                String detail = ok && answer.has("revision") && !kind.endsWith("authorize") ? "revision " + answer.path("revision").asLong()
                        : answer.path("reason").asText(answer.path("error").asText(""));
                return new History.Op(kind, id, invoke, Instant.now(), ok ? Outcome.OK : Outcome.FAIL, r.statusCode(), node, detail);
            } catch (java.net.http.HttpTimeoutException e) {
                tried.append(h.name()).append(": no answer in 5 s; ");
                if (!kind.endsWith("authorize")) {
                    // a write sent and not answered may have landed: unknown, not failed
                    return new History.Op(kind, id, invoke, Instant.now(), Outcome.UNKNOWN, -1, "", tried.toString());
                }
            } catch (java.io.IOException e) {
                tried.append(h.name()).append(": ").append(e.getClass().getSimpleName()).append(' ').append(e.getMessage()).append("; ");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return new History.Op(kind, id, invoke, Instant.now(), kind.endsWith("authorize") ? Outcome.UNKNOWN : Outcome.FAIL, -1, "",
                "no node answered: " + tried);
    }

    private void sample(Host h) {
        Instant start = Instant.now();
        CommandResult r = h.execUnrecorded(Cluster.monitor(settings, "/jsz?streams=true&config=true"), Duration.ofSeconds(3));
        Instant end = Instant.now();
        Map<String, String> states = new LinkedHashMap<>();
        if (r.ok()) {
            try {
                // A leader's claim counts while it heard from a majority within the raft lease: a leader cut off
                // keeps claiming its place (16-19 s measured) while it can commit nothing; the claim is kept too.
                JetStreamView view = JetStreamView.parse(r.stdout());
                JetStreamStatus meta = JetStreamStatus.parse(r.stdout());
                states.put("meta-leader", String.valueOf(JetStreamStatus.leadsWithQuorum(h.name(), meta.leader(), meta.clusterSize(),
                        meta.replicas(), JetStreamStatus.LEASE)));
                states.put(io.triad.check.StaleClaims.claimed("meta-leader"), String.valueOf(view.metaLeader().equals(h.name())));
                Optional<JetStreamView.Stream> members = view.streams().stream().filter(s -> s.name().equals("KV_UNIBUS_members")).findFirst();
                states.put("members-leader", String.valueOf(members.map(s -> s.leadsWithQuorum(JetStreamStatus.LEASE)).orElse(false)));
                states.put(io.triad.check.StaleClaims.claimed("members-leader"), String.valueOf(members.map(JetStreamView.Stream::leading).orElse(false)));
                // its tenure: two samples that saw it lead with different leader_since saw two tenures, with another
                // leader possibly between them
                states.put(io.triad.check.DualActive.tenure("members-leader"), members.map(JetStreamView.Stream::since).orElse(""));
                states.put("serving", "true");
            } catch (IllegalArgumentException e) {
                states.put("serving", "false");
            }
        } else {
            states.put("serving", "false");
        }
        history.add(new History.Sample(h.name(), start, end, states));
    }

    /** Stops the client and the samplers (their last round finishes). */
    public History stop() {
        zone.faults().recordInto(null);
        io.triad.zone.Paced.stopAll(running, threads, 8000);
        return history;
    }

    /** Reads back every member granted during the drill, through the first node that answers; it is the history's final read. */
    public History.FinalRead finalRead() {
        History.FinalRead read = null;
        for (Host h : nodes) { // through the first node that answers (one may still be down after a kill-two drill)
            read = finalRead(h);
            if (read.complete()) {
                return read;
            }
        }
        return read;
    }

    private History.FinalRead finalRead(Host via) {
        Set<String> written = new LinkedHashSet<>();
        history.ops("write").forEach(o -> written.add(o.id()));
        Set<String> present = new LinkedHashSet<>();
        History.FinalRead read;
        try (ControlPlane cp = ControlPlane.open(zone, via)) {
            io.nats.client.KeyValue kv = cp.keyValue("UNIBUS_members");
            List<String> onlyAtLeader = new ArrayList<>();
            for (String user : written) {
                var e = kv.get(ROOM + "." + user);
                if (e != null && e.getValue() != null && e.getValue().length > 0) {
                    present.add(user);
                } else if (cp.leaderHas("KV_UNIBUS_members", "$KV.UNIBUS_members." + ROOM + "." + user)) {
                    // a KV get is a direct get, answered by any replica: a key a replica answered without is asked of the
                    // stream's leader before the write counts as lost; the replica that did not have it is said below
                    present.add(user);
                    onlyAtLeader.add(user);
                }
            }
            // where each acknowledged grant that is missing was stored: what the leader holds at its revision now
            List<String> whereLost = new ArrayList<>();
            for (History.Op w : history.ops("write")) {
                if (w.ok() && !present.contains(w.id()) && w.detail().startsWith("revision ")) {
                    whereLost.add(w.id() + " (acknowledged by " + w.node() + " at " + w.detail() + "): "
                            + cp.leaderAt("KV_UNIBUS_members", Long.parseLong(w.detail().substring("revision ".length()))));
                }
            }
            read = new History.FinalRead(Instant.now(), present, true, "read " + written.size() + " granted keys through " + via.name()
                    + ": " + present.size() + " present" + (onlyAtLeader.isEmpty() ? "" : " (" + onlyAtLeader.size()
                    + " of them missing from a replica's direct get and found at the stream's leader: a replica behind or"
                    + " diverged, " + onlyAtLeader + ")") + (whereLost.isEmpty() ? "" : "; missing, at the stream's leader: "
                    + String.join("; ", whereLost)));
        } catch (Exception | AssertionError e) { // a node that does not answer: the next one is tried
            read = new History.FinalRead(Instant.now(), present, false, "the read through " + via.name() + " failed: " + e.getMessage());
        }
        history.finalRead(read);
        return read;
    }

    @Override
    public void close() {
        stop();
    }
}
