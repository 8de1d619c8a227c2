package io.triad.steps.common;

import io.cucumber.java.Before;
import io.cucumber.java.Scenario;
import io.cucumber.java.en.Then;
import io.triad.env.Environment;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.probe.Listeners;
import io.triad.probe.PortMatrix;
import io.triad.probe.TcpProbes;
import io.triad.probe.parse.NftRuleset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The host firewall against the profile's port matrix ({@link PortMatrix}: the profile's rows, the
 * names its settings give ports and source networks, and the environment's
 * {@code firewall.also_allowed}), for every profile whose runbook states one: read (nftables'
 * ruleset: policy drop, no accept wider than the matrix) and tried (TCP connections from outside
 * the zone and from every peer: exactly what the matrix allows answers). A failure names the
 * scenario's runbook item.
 */
public class FirewallSteps extends Support {
    public FirewallSteps(io.triad.run.Run run) {
        super(run);
    }

    /** A port nothing uses, tried as well: a firewall that lets it through answers with a reset. */
    public static final int CANARY_PORT = 47_613;

    private String item = "";

    @Before
    public void item(Scenario scenario) {
        item = scenario.getSourceTagNames().stream().filter(t -> t.startsWith("@runbook:")).findFirst()
                .map(t -> "runbook " + t.substring("@runbook:".length()) + ": ").orElse("");
    }

