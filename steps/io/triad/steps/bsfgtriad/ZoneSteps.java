package io.triad.steps.bsfgtriad;

import io.triad.profile.bsfgtriad.Steady;

import io.triad.profile.bsfgtriad.Settings;
import io.triad.steps.common.Support;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.triad.host.Host;
import io.triad.tech.nats.JetStreamStatus;
import io.triad.probe.Listeners;
import io.triad.profile.bsfgtriad.Probes;
import io.triad.profile.bsfgtriad.Recorder;
import io.triad.probe.TcpProbes;
import io.triad.zone.Within;
import io.triad.zone.Zone;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Steps of the zone's bootstrap state and its promotion flow. Each sentence maps to one probe or
 * one fault; no step knows whether the zone is simulated or live.
 */
public class ZoneSteps extends Support {
    public ZoneSteps(io.triad.run.Run run) {
        super(run);
    }

    private final Probes probes = new Probes(zone);

    // ---- reachability --------------------------------------------------------------------------

    @Given("the zone is reachable over SSH")
    public void reachable() {
        for (Host h : zone.hosts()) {
            h.exec("hostname").requireOk();
        }
    }

    // ---- JetStream (5.2) -----------------------------------------------------------------------

    @Then("within {int} seconds JetStream on every node reports a cluster of {int} peers with the same leader")
    public void jetstreamCluster(int seconds, int size) {
        within(seconds, "JetStream cluster of " + size + " with one leader", () -> {
            Set<String> leaders = new TreeSet<>();
            List<String> problems = new ArrayList<>();
            int leaderViews = 0;
            for (Host h : zone.hostsRunning("jetstream")) {
                JetStreamStatus s;
                try {
                    s = probes.jetstream(h);
                } catch (IllegalArgumentException | AssertionError e) {
                    problems.add(h.name() + ": " + e.getMessage());
                    continue;
                }
                if (!s.hasLeader()) {
                    problems.add(h.name() + " sees no meta leader");
                } else {
                    leaders.add(s.leader());
                }
                if (s.clusterSize() != size) {
                    problems.add(h.name() + " reports cluster_size " + s.clusterSize() + ", expected " + size);
                }
                if (!s.replicas().isEmpty()) { // only the meta leader lists the replicas
                    leaderViews++;
                    if (s.currentPeers() != size) {
                        problems.add("the leader (" + h.name() + ") sees " + s.currentPeers() + " current peers of " + size
                                + ": " + s.replicas());
                    }
                }
            }
            if (leaderViews == 0) {
                problems.add("no node reports itself as the meta leader with its replicas");
            }
            if (leaders.size() > 1) {
                problems.add("nodes disagree on the leader: " + leaders);
            }
            check(problems.isEmpty(), String.join("; ", problems));
        });
    }

    @Then("the JetStream cluster is named after the zone")
    public void jetstreamClusterName() {
        List<String> problems = onEachHost(zone.hostsRunning("jetstream"), (h, found) -> {
            parsed(h, "/jsz", found, () -> probes.jetstream(h)).filter(s -> !s.cluster().equals(zone.env().zone()))
                    .ifPresent(s -> found.add(h.name() + " is in JetStream cluster '" + s.cluster() + "'"));
        });
        none(problems, "the JetStream cluster is not named after the zone ('" + zone.env().zone() + "')");
    }

    // ---- VIP (5.4, 6.1) --------------------------------------------------------------------------

