package io.triad.steps.sfa;

import io.cucumber.java.en.Then;
import io.triad.host.CommandResult;
import io.triad.host.Host;

import java.util.ArrayList;
import java.util.List;

/**
 * cert.1: every certificate of every host, its end date against the horizon and its issuer against
 * the zone's CA, one CA on every host. Every certificate: whatever its file is named, at any depth
 * under the directory, each of a bundle ({@link io.triad.probe.Certificates}), the CA's own among them;
 * and every certificate a port of the host presents, wherever its file is (every port beyond loopback
 * asked, {@link io.triad.probe.PresentedCertificates}).
 */
public class CertificateSteps extends SfaSupport {
    public CertificateSteps(io.triad.run.Run run) {
        super(run);
    }

    @Then("every certificate of every host, in its certificates directory and presented on its ports, expires beyond the horizon and verifies against the zone's CA")
    public void certificates() {
        long horizon = zone.env().thresholds().certificateHorizon().toSeconds();
        List<Host> all = new ArrayList<>(zone.hosts());
        zone.env().supportHosts().forEach(sh -> all.add(zone.supportHost(sh.name())));
        String dir = settings.tlsDir();
        String ca = settings.caFile();
        // each host's CA, by its SHA-256 fingerprint: a host whose certificates verify against a CA of its own is not of the zone
        java.util.Map<String, String> caOf = new java.util.concurrent.ConcurrentHashMap<>();
        List<String> problems = onEachHost(all, (h, found) -> {
            CommandResult fp = h.exec(h.asRoot("openssl x509 -noout -fingerprint -sha256 -in " + q(ca)));
            String fingerprint = fp.stdout().strip(); // "sha256 Fingerprint=AB:CD:..."
            if (fp.ok() && fingerprint.contains("=")) {
                caOf.put(h.name(), fingerprint.substring(fingerprint.indexOf('=') + 1));
            } else {
                found.add(h.name() + " has no readable zone CA at " + ca + ": " + fp.stderr().strip());
            }
            // every certificate under the directory, found by what it is (any file, any depth, each of a bundle), not by its name
            CommandResult r = h.exec(h.asRoot(io.triad.probe.Certificates.command(List.of(dir), horizon, ca)));
            io.triad.probe.Certificates.Search search;
            try {
                search = io.triad.probe.Certificates.parse(r.stdout());
            } catch (IllegalArgumentException e) {
                found.add(h.name() + ": its certificates could not be listed: " + e.getMessage() + " " + r.stderr().strip());
                return;
            }
            search.missingDirectories().forEach(d -> found.add(h.name() + " has no directory " + d));
            for (io.triad.probe.Certificates.Found c : search.found()) {
                if (!c.readable()) {
                    found.add(h.name() + ": " + c.where() + " holds a certificate block openssl cannot read");
                    continue;
                }
                zone.evidence().figure("certificate " + h.name() + ":" + c.where(), "notAfter " + c.notAfter());
                if (!c.beyondHorizon()) {
                    found.add(h.name() + ": " + c.where() + " expires " + c.notAfter() + ", within the horizon of "
                            + zone.env().thresholds().certificateHorizon().toDays() + " days");
                }
                if (c.verified().isPresent() && !c.verified().get()) {
                    found.add(h.name() + ": " + c.where() + " does not verify against the zone's CA " + ca);
                }
            }
            if (search.found().stream().noneMatch(c -> !c.file().equals(ca))) {
                found.add(h.name() + " has no certificate in " + dir + " besides the CA");
            }
            // every certificate the host presents, wherever its file is: every port it listens on beyond loopback asked
            // for TLS (and as PostgreSQL asks for it: STARTTLS), each answer held against the horizon and verified against the zone's CA
            CommandResult asked = h.exec(h.asRoot(io.triad.probe.PresentedCertificates.command(h.address(), List.of(), ca, null, List.of("postgres"))));
            List<io.triad.probe.PresentedCertificates.Port> ports;
            try {
                ports = io.triad.probe.PresentedCertificates.parse(asked.stdout());
            } catch (IllegalArgumentException e) {
                found.add(h.name() + ": its ports could not be asked for their certificates: " + e.getMessage() + " " + asked.stderr().strip());
                return;
            }
            List<String> presented = new ArrayList<>();
            for (io.triad.probe.PresentedCertificates.Port port : ports.stream().filter(io.triad.probe.PresentedCertificates.Port::tls).toList()) {
                String which = h.name() + " " + port.where();
                if (port.certificate().isEmpty()) {
                    found.add(which + " presents a certificate openssl cannot read (" + port.unreadable() + ")");
                    continue;
                }
                java.time.Instant notAfter = port.certificate().get().notAfter();
                presented.add(port.where() + " until " + notAfter);
                if (notAfter.isBefore(java.time.Instant.now().plusSeconds(horizon))) {
                    found.add(which + " presents a certificate that expires " + notAfter + ", within the horizon of "
                            + zone.env().thresholds().certificateHorizon().toDays() + " days");
                }
                if (!port.verified()) {
                    found.add(which + " presents a certificate that does not verify against the zone's CA " + ca + ": " + port.verify()
                            + " (subject " + port.certificate().get().subject() + ", issuer " + port.certificate().get().issuer() + ")");
                }
            }
            zone.evidence().note("certificates " + h.name() + "'s ports present (every port beyond loopback asked)",
                    presented.isEmpty() ? "none: no port of " + ports.size() + " speaks TLS" : String.join("; ", presented));
        });
        java.util.Map<String, List<String>> hostsByCa = new java.util.TreeMap<>();
        all.forEach(h -> {
            if (caOf.containsKey(h.name())) {
                hostsByCa.computeIfAbsent(caOf.get(h.name()), k -> new ArrayList<>()).add(h.name());
            }
        });
        zone.evidence().note("the zone's CA on every host (SHA-256)", hostsByCa.toString());
        if (hostsByCa.size() > 1) {
            List<String> groups = new ArrayList<>();
            hostsByCa.forEach((fingerprint, hosts) -> groups.add(String.join(", ", hosts) + " " + fingerprint));
            problems.add("the hosts hold different CAs at " + ca + " (each host's certificates verify only against its own): "
                    + String.join("; ", groups));
        }
        none(problems, "certificates");
    }
}