    @Then("every node's firewall drops what the port matrix does not allow")
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
        none(problems, item + "the host firewall is not in place");
    }

    /**
     * Every accept rule of every node's input path read against the port matrix (which port from
     * which source): a port the matrix does not open on that node, a source wider than the
     * matrix's, every port or protocol, or a rule the harness cannot attribute.
     */
    @Then("every node's firewall accepts only what the port matrix allows")
    public void firewallWithinMatrix() {
        PortMatrix matrix = PortMatrix.of(zone.env());
        zone.evidence().note("the port matrix", matrix.describe());
        List<String> problems = new ArrayList<>();
        rulesets(problems).forEach((h, rules) ->
                matrix.beyond(zone.env().host(h.name()), rules.accepts()).forEach(b -> problems.add(h.name() + ": " + b)));
        none(problems, item + "a firewall accepts more than the port matrix");
    }

    /**
     * From every node, a TCP connection to every port the matrix opens on each peer for it: the
     * firewall must let each through, and where the peer listens on that port (at its own address
     * or all addresses) the connection must be accepted. A port nothing listens on at that address
     * (a tool's port used now and then, a service that runs on the VIP holder only) must be
     * refused by the node, not dropped by its firewall; whether a service should be running there
     * is for the service's own checks to say.
     */
    @Then("every port the matrix opens between the nodes answers from every peer")
    public void matrixPortsReachable() {
        PortMatrix matrix = PortMatrix.of(zone.env());
        List<Set<Integer>> listening = zone.onEach(zone.hosts(), to -> {
            Set<Integer> here = new TreeSet<>();
            for (Listeners.Socket s : Listeners.parse(to.exec(to.asRoot("ss -tlnp")).requireOk().stdout())) {
                if (s.wildcard() || s.address().equals(to.address())) {
                    here.add(s.port());
                }
            }
            return here;
        });
        Map<String, Set<Integer>> listens = new LinkedHashMap<>();
        for (int i = 0; i < zone.hosts().size(); i++) {
            listens.put(zone.hosts().get(i).address(), listening.get(i));
        }
        List<String> problems = onEachHost(zone.hosts(), (from, found) -> {
            List<String> targets = new ArrayList<>();
            for (Host to : zone.hosts()) {
                if (!to.name().equals(from.name())) {
                    matrix.tcpPorts(zone.env().host(to.name())).stream()
                            .filter(port -> matrix.allows("tcp", port, zone.env().host(to.name()), zone.env().host(from.name()).address()))
                            .forEach(port -> targets.add(to.address() + ":" + port));
                }
            }
            TcpProbes.parse(targets, from.exec(TcpProbes.command(targets, 2)).stdout()).forEach((target, state) -> {
                String address = target.substring(0, target.lastIndexOf(':'));
                int port = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
                boolean listened = listens.getOrDefault(address, Set.of()).contains(port);
                if (listened ? state != TcpProbes.State.OPEN : !state.answers()) {
                    found.add(from.name() + " -> " + target + " is " + state + (listened ? ", though it listens there" : ""));
                }
            });
        });
        none(problems, item + "ports the matrix opens between the nodes are not reachable");
    }

    /** Each node's ruleset ({@code nft -j list ruleset}, as root); a node whose ruleset cannot be read is a problem of its own. */
    private Map<Host, NftRuleset> rulesets(List<String> problems) {
        record Read(Optional<NftRuleset> rules, List<String> problems) { }
        List<Read> reads = zone.onEach(zone.hosts(), h -> {
            List<String> found = new ArrayList<>();
            CommandResult r = h.exec(h.asRoot("nft -j list ruleset"));
            if (!r.ok()) {
                found.add(h.name() + ": nft list ruleset failed: " + r.stderr().strip());
                return new Read(Optional.empty(), found);
            }
            return new Read(parsed(h, "nft -j list ruleset", found, () -> NftRuleset.parse(r.stdout())), found);
        });
        // Keyed by the zone's hosts, in their order.
        Map<Host, NftRuleset> out = new LinkedHashMap<>();
        for (int i = 0; i < reads.size(); i++) {
            Host h = zone.hosts().get(i);
            problems.addAll(reads.get(i).problems());
            reads.get(i).rules().ifPresent(rules -> out.put(h, rules));
        }
        return out;
    }

    /**
     * The firewall verified by trying: from every support host (outside the zone) and from every
     * peer, a TCP connection to every port each node listens on (ss -tlnp, at the address it
     * listens on), every port the matrix opens there, every port its firewall accepts and a port
     * nothing uses, on every address the node holds (read with {@code ip addr}: not only the
     * environment's, a second address or the VIP too). Exactly what the matrix allows from that source may answer (a connection, or
     * a reset from a port nothing listens on: the firewall let it through); a listener the matrix
     * allows must accept the connection.
     */
    @Then("from outside the zone and from every peer, exactly the port matrix's ports answer on every node")
    public void exactlyMatrixAnswers() {
        PortMatrix matrix = PortMatrix.of(zone.env());
        Map<String, Set<String>> targets = new LinkedHashMap<>(); // node -> address:port
        Map<String, Set<String>> listening = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        Map<Host, NftRuleset> firewalls = rulesets(problems); // what the firewalls accept is tried too
        List<List<Listeners.Socket>> sockets = zone.onEach(zone.hosts(), to -> Listeners.parse(to.exec(to.asRoot("ss -tlnp")).requireOk().stdout()));
        // every address a node holds is tried, not only the one the environment names: a second
        // address, a second interface, the VIP on its holder
        Map<String, List<String>> addresses = addressesOf(zone.hosts());
        for (int i = 0; i < zone.hosts().size(); i++) {
            Host to = zone.hosts().get(i);
            Environment.HostSpec spec = zone.env().host(to.name());
            List<String> at = addresses.get(to.name());
            Set<String> mine = new TreeSet<>();
            Set<String> listens = new TreeSet<>(); // must accept where the matrix allows: the named address and sockets bound to one
            for (Listeners.Socket s : sockets.get(i)) {
                if (s.address().startsWith("127.") || s.address().contains(":")) {
                    continue; // loopback, and IPv6 addresses (the matrix is IPv4); [::] is the wildcard
                }
                if (s.wildcard()) {
                    at.forEach(a -> mine.add(a + ":" + s.port()));
                    listens.add(to.address() + ":" + s.port());
                } else {
                    mine.add(s.address() + ":" + s.port());
                    listens.add(s.address() + ":" + s.port());
                }
            }
            Set<Integer> ports = new TreeSet<>(matrix.tcpPorts(spec));
            Optional.ofNullable(firewalls.get(to)).ifPresent(rules -> rules.accepts().stream()
                    .filter(a -> a.protocol().filter("tcp"::equals).isPresent())
                    .forEach(a -> a.ports().stream().limit(64).forEach(ports::add)));
            ports.add(CANARY_PORT);
            at.forEach(a -> ports.forEach(p -> mine.add(a + ":" + p)));
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
                        problems.add(node + " " + target + " answers " + source.name() + " (" + state + (state == TcpProbes.State.REFUSED ? ": nothing"
                                + " listens, the firewall let it through" : "") + "), which the port matrix does not allow");
                    } else if (allowed && listens && state != TcpProbes.State.OPEN) {
                        problems.add(node + " " + target + " is " + state + " from " + source.name() + ", which the matrix allows");
                    } else if (state == TcpProbes.State.ERROR) {
                        problems.add(node + " " + target + ": the attempt from " + source.name() + " gave no verdict");
                    }
                }
            });
        }
        zone.evidence().note("TCP connections tried (" + sources.size() + " vantage points)", tried.toString());
        none(problems, item + "more than the port matrix's ports answer");
    }
}
