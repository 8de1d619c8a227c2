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

    private final Probes probes = new Probes(zone);

    // ---- 1.1, 1.2 attestations and the hosts behind them -----------------------------------------

    @Then("the attestation {string} is on record and current")
    public void attestation(String name) {
        Environment.Attestation a = zone.env().acceptance().attestations().get(name);
        check(a != null, "no '" + name + "' attestation in " + zone.env().file() + " (attestations: who approved it, when,"
                + " the ticket or evidence, and until when)");
        if (a == null) {
            return; // a dry run goes on
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        a.problem(today).ifPresent(p -> {
            throw new AssertionError("the '" + name + "' attestation by " + a.by() + " (" + a.reference() + ") does not hold: " + p);
        });
        zone.evidence().note("attestation " + name, "by: " + a.by() + "\nat: " + a.at() + "\nreference: " + a.reference()
                + "\nexpires: " + a.expires() + "\nchecked on: " + today);
    }

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
        String file = Settings.of(zone.env()).paths().certFile(zone.env().acceptance().certificates().certificate());
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
        String ca = Settings.of(zone.env()).paths().certFile(zone.env().acceptance().certificates().ca());
        String cert = Settings.of(zone.env()).paths().certFile(zone.env().acceptance().certificates().certificate());
        for (Host h : zone.hosts()) {
            CommandResult r = h.exec(h.asRoot("openssl verify -CAfile " + q(ca) + " " + q(cert)));
            if (!r.ok()) {
                problems.add(h.name() + ": " + (r.stdout() + r.stderr()).strip().replace('\n', ' '));
            }
        }
        none(problems, "runbook 1.4: certificates do not chain to the zone's CA");
    }

    // ---- 1.6 firewall ----------------------------------------------------------------------------------

    /** Each node's ruleset ({@code nft -j list ruleset}, as root); a node whose ruleset cannot be read is a problem of its own. */
    private Map<Host, NftRuleset> rulesets(List<String> problems) {
        record Read(java.util.Optional<NftRuleset> rules, List<String> problems) { }
        List<Read> reads = zone.onEach(zone.hosts(), h -> {
            List<String> found = new ArrayList<>();
            CommandResult r = h.exec(h.asRoot("nft -j list ruleset"));
            if (!r.ok()) {
                found.add(h.name() + ": nft list ruleset failed: " + r.stderr().strip());
                return new Read(java.util.Optional.empty(), found);
            }
            return new Read(parsed(h, "nft -j list ruleset", found, () -> NftRuleset.parse(r.stdout())), found);
        });
        // Keyed by the zone's hosts, in their order.
        Map<Host, NftRuleset> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < reads.size(); i++) {
            Host h = zone.hosts().get(i);
            problems.addAll(reads.get(i).problems());
            reads.get(i).rules().ifPresent(rules -> out.put(h, rules));
        }
        return out;
    }

    @Then("every node's firewall drops what the pattern does not allow")
    public void firewallDefaultDrop() {
        List<String> problems = new ArrayList<>();
        rulesets(problems).forEach((h, rules) -> {
            List<NftRuleset.Chain> input = rules.inputHooks();
            if (input.isEmpty()) {
                problems.add(h.name() + " has no input filter chain: every port is open");
            } else if (input.stream().noneMatch(c -> c.policy().map(x -> x.equals("drop")).orElse(false))) {
                problems.add(h.name() + "'s input chains " + input.stream().map(c -> c.table() + "/" + c.name() + " policy "
                        + c.policy().orElse("accept")).toList() + " accept what no rule allows (expected policy drop)");
            }
        });
        none(problems, "runbook 1.6: the host firewall is not in place");
    }

    /**
     * Every accept rule of every node's input path read against the port matrix (which port from
     * which source, {@link PortMatrix}): a port the matrix does not open on that node, a source
     * wider than the matrix's, every port or protocol, or a rule the harness cannot attribute.
     */
    @Then("every node's firewall accepts only what the pattern's port matrix allows")
    public void firewallWithinMatrix() {
        PortMatrix matrix = PortMatrix.of(zone.env());
        zone.evidence().note("the port matrix", matrix.describe());
        List<String> problems = new ArrayList<>();
        rulesets(problems).forEach((h, rules) ->
                matrix.beyond(zone.env().host(h.name()), rules.accepts()).forEach(b -> problems.add(h.name() + ": " + b)));
        none(problems, "runbook 1.6: a firewall accepts more than the pattern's port matrix");
    }

    @Then("the pattern's ports are reachable between the nodes")
    public void patternPortsReachable() {
        PortMatrix matrix = PortMatrix.of(zone.env());
        List<String> problems = onEachHost(zone.hosts(), (from, found) -> {
            List<String> targets = new ArrayList<>();
            for (Host to : zone.hosts()) {
                if (!to.name().equals(from.name())) {
                    matrix.tcpPorts(zone.env().host(to.name())).stream()
                            .filter(port -> matrix.allows("tcp", port, zone.env().host(to.name()), zone.env().host(from.name()).address())
                                    && port != Settings.of(zone.env()).ports().controller()) // the controller answers on the VIP only (6.4)
                            .forEach(port -> targets.add(to.address() + ":" + port));
                }
            }
            TcpProbes.parse(targets, from.exec(TcpProbes.command(targets, 2)).stdout()).forEach((target, state) -> {
                if (state != TcpProbes.State.OPEN) {
                    found.add(from.name() + " -> " + target + " is " + state);
                }
            });
        });
        none(problems, "runbook 1.6: ports the pattern needs are not reachable");
    }

    /** A port nothing uses, tried as well: a firewall that lets it through answers with a reset. */
    static final int CANARY_PORT = 47_613;

    /**
     * Runbook 1.6 verified by trying: from every support host (outside the zone) and from every
     * peer, a TCP connection to every port each node listens on (ss -tlnp, at the address it
     * listens on), every port the matrix opens there, every port its firewall accepts and a port
     * nothing uses. Exactly what the matrix allows from that source may answer (a connection, or
     * a reset from a port nothing listens on: the firewall let it through); a listener the matrix
     * allows must accept the connection.
     */
    @Then("from outside the zone and from every peer, exactly the pattern's ports answer on every node")
    public void exactlyMatrixAnswers() {
        PortMatrix matrix = PortMatrix.of(zone.env());
        Map<String, Set<String>> targets = new java.util.LinkedHashMap<>(); // node -> address:port
        Map<String, Set<String>> listening = new java.util.LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        Map<Host, NftRuleset> firewalls = rulesets(problems); // what the firewalls accept is tried too
        List<List<Listeners.Socket>> sockets = zone.onEach(zone.hosts(), to -> Listeners.parse(to.exec(to.asRoot("ss -tlnp")).requireOk().stdout()));
        for (int i = 0; i < zone.hosts().size(); i++) {
            Host to = zone.hosts().get(i);
            Environment.HostSpec spec = zone.env().host(to.name());
            Set<String> mine = new java.util.TreeSet<>();
            Set<String> listens = new java.util.TreeSet<>();
            for (Listeners.Socket s : sockets.get(i)) {
                if (s.address().startsWith("127.") || s.address().contains(":")) {
                    continue; // loopback, and IPv6 addresses (the matrix is IPv4); [::] is the wildcard
                }
                String at = (s.wildcard() ? to.address() : s.address()) + ":" + s.port();
                mine.add(at);
                listens.add(at);
                if (s.wildcard()) {
                    listens.add(to.address() + ":" + s.port());
                }
            }
            matrix.tcpPorts(spec).forEach(p -> mine.add(to.address() + ":" + p));
            java.util.Optional.ofNullable(firewalls.get(to)).ifPresent(rules -> rules.accepts().stream()
                    .filter(a -> a.protocol().filter("tcp"::equals).isPresent())
                    .forEach(a -> a.ports().stream().limit(64).forEach(p -> mine.add(to.address() + ":" + p))));
            mine.add(to.address() + ":" + CANARY_PORT);
            targets.put(to.name(), mine);
            listening.put(to.name(), listens);
        }
        StringBuilder tried = new StringBuilder();
        List<Environment.HostSpec> sources = PortMatrix.vantagePoints(zone.env());
        if (zone.env().supportHosts().isEmpty()) {
            tried.append("no support host in the environment: tried from the peers only, not from outside the zone\n");
        }
        List<Host> vantage = sources.stream().map(source -> zone.supportHost(source.name())).toList();
        List<Map<String, TcpProbes.State>> seen = zone.onEach(vantage, from -> { // every vantage point at once: each attempt may wait out its timeout
            List<String> list = new ArrayList<>();
            targets.forEach((node, set) -> {
                if (!node.equals(from.name())) {
                    list.addAll(set);
                }
            });
            return TcpProbes.parse(list, from.exec(TcpProbes.command(list, 1)).stdout());
        });
        for (int v = 0; v < sources.size(); v++) {
            Environment.HostSpec source = sources.get(v);
            Map<String, TcpProbes.State> states = seen.get(v);
            targets.forEach((node, set) -> {
                if (node.equals(source.name())) {
                    return;
                }
                Environment.HostSpec spec = zone.env().host(node);
                for (String target : set) {
                    TcpProbes.State state = states.get(target);
                    int port = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
                    boolean allowed = matrix.allows("tcp", port, spec, source.address());
                    boolean listens = listening.get(node).contains(target);
                    tried.append(source.name()).append(" -> ").append(node).append(' ').append(target).append(": ").append(state)
                            .append(listens ? ", listening" : "").append(allowed ? ", allowed" : ", not in the matrix from here").append('\n');
                    if (state.answers() && !allowed) {
                        problems.add(node + " " + target + " answers " + source.name() + " (" + state + (listens ? "" : ": nothing listens, the"
                                + " firewall let it through") + "), which the pattern's matrix does not allow");
                    } else if (allowed && listens && state != TcpProbes.State.OPEN) {
                        problems.add(node + " " + target + " is " + state + " from " + source.name() + ", which the matrix allows");
                    } else if (state == TcpProbes.State.ERROR) {
                        problems.add(node + " " + target + ": the attempt from " + source.name() + " gave no verdict");
                    }
                }
            });
        }
        zone.evidence().note("TCP connections tried (" + sources.size() + " vantage points)", tried.toString());
        none(problems, "runbook 1.6: more than the pattern's ports answer");
    }

    // ---- 1.7 rendered configs and secrets ------------------------------------------------------------

    @Then("every node has its rendered configs and secrets")
    public void renderedPresent() {
        List<String> problems = new ArrayList<>();
        Environment.Certificates c = zone.env().acceptance().certificates();
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