    @Then("within {int} seconds exactly one node holds the VIP")
    public void exactlyOneVipHolder(int seconds) {
        within(seconds, "exactly one VIP holder", () -> {
            List<Host> holders = probes.vipHolders();
            check(holders.size() == 1, "VIP " + probes.vip() + " is held by " + names(holders) + ", expected exactly one node");
            // Tried on the wire as well, from a host that does not hold it: exactly the holder answers for the VIP,
            // whatever the other hosts (support hosts too, and machines the environment does not name) say they hold.
            if (!planning()) {
                Host holder = holders.get(0);
                Host asker = zone.hosts().stream().filter(h -> h != holder).findFirst().orElseThrow();
                java.util.Set<String> answer = probes.vipAnswerers(asker);
                java.util.Set<String> others = new java.util.TreeSet<>(answer);
                others.removeAll(probes.macs(holder));
                zone.evidence().note("who answers ARP for the VIP " + probes.vip() + " (asked from " + asker.name() + ")",
                        answer + " (" + holder.name() + "'s: " + (answer.size() - others.size()) + ")");
                check(others.isEmpty() && !answer.isEmpty(), "VIP " + probes.vip() + " is answered on the wire by "
                        + (answer.isEmpty() ? "nobody" : answer.stream().map(m -> others.contains(m) ? probes.macOwner(m) : holder.name() + " (" + m + ")")
                        .collect(java.util.stream.Collectors.joining(" and "))) + " (asked with arping from " + asker.name() + "), expected "
                        + holder.name() + " alone");
            }
        });
    }

    @Then("the VIP holder is {word}")
    public void vipHolderIs(String name) {
        List<Host> holders = probes.vipHolders();
        check(holders.size() == 1 && holders.get(0).name().equals(name),
                "VIP " + probes.vip() + " is held by " + names(holders) + ", expected " + name);
    }

    /**
     * When the named node does not come to hold the VIP, the failure quotes what keepalived and the
     * lease agent (where the zone has one) said on the VIP nodes over the last minute and each
     * node's VRRP state and lease as the notify hook and the agent left them: why the preferred
     * node did not take it over (not preempting, its track script failing, the lease not released).
     */
    @Then("within {int} seconds {word} holds the VIP")
    public void withinHolds(int seconds, String name) {
        java.time.Instant since = java.time.Instant.now().minusSeconds(60);
        try {
            within(seconds, name + " holds the VIP", () -> vipHolderIs(name));
        } catch (AssertionError e) {
            if (planning()) {
                throw e;
            }
            List<Host> vipNodes = zone.vipHosts();
            List<String> states = new ArrayList<>();
            for (Host h : vipNodes) {
                try {
                    states.add(h.name() + ": " + h.execUnrecorded(h.asRoot("echo \"vrrp=$(cat /run/bsfg/vrrp-state 2>/dev/null || echo none)"
                            + " lease=$(tr '\\n' ' ' < /run/bsfg/lease 2>/dev/null || echo none)\""), Duration.ofSeconds(10)).stdout().strip());
                } catch (RuntimeException unreached) {
                    states.add(h.name() + ": not reached (" + unreached.getMessage() + ")");
                }
            }
            String why = String.join("; ", states) + "; " + io.triad.probe.Why.said(vipNodes, zone.unit("keepalived"), since)
                    + (zone.hostsRunning("lease-agent").isEmpty() ? "" : "; " + io.triad.probe.Why.said(zone.hostsRunning("lease-agent"),
                            zone.unit("lease-agent"), since));
            zone.evidence().note("why: " + name + " did not come to hold the VIP", why);
            throw new AssertionError(e.getMessage() + "; " + why, e);
        }
    }

    @Then("within the failover window another node holds the VIP")
    public void failoverWithinWindow() {
        Host former = demoted.isEmpty() ? null : demoted.get(0);
        Duration window = zone.env().thresholds().failoverWindow();
        java.time.Instant from = demotedAt == null ? java.time.Instant.now() : demotedAt;
        Duration left = window.minus(Duration.between(from, java.time.Instant.now()));
        check(!left.isNegative(), "the failover window of " + window.toMillis() + " ms had passed before the VIP was looked for");
        // when it does not come, what keepalived on the other VIP nodes said (a failing track script, a FAULT state) is quoted
        withinOrWhy(left, "another node holds the VIP", "keepalived", former, from, () -> {
            List<Host> holders = probes.vipHolders();
            check(holders.size() == 1 && (former == null || !holders.get(0).name().equals(former.name())),
                    "VIP " + probes.vip() + " is held by " + names(holders) + (former == null ? "" : ", expected one node other than " + former.name()));
        });
        long took = Duration.between(from, java.time.Instant.now()).toMillis();
        zone.evidence().note("failover time " + took + " ms", "from keepalived stopped on "
                + (former == null ? "?" : former.name()) + " (" + from + ") to another node seen holding the VIP: at most " + took
                + " ms (window " + window.toMillis() + " ms; resolution one poll of every VIP node)");
    }

