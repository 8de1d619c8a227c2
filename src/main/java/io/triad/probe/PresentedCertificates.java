package io.triad.probe;

import io.triad.host.Shell;
import io.triad.probe.parse.X509Text;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Every certificate a host's ports present, found by trying every port the host listens on beyond
 * loopback (TCP, {@code ss -Htln}), whatever the configuration names: a certificate a service reads
 * from outside the directory a check lists is presented all the same. Each port is asked as a TLS
 * server ({@code openssl s_client}) and, when it presents nothing so, with each STARTTLS protocol the
 * caller names ({@code -starttls <protocol>}, the profile's: a database's, a mail server's), not on a
 * port that left the TLS greeting unanswered (a server of those protocols refuses one at once); each
 * on the address it listens on (a wildcard: the host's address).
 * Each answer is verified against the zone's CA ({@code -CAfile}) and, when a name is given, for that
 * name ({@code -verify_hostname}); one handshake a port, the ports of a host at once.
 *
 * <p>One line per port, then for a port that presented a certificate its verification and its
 * {@code openssl x509 -subject -issuer -dates} lines:
 * <pre>
 * == 5432 10.0.0.11 &lt;protocol&gt;
 * Verify return code: 0 (ok)
 * subject=CN=node1
 * ...
 * == 22 10.0.0.11 none
 * </pre>
 */
public final class PresentedCertificates {

    private PresentedCertificates() {
    }

    /** What one port presented: how it was asked (tls, a STARTTLS protocol, none), the verification and the certificate (none: no TLS). */
    public record Port(int port, String address, String mode, String verify, Optional<X509Text.Cert> certificate, String unreadable) {
        /** Whether the port presented a certificate at all. */
        public boolean tls() {
            return !mode.equals("none");
        }

        /** Whether the zone's CA verified it ({@code Verify return code: 0 (ok)}). */
        public boolean verified() {
            return verify.endsWith("0 (ok)");
        }

        /** The port as a report names it: its address and port, and how it speaks TLS when not directly. */
        public String where() {
            return address + ":" + port + (mode.equals("tls") || mode.equals("none") ? "" : " (" + mode + " STARTTLS)");
        }
    }

    /**
     * The shell that asks every port of the host: those it listens on beyond loopback and {@code alsoPorts}
     * (those a check requires, asked even when nothing listens), each on its listener's address
     * ({@code hostAddress} for a wildcard), verified against {@code caFile} and, when {@code name} is
     * not null, for that name (sent as the server name too); a port that presents nothing directly is
     * asked with each of {@code starttls} (openssl's protocol names) in turn.
     */
    public static String command(String hostAddress, Collection<Integer> alsoPorts, String caFile, String name, List<String> starttls) {
        for (String protocol : starttls) {
            if (!protocol.matches("[a-z0-9]+")) {
                throw new IllegalArgumentException("not an openssl STARTTLS protocol name: '" + protocol + "'");
            }
        }
        String server = name == null ? "" : " -servername " + Shell.quote(name) + " -verify_hostname " + Shell.quote(name);
        StringBuilder s = new StringBuilder();
        s.append("d=$(mktemp -d); host=").append(Shell.quote(hostAddress)).append("; ");
        // every listener beyond loopback: "address port", a wildcard as the host's address
        s.append("{ ss -Htln | awk '{print $4}' | sed -E 's/%[^]:]*//; s/^\\[?([^]]*)\\]?:([0-9]+)$/\\1 \\2/'");
        for (int p : alsoPorts) {
            s.append("; echo \"* ").append(p).append('"');
        }
        s.append("; } | while read -r a p; do case \"$a\" in 127.*|::1|::ffff:127.*) continue ;; 0.0.0.0|\\*|::) a=$host ;; esac; echo \"$a $p\"; done"
                + " | sort -u -k2,2n -k1,1 > \"$d/ports\"; ");
        s.append("ask() { case \"$1\" in *:*) t=\"[$1]:$2\" ;; *) t=\"$1:$2\" ;; esac; echo | timeout 5 openssl s_client -connect \"$t\" -CAfile ").append(Shell.quote(caFile)).append(server)
                .append(" $3 2>&1; }; ");
        // a port that did not answer a TLS greeting within the timeout (it waits for a line) speaks none of the
        // STARTTLS protocols either (their servers refuse a TLS greeting at once): asked once, not again
        s.append("n=0; while read -r a p; do n=$((n+1)); ( out=$(ask \"$a\" \"$p\" \"\"); rc=$?; mode=tls;"
                + " for proto in " + String.join(" ", starttls) + "; do"
                + " if ! printf '%s\\n' \"$out\" | grep -q 'BEGIN CERTIFICATE' && [ $rc -ne 124 ]; then"
                + " out=$(ask \"$a\" \"$p\" \"-starttls $proto\"); rc=$?; mode=$proto; fi; done;"
                + " if printf '%s\\n' \"$out\" | grep -q 'BEGIN CERTIFICATE'; then echo \"== $p $a $mode\";"
                + " printf '%s\\n' \"$out\" | grep -m1 'Verify return code' || echo 'Verify return code: none';"
                + " printf '%s\\n' \"$out\" | openssl x509 -noout -subject -issuer -dates -nameopt RFC2253 2>&1;"
                + " else echo \"== $p $a none\"; fi ) > \"$d/$n\" & done < \"$d/ports\"; wait; ");
        s.append("for f in $(ls \"$d\" | grep -v ports | sort -n); do cat \"$d/$f\"; done; rm -rf \"$d\"");
        return s.toString();
    }

    /** The ports and what each presented, from {@link #command}'s output. */
    public static List<Port> parse(String output) {
        List<Port> ports = new ArrayList<>();
        String[] blocks = ("\n" + output).split("\n== ");
        for (int i = 1; i < blocks.length; i++) {
            String block = blocks[i];
            int eol = block.indexOf('\n');
            String[] head = (eol < 0 ? block : block.substring(0, eol)).strip().split(" ");
            if (head.length != 3 || !head[0].matches("[0-9]+")) {
                throw new IllegalArgumentException("not a port's line of the probe: '== " + (eol < 0 ? block : block.substring(0, eol)) + "'");
            }
            String body = eol < 0 ? "" : block.substring(eol + 1);
            String verify = body.lines().filter(l -> l.startsWith("Verify return code")).findFirst()
                    .map(l -> l.substring("Verify return code:".length()).strip()).orElse("none");
            Optional<X509Text.Cert> cert = Optional.empty();
            String unreadable = "";
            if (!head[2].equals("none")) {
                try {
                    cert = Optional.of(X509Text.parse(body));
                } catch (IllegalArgumentException e) {
                    unreadable = e.getMessage();
                }
            }
            ports.add(new Port(Integer.parseInt(head[0]), head[1], head[2], verify, cert, unreadable));
        }
        return ports;
    }
}
