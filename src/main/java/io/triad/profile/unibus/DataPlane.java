package io.triad.profile.unibus;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real client of one node's data plane (its client port, through a tunnel whose local end is
 * {@code 127.0.0.1:port}): whether an identity is admitted at all, and what an admitted one may do.
 * What the posture's "enforce" and "acl" claim is tried here, not read: a client the ACL lets
 * through gets an answer from the server, one it does not gets the server's permissions violation.
 */
public final class DataPlane {

    /**
     * A header no write can satisfy on a key the harness never wrote: JetStream stores a message
     * with it only when the key's last sequence is this one. A write the ACL wrongly lets through
     * reaches the bucket's stream, which answers and stores nothing.
     */
    public static final String GUARD = "Nats-Expected-Last-Subject-Sequence";
    private static final String NEVER = "999999999999";

    private DataPlane() { }

    /** Whether the client port admits {@code identity}: admitted (and closed at once), or why not. */
    public record Admission(boolean admitted, String detail) { }

    public static Admission admission(int localPort, SSLContext identity) {
        long start = System.nanoTime();
        RoutePort.Answer a = RoutePort.handshake("127.0.0.1", localPort, identity, 5000);
        String took = " (" + (System.nanoTime() - start) / 1_000_000 + " ms)";
        if (a.accepted() && a.reply().equals("PONG")) {
            return new Admission(true, "TLS completed, CONNECT and PING answered PONG" + took);
        }
        return new Admission(false, a.detail() + took);
    }

    /** What the server did with one try: let it through (with what answered) or refused it (with its words). */
    public record Outcome(boolean allowed, String detail) { }

    /** An admitted client, trying things; every permissions violation the server sends is collected. */
    public static final class Session implements AutoCloseable {
        private final Connection nc;
        private final LinkedBlockingQueue<String> violations;
        private final Duration wait;

        private Session(Connection nc, LinkedBlockingQueue<String> violations, Duration wait) {
            this.nc = nc;
            this.violations = violations;
            this.wait = wait;
        }

        /**
         * Subscribes to {@code subject}: refused when the server answers a permissions violation for
         * it. The server sends its -ERR before the flush's PONG; the listener hears it a moment
         * later, so a subscription counts as taken when none came within a second of the PONG.
         */
        public Outcome subscribe(String subject) throws InterruptedException {
            violations.clear();
            Subscription sub = nc.subscribe(subject);
            try {
                nc.flush(wait);
                String v = violations.poll(1, TimeUnit.SECONDS);
                return v != null ? new Outcome(false, v) : new Outcome(true, "the subscription to " + subject + " was taken");
            } catch (TimeoutException e) {
                return new Outcome(false, "the server did not answer a flush within " + wait.toMillis() + " ms");
            } finally {
                if (sub.isActive()) {
                    sub.unsubscribe();
                }
            }
        }

        /**
         * A request on {@code subject} (with {@link #GUARD} when {@code guarded}, so that a write let
         * through stores nothing): allowed when anything answers, JetStream's own error or "no
         * responders" included (the ACL let it through); refused on the server's permissions violation.
         */
        public Outcome request(String subject, boolean guarded) throws InterruptedException {
            violations.clear();
            Headers headers = new Headers();
            if (guarded) {
                headers.put(GUARD, NEVER);
            }
            CompletableFuture<Message> reply = nc.requestWithTimeout(NatsMessage.builder().subject(subject).headers(headers)
                    .data("{}".getBytes(StandardCharsets.UTF_8)).build(), wait);
            long deadline = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < deadline) {
                String v = violations.poll(50, TimeUnit.MILLISECONDS);
                if (v != null) {
                    reply.cancel(true);
                    return new Outcome(false, v);
                }
                if (reply.isDone()) {
                    return answered(subject, reply);
                }
            }
            return new Outcome(false, "neither answered nor refused within " + wait.toMillis() + " ms");
        }

        private static Outcome answered(String subject, CompletableFuture<Message> reply) throws InterruptedException {
            try {
                Message m = reply.get();
                if (m.isStatusMessage()) {
                    return new Outcome(true, "let through to " + subject + ": the server answered status " + m.getStatus().getCode()
                            + " " + m.getStatus().getMessage());
                }
                String body = new String(m.getData(), StandardCharsets.UTF_8);
                return new Outcome(true, "let through to " + subject + ": answered " + (body.length() > 200 ? body.substring(0, 200) + "..." : body));
            } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                return new Outcome(true, "let through to " + subject + ": the request ended with " + causes(e));
            }
        }

        @Override
        public void close() {
            DataPlane.close(nc);
        }
    }

    /** Closes a NATS connection, keeping an interrupt for the caller. */
    static void close(Connection nc) {
        try {
            nc.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Connects as {@code identity}; a failure to connect is an IOException naming why. */
    public static Session session(int localPort, SSLContext identity, Duration wait) throws IOException, InterruptedException {
        LinkedBlockingQueue<String> violations = new LinkedBlockingQueue<>();
        return new Session(Nats.connect(options(localPort, identity, violations)), violations, wait);
    }

    private static Options options(int localPort, SSLContext identity, LinkedBlockingQueue<String> errors) {
        Options.Builder b = new Options.Builder().server("nats://127.0.0.1:" + localPort).sslContext(identity)
                .ignoreDiscoveredServers().noReconnect().maxReconnects(0).connectionTimeout(Duration.ofSeconds(5));
        b.errorListener(new ErrorListener() {
            @Override
            public void errorOccurred(Connection conn, String error) {
                errors.add(error);
            }

            @Override
            public void exceptionOccurred(Connection conn, Exception exp) {
                errors.add(causes(exp));
            }
        });
        return b.build();
    }

    /** An exception and its causes' messages, without repeats: what the client was told. */
    static String causes(Throwable e) {
        StringBuilder out = new StringBuilder();
        java.util.Set<String> seen = new java.util.LinkedHashSet<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
            if (seen.add(m)) {
                out.append(out.length() == 0 ? "" : "; ").append(m);
            }
        }
        return out.toString();
    }
}