    // ---- controller (4.4, 5.5, 6.2, 6.4) -------------------------------------------------------

    @Then("the controller unit is installed on every node that may hold the VIP")
    public void controllerInstalled() {
        String unit = zone.unit("controller");
        for (Host h : zone.hostsRunning("controller")) {
            check(probes.unitInstalled(h, unit), "the controller unit " + unit + " is not installed on " + h.name());
        }
    }

    @Then("the controller unit is not enabled on any node")
    public void controllerNotEnabled() {
        String unit = zone.unit("controller");
        List<String> enabled = new ArrayList<>();
        for (Host h : zone.hosts()) {
            String state = probes.unitEnablement(h, unit);
            if (state.startsWith("enabled") || state.equals("linked") || state.equals("alias") || state.equals("indirect")) {
                enabled.add(h.name() + " (systemctl is-enabled: " + state + ")");
            }
        }
        check(enabled.isEmpty(), "the controller unit " + unit + " is enabled to start on its own on " + String.join(", ", enabled)
                + "; runbook 4.4: it must start only through the promotion flow");
        // Not enabled is not enough: another unit that wants, requires, binds, upholds or triggers it
        // starts it as surely (a drop-in's Wants= leaves is-enabled 'disabled').
        List<String> startedBy = new ArrayList<>();
        for (Host h : zone.hosts()) {
            probes.startedWith(h, unit).forEach(d -> startedBy.add(h.name() + " (" + d + ")"));
        }
        check(startedBy.isEmpty(), "the controller unit " + unit + " is started by another unit on " + String.join(", ", startedBy)
                + "; runbook 4.4: it must start only through the promotion flow");
    }

    @Then("within {int} seconds the controller is active on the VIP holder")
    public void controllerActiveOnHolder(int seconds) {
        String unit = zone.unit("controller");
        within(seconds, "controller active on the VIP holder", () -> {
            List<Host> holders = probes.vipHolders();
            check(holders.size() == 1, "VIP held by " + names(holders) + ", expected exactly one node");
            String state = probes.unitState(holders.get(0), unit);
            check(state.equals("active"), "the controller on VIP holder " + holders.get(0).name() + " is " + state);
        });
    }

    /**
     * Not the unit's state only: a controller run another way (another unit, a container, by hand)
     * is as active. On every node that does not hold the VIP the unit is not running, nothing
     * listens on the controller port, and the node's own address does not take a connection on it
     * from the node before it (tried, as a client would).
     */
    @Then("the controller is inactive on every node that does not hold the VIP")
    public void controllerInactiveElsewhere() {
        String unit = zone.unit("controller");
        int port = Settings.of(zone.env()).ports().controller();
        List<Host> holders = probes.vipHolders();
        List<String> offenders = new ArrayList<>();
        // found by what it runs as well (the active controller's command line), under whatever unit and port
        String program = runningControllerProgram(unit);
        fromTheHostBefore(zone.hosts(), (peer, h) -> {
            if (holders.stream().anyMatch(x -> x.name().equals(h.name()))) {
                return;
            }
            ControllerTraces found = controllerTraces(h, unit, port, program);
            if (!found.copies().isEmpty()) {
                offenders.add(h.name() + " (the controller's program runs: process " + String.join(", ", found.copies()) + ")");
            }
            if (found.unitRuns()) {
                offenders.add(h.name() + " (" + unit + " " + found.unitState() + ")");
            }
            if (!found.sockets().isEmpty()) {
                offenders.add(h.name() + " (something listens on the controller port: " + found.sockets() + ")");
            }
            List<String> target = List.of(h.address() + ":" + port);
            TcpProbes.State tried = TcpProbes.parse(target, peer.exec(TcpProbes.command(target, 2)).stdout())
                    .getOrDefault(target.get(0), TcpProbes.State.ERROR);
            if (tried == TcpProbes.State.OPEN) {
                offenders.add(h.name() + " (" + target.get(0) + " takes a connection from " + peer.name() + ")");
            }
        });
        check(offenders.isEmpty(), "the controller is running on " + String.join(", ", offenders)
                + ", which does not hold the VIP (holder: " + names(holders) + "): dual-active risk");
    }

