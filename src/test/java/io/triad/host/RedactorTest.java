package io.triad.host;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Secret material is removed from outputs before they are kept; ordinary output is left as it is. */
class RedactorTest {

    @Test
    void privateKeyBlocksAreRemovedWholeAndTheirKindKept() {
        String pem = "before\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\nAAAA\n-----END OPENSSH PRIVATE KEY-----\nafter";
        String out = Redactor.redact(pem);
        assertFalse(out.contains("b3BlbnNzaC1rZXktdjEAAAAABG5vbmU="), out);
        assertTrue(out.contains("-----BEGIN OPENSSH PRIVATE KEY-----\n[REDACTED]\n-----END OPENSSH PRIVATE KEY-----"), out);
        assertTrue(out.startsWith("before\n") && out.endsWith("\nafter"), out);
        // commented out, line by line, as in a configuration file
        String commented = "# -----BEGIN RSA PRIVATE KEY-----\n# MIIEowIBAAKCAQEA\n# -----END RSA PRIVATE KEY-----";
        assertFalse(Redactor.redact(commented).contains("MIIEowIBAAKCAQEA"));
        // cut off by a truncated output: everything after the start goes
        assertFalse(Redactor.redact("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq").contains("MIIEvQ"));
    }

    @Test
    void settingsThatNameASecretKeepTheirNameButNotTheirValue() {
        assertEquals("auth_pass [REDACTED]", Redactor.redact("auth_pass s3cr3tPass"));
        assertEquals("password = [REDACTED]", Redactor.redact("password = hunter2"));
        assertEquals("pass = [REDACTED]", Redactor.redact("pass = obscured-by-rclone"));
        assertEquals("{\"api_key\": [REDACTED], \"port\": 443}", Redactor.redact("{\"api_key\": \"abc123def\", \"port\": 443}"));
        assertEquals("DB_PASSWORD=[REDACTED]", Redactor.redact("DB_PASSWORD=topsecret"));
        assertEquals("Authorization: Bearer [REDACTED]", Redactor.redact("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.x"));
        assertEquals("seed [REDACTED] end", Redactor.redact("seed SUAIBDPBAUTWCWBKIO6XHQNINK5FWJW4OHLXC3HQ2KFE4PEJUA44CNHTC4 end"));
    }

    @Test
    void ordinaryOutputIsLeftAlone() {
        String ss = "LISTEN 0 4096 10.213.77.10:9443 0.0.0.0:* users:((\"bsfg-controller\",pid=812,fd=7))";
        assertEquals(ss, Redactor.redact(ss));
        String conf = "vrrp_instance BSFG {\n  state BACKUP\n  priority 150\n  virtual_router_id 51\n}";
        assertEquals(conf, Redactor.redact(conf));
        String cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
        assertEquals(cert, Redactor.redact(cert), "certificates are public");
        assertEquals("passed: 12 of 12", Redactor.redact("passed: 12 of 12"));
        // prose naming a secret, and a secret's file name, are not settings
        assertEquals("homer's route secret is empty", Redactor.redact("homer's route secret is empty"));
        assertEquals("/opt/unibus/secrets/cluster.pass is 644 root", Redactor.redact("/opt/unibus/secrets/cluster.pass is 644 root"));
        assertEquals("homer has no route secret at /opt/x", Redactor.redact("homer has no route secret at /opt/x"));
        assertEquals("secret [REDACTED]", Redactor.redact("secret hunter2"));
    }

    @Test
    void aCommandResultIsRedactedInEveryPart() {
        CommandResult r = new CommandResult("alpha", "cat /etc/keepalived/keepalived.conf", "auth_pass abc12345\n", "token xyz98765432\n",
                0, java.time.Instant.now(), java.time.Duration.ZERO, false);
        CommandResult safe = Redactor.redact(r);
        assertFalse(safe.transcript().contains("abc12345"), safe.transcript());
        assertFalse(safe.transcript().contains("xyz98765432"), safe.transcript());
        Evidence e = new Evidence();
        e.accept(r);
        e.note("a note", "password: hunter2");
        assertFalse(e.drain().toString().contains("hunter2"));
    }
}
