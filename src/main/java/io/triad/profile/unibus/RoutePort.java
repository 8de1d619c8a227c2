package io.triad.profile.unibus;

import io.triad.probe.TlsExchange;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A TLS handshake on a NATS route port as a peer would make it (or on a client port as a client
 * would): the server's plaintext INFO
 * line first where it sends one (a TLS route port waits for the handshake first), then TLS with
 * the given identity, then a CONNECT and a PING. With TLS 1.3 a server
 * refuses a client certificate after the handshake, with an alert on the first read: both count.
 */
public final class RoutePort {

    /**
     * What the port did: {@code accepted} when TLS completed and the server went on talking or
     * waiting; {@code reply} its answer to the CONNECT and PING (PONG, or its -ERR; empty when none came).
     */
    public record Answer(boolean accepted, String detail, String reply) {
        Answer(boolean accepted, String detail) {
            this(accepted, detail, "");
        }
    }

    private RoutePort() { }

    public static Answer handshake(String host, int port, SSLContext identity, int timeoutMs) {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(host, port), timeoutMs);
            // A client port speaks first (INFO in plaintext, then TLS); a route port with TLS waits for the
            // TLS handshake first (nats-server 2.12: nothing in plaintext).
            plain.setSoTimeout(Math.min(timeoutMs, 700));
            try {
                String info = TlsExchange.line(plain.getInputStream());
                if (!info.startsWith("INFO ")) {
                    return new Answer(false, "the port did not open with a NATS INFO line (it sent '" + TlsExchange.abbreviate(info) + "')");
                }
            } catch (SocketTimeoutException tlsFirst) {
                // silent: the server waits for the handshake
            }
            try (SSLSocket tls = (SSLSocket) identity.getSocketFactory().createSocket(plain, host, port, true)) {
                tls.setSoTimeout(timeoutMs);
                tls.startHandshake();
                OutputStream out = tls.getOutputStream();
                out.write("CONNECT {\"verbose\":false,\"pedantic\":false}\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                try {
                    // the answer to the PING, past any INFO the server sends first
                    String answer = TlsExchange.line(tls.getInputStream());
                    for (int i = 0; i < 3 && answer.startsWith("INFO "); i++) {
                        answer = TlsExchange.line(tls.getInputStream());
                    }
                    return new Answer(true, "TLS completed; the server answered '" + TlsExchange.abbreviate(answer) + "'", answer);
                } catch (SocketTimeoutException quiet) {
                    return new Answer(true, "TLS completed; the server waited for more");
                }
            }
        } catch (SSLException e) {
            return new Answer(false, "TLS refused: " + e.getMessage());
        } catch (IOException e) {
            return new Answer(false, "connection ended: " + e.getMessage());
        }
    }
}