    @Then("within {int} seconds the controller is inactive on every node that does not hold the VIP")
    public void withinControllerInactiveElsewhere(int seconds) {
        within(seconds, "controller inactive off the VIP holder", this::controllerInactiveElsewhere);
    }

    @Then("the controller on the VIP holder listens on the VIP and on no other address")
    public void controllerBoundToVip() {
        int port = Settings.of(zone.env()).ports().controller();
        List<Host> holders = probes.vipHolders();
        check(holders.size() == 1, "VIP held by " + names(holders) + ", expected exactly one node");
        Host holder = holders.get(0);
        List<String> problems = new ArrayList<>();
        // Tried: the controller must not accept a connection on any address of the holder but the
        // VIP, from a peer (the firewall lets this port through) or on the holder's loopback.
        Host peer = zone.hosts().stream().filter(h -> h != holder).findFirst().orElseThrow();
        List<String> fromPeer = List.of(holder.address() + ":" + port, probes.vip() + ":" + port);
        java.util.Map<String, TcpProbes.State> tried = new java.util.LinkedHashMap<>(
                TcpProbes.parse(fromPeer, peer.exec(TcpProbes.command(fromPeer, 2)).stdout()));
        List<String> local = List.of("127.0.0.1:" + port);
        tried.putAll(TcpProbes.parse(local, holder.exec(TcpProbes.command(local, 2)).stdout()));
        zone.evidence().note("connections tried to the controller port", "from " + peer.name() + " to " + fromPeer + ", from "
                + holder.name() + " to " + local + ": " + tried);
        tried.forEach((target, state) -> {
            boolean vip = target.startsWith(probes.vip() + ":");
            if (vip && state != TcpProbes.State.OPEN) {
                problems.add("the controller does not accept a connection on the VIP (" + target + " is " + state + ")");
            } else if (!vip && state == TcpProbes.State.OPEN) {
                problems.add("the controller on " + holder.name() + " accepts a connection on " + target + ", which is not the VIP");
            }
        });
        List<Listeners.Socket> sockets = probes.listeners(holder, port);
        List<Listeners.Socket> wrong = sockets.stream().filter(s -> !s.address().equals(probes.vip())).toList();
        if (sockets.isEmpty()) {
            problems.add("nothing listens on port " + port + " on " + holder.name());
        } else if (!wrong.isEmpty()) {
            problems.add("the controller on " + holder.name() + " listens on " + wrong
                    + (wrong.stream().anyMatch(Listeners.Socket::wildcard) ? " (a wildcard address)" : "")
                    + ", expected " + probes.vip() + ":" + port + " only");
        }
        none(problems, "runbook 6.4: the controller is not bound to the VIP only");
    }

    @Then("within {int} seconds the health endpoint answers 200 through the VIP")
    public void healthThroughVip(int seconds) {
        within(seconds, "health 200 through the VIP", () -> {
            Probes.HealthAnswer answer = probes.healthThroughVip(Duration.ofSeconds(3));
            check(answer.ok(), "https://" + probes.vip() + ":" + Settings.of(zone.env()).ports().controller() + "/health answered " + answer);
        });
    }

    @Then("no node without a VIP role runs the controller")
    public void noControllerOffVipRoles() {
        String unit = zone.unit("controller");
        int port = Settings.of(zone.env()).ports().controller();
        // The controller found by what it is, not only by its unit's name and its port: the program the
        // active controller runs (its command line, read on the node running it), under whatever unit.
        String program = runningControllerProgram(unit);
        for (Host h : zone.hosts()) {
            if (zone.env().profile().vipRoles().contains(h.role())) {
                continue;
            }
            ControllerTraces found = controllerTraces(h, unit, port, program);
            check(!found.unitRuns(), "the controller is " + found.unitState() + " on " + h.name()
                    + " (role " + h.role() + "), which must run none");
            check(found.sockets().isEmpty(), "something listens on the controller port on " + h.name() + ": " + found.sockets());
            check(found.copies().isEmpty(), h.name() + " (role " + h.role() + ") runs the controller's program outside " + unit
                    + ": process " + String.join(", ", found.copies()) + ": " + program);
        }
    }

