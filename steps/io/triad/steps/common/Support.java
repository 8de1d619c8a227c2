package io.triad.steps.common;

import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.run.Run;
import io.triad.zone.Within;
import io.triad.zone.Zone;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** What every step class shares: the zone, failing with a message, deadlines. Holds no step definitions. */
public abstract class Support {

    /** The run this step is part of (the zone, the ledger, the run directory), injected ({@link RunProvider}). */
    protected final Run run;
    protected final Zone zone;

    protected Support(Run run) {
        this.run = run;
        this.zone = run.zone();
    }

    /** A dry run: nothing is reached, nothing is known, and nothing fails. */
    protected boolean planning() {
        return zone.planning();
    }

    /** Fails the step when the condition does not hold (in a dry run nothing is known, and nothing fails). */
    protected void check(boolean condition, String message) {
        if (!condition && !planning()) {
            throw new AssertionError(io.triad.host.Redactor.redact(message));
        }
    }

    /** Fails with every problem found, one per line, when there is any. */
    protected void none(List<String> problems, String what) {
        if (!problems.isEmpty() && !planning()) {
            throw new AssertionError(io.triad.host.Redactor.redact(what + ": " + String.join("; ", problems)));
        }
    }

    /**
     * A host's output parsed; output that does not parse is that host's problem, and the other
     * hosts are still checked (in a dry run, where nothing answers, the plan goes on).
     */
    protected static <T> java.util.Optional<T> parsed(Host h, String what, List<String> problems, java.util.function.Supplier<T> parse) {
        try {
            return java.util.Optional.of(parse.get());
        } catch (IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException e) {
            problems.add(h.name() + ": " + what + " does not parse: " + e.getMessage());
            return java.util.Optional.empty();
        }
    }

    /**
     * A check that reads the same thing on several hosts, run on all of them at once
     * ({@link Zone#onEach}): each host's part adds its problems to its own list; the problems come
     * back, and the commands are kept as evidence, in the hosts' order.
     */
    protected List<String> onEachHost(List<Host> hosts, java.util.function.BiConsumer<Host, List<String>> check) {
        List<String> problems = new java.util.ArrayList<>();
        zone.onEach(hosts, h -> {
            List<String> found = new java.util.ArrayList<>();
            check.accept(h, found);
            return found;
        }).forEach(problems::addAll);
        return problems;
    }

