package io.triad.probe;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One request over TLS to a port (reached at {@code host:port}, often a tunnel's local end) as a
 * given identity, the server's certificate checked against the identity's trust and, when a name
 * is given, for that name: whether the server took the client and answered. With TLS 1.3 a
 * server refuses a client's certificate after the handshake, with an alert on the first read:
 * so a request is always sent and its answer read.
 */
public final class TlsExchange {

    /** {@code answered}: TLS held and the server sent {@code firstLine}; otherwise what ended it. */
    public record Answer(boolean answered, String detail, String firstLine) { }

    private TlsExchange() { }

    public static Answer request(String host, int port, String serverName, SSLContext identity, String request, int timeoutMs) {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(host, port), timeoutMs);
            try (SSLSocket tls = (SSLSocket) identity.getSocketFactory().createSocket(plain, serverName == null ? host : serverName, port, true)) {
                if (serverName != null) {
                    SSLParameters p = tls.getSSLParameters();
                    p.setServerNames(List.of(new SNIHostName(serverName)));
                    p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name serverName
                    tls.setSSLParameters(p);
                }
                tls.setSoTimeout(timeoutMs);
                tls.startHandshake();
                OutputStream out = tls.getOutputStream();
                out.write(request.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String line = line(tls.getInputStream());
                return new Answer(true, "TLS held; the server answered '" + abbreviate(line) + "'", line);
            }
        } catch (SSLException e) {
            return new Answer(false, "TLS refused: " + e.getMessage(), "");
        } catch (SocketTimeoutException e) {
            return new Answer(false, "no answer within " + timeoutMs + " ms", "");
        } catch (IOException e) {
            return new Answer(false, "connection ended: " + e.getMessage(), "");
        }
    }

    /** One line the server sent (without its end), or an IOException when it closed before sending any. */
    public static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n' && s.length() < 4096) {
            s.append((char) c);
        }
        if (c < 0 && s.length() == 0) {
            throw new IOException("closed by the server");
        }
        return s.toString().strip();
    }

    public static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