    /** What of the controller a node runs: its unit's state, listeners on its port, processes running its program. */
    record ControllerTraces(String unitState, List<Listeners.Socket> sockets, List<String> copies) {
        /** Whether the unit runs or is on its way up or down (a stopping controller still serves). */
        boolean unitRuns() {
            return Set.of("active", "activating", "reloading", "deactivating").contains(unitState);
        }
    }

    /** The controller looked for on a node three ways: by its unit, by its port, by its program (under whatever unit). */
    private ControllerTraces controllerTraces(Host h, String unit, int port, String program) {
        return new ControllerTraces(probes.unitState(h, unit), probes.listeners(h, port), probes.processesRunning(h, program));
    }

    /** The command line of the controller running on a VIP node (kept as evidence); fails when none runs one. */
    private String runningControllerProgram(String unit) {
        for (Host h : zone.vipHosts()) {
            String program = probes.programOf(h, unit);
            if (!program.isEmpty()) {
                zone.evidence().note("the controller's program (" + unit + " on " + h.name() + ")", program);
                return program;
            }
        }
        if (zone.planning()) {
            return ""; // a dry run lists the commands; nothing ran to be read
        }
        throw new AssertionError("no VIP node runs " + unit + ": the controller's program cannot be read to look for copies of it");
    }

    @Given("within {int} seconds the zone is steady with {word} active")
    public void steady(int seconds, String name) {
        String unit = zone.unit("controller");
        steadyWithin(seconds, "zone steady with " + name + " active", Steady.CHECKED_BY_THE_STEPS, () -> {
            vipHolderIs(name);
            String state = probes.unitState(zone.host(name), unit);
            check(state.equals("active"), "the controller on " + name + " is " + state);
            Probes.HealthAnswer answer = probes.healthThroughVip(Duration.ofSeconds(3));
            check(answer.ok(), "health through the VIP answered " + answer);
        });
    }

    // ---- promotion flow (6.3, 6.5) ---------------------------------------------------------------

    private final List<Host> demoted = new ArrayList<>();
    private java.time.Instant demotedAt;

    @When("keepalived is stopped on the VIP holder")
    public void stopKeepalivedOnHolder() {
        List<Host> holders = probes.vipHolders();
        check(holders.size() == 1, "VIP held by " + names(holders) + ": no single active node to demote");
        Host holder = holders.get(0);
        // from the command: the handover begins with the stop signal (keepalived announces priority 0 as it exits)
        demotedAt = new io.triad.zone.Nemesis(zone).stop("controlled-demotion", holder, "keepalived").commanded();
        demoted.add(holder);
    }

    @When("keepalived is started again on every node where it was stopped")
    public void restartKeepalived() {
        List<Host> holders = probes.vipHolders();
        gaveBack = holders.size() == 1 ? holders.get(0) : null;
        restoredAt = java.time.Instant.now();
        zone.faults().healAll(zone.evidence());
        demoted.clear();
    }

    private Host gaveBack; // the VIP holder when the original layout was restored
    private java.time.Instant restoredAt;

    /**
     * 6.5 seen from the node that gave the VIP back: its demotion (keepalived's BACKUP hook, the
     * lease agent) stopped its controller. A restore is the demotion that does not go through
     * stopping keepalived, so only the hook can stop the controller there.
     */
    @Then("within {int} seconds the node that gave the VIP back had its controller stopped by its demotion")
    public void gaveBackStopped(int seconds) {
        check(gaveBack != null, "no single VIP holder was seen when the original layout was restored");
        if (gaveBack != null) {
            within(seconds, gaveBack.name() + "'s controller stopped by its demotion", () -> stoppedByDemotion(gaveBack, restoredAt));
        }
    }

