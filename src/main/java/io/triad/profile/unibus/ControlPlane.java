package io.triad.profile.unibus;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.StreamInfo;
import io.triad.host.Host;
import io.triad.probe.Tls;
import io.triad.zone.Zone;

import java.io.IOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The control plane as the harness reads it itself: a NATS connection to one node's client port
 * (through an SSH tunnel to its 127.0.0.1, so the data plane need not be reachable from here), TLS
 * with the harness's client identity (an admin certificate of the client CA), then JetStream.
 */
public final class ControlPlane implements AutoCloseable {

    /** A bucket's state: its stream's message count and last sequence, and every key's revision and value digest. */
    public record Snapshot(String bucket, long messages, long lastSequence, Map<String, String> keys) {
        /** What differs from {@code before}, one line each; empty when identical. */
        public List<String> differences(Snapshot before) {
            List<String> out = new java.util.ArrayList<>();
            if (messages != before.messages) {
                out.add(bucket + ": " + before.messages + " messages before, " + messages + " after");
            }
            if (lastSequence != before.lastSequence) {
                out.add(bucket + ": last sequence " + before.lastSequence + " before, " + lastSequence + " after");
            }
            before.keys.forEach((k, v) -> {
                String now = keys.get(k);
                if (now == null) {
                    out.add(bucket + ": key " + k + " lost");
                } else if (!now.equals(v)) {
                    out.add(bucket + ": key " + k + " was " + v + ", is " + now);
                }
            });
            keys.keySet().stream().filter(k -> !before.keys.containsKey(k)).forEach(k -> out.add(bucket + ": key " + k + " appeared"));
            return out;
        }
    }

    private final Host.Tunnel tunnel;
    private final Connection nc;

    private ControlPlane(Host.Tunnel tunnel, Connection nc) {
        this.tunnel = tunnel;
        this.nc = nc;
    }

    /** Connects through {@code via}'s SSH to its own client port. */
    public static ControlPlane open(Zone zone, Host via) {
        Settings s = zone.env().settings(Settings.class);
        Host.Tunnel tunnel = via.tunnel("127.0.0.1", s.clientPort());
        try {
            Options options = new Options.Builder().server("nats://127.0.0.1:" + tunnel.localPort()).sslContext(clientTls(zone))
                    .ignoreDiscoveredServers().noReconnect().connectionTimeout(Duration.ofSeconds(5)).build();
            return new ControlPlane(tunnel, Nats.connect(options));
        } catch (IOException | InterruptedException e) {
            tunnel.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new AssertionError("cannot reach the control plane through " + via.name() + ": " + e.getMessage(), e);
        }
    }

    /** The KV buckets' management through this connection (create, delete: for tests that break a zone). */
    public io.nats.client.KeyValueManagement management() throws IOException {
        return nc.keyValueManagement();
    }

    /** A KV bucket through this connection. */
    public KeyValue keyValue(String bucket) throws IOException {
        return nc.keyValue(bucket);
    }

    /**
     * Whether the stream's leader holds a message on {@code subject}: the JetStream API's message get
     * ({@code $JS.API.STREAM.MSG.GET}), answered by the stream's leader, where a KV get (a direct get)
     * may be answered by any replica of the direct-get group.
     */
    public boolean leaderHas(String stream, String subject) throws IOException, InterruptedException {
        com.fasterxml.jackson.databind.JsonNode answer = messageGet(stream, "{\"last_by_subj\":\"" + subject + "\"}");
        if (answer.has("message")) {
            return true;
        }
        if (answer.path("error").path("code").asInt() == 404) {
            return false;
        }
        throw new IOException("the message get of " + subject + " from " + stream + " answered " + answer);
    }

