package io.triad.steps.bsfgtriad;

import io.triad.profile.bsfgtriad.Settings;
import io.triad.steps.common.Support;
import io.cucumber.java.en.Then;
import io.triad.env.Environment;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.probe.PortMatrix;
import io.triad.profile.bsfgtriad.Probes;
import io.triad.probe.TcpProbes;
import io.triad.probe.Listeners;
import io.triad.probe.parse.BlockDevices;
import io.triad.probe.parse.NftRuleset;
import io.triad.probe.parse.X509Text;
import io.triad.profile.bsfgtriad.TriadRenderer;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Runbook section 1 (preconditions) and section 2 (inputs). */
public class PreconditionSteps extends Support {
    public PreconditionSteps(io.triad.run.Run run) {
        super(run);
    }

    private final Probes probes = new Probes(zone);

    // ---- 1.1, 1.2 attestations and the hosts behind them -----------------------------------------

    @Then("the zone has one host for each role of its profile")
    public void oneHostPerRole() {
        List<String> problems = new ArrayList<>();
        for (String role : zone.env().profile().roles()) {
            long n = zone.env().hosts().stream().filter(h -> h.role().equals(role)).count();
            if (n != 1) {
                problems.add(n + " hosts have role " + role);
            }
        }
        none(problems, "the inventory does not assign one host per role");
    }

    @Then("every node answers with the hostname and address of the inventory")
    public void answersAsInventory() {
        List<String> problems = new ArrayList<>();
        for (Environment.HostSpec spec : zone.env().hosts()) {
            Host h = zone.host(spec.name());
            String hostname = h.exec("hostname").requireOk().stdout().strip();
            if (!hostname.equals(spec.hostname()) && !hostname.startsWith(spec.hostname() + ".")) {
                problems.add(spec.name() + " answers as '" + hostname + "', the inventory says " + spec.hostname());
            }
            if (!probes.holds(h, spec.address().toString())) {
                problems.add(spec.name() + " does not hold its inventory address " + spec.address());
            }
        }
        none(problems, "runbook 1.1: the hosts do not match the inventory");
    }

    @Then("every node holds its inventory address")
    public void holdsAddress() {
        List<String> problems = new ArrayList<>();
        for (Environment.HostSpec spec : zone.env().hosts()) {
            if (!probes.holds(zone.host(spec.name()), spec.address().toString())) {
                problems.add(spec.name() + " does not hold " + spec.address());
            }
        }
        none(problems, "runbook 1.2: the fixed addresses are not in place");
    }

    @Then("no node outside the VIP roles holds the VIP")
    public void vipReserved() {
        String vip = zone.env().vip().address().toString();
        List<String> problems = onEachHost(zone.hosts(), (h, found) -> {
            if (!zone.env().profile().vipRoles().contains(h.role())
                    && probes.holds(h, vip)) {
                found.add(h.name() + " (role " + h.role() + ") holds the VIP " + vip);
            }
        });
        none(problems, "runbook 1.2: the VIP is not reserved for the VIP roles");
    }

    // ---- 1.3 storage devices -----------------------------------------------------------------------

    @Then("every node has the block devices its inventory lists")
    public void blockDevices() {
        List<String> problems = new ArrayList<>();
        for (Environment.HostSpec spec : zone.env().hosts()) {
            if (spec.devices().isEmpty()) {
                problems.add("the inventory lists no devices for " + spec.name() + " (hosts[].devices)");
                continue;
            }
            BlockDevices devices = BlockDevices.parse(zone.host(spec.name())
                    .exec("lsblk -J -o NAME,KNAME,TYPE,SIZE,FSTYPE,UUID,MOUNTPOINT").requireOk().stdout());
            for (String d : spec.devices()) {
                if (devices.named(d).isEmpty()) {
                    problems.add(spec.name() + " has no block device " + d);
                }
            }
        }
        none(problems, "runbook 1.3: required storage devices are missing");
    }

    // ---- 1.4 certificates ----------------------------------------------------------------------------