    // ---- units and listeners (5.1, 5.3) -------------------------------------------------------

    @Then("within {int} seconds the {word} unit is active on every node that runs it")
    public void unitActive(int seconds, String service) {
        String unit = zone.unit(service);
        within(seconds, service + " active", () -> {
            List<String> problems = onEachHost(zone.hostsRunning(service), (h, found) -> {
                String state = probes.unitState(h, unit);
                if (!state.equals("active")) {
                    found.add(unit + " on " + h.name() + " is " + state);
                }
            });
            none(problems, service + " is not running everywhere it should");
        });
    }

    @Then("within {int} seconds JetStream listens on its client port on every node")
    public void jetstreamListens(int seconds) {
        int port = Settings.of(zone.env()).ports().natsClient();
        within(seconds, "JetStream listening", () -> {
            List<String> problems = onEachHost(zone.hostsRunning("jetstream"), (h, found) -> {
                if (probes.listeners(h, port).isEmpty()) {
                    found.add("nothing listens on port " + port + " on " + h.name());
                }
            });
            none(problems, "JetStream is not serving clients");
        });
    }

    @Then("within {int} seconds every node has a route to each of the other nodes")
    public void routesUp(int seconds) {
        int expected = zone.hostsRunning("jetstream").size() - 1;
        within(seconds, "JetStream routes", () -> {
            List<String> problems = onEachHost(zone.hostsRunning("jetstream"), (h, found) -> {
                var r = h.exec("curl -s -m 3 http://127.0.0.1:" + Settings.of(zone.env()).ports().natsMonitor() + "/routez");
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"num_routes\":\\s*(\\d+)").matcher(r.stdout());
                int routes = m.find() ? Integer.parseInt(m.group(1)) : -1;
                if (routes < expected) {
                    found.add(h.name() + " has " + (routes < 0 ? "no readable" : String.valueOf(routes)) + " routes, expected " + expected);
                }
            });
            none(problems, "route errors");
        });
    }

    // ---- 6.1 ------------------------------------------------------------------------------------

    @Then("exactly one node holds the VIP and it runs the controller")
    public void singleOwner() {
        List<Host> holders = probes.vipHolders();
        check(holders.size() == 1, "VIP " + probes.vip() + " is held by " + names(holders) + ", expected a single owner");
        String state = probes.unitState(holders.get(0), zone.unit("controller"));
        check(state.equals("active"), "the VIP holder " + holders.get(0).name() + " does not run the controller (" + state + ")");
    }

    // ---- sampling (6.3, 6.5) ---------------------------------------------------------------------

    @Given("the VIP nodes are sampled in the background")
    public void startSampling() {
        Recorder.start(zone, false);
    }

    @Then("no sampled instant showed two VIP holders or two active controllers")
    public void noDualActive() {
        io.triad.zone.Recording recording = zone.stopRecording()
                .orElseThrow(() -> new AssertionError("nothing was sampled: the scenario must start the sampler first"));
        List<io.triad.history.History.Sample> samples = recording.history().samples();
        check(samples.size() >= 2 * zone.hosts().size(), "too few samples (" + samples.size() + ") to judge");
        verdict(io.triad.check.DualActive.verdict(samples, recording instanceof io.triad.profile.bsfgtriad.Recorder r ? r.logClaims() : null,
                zone.env().profile().exclusive(), io.triad.check.DualActive.DEFAULT_MAX_GAP));
    }

    @Then("within {int} seconds the VIP has left the demoted node and its controller is stopped")
    public void demotedReleased(int seconds) {
        check(!demoted.isEmpty(), "no node was demoted in this scenario");
        Host former = demoted.get(0);
        within(seconds, "VIP and controller gone from " + former.name(), () -> {
            check(!probes.holdsVip(former), former.name() + " still holds the VIP " + probes.vip());
            String state = probes.unitState(former, zone.unit("controller"));
            check(!state.equals("active") && !state.equals("activating") && !state.equals("deactivating"),
                    "the controller on " + former.name() + " is still " + state);
        });
        stoppedByDemotion(former, demotedAt);
    }

    /**
     * 6.3's "demotion stops the controller", read from the demoted node's journal rather than from
     * the unit's state: the demotion hook stops the controller with systemctl, which systemd logs as
     * a stop job on the unit. A controller that is inactive without one ended by itself (the
     * reference controller exits when its lease runs out): the hook left it running, and a
     * controller without such a guard of its own would still serve beside the new active node.
     * The journal is read from two seconds before the demotion was ordered, for the hosts' clocks.
     */
    private void stoppedByDemotion(Host former, java.time.Instant demotedAt) {
        String unit = zone.unit("controller");
        java.time.Instant since = demotedAt.minusSeconds(2);
        List<io.triad.probe.UnitJournal.Entry> journal = io.triad.probe.UnitJournal.parse(former.exec(former.asRoot(
                "journalctl -u " + unit + " -o json --no-pager --since @" + since.getEpochSecond())).stdout());
        var stop = io.triad.probe.UnitJournal.firstStopJob(journal, since);
        var exit = io.triad.probe.UnitJournal.firstExit(journal, since);
        check(stop.isPresent(), "the controller on " + former.name() + " was not stopped by the demotion: no stop job for " + unit
                + " in its journal since the demotion" + exit.map(e -> "; it ended by itself: " + e.message()).orElse(""));
        stop.ifPresent(e -> zone.evidence().figure("demotion to the controller's stop job on " + former.name(),
                java.time.Duration.between(demotedAt, e.at()).toMillis() + " ms (" + e.message() + ")"));
    }

    @Then("the new VIP holder started its controller only after its health gate passed")
    public void gateBeforeStart() {
        List<Host> holders = probes.vipHolders();
        check(holders.size() == 1, "VIP held by " + names(holders));
        Host h = holders.get(0);
        // the first of each since the demotion (the whole journal when there was none): a later start (the lease agent
        // promoting again, a restart) after a later gate must not hide a first start that came before its gate
        String since = demotedAt == null ? "" : " --since @" + (demotedAt.getEpochSecond() - 1);
        String gate = h.exec(h.asRoot("journalctl -o short-unix --no-pager" + since + " -t bsfg-promote | grep 'health gate passed'"
                + " | head -n 1")).stdout().strip();
        String started = h.exec(h.asRoot("journalctl -o short-unix --no-pager" + since + " -u " + zone.unit("controller")
                + " | grep -E 'Start(ed|ing) ' | head -n 1")).stdout().strip();
        check(!gate.isEmpty(), "no 'health gate passed' line from the promotion script on " + h.name()
                + ": the controller was not started by the promotion flow");
        check(!started.isEmpty(), "no start of the controller in " + h.name() + "'s journal");
        if (gate.isEmpty() || started.isEmpty()) {
            return; // a dry run: nothing answered
        }
        double gateAt = Double.parseDouble(gate.split("\\s+")[0]);
        double startAt = Double.parseDouble(started.split("\\s+")[0]);
        zone.evidence().note("health gate before start", h.name() + ": gate passed at " + gate + "\ncontroller start: " + started
                + "\ngate to start: " + Math.round((startAt - gateAt) * 1000) + " ms");
        check(gateAt <= startAt, "the controller on " + h.name() + " started at " + startAt + ", before its health gate passed at " + gateAt);
    }

    @Then("for {int} seconds {word} keeps the VIP and no other node runs the controller")
    public void stableFor(int seconds, String name) {
        String unit = zone.unit("controller");
        Within.holds(zone.evidence(), name + " keeps the VIP, no controller elsewhere", Duration.ofSeconds(seconds), () -> {
            vipHolderIs(name);
            for (Host h : zone.vipHosts()) {
                if (!h.name().equals(name)) {
                    String state = probes.unitState(h, unit);
                    check(!state.equals("active") && !state.equals("activating"), "the controller is " + state + " on " + h.name()
                            + " while " + name + " holds the VIP");
                }
            }
        });
    }
}
