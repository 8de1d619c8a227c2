package io.triad.steps.sfa;

import io.cucumber.java.en.Then;
import io.triad.host.CommandResult;
import io.triad.host.Host;

import java.util.ArrayList;
import java.util.List;

/** cert.1: every certificate of every host, its end date against the horizon and its issuer against the zone's CA, one CA on every host. */
public class CertificateSteps extends SfaSupport {
    public CertificateSteps(io.triad.run.Run run) {
        super(run);
    }

    @Then("every certificate in the certificates directory of every host expires beyond the horizon and verifies against the zone's CA")
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
            // one line per certificate: path, end date, checkend's verdict, openssl verify's verdict
            CommandResult r = h.exec(h.asRoot("n=0; for c in " + q(dir) + "/*.crt " + q(dir) + "/*.pem; do [ -f \"$c\" ] || continue; "
                    + "[ \"$c\" = " + q(ca) + " ] && continue; n=$((n+1)); "
                    + "end=$(openssl x509 -noout -enddate -in \"$c\" 2>/dev/null | cut -d= -f2); "
                    + "if openssl x509 -noout -checkend " + horizon + " -in \"$c\" >/dev/null 2>&1; then ok=beyond; else ok=within; fi; "
                    + "if openssl verify -CAfile " + q(ca) + " \"$c\" >/dev/null 2>&1; then v=verified; else v=unverified; fi; "
                    + "echo \"$c|$end|$ok|$v\"; done; echo \"count|$n\""));
            int count = 0;
            for (String line : r.stdout().split("\n")) {
                String[] f = line.split("\\|");
                if (f[0].equals("count")) {
                    count = Integer.parseInt(f[1].strip());
                } else if (f.length == 4) {
                    zone.evidence().figure("certificate " + h.name() + ":" + f[0], "notAfter " + f[1]);
                    if (f[2].equals("within")) {
                        found.add(h.name() + ": " + f[0] + " expires " + f[1] + ", within the horizon of " + zone.env().thresholds().certificateHorizon().toDays() + " days");
                    }
                    if (f[3].equals("unverified")) {
                        found.add(h.name() + ": " + f[0] + " does not verify against the zone's CA " + ca);
                    }
                }
            }
            if (count == 0) {
                found.add(h.name() + " has no certificate in " + dir);
            }
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
