package io.triad.probe;

import io.triad.sim.ZoneCa;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A probe presents the identity it is given, even to a server that asks for certificates of
 * another CA: the JDK's own key manager would send none, and a port that takes any certificate
 * unchecked (unibus's cn-trusted mutant) would never be shown the foreign one.
 */
class TlsTest {

    @Test
    void aClientPresentsItsCertificateToAServerThatAsksForAnotherCa() throws Exception {
        Instant now = Instant.now();
        ZoneCa serverCa = new ZoneCa("tls-test", "the server's CA", Duration.ofDays(1));
        ZoneCa.Issued server = serverCa.issue("server", List.of("localhost"), List.of("127.0.0.1"), now.minusSeconds(60), now.plusSeconds(3600));
        ZoneCa.Issued intruder = new ZoneCa("tls-test", "another CA", Duration.ofDays(1))
                .issue("admin-intruder", List.of(), List.of(), now.minusSeconds(60), now.plusSeconds(3600));

        // the server asks for certificates of its own CA (the CertificateRequest names it) and records what it is shown
        CompletableFuture<X509Certificate[]> shown = new CompletableFuture<>();
        X509TrustManager recording = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                shown.complete(chain);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) { }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[] {serverCa.caCertificate()};
            }
        };
        SSLContext withRecording = SSLContext.getInstance("TLS");
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", Tls.privateKey(server.privateKeyPem()), new char[0],
                Tls.certificates(server.certificatePem()).toArray(java.security.cert.Certificate[]::new));
        kmf.init(store, new char[0]);
        withRecording.init(kmf.getKeyManagers(), new javax.net.ssl.TrustManager[] {recording}, null);

        try (SSLServerSocket listener = (SSLServerSocket) withRecording.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setNeedClientAuth(true);
            CompletableFuture<Void> serverSide = CompletableFuture.runAsync(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.startHandshake();
                    s.getInputStream().read();
                } catch (IOException e) {
                    shown.complete(new X509Certificate[0]);
                }
            });
            try (SSLSocket client = (SSLSocket) Tls.context(intruder.certificatePem(), intruder.privateKeyPem(), null)
                    .getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                client.startHandshake();
                client.getOutputStream().write('x');
                client.getOutputStream().flush();
            }
            X509Certificate[] chain = shown.get(10, TimeUnit.SECONDS);
            assertEquals(1, chain.length, "the client presented no certificate: a server asking for another CA's was never shown it");
            assertTrue(chain[0].getSubjectX500Principal().getName().contains("CN=admin-intruder"), chain[0].getSubjectX500Principal().getName());
            serverSide.get(10, TimeUnit.SECONDS);
        }
    }
}
