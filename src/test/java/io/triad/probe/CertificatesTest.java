package io.triad.probe;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The certificate search run for real (bash, find, awk and openssl of this machine, as on a host)
 * over a directory made with openssl: certificates in the directory, in a subdirectory under
 * another extension, second in a bundle, beside a private key and a file that only mentions PEM.
 */
class CertificatesTest {

    @TempDir
    static Path dir;
    static Path ca;

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
        return out;
    }

    /** A key and a certificate signed by the CA for {@code days}, written as {@code name}.crt. */
    static Path signed(String name, int days) throws Exception {
        Path key = dir.resolve("work/" + name + ".key");
        Path csr = dir.resolve("work/" + name + ".csr");
        Path crt = dir.resolve("work/" + name + ".crt");
        run("openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/CN=" + name);
        run("openssl", "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", dir.resolve("work/ca.key").toString(),
                "-CAcreateserial", "-days", String.valueOf(days), "-out", crt.toString());
        return crt;
    }

    @BeforeAll
    static void make() throws Exception {
        Files.createDirectories(dir.resolve("work"));
        Path tls = Files.createDirectories(dir.resolve("tls/legacy/old"));
        ca = dir.resolve("tls/ca.crt");
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.resolve("work/ca.key").toString(), "-out", ca.toString(),
                "-days", "3650", "-subj", "/CN=zone-ca");
        Files.copy(signed("node1", 365), dir.resolve("tls/node1.crt"));
        Files.copy(dir.resolve("work/node1.key"), dir.resolve("tls/node1.key"));
        // a chain whose second certificate ends tomorrow
        Files.writeString(dir.resolve("tls/legacy/chain.pem"), Files.readString(signed("api", 365)) + Files.readString(signed("old-api", 1)));
        // a self-signed certificate, deeper, under another extension
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.resolve("work/stray.key").toString(),
                "-out", tls.resolve("stray.cer").toString(), "-days", "365", "-subj", "/CN=stray");
        Files.writeString(dir.resolve("tls/README"), "certificates are PEM files; none is here\n");
    }

    static Map<String, Certificates.Found> search(String caFile) throws Exception {
        String out = run("bash", "-c", Certificates.command(List.of(dir.resolve("tls").toString(), dir.resolve("nowhere").toString()),
                30L * 86400, caFile));
        Certificates.Search s = Certificates.parse(out);
        assertEquals(List.of(dir.resolve("nowhere").toString()), s.missingDirectories());
        return s.found().stream().collect(Collectors.toMap(f -> dir.relativize(Path.of(f.file())) + "#" + f.index(), Function.identity()));
    }

    @Test
    void everyCertificateIsFoundWhereverItLiesAndEachOfABundleIsJudgedOnItsOwn() throws Exception {
        Map<String, Certificates.Found> found = search(ca.toString());
        assertEquals(java.util.Set.of("tls/ca.crt#1", "tls/node1.crt#1", "tls/legacy/chain.pem#1", "tls/legacy/chain.pem#2",
                "tls/legacy/old/stray.cer#1"), found.keySet(), "the key and the README are not certificates");
        assertTrue(found.get("tls/node1.crt#1").beyondHorizon());
        assertEquals(Optional.of(true), found.get("tls/node1.crt#1").verified());
        Certificates.Found second = found.get("tls/legacy/chain.pem#2");
        assertFalse(second.beyondHorizon(), "the bundle's second certificate ends tomorrow");
        assertEquals(dir.resolve("tls/legacy/chain.pem") + " (certificate 2 of 2)", second.where());
        assertTrue(found.get("tls/legacy/chain.pem#1").beyondHorizon());
        assertEquals(Optional.of(false), found.get("tls/legacy/old/stray.cer#1").verified(), "self-signed: not the zone's CA");
        assertTrue(found.values().stream().allMatch(Certificates.Found::readable));
    }

    @Test
    void withoutACaNothingIsVerified() throws Exception {
        assertTrue(search(null).values().stream().allMatch(f -> f.verified().isEmpty()));
    }

    @Test
    void aListingCutShortIsNotTakenForAnEmptyOne() {
        assertThrows(IllegalArgumentException.class, () -> Certificates.parse("cert|/etc/x.crt|1|1|Jan  1 00:00:00 2030 GMT|beyond|-\n"));
        assertThrows(IllegalArgumentException.class, () -> Certificates.parse("cert|/etc/x.crt|1\nend|\n"));
    }
}
