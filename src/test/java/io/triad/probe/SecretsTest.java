package io.triad.probe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The search for secrets and the try as {@code nobody}, run by this machine's shell, find, grep and
 * runuser (as root, as CI runs) on a tree of its own: secrets found by content, by name and by the
 * directory they are kept in; certificates and ordinary files left out; a secret behind a directory
 * nobody may enter found but not exposed.
 */
class SecretsTest {

    @TempDir
    Path dir;

    @Test
    void secretsAreFoundByWhatTheyAreAndTriedAsNobody() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "runuser needs root");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        String key = run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
        String cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        file("etc/app/restore.pem", key, "rw-r--r--");          // a private key under a name that does not say so: exposed
        file("etc/app/app.conf", "listen = 0.0.0.0\n", "rw-r--r--"); // an ordinary file: not a secret
        file("etc/app/api.token", "abc\n", "rw-r-----");         // named a secret, group only: found, not exposed
        file("etc/app/db.pass", "s3cret\n", "rw-r--r--");         // named a secret: exposed
        file("srv/copy/secrets/config.json", "{\"token\": \"x\"}\n", "rw-r--r--"); // kept as a secret: exposed
        file("srv/copy/secrets/ca-cert.pem", cert, "rw-r--r--");   // a certificate in a secrets directory: public by design
        file("opt/locked/secrets/node.key", key, "rw-r--r--");    // world-readable, but behind a directory nobody may enter
        Files.setPosixFilePermissions(dir.resolve("opt/locked"), PosixFilePermissions.fromString("rwx------"));

        Secrets.Found found = Secrets.parse(run("sh", "-c", Secrets.script(List.of(dir + "/etc", dir + "/srv", dir + "/opt", dir + "/none"))));
        assertEquals(List.of(p("etc/app/api.token"), p("etc/app/db.pass"), p("etc/app/restore.pem"), p("opt/locked/secrets/node.key"),
                p("srv/copy/secrets/config.json")), found.secrets().stream().sorted().toList());
        assertEquals(List.of(p("etc/app/db.pass"), p("etc/app/restore.pem"), p("srv/copy/secrets/config.json")),
                found.exposed().stream().sorted().toList());
    }

    @Test
    void outputThatIsNotTheScriptsIsRefused() {
        assertEquals(new Secrets.Found(List.of("/a"), List.of()), Secrets.parse("S /a\n"));
        assertThrows(IllegalArgumentException.class, () -> Secrets.parse("sh: runuser: not found\n"));
    }

    private String p(String rel) {
        return dir.resolve(rel).toString();
    }

    private void file(String rel, String content, String mode) throws Exception {
        Path f = dir.resolve(rel);
        Files.createDirectories(f.getParent());
        for (Path d = f.getParent(); !d.equals(dir); d = d.getParent()) {
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.writeString(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed");
        }
        return out;
    }
}