    /**
     * What the stream's leader holds at sequence {@code seq} (a direct message get by sequence):
     * the subject of the message there, or why there is none ("no message at 5012: deleted or
     * never stored", the stream's first and last sequence beside it). For the evidence of a write
     * acknowledged at that sequence and missing later: was its place taken by another message (a
     * log that diverged), or is it gone?
     */
    public String leaderAt(String stream, long seq) throws IOException, InterruptedException {
        com.fasterxml.jackson.databind.JsonNode answer = messageGet(stream, "{\"seq\":" + seq + "}");
        if (answer.has("message")) {
            return "sequence " + seq + " holds " + answer.path("message").path("subject").asText() + " (stored "
                    + answer.path("message").path("time").asText() + ")";
        }
        String range;
        try {
            var state = stream(stream).getStreamState();
            range = "; the stream holds " + state.getFirstSequence() + ".." + state.getLastSequence();
        } catch (io.nats.client.JetStreamApiException e) {
            range = "";
        }
        return "no message at sequence " + seq + " (" + answer.path("error").path("description").asText(answer.toString()) + range + ")";
    }

    /** A message get through JetStream's API, answered by the stream's leader: its answer, parsed. */
    private com.fasterxml.jackson.databind.JsonNode messageGet(String stream, String request) throws IOException, InterruptedException {
        io.nats.client.Message reply = nc.request("$JS.API.STREAM.MSG.GET." + stream,
                request.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.time.Duration.ofSeconds(5));
        if (reply == null) {
            throw new IOException("the leader of " + stream + " did not answer a message get");
        }
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(reply.getData());
    }

    /** The harness's client identity in the zone (its client certificate and key) trusting the zone's client CA. */
    public static javax.net.ssl.SSLContext clientTls(Zone zone) {
        try {
            return Tls.context(Files.readString(zone.clientFile("certificate")), Files.readString(zone.clientFile("key")),
                    Files.readString(zone.clientFile("ca")));
        } catch (IOException e) {
            throw new AssertionError("cannot read the harness's client identity: " + e.getMessage(), e);
        }
    }

    /**
     * Every control-plane bucket's stream: those the runbook names ({@link Settings#BUCKETS}) and every
     * other key-value stream the server holds (a bucket a release added that no list names), sorted.
     */
    public List<String> buckets() throws IOException, JetStreamApiException {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(Settings.BUCKETS);
        nc.jetStreamManagement().getStreamNames().stream().filter(n -> n.startsWith("KV_")).forEach(all::add);
        return List.copyOf(all);
    }

    public StreamInfo stream(String stream) throws IOException, JetStreamApiException {
        return nc.jetStreamManagement().getStreamInfo(stream);
    }

    /** The bucket's state, read through this connection (a KV get may be served by any replica). */
    public Snapshot snapshot(String stream) throws IOException, JetStreamApiException, InterruptedException {
        StreamInfo info = stream(stream);
        String bucket = stream.replaceFirst("^KV_", "");
        KeyValue kv = nc.keyValue(bucket);
        Map<String, String> keys = new TreeMap<>();
        for (String key : kv.keys()) {
            KeyValueEntry e = kv.get(key);
            if (e != null) {
                keys.put(key, "revision " + e.getRevision() + " value " + digest(e.getValue()));
            }
        }
        return new Snapshot(stream, info.getStreamState().getMsgCount(), info.getStreamState().getLastSequence(), keys);
    }

    /**
     * The given keys of a bucket, each read with a get (no listing: a listing needs a consumer, whose
     * creation waits for a meta leader); a key that is gone reads "absent".
     */
    public Map<String, String> read(String stream, java.util.Collection<String> keys)
            throws IOException, JetStreamApiException, InterruptedException {
        KeyValue kv = nc.keyValue(stream.replaceFirst("^KV_", ""));
        Map<String, String> out = new TreeMap<>();
        for (String key : keys) {
            KeyValueEntry e = kv.get(key);
            out.put(key, e == null ? "absent" : "revision " + e.getRevision() + " value " + digest(e.getValue()));
        }
        return out;
    }

    private static String digest(byte[] value) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(value == null ? new byte[0] : value);
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            DataPlane.close(nc);
        } finally {
            tunnel.close();
        }
    }
}
