package io.triad.probe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The probe's shell run for real on this machine, against listeners this test starts on loopback:
 * OpenSSL's own {@code s_server} with a certificate of a CA made here, another with a self-signed
 * certificate of two days, and a plain TCP port. Its listener list is the real {@code ss -Htln}'s,
 * narrowed to this test's ports (no other port of the machine is asked); loopback listeners are
 * skipped by the probe, so the test's ports are the ones a check requires ({@code alsoPorts}).
 */
class PresentedCertificatesTest {

    @Test
    void everyPortIsAskedAndEachCertificateJudgedOnItsOwn(@TempDir Path dir) throws Exception {
        sh(dir, "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -subj /CN=zone-ca 2>/dev/null"
                + " && openssl req -newkey rsa:2048 -nodes -keyout node.key -out node.csr -subj /CN=node1 2>/dev/null"
                + " && openssl x509 -req -in node.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out node.crt -days 365 2>/dev/null"
                + " && openssl req -x509 -newkey rsa:2048 -nodes -keyout own.key -out own.crt -days 2 -subj /CN=admin-endpoint 2>/dev/null");
        int zoneCert = freePort();
        int selfSigned = freePort();
        List<Process> servers = new ArrayList<>();
        try (ServerSocket plain = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            Thread closer = new Thread(() -> {
                while (!plain.isClosed()) {
                    try (Socket s = plain.accept()) {
                        s.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            closer.setDaemon(true);
            closer.start();
            servers.add(server(dir, zoneCert, "node.crt", "node.key"));
            servers.add(server(dir, selfSigned, "own.crt", "own.key"));
            awaitListening(zoneCert);
            awaitListening(selfSigned);
            // the real ss, narrowed to this test's ports
            Path bin = Files.createDirectories(dir.resolve("bin"));
            Files.writeString(bin.resolve("ss"), "#!/bin/sh\n/usr/bin/ss \"$@\" | grep -E ':(" + zoneCert + "|" + selfSigned + "|" + plain.getLocalPort()
                    + ") ' || true\n");
            bin.resolve("ss").toFile().setExecutable(true);
            String out = sh(dir, "PATH=" + bin + ":$PATH; " + PresentedCertificates.command("127.0.0.1",
                    List.of(zoneCert, selfSigned, plain.getLocalPort()), dir.resolve("ca.crt").toString(), null, List.of("postgres")));
            List<PresentedCertificates.Port> ports = PresentedCertificates.parse(out);
            assertEquals(3, ports.size(), out);
            PresentedCertificates.Port ok = find(ports, zoneCert);
            assertTrue(ok.tls() && ok.verified(), out);
            assertEquals("tls", ok.mode());
            assertEquals("127.0.0.1", ok.address());
            Instant notAfter = ok.certificate().orElseThrow().notAfter();
            assertTrue(notAfter.isAfter(Instant.now().plus(Duration.ofDays(360))), notAfter.toString());
            assertEquals("CN=node1", ok.certificate().get().subject());

            PresentedCertificates.Port own = find(ports, selfSigned);
            assertTrue(own.tls(), out);
            assertFalse(own.verified(), "a self-signed certificate verifies against the zone's CA: " + own.verify());
            assertTrue(own.verify().contains("self-signed") || own.verify().contains("self signed"), own.verify());
            assertTrue(own.certificate().orElseThrow().notAfter().isBefore(Instant.now().plus(Duration.ofDays(3))));

            PresentedCertificates.Port none = find(ports, plain.getLocalPort());
            assertFalse(none.tls(), out);
            assertTrue(none.certificate().isEmpty());
        } finally {
            servers.forEach(Process::destroyForcibly);
        }
    }

    @Test
    void aStarttlsProtocolThatIsNotANameIsRefused() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> PresentedCertificates.command("10.0.0.1", List.of(), "/ca.crt", null, List.of("postgres; rm -rf /")));
        assertTrue(e.getMessage().contains("not an openssl STARTTLS protocol name"), e.getMessage());
    }

    @Test
    void aLineThatIsNotTheProbesIsRefused() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> PresentedCertificates.parse("== what\n"));
        assertTrue(e.getMessage().contains("not a port's line"), e.getMessage());
        assertEquals(List.of(), PresentedCertificates.parse(""));
    }

    private static PresentedCertificates.Port find(List<PresentedCertificates.Port> ports, int port) {
        return ports.stream().filter(p -> p.port() == port).findFirst().orElseThrow(() -> new AssertionError("port " + port + " not asked: " + ports));
    }

    private static Process server(Path dir, int port, String cert, String key) throws IOException {
        return new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert", cert, "-key", key, "-quiet")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static void awaitListening(int port) {
        org.awaitility.Awaitility.await("s_server on " + port).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .ignoreExceptions().until(() -> {
                    try (Socket s = new Socket("127.0.0.1", port)) {
                        return true;
                    }
                });
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String sh(Path dir, String command) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the command did not end: " + command);
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
