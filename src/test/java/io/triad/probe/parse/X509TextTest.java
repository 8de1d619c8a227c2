package io.triad.probe.parse;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class X509TextTest {

    @Test
    void selfSignedWithDnsAndIpSans() {
        X509Text.Cert c = X509Text.parse(Recorded.read("x509-san.txt"));
        assertEquals("CN=sim-alpha.triad.test,O=Triad Sim,C=US", c.subject());
        assertEquals(c.subject(), c.issuer());
        assertEquals(Optional.of("sim-alpha.triad.test"), c.subjectCn());
        assertEquals(Instant.parse("2026-11-21T12:04:14Z"), c.notBefore());
        assertEquals(Instant.parse("2028-10-21T12:04:14Z"), c.notAfter());
        assertEquals(List.of("sim-alpha.triad.test", "nats.triad.test"), c.dnsNames());
        assertEquals(List.of("10.213.77.11", "10.213.77.10"), c.ipAddresses());
        assertTrue(c.validAt(Instant.parse("2027-06-01T00:00:00Z")));
    }

    @Test
    void caSignedWithSingleDigitDays() {
        X509Text.Cert c = X509Text.parse(Recorded.read("x509-ca-signed.txt"));
        assertEquals(Instant.parse("2026-01-05T09:30:00Z"), c.notBefore(), "'Jan  5' has two spaces");
        assertEquals(Instant.parse("2027-01-05T09:30:00Z"), c.notAfter());
        assertEquals("CN=Triad Sim Root CA,O=Triad Sim", c.issuer());
        assertEquals(Optional.of("sim-beta.triad.test"), c.subjectCn(), "CN last in the RFC 2253 subject");
        assertEquals(List.of("10.213.77.12"), c.ipAddresses());
    }

    @Test
    void escapedCommaIpv6EmailAndUri() {
        X509Text.Cert c = X509Text.parse(Recorded.read("x509-mixed-san.txt"));
        assertEquals("CN=vip.triad.test,O=Triad\\, Inc.", c.subject());
        assertEquals(Optional.of("Triad, Inc."), X509Text.attribute(c.subject(), "O"));
        assertEquals(List.of("vip.triad.test"), c.dnsNames());
        assertEquals(List.of("FD00:0:0:0:0:0:0:10"), c.ipAddresses(), "OpenSSL prints IPv6 uncompressed");
    }

    @Test
    void withoutSanAndExpired() {
        X509Text.Cert c = X509Text.parse(Recorded.read("x509-no-san.txt"));
        assertEquals(Optional.of("legacy-controller"), c.subjectCn());
        assertTrue(c.dnsNames().isEmpty());
        assertTrue(c.ipAddresses().isEmpty());
        assertFalse(c.validAt(Instant.parse("2026-11-25T00:00:00Z")), "a 3-day certificate has expired by then");
        assertFalse(c.validAt(Instant.parse("2026-11-20T00:00:00Z")), "not yet valid");
    }

    @Test
    void unreadableCertificateIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> X509Text.parse(Recorded.read("x509-missing-file.txt")));
        assertTrue(e.getMessage().startsWith("openssl x509 output lacks subject="), e.getMessage());
        assertTrue(e.getMessage().contains("Could not open file"), e.getMessage());
        String bad = Recorded.read("x509-san.txt").replace("notAfter=Oct 21 12:04:14 2028 GMT", "notAfter=2028-10-21");
        e = assertThrows(IllegalArgumentException.class, () -> X509Text.parse(bad));
        assertTrue(e.getMessage().startsWith("notAfter is not an OpenSSL date"), e.getMessage());
    }
}