    @Then("every node's certificate is valid now, names the node and lists its addresses")
    public void certificatesValid() {
        List<String> problems = new ArrayList<>();
        Instant now = Instant.now();
        Settings settings = Settings.of(zone.env());
        String file = settings.paths().certFile(settings.certificates().certificate());
        for (Environment.HostSpec spec : zone.env().hosts()) {
            Host node = zone.host(spec.name());
            CommandResult r = node.exec(node.asRoot("openssl x509 -in " + q(file) // the certificate directory is root's
                    + " -noout -subject -issuer -dates -ext subjectAltName -nameopt RFC2253"));
            if (!r.ok()) {
                problems.add(spec.name() + ": " + file + " cannot be read as a certificate: " + r.stderr().strip());
                continue;
            }
            java.util.Optional<X509Text.Cert> read = parsed(zone.host(spec.name()), file, problems, () -> X509Text.parse(r.stdout()));
            if (read.isEmpty()) {
                continue;
            }
            X509Text.Cert cert = read.get();
            if (now.isBefore(cert.notBefore())) {
                problems.add(spec.name() + ": " + file + " is not valid before " + cert.notBefore());
            }
            if (!now.isBefore(cert.notAfter())) {
                problems.add(spec.name() + ": " + file + " expired on " + cert.notAfter());
            }
            if (!cert.subjectCn().map(cn -> cn.equals(spec.hostname())).orElse(false)) {
                problems.add(spec.name() + ": subject " + cert.subject() + " does not name the node's hostname " + spec.hostname());
            }
            if (!cert.dnsNames().contains(spec.hostname())) {
                problems.add(spec.name() + ": the certificate's DNS names " + cert.dnsNames() + " lack " + spec.hostname());
            }
            if (!cert.ipAddresses().contains(spec.address().toString())) {
                problems.add(spec.name() + ": the certificate's IP addresses " + cert.ipAddresses() + " lack " + spec.address());
            }
            if (zone.env().profile().vipRoles().contains(spec.role())
                    && !cert.ipAddresses().contains(zone.env().vip().address().toString())) {
                problems.add(spec.name() + ": the certificate of a VIP node lacks the VIP " + zone.env().vip().address());
            }
        }
        none(problems, "runbook 1.4: certificates do not meet the zone's policy");
    }

    @Then("every node's certificate is issued by the zone's CA")
    public void certificatesChain() {
        List<String> problems = new ArrayList<>();
        Settings settings = Settings.of(zone.env());
        String ca = settings.paths().certFile(settings.certificates().ca());
        String cert = settings.paths().certFile(settings.certificates().certificate());
        for (Host h : zone.hosts()) {
            CommandResult r = h.exec(h.asRoot("openssl verify -CAfile " + q(ca) + " " + q(cert)));
            if (!r.ok()) {
                problems.add(h.name() + ": " + (r.stdout() + r.stderr()).strip().replace('\n', ' '));
            }
        }
        none(problems, "runbook 1.4: certificates do not chain to the zone's CA");
    }

    // ---- 1.7 rendered configs and secrets ------------------------------------------------------------

    @Then("every node has its rendered configs and secrets")
    public void renderedPresent() {
        List<String> problems = new ArrayList<>();
        Settings.Certificates c = Settings.of(zone.env()).certificates();
        for (Host h : zone.hosts()) {
            List<String> required = new ArrayList<>(List.of(Settings.of(zone.env()).paths().jetstreamConfig(), Settings.of(zone.env()).paths().certFile(c.certificate()),
                    Settings.of(zone.env()).paths().certFile(c.ca()), Settings.of(zone.env()).paths().certFile(c.key()), TriadRenderer.MANIFEST));
            for (String f : required) {
                if (!h.exec(h.asRoot("test -s " + q(f))).ok()) {
                    problems.add(h.name() + " lacks " + f);
                }
            }
        }
        none(problems, "runbook 1.7: rendered configs or secrets are missing");
    }

    @Then("every rendered file on every node matches the checksum in its manifest")
    public void renderedChecksums() {
        List<String> problems = onEachHost(zone.hosts(), (h, found) -> {
            CommandResult r = h.exec(h.asRoot("sha256sum --check --strict " + q(TriadRenderer.MANIFEST)));
            if (!r.ok()) {
                for (String line : (r.stdout() + r.stderr()).split("\n")) {
                    if (!line.isBlank() && !line.endsWith(": OK")) {
                        found.add(h.name() + ": " + line.strip());
                    }
                }
            }
        });
        none(problems, "runbook 1.7: rendered files differ from their manifest");
    }

    // ---- 1.8 operator access -------------------------------------------------------------------------

    @Then("an SSH login with a verified host key succeeds on every node")
    public void operatorAccess() {
        List<String> problems = onEachHost(zone.hosts(), (h, found) -> {
            CommandResult r = h.exec("id -un");
            if (!r.ok() || !r.stdout().strip().equals(zone.env().ssh().user())) {
                found.add(h.name() + ": logged in as '" + r.stdout().strip() + "', expected " + zone.env().ssh().user());
            }
        });
        zone.evidence().note("operator access", "SSH as " + zone.env().ssh().user() + " to " + names(zone.hosts())
                + ", host keys verified against " + zone.env().ssh().knownHosts().map(Object::toString)
                .orElse("the known_hosts the harness wrote for the simulated nodes"));
        none(problems, "runbook 1.8: operator access fails");
    }

    // ---- 2 inputs --------------------------------------------------------------------------------------

    @Then("every input of the runbook is present and well formed")
    public void inputs() {
        List<String> problems = io.triad.profile.bsfgtriad.Inputs.problems(zone.env());
        StringBuilder shown = new StringBuilder();
        for (Map.Entry<String, String> e : io.triad.profile.bsfgtriad.Inputs.values(zone.env()).entrySet()) {
            shown.append(e.getKey()).append(" = ").append(e.getValue()).append('\n');
        }
        zone.evidence().note("runbook section 2 inputs", shown.toString());
        none(problems, "runbook 2: inputs missing or malformed");
    }
}
