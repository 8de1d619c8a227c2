package io.triad.probe.parse;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads {@code openssl x509 -in F -noout -subject -issuer -dates -ext subjectAltName -nameopt RFC2253} (OpenSSL 3):
 * {@code subject=}, {@code issuer=}, {@code notBefore=}, {@code notAfter=} lines and, when the certificate has one,
 * the {@code X509v3 Subject Alternative Name:} header with its entries on the next line. Without the extension
 * OpenSSL prints "No extensions in certificate" (on stderr), which is ignored.
 */
public final class X509Text {

    /** A certificate's names and validity; SAN entries other than DNS and IP (email, URI) are left out. */
    public record Cert(String subject, String issuer, Instant notBefore, Instant notAfter, List<String> dnsNames,
                       List<String> ipAddresses) {

        /** The CN of the RFC 2253 subject, unescaped ("Triad\, Inc." becomes "Triad, Inc."). */
        public Optional<String> subjectCn() {
            return attribute(subject, "CN");
        }

        /** Whether {@code at} lies within notBefore..notAfter. */
        public boolean validAt(Instant at) {
            return !at.isBefore(notBefore) && !at.isAfter(notAfter);
        }
    }

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss yyyy z", Locale.ENGLISH);

    private X509Text() { }

    public static Cert parse(String output) {
        String subject = null;
        String issuer = null;
        Instant notBefore = null;
        Instant notAfter = null;
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        String[] lines = output.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("subject=")) {
                subject = line.substring("subject=".length()).trim();
            } else if (line.startsWith("issuer=")) {
                issuer = line.substring("issuer=".length()).trim();
            } else if (line.startsWith("notBefore=")) {
                notBefore = date(line.substring("notBefore=".length()), "notBefore");
            } else if (line.startsWith("notAfter=")) {
                notAfter = date(line.substring("notAfter=".length()), "notAfter");
            } else if (line.trim().startsWith("X509v3 Subject Alternative Name:")) {
                for (int j = i + 1; j < lines.length && lines[j].startsWith(" "); j++) {
                    for (String entry : lines[j].trim().split(",\\s*")) {
                        if (entry.startsWith("DNS:")) {
                            dns.add(entry.substring(4));
                        } else if (entry.startsWith("IP Address:")) {
                            ips.add(entry.substring("IP Address:".length()));
                        }
                    }
                }
            }
        }
        if (subject == null || issuer == null || notBefore == null || notAfter == null) {
            throw new IllegalArgumentException("openssl x509 output lacks " + (subject == null ? "subject="
                    : issuer == null ? "issuer=" : notBefore == null ? "notBefore=" : "notAfter=")
                    + " (first line: " + BlockDevices.firstLine(output) + ")");
        }
        return new Cert(subject, issuer, notBefore, notAfter, List.copyOf(dns), List.copyOf(ips));
    }

    private static Instant date(String text, String field) {
        try {
            return ZonedDateTime.parse(text.trim(), DATE).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " is not an OpenSSL date like 'Jan  5 09:30:00 2027 GMT': '" + text + "'");
        }
    }

    /** The first value of {@code type} in an RFC 2253 name: attributes split on unescaped commas. */
    static Optional<String> attribute(String rfc2253, String type) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < rfc2253.length(); i++) {
            char c = rfc2253.charAt(i);
            if (c == '\\' && i + 1 < rfc2253.length()) {
                cur.append(c).append(rfc2253.charAt(++i));
            } else if (c == ',' || c == '+') {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        parts.add(cur.toString());
        for (String p : parts) {
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase(type)) {
                return Optional.of(p.substring(eq + 1).replaceAll("\\\\(.)", "$1"));
            }
        }
        return Optional.empty();
    }
}