    /**
     * Every IPv4 address each host holds that another host could reach ({@link io.triad.probe.IpAddr#reachable}),
     * read on the host, all hosts at once; its configured address first. A check of what answers
     * "only" there tries them all: a port opened on a second address, a second interface or the
     * VIP is as exposed as one on the address the environment names. Kept as evidence.
     */
    protected java.util.Map<String, List<String>> addressesOf(List<Host> hosts) {
        List<List<String>> read = zone.onEach(hosts, h -> io.triad.probe.IpAddr.reachable(h.exec(io.triad.probe.IpAddr.LIST).requireOk().stdout()));
        java.util.Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < hosts.size(); i++) {
            java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>();
            all.add(hosts.get(i).address());
            all.addAll(read.get(i));
            out.put(hosts.get(i).name(), List.copyOf(all));
        }
        zone.evidence().note("the addresses each host holds (" + io.triad.probe.IpAddr.LIST + ")", out.entrySet().stream()
                .map(e -> e.getKey() + ": " + String.join(", ", e.getValue())).collect(Collectors.joining("\n")));
        return out;
    }

    /**
     * {@code work(via, target)} for each host, reached from the host before it in the list (the
     * last reaches the first): a peer's port tried from a peer, every host both tried and trying.
     */
    protected static void fromTheHostBefore(List<Host> hosts, java.util.function.BiConsumer<Host, Host> work) {
        for (int i = 0; i < hosts.size(); i++) {
            work.accept(hosts.get((i + hosts.size() - 1) % hosts.size()), hosts.get(i));
        }
    }

    protected Duration within(int seconds, String what, Runnable check) {
        return Within.until(zone.evidence(), what, Duration.ofSeconds(seconds), check);
    }

    /**
     * As {@link #within}, for a change the zone's HA manager makes (a failover, a new leader): when it
     * does not come, the failure quotes what the manager's unit ({@code service}'s) logged since the
     * fault on the hosts that run it, the faulted one left out ({@link io.triad.probe.Why}), so the
     * cause is in the message, and keeps it as evidence.
     */
    protected Duration withinOrWhy(int seconds, String what, String service, Host faulted, java.time.Instant since, Runnable check) {
        return withinOrWhy(Duration.ofSeconds(seconds), what, service, faulted, since, check);
    }

    /** As above, within {@code deadline}. */
    protected Duration withinOrWhy(Duration deadline, String what, String service, Host faulted, java.time.Instant since, Runnable check) {
        try {
            return Within.until(zone.evidence(), what, deadline, check);
        } catch (AssertionError e) {
            if (planning()) {
                throw e;
            }
            throw new AssertionError(e.getMessage() + "; " + why(what, service, faulted, since), e);
        }
    }

    /**
     * What the zone's HA manager ({@code service}) logged on the candidates (the hosts running it
     * but {@code faulted}) since the fault, kept as evidence: the cause a failure quotes when an
     * expected change did not come ({@link io.triad.probe.Why}).
     */
    protected String why(String what, String service, Host faulted, java.time.Instant since) {
        List<Host> candidates = zone.hostsRunning(service).stream().filter(h -> h != faulted).toList();
        String why = io.triad.probe.Why.said(candidates, zone.unit(service), since.minusSeconds(1));
        zone.evidence().note("why: " + what + " did not come", why);
        return why;
    }

    /**
     * "Within N seconds the zone is steady": the check passes and, within
     * {@link io.triad.zone.SteadyState#QUIET} of the harness's last heal (or the simulated triad's
     * start), keeps passing for {@link io.triad.zone.SteadyState#HOLD}: the zone's own last look
     * before a fault, one observation, must not catch the tail of the last scenario's heal.
     */
    protected Duration steadyWithin(int seconds, String what, java.util.Set<String> partsTheStepChecks, Runnable check) {
        return steadyWithin(Duration.ofSeconds(seconds), io.triad.zone.SteadyState.hold(zone), what, partsTheStepChecks, check);
    }

    /** "Within N seconds the zone is steady", the profile's whole steady state (see above). */
    protected Duration steadyWithin(int seconds, String what) {
        return steadyWithin(seconds, what, java.util.Set.of(), () -> { });
    }

    /** The profile's whole steady state held for {@code hold} whatever the time since the last disturbance (after the step's own heal or start). */
    protected Duration steadyWithin(int seconds, String what, Duration hold) {
        return steadyWithin(Duration.ofSeconds(seconds), hold, what, java.util.Set.of(), () -> { });
    }

    /**
     * The profile's whole steady state held for {@code hold} within {@code deadline}; once it has,
     * the zone counts as settled ({@link Zone#seenSettled}): the scenario's end does not hold it
     * steady a second time. How long it took is returned (and in the evidence).
     */
    protected Duration steadyWithin(Duration deadline, Duration hold, String what, java.util.Set<String> partsTheStepChecks, Runnable check) {
        Duration took = Within.settles(zone.evidence(), what, deadline, hold, () -> {
            check.run(); // the parts of the steady state the step checks itself, as it wants them (which node holds the VIP)
            none(io.triad.zone.SteadyState.problemsBesides(zone, partsTheStepChecks), "not steady");
        });
        if (!hold.isZero()) {
            zone.seenSettled();
        }
        return took;
    }

    protected static String names(List<Host> hosts) {
        return hosts.isEmpty() ? "no node" : hosts.stream().map(Host::name).collect(Collectors.joining(" and "));
    }

    /** Quotes a word for a POSIX shell. */
    protected static String q(String s) {
        return io.triad.host.Shell.quote(s);
    }

    /** The content of a file on a host, or a failure naming the host and the file. */
    protected String read(Host h, String path) {
        CommandResult r = h.exec(h.asRoot("cat " + q(path))); // configuration files may be root-only
        check(r.exitCode() == 0, path + " is missing or unreadable on " + h.name() + ": " + r.stderr().strip());
        return r.stdout();
    }

    /** Keeps a checker's verdict as evidence (its figures and what decided it) and fails the step when it failed. */
    protected void verdict(io.triad.check.Verdict v) {
        // "PASSED", not "PASS: ...": the redactor takes "pass: <word>" for a password setting
        StringBuilder body = new StringBuilder((v.ok() ? "PASSED - " : "FAILED - ") + v.summary() + "\n");
        v.figures().forEach((k, val) -> body.append("  ").append(k).append(": ").append(val).append('\n'));
        body.append('\n').append(v.evidence());
        zone.evidence().note("checker: " + v.checker(), body.toString());
        v.figures().forEach((k, val) -> zone.evidence().figure(v.checker() + ": " + k, val));
        check(v.ok(), v.checker() + ": " + v.summary());
    }
}
