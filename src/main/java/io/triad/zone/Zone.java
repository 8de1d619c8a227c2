package io.triad.zone;

import io.triad.env.Environment;
import io.triad.env.Environment.HostSpec;
import io.triad.env.InputError;
import io.triad.host.CommandResult;
import io.triad.host.Evidence;
import io.triad.host.Host;
import io.triad.host.SshHosts;
import io.triad.run.Progress;
import io.triad.sim.SimulatedTriad;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A zone the harness works on: the environment, one {@link Host} per node (always over SSH, for
 * the simulated triad too), the evidence of the current scenario, and the faults to heal.
 */
public final class Zone implements AutoCloseable {

    private final Environment env;
    private final SimulatedTriad triad;
    private final SshHosts ssh;
    private final Evidence evidence = new Evidence();
    private final Faults faults = new Faults();
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final Map<String, Host> support = new LinkedHashMap<>();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /** When the simulated triad was started (a fresh cluster elects its leaders); the epoch for a live zone. */
    private final java.time.Instant started;

    private final Progress progress;

    /** When the zone was last seen settled after a disturbance (or the wait for it gave up): see {@link #settle}. */
    private volatile java.time.Instant settled = java.time.Instant.EPOCH;

    /** How long each wait for the zone to settle took, in order (the first, on a simulated zone, is its start). */
    private final List<Duration> settleTimes = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Zone(Environment env, SimulatedTriad triad, SshHosts ssh, Progress progress) {
        this.env = env;
        this.triad = triad;
        this.ssh = ssh;
        this.progress = progress;
        this.started = triad == null ? java.time.Instant.EPOCH : java.time.Instant.now();
    }

    /** The harness disturbed the zone (started it, healed a fault) since it last saw it settled. */
    public boolean disturbedSinceSettled() {
        return lastDisturbed().isAfter(settled);
    }

    /**
     * Hands the zone over settled: when the harness disturbed it (the simulated zone's start, a
     * heal) since it last saw it settled, waits until the profile's steady state
     * ({@link SteadyState#problems}) has held for {@link SteadyState#HOLD}, at most
     * {@link SteadyState#SETTLE_DEADLINE}, and records how long that took (evidence, progress,
     * {@link #settleTimes}). A zone that does not settle is not an error here: the progress says
     * what is still wrong, and the scenarios judge it. A zone the harness has not disturbed (a live
     * zone audited read-only) is not looked at.
     */
    public Optional<Duration> settle(String after) {
        if (!disturbedSinceSettled()) {
            return Optional.empty();
        }
        java.time.Instant began = java.time.Instant.now();
        Duration hold = SteadyState.hold(this);
        try {
            Duration deadline = env.simulation().settleDeadline().orElse(SteadyState.SETTLE_DEADLINE);
            // a dry run plans every part's reads; a real wait asks again first the part that kept it waiting
            SteadyState.Looks looks = new SteadyState.Looks(this);
            Duration took = Within.settles(evidence(), "the zone settled after " + after, deadline, hold,
                    planning() ? () -> SteadyState.require(this) : looks::require);
            settleTimes.add(took);
            notSettled = null;
            if (firstSettled == null) {
                firstSettled = began.plus(took);
            }
            progress.step("zone settled " + took.toMillis() + " ms after " + after + startToSettled().filter(d -> settleTimes.size() == 1)
                    .map(d -> " (" + d.toMillis() + " ms after its containers started)").orElse("") + ", then held steady " + hold.toSeconds() + " s");
            return Optional.of(took);
        } catch (AssertionError e) {
            // the looks named the part that kept it waiting; say what every part finds now
            String every = planning() ? "" : String.join("; ", SteadyState.problems(this));
            if (e.getMessage() != null && e.getMessage().contains(every)) {
                every = ""; // the part that kept it waiting is the only one with a problem
            }
            progress.step("WARNING: the zone did not settle after " + after + " (" + e.getMessage() + ")"
                    + (every.isEmpty() ? "" : "; every part's problems now: " + every) + "; the scenarios judge it");
            notSettled = "after " + after + ": " + firstLine(e.getMessage()) + (every.isEmpty() ? "" : "; every part's problems now: " + firstLine(every));
            return Optional.empty();
        } finally {
            settled = java.time.Instant.now();
        }
    }

    /** See {@link #settleBeforeTheNextScenarioOnly}. */
    private volatile boolean settleBeforeNext;

    /**
     * The zone is removed as soon as its run ends (a mutant's zone of its own, an item's fresh zone):
     * after a heal it is made to settle before the next scenario begins, not at the end of the one
     * that healed, so that after the last scenario nothing waits for a zone about to be removed (a
     * mutant that keeps the zone from settling cost the whole 60 s deadline there). The next
     * scenario still starts from a settled zone. A zone that outlives its run (live, kept by
     * {@code triad up}, held by a mutant lane for mutants laid in place) settles at the end of every
     * scenario that disturbed it, as its report says. {@code only} false: at the end of each
     * scenario again (a mutant lane's held zone between its mutant's run, whose take-off settles it,
     * and the next).
     */
    public void settleBeforeTheNextScenarioOnly(boolean only) {
        settleBeforeNext = only;
    }

    /** Whether a heal is settled before the next scenario only ({@link #settleBeforeTheNextScenarioOnly}). */
    public boolean settlesBeforeTheNextScenarioOnly() {
        return settleBeforeNext;
    }

    /** Why the last wait for the zone to settle gave up, when it did and nothing has seen the zone settled since. */
    private volatile String notSettled;

    /**
     * When the last wait for the zone to settle gave up and no later wait or step saw it settled: what
     * was still wrong. A scenario that starts then and fails names this as its failure's class ({@link
     * io.triad.run.CucumberRun}): the zone, not the scenario's own check, may be why.
     */
    public Optional<String> notSettled() {
        return Optional.ofNullable(notSettled);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }

    /**
     * A step has just seen the profile's whole steady state hold for {@link SteadyState#hold} (its
     * own wait, after its own heal): the zone counts as settled now, so that the scenario's end
     * ({@link #settle}) does not hold it steady again. A heal after this call disturbs it again.
     */
    public void seenSettled() {
        if (!planning()) {
            settled = java.time.Instant.now();
            notSettled = null;
        }
    }

    /**
     * A drill's observation window after a heal ("the VIP moved at most once in the 10 seconds
     * after the heal") is time the zone spends settling anyway: until {@code until}, the steady
     * state is looked at (a pause as long as the look between looks, 200 ms to 1 s), and when by then it has held for the hold on end the zone
     * counts as settled, so the scenario's end does not wait for it again ({@link #settle}). Only
     * when the harness disturbed the zone since it last saw it settled; a look that fails starts
     * the hold over. Returns how long after the disturbance the held steady run began, if it did.
     */
    public Optional<Duration> settleBy(java.time.Instant until) {
        if (planning() || !disturbedSinceSettled()) {
            return Optional.empty();
        }
        Duration hold = SteadyState.hold(this);
        java.time.Instant disturbed = lastDisturbed();
        SteadyRun run = new SteadyRun();
        SteadyState.Looks looks = new SteadyState.Looks(this);
        long[] lookNanos = {0};
        int mark = evidence().mark();
        Duration left = Duration.between(java.time.Instant.now(), until);
        try {
            org.awaitility.Awaitility.await("the window's end, looking at the steady state")
                    .atMost((left.isNegative() ? Duration.ZERO : left).plusSeconds(15))
                    .pollDelay(Duration.ZERO).pollInterval((n, previous) -> Within.pause(lookNanos[0])).pollInSameThread().until(() -> {
                        evidence().rollback(mark);
                        java.time.Instant at = java.time.Instant.now();
                        long t = System.nanoTime();
                        run.look(at, looks.problems());
                        lookNanos[0] = System.nanoTime() - t;
                        return !at.isBefore(until);
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            run.missed("the steady state's looks did not reach the window's end in time");
        }
        evidence().rollback(mark);
        Optional<java.time.Instant> since = run.heldBy(until, hold);
        if (since.isEmpty()) {
            evidence().note("not settled by the window's end", "the zone had not held steady for " + hold.toMillis() + " ms by " + until
                    + (run.lastProblems().isEmpty() ? "" : "; last seen: " + run.lastProblems()) + " (the scenario's end waits for it)");
            return Optional.empty();
        }
        Duration took = Duration.between(disturbed, since.get());
        settleTimes.add(took);
        settled = java.time.Instant.now();
        notSettled = null;
        evidence().note("measured: the zone settled after the heal, within the window", "steady from " + since.get() + " ("
                + took.toMillis() + " ms after the heal) to the window's end " + until + ", looked at again after a pause as long as the look (200 ms to 1 s)");
        progress.step("zone settled " + took.toMillis() + " ms after the heal, within the drill's observation window");
        return Optional.of(took);
    }

    /**
     * The same read on several hosts at once ({@link io.triad.host.OnEach}): answers and evidence
     * in the hosts' order. A dry run plans the hosts one after the other, in order.
     */
    public <T> List<T> onEach(List<Host> hosts, java.util.function.Function<Host, T> read) {
        if (planning()) {
            List<T> answers = new java.util.ArrayList<>();
            hosts.forEach(h -> answers.add(read.apply(h)));
            return answers;
        }
        return io.triad.host.OnEach.read(hosts, evidence(), read);
    }

    /** How long each wait for the zone to settle took, in order. */
    public List<Duration> settleTimes() {
        return List.copyOf(settleTimes);
    }

    private volatile java.time.Instant firstSettled;

    /** A simulated zone: from its containers' start until it was first seen settled (the hold's start). */
    public Optional<Duration> startToSettled() {
        return triad == null || firstSettled == null ? Optional.empty() : Optional.of(Duration.between(triad.startedAt(), firstSettled));
    }

    /**
     * The last time the harness itself disturbed the zone: it healed a fault, or started the
     * simulated triad. A live zone read only is never disturbed by the harness.
     */
    public java.time.Instant lastDisturbed() {
        java.time.Instant healed = faults.lastHealed();
        java.time.Instant latest = healed.isAfter(started) ? healed : started;
        java.time.Instant changed = reshaped;
        return changed.isAfter(latest) ? changed : latest;
    }

    /** When the harness last changed a simulated zone's files and restarted its units (a mutant laid in place, and taken off). */
    private volatile java.time.Instant reshaped = java.time.Instant.EPOCH;

    /**
     * The harness has just changed the zone's files and restarted what they touch (a mutant laid on
     * a settled zone, or taken off it, {@link io.triad.mutants.InPlace}): the zone is disturbed, the
     * next {@link #settle} waits for it and holds it steady as after a start.
     */
    public void reshaped() {
        reshaped = java.time.Instant.now();
    }

    /**
     * Opens the zone: starts the simulated triad if the environment is simulated, then reaches
     * every host over SSH. An unreachable host or refused credentials raise {@link InputError}
     * and leave nothing running.
     */
    public static Zone open(Environment env, Progress progress) {
        return open(env, progress, false);
    }

    /** As {@link #open(Environment, Progress)}; {@code keep}: a simulated zone is started to outlive this process ({@code triad up}). */
    public static Zone open(Environment env, Progress progress, boolean keep) {
        SimulatedTriad triad = null;
        SshHosts ssh = null;
        long opening = System.nanoTime();
        long openingCpu = processCpuNanos();
        try {
            SshHosts.Identity identity;
            Path knownHosts;
            if (env.simulated()) {
                triad = SimulatedTriad.start(env, progress, keep);
                identity = SshHosts.Identity.file(triad.identityFile());
                knownHosts = triad.knownHosts();
            } else {
                identity = identity(env, System.getenv(), Path.of(System.getProperty("user.home")));
                knownHosts = env.ssh().knownHosts().orElseThrow();
            }
            Zone[] self = new Zone[1];
            ssh = new SshHosts(env.ssh().user(), identity, knownHosts, env.ssh().connectTimeout(),
                    env.ssh().commandTimeout(), result -> self[0].evidence().accept(result)).sudo(env.ssh().sudo());
            Zone zone = new Zone(env, triad, ssh, progress);
            self[0] = zone;
            String trace = System.getenv("TRIAD_TRACE_COMMANDS");
            if (trace != null && !trace.isBlank()) {
                zone.logCommandsTo(Path.of(trace)); // the commands from the zone's start until a run's own commands.log takes over (Main)
            }
            for (HostSpec h : env.hosts()) {
                zone.hosts.put(h.name(), ssh.host(new SshHosts.Target(h.name(), h.role(), h.address().toString(), h.sshPort())));
            }
            for (HostSpec h : env.supportHosts()) {
                zone.support.put(h.name(), ssh.host(new SshHosts.Target(h.name(), h.role(), h.address().toString(), h.sshPort())));
            }
            progress.step("reaching " + env.hosts().size() + " hosts" + (env.supportHosts().isEmpty() ? "" : " and "
                    + env.supportHosts().size() + " support host(s)") + " over SSH as " + env.ssh().user()
                    + (env.ssh().sudo() ? " (sudo -n for the commands that need root)" : ""));
            List<Host> all = new java.util.ArrayList<>(zone.hosts.values());
            all.addAll(zone.support.values());
            zone.onEach(all, h -> h.exec("true").requireOk()); // every host at once; the first unreachable in order is named
            if (triad != null) {
                // A simulated node answers SSH before its boot is over: the checks start once systemd says it is
                // (a one-look check like 3.6's "the log agent is running" saw rsyslog still activating).
                zone.onEach(List.copyOf(zone.hosts.values()), h -> {
                    booted(h);
                    return h;
                });
                SimulatedTriad started = triad;
                env.simulation().provision().ifPresent(p -> zone.provisioning = io.triad.sim.Provisioning.converge(env, p,
                        List.copyOf(zone.hosts.values()), started.identityFile(), started.knownHosts(), started.workDir(), progress));
                long holding = System.nanoTime();
                long held = zone.onEach(all, Zone::released).stream().filter(b -> b).count();
                if (held > 0) {
                    progress.step("the simulated zone's holds (" + HOLDS + ") released after " + (System.nanoTime() - holding) / 1_000_000
                            + " ms on " + held + " host(s)");
                }
            }
            if (triad == null) {
                // a live zone: what the harness needs to audit it at all (its gates) is there before any scenario, or nothing runs
                List<String> unusable = SteadyState.gateProblems(zone);
                if (!unusable.isEmpty()) {
                    throw new InputError("the zone " + env.zone() + " cannot be audited: " + io.triad.host.Redactor.redact(String.join("; ", unusable)));
                }
            }
            long settling = System.nanoTime();
            zone.settle("its start");
            zone.evidence.drain();
            zone.openedAt = System.nanoTime();
            zone.harnessCpuAtOpen = openingCpu;
            zone.upMs = (settling - opening) / 1_000_000;
            zone.settleMs = (zone.openedAt - settling) / 1_000_000;
            return zone;
        } catch (RuntimeException | Error e) { // a step's failure (AssertionError) too: nothing is left running
            if (ssh != null) {
                ssh.close();
            }
            if (triad != null) {
                triad.close();
            }
            throw e;
        }
    }

    /**
     * A zone of a dry run: the environment's hosts as {@link io.triad.plan.PlanHost}s, which write
     * every command into the plan and reach nothing. No triad is built, no SSH session opened.
     */
    public static Zone plan(Environment env, io.triad.plan.Plan plan) {
        Zone zone = new Zone(env, null, null, Progress.silent());
        for (HostSpec h : env.hosts()) {
            zone.hosts.put(h.name(), new io.triad.plan.PlanHost(h.name(), h.role(), h.address().toString(), plan, env.ssh().sudo()));
        }
        for (HostSpec h : env.supportHosts()) {
            zone.support.put(h.name(), new io.triad.plan.PlanHost(h.name(), h.role(), h.address().toString(), plan, env.ssh().sudo()));
        }
        zone.evidence.planning(plan);
        return zone;
    }

    /** A dry run's zone: nothing is reached, everything is written into the plan. */
    public boolean planning() {
        return evidence.plan().isPresent();
    }

    /** The plan a dry run's zone writes into; empty when the harness runs for real. */
    public java.util.Optional<io.triad.plan.Plan> plan() {
        return evidence.plan();
    }

    private volatile String stopped;

    /**
     * Stops the run on this zone (interrupted, or a safety rule broken): the scenarios not yet
     * started are not run, for this reason (the first reason given stands).
     */
    public void stopRun(String reason) {
        if (stopped == null) {
            stopped = reason;
        }
    }

    /** Why the run on this zone stopped early, if it did. */
    public java.util.Optional<String> stopReason() {
        return java.util.Optional.ofNullable(stopped);
    }

    /** A new run on this zone starts with no stop in force. */
    public void clearStop() {
        stopped = null;
    }

    /** Where a unit of a simulated host (a mutant's, acting once the zone's first setup is done) holds the handover. */
    public static final String HOLDS = "/run/triad-holds";

    /**
     * Returns once no hold is left in {@link #HOLDS} on a simulated host (at most 300 s), true when
     * there was one to wait for. A mutant that breaks the zone after its first setup (a table renamed,
     * a node removed from a cluster) must have broken it before the first scenario reads it: its unit
     * lays a hold before it starts ({@code ExecStartPre}) and removes it once it has acted. Without one
     * a scenario could read the zone before the mutant acted (a CI run found cron still running).
     * A hold never released is named, with its host.
     */
    /**
     * Returns once a simulated host has no systemd job queued and no hold laid ({@link #HOLDS}):
     * after the harness restarted its units (a mutant laid in place, or taken off), as after its boot.
     */
    public static void awaitIdle(Host h) {
        booted(h);
        released(h);
    }

    static boolean released(Host h) {
        return released(h, HOLDS, 300);
    }

    static boolean released(Host h, String holds, int seconds) {
        CommandResult r = h.exec("[ -n \"$(ls -A " + holds + " 2>/dev/null)\" ] || exit 0; timeout " + seconds + " sh -c 'while [ -n \"$(ls -A "
                + holds + " 2>/dev/null)\" ]; do sleep 0.2; done' && echo waited || { echo; ls -A " + holds + "; }",
                Duration.ofSeconds(seconds + 10)).requireOk();
        String out = r.stdout().strip();
        if (out.isEmpty()) {
            return false;
        }
        if (out.equals("waited")) {
            return true;
        }
        throw new InputError("the simulated host " + h.name() + " still holds its handover after " + seconds + " s (" + holds + ": "
                + out.replaceAll("\\s+", ", ") + "): the unit that laid the hold never finished");
    }

    /**
     * Returns once systemd on a (simulated) node says its boot is over, running or degraded, and
     * no job is left in its queue (at most 50 s): a job a first-boot unit queued once the boot was
     * over (a database started by the zone's setup) is waited for as long as it runs; a job still
     * there after 50 s is named. The queue is listed again only when the 50 s ran out: a first-boot
     * unit may queue a job just after the queue was seen empty (the settling that follows waits for
     * what it starts), and listing it then named a job "still waiting" 9 s into the boot.
     */
    static void booted(Host h) {
        CommandResult r = h.exec("timeout 50 sh -c 'systemctl is-system-running --wait >/dev/null;"
                + " while [ -n \"$(systemctl list-jobs --no-legend --no-pager)\" ]; do sleep 0.2; done'"
                + " || systemctl list-jobs --no-legend --no-pager", Duration.ofSeconds(60)).requireOk();
        if (!r.stdout().isBlank()) {
            throw new InputError("the simulated node " + h.name() + " did not finish booting within 50 s; systemd's jobs still waiting: "
                    + r.stdout().strip().replaceAll("\\s*\n\\s*", "; ").replaceAll(" +", " "));
        }
    }

    /**
     * The login key of a live zone: ssh.identity_file when set; otherwise the operator's ssh-agent
     * when SSH_AUTH_SOCK names one; otherwise ~/.ssh/id_ed25519, id_ecdsa or id_rsa.
     */
    static SshHosts.Identity identity(Environment env, java.util.Map<String, String> environ, Path home) {
        if (env.ssh().identityFile().isPresent()) {
            return SshHosts.Identity.file(env.ssh().identityFile().get());
        }
        String agent = environ.getOrDefault("SSH_AUTH_SOCK", "");
        if (!agent.isBlank()) {
            return SshHosts.Identity.agent(Path.of(agent));
        }
        for (String name : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
            if (Files.isReadable(home.resolve(".ssh").resolve(name))) {
                return SshHosts.Identity.file(home.resolve(".ssh").resolve(name));
            }
        }
        throw new InputError("no SSH identity: set ssh.identity_file in the environment file, or run the harness with an"
                + " ssh-agent that holds the zone's key (SSH_AUTH_SOCK)");
    }

    /** The environment the zone is judged with: as built, or {@link #judgedWith}'s while it holds. */
    public Environment env() {
        Environment j = judged;
        return j != null ? j : env;
    }

    /** The handle {@link #judgedWith} returns: closing it judges the zone with its own environment again (throws nothing). */
    @FunctionalInterface
    public interface Judging extends AutoCloseable {
        @Override
        void close();
    }

    /** The environment {@link #judgedWith} laid over the one the zone was built with, while it holds (null: none). */
    private volatile Environment judged;

    /**
     * Judges the zone with {@code other} until the returned handle is closed: an environment that
     * differs from the one the zone was built with only in settings the harness judges with (a
     * threshold, a window, a drill's command), never in what the zone is: the same zone name, hosts,
     * addresses and simulation, or it is refused (IllegalArgumentException). What the zone started
     * (its recorder, its faults) keeps the environment it was built with.
     */
    public Judging judgedWith(Environment other) {
        if (!other.zone().equals(env.zone()) || !other.hosts().equals(env.hosts()) || !other.supportHosts().equals(env.supportHosts())
                || !java.util.Objects.equals(other.simulation(), env.simulation())) {
            throw new IllegalArgumentException("zone " + env.zone() + " cannot be judged with the environment of another zone ("
                    + other.zone() + "): only settings the harness judges with may differ");
        }
        judged = other;
        return () -> judged = null;
    }

    /**
     * The evidence of the scenario this thread runs: its own when it runs beside others
     * ({@link #beginScenario(java.util.Collection, boolean)}), else the zone's.
     */
    public Evidence evidence() {
        return Evidence.boundOr(evidence);
    }

    /**
     * What the scenario this thread runs has applied or set up, to undo at its end: its own when it
     * runs beside others (a scratch server it set up is removed at its end, not at another's), else
     * the zone's.
     */
    public Faults faults() {
        Faults mine = threadFaults.get();
        return mine != null ? mine : faults;
    }

    private final ThreadLocal<Faults> threadFaults = new ThreadLocal<>();

    /** The set-ups of the scenarios now running beside others: healed by {@link #close} too (an interrupted run). */
    private final java.util.Set<Faults> besideFaults = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private volatile Safety safety;
    private volatile java.util.Collection<String> scenarioTags;

    /** What this run may do to the zone; by default, what the environment allows without the operator's flag. */
    public Safety safety() {
        Safety s = safety;
        return s != null ? s : (safety = Safety.of(env, false, false));
    }

    public void safety(Safety policy) {
        this.safety = policy;
    }

    /** The scenario now running (its tags decide which faults it may apply). */
    public void beginScenario(java.util.Collection<String> tags) {
        beginScenario(tags, false);
    }

    /**
     * The scenario this thread now runs. {@code besideOthers}: it runs beside other scenarios that
     * read the zone ({@link io.triad.run.Turns}), so its evidence and its tags are its own (this
     * thread's, until {@link #endScenario}); it may apply no fault and start no recording. Otherwise
     * it has the zone to itself, and its tags are the zone's.
     */
    public void beginScenario(java.util.Collection<String> tags, boolean besideOthers) {
        List<String> copy = List.copyOf(tags);
        endScenario();
        if (besideOthers) {
            Evidence.bind();
            threadTags.set(copy);
            Faults mine = new Faults();
            threadFaults.set(mine);
            besideFaults.add(mine);
        } else {
            this.scenarioTags = copy;
        }
    }

    /**
     * The scenario on this thread is over (what it set up already undone): its evidence, tags and
     * set-ups are the zone's again.
     */
    public void endScenario() {
        Evidence.unbind();
        threadTags.remove();
        Faults mine = threadFaults.get();
        threadFaults.remove();
        if (mine != null) {
            besideFaults.remove(mine);
        }
    }

    private final ThreadLocal<List<String>> threadTags = new ThreadLocal<>();

    /** Whether this thread runs a scenario beside others (see {@link #beginScenario(java.util.Collection, boolean)}). */
    public boolean besideOthers() {
        return threadTags.get() != null;
    }

    /** The tags of the scenario now running; null outside a scenario (no declaration to check against). */
    public java.util.Collection<String> scenarioTags() {
        List<String> mine = threadTags.get();
        return mine != null ? mine : scenarioTags;
    }

    private volatile Recording recorder;

    private io.triad.sim.Provisioning.Result provisioning;

    /** How the user's provisioning converged the simulated zone ({@code simulation.provision}), if it did. */
    public Optional<io.triad.sim.Provisioning.Result> provisioning() {
        return Optional.ofNullable(provisioning);
    }

    /** Makes a profile's own recording the zone's (the one before it, if any, is stopped). */
    public void record(Recording r) {
        if (besideOthers()) {
            throw new IllegalStateException("a recording needs the zone to itself, and this scenario runs beside others:"
                    + " a drill is tagged @drill:<name> (or declares its faults, @fault:<name>), which runs it alone");
        }
        stopRecording();
        recorder = r;
    }

    /** The recording in progress, if any. */
    public Optional<Recording> recording() {
        return Optional.ofNullable(recorder);
    }

    /** The recording in progress when it is of the given kind. */
    public <T extends Recording> Optional<T> recording(Class<T> kind) {
        return recording().filter(kind::isInstance).map(kind::cast);
    }

    /** Ends the recording in progress (if any) and returns it. */
    public Optional<Recording> stopRecording() {
        Recording r = recorder;
        recorder = null;
        if (r != null) {
            r.stop();
        }
        return Optional.ofNullable(r);
    }

    /**
     * Writes every command the harness runs on the zone's hosts into {@code file} (appended, one
     * line each: time, host, exit code, duration, command; redacted): the run's audit trail.
     */
    public void logCommandsTo(Path file) {
        if (ssh == null) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            java.io.Writer out = Files.newBufferedWriter(file, java.nio.charset.StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            commandLog = out;
            ssh.audit(line -> {
                synchronized (out) {
                    try {
                        out.write(line);
                        out.write('\n');
                        out.flush();
                    } catch (java.io.IOException e) {
                        // the log is the audit trail, not the run: a full disk shows in the run itself
                    }
                }
            });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write the command log " + file, e);
        }
    }

    private java.io.Writer commandLog;

    public Optional<SimulatedTriad> simulation() {
        return Optional.ofNullable(triad);
    }

    /**
     * A file on this machine the profile's client uses in the zone (a client certificate, its key,
     * the CA to trust), by name: the environment's {@code client} section names it for a live zone;
     * a simulated zone made it. One clear message when neither has it.
     */
    public Path clientFile(String name) {
        Path p = env.client().get(name);
        if (p == null && triad != null) {
            p = triad.clientFiles().get(name);
        }
        if (p == null) {
            throw new InputError(env.file() + ": client." + name + " is required: the path of the " + name
                    + " file this harness uses as the zone's client (profile " + env.profile().name() + ")");
        }
        return p;
    }

    public Host host(String name) {
        Host h = hosts.get(name);
        if (h == null) {
            throw new InputError("the zone has no host named '" + name + "' (hosts: " + hosts.keySet() + ")");
        }
        return h;
    }

    public List<Host> hosts() {
        return List.copyOf(hosts.values());
    }

    /** The support hosts (log aggregator, backup target, ops host), in the environment's order. */
    public List<Host> supportHosts() {
        return List.copyOf(support.values());
    }

    /** A support host (log aggregator, backup target), reached like the nodes; or a zone host of that name. */
    public Host supportHost(String name) {
        Host h = support.get(name);
        return h != null ? h : host(name);
    }

    /** The hosts that may hold the VIP (Alpha and Beta). */
    public List<Host> vipHosts() {
        return env.vipHosts().stream().map(h -> host(h.name())).toList();
    }

    /** The hosts whose role runs a service ("controller", "keepalived", "jetstream"). */
    public List<Host> hostsRunning(String service) {
        return env.hostsRunning(service).stream().map(h -> host(h.name())).toList();
    }

    public String unit(String service) {
        return env.service(service).unit();
    }

    /** The zone CA, where the harness knows it (always for the simulated triad). */
    public Optional<X509Certificate> zoneCa() {
        return simulation().map(t -> t.ca().caCertificate());
    }

    /** Heals every fault, closes the SSH sessions and removes the simulated triad. Safe to call twice (Ctrl-C and normal end). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long closing = System.nanoTime();
        try {
            for (Faults beside : besideFaults) {
                try {
                    beside.healAll(evidence);
                } catch (RuntimeException e) {
                    evidence.note("heal FAILED at the end of the run", String.valueOf(e.getMessage()));
                }
            }
            faults.healAll(evidence);
        } finally {
            stopRecording();
            if (ssh != null) {
                ssh.close();
            }
            if (commandLog != null) {
                try {
                    commandLog.close();
                } catch (java.io.IOException ignored) {
                    // closing the audit trail at the end
                }
            }
            if (triad != null) {
                triad.close();
                long teardownMs = (System.nanoTime() - closing) / 1_000_000;
                lastTeardownMs = teardownMs;
                Map<String, Long> phases = new LinkedHashMap<>();
                phases.put("up_ms", upMs);
                phases.put("settle_ms", settleMs);
                phases.put("used_ms", openedAt == 0 ? 0 : (closing - openedAt) / 1_000_000);
                phases.put("teardown_ms", teardownMs);
                triad.cpuAtClose().ifPresent(n -> phases.put("containers_cpu_ms", n / 1_000_000));
                phases.put("harness_cpu_ms", (processCpuNanos() - harnessCpuAtOpen) / 1_000_000);
                lastCpuMs = phases.getOrDefault("containers_cpu_ms", 0L) + phases.get("harness_cpu_ms");
                io.triad.run.TimeSplit.record("zone", env.zone() + " on " + env.simulation().subnet(), phases);
            }
        }
    }

    /** This process's CPU time when the zone began to open, in nanoseconds (the harness's share of a zone's cost). */
    private long harnessCpuAtOpen;
    private volatile long lastCpuMs;

    /**
     * The CPU the zone cost, in milliseconds, once closed: its containers' (the kernel's accounting)
     * and this process's while it was open (in a process that runs one zone at a time, such as a
     * mutant lane, all of it that zone's).
     */
    public long cpuMillis() {
        return lastCpuMs;
    }

    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? Math.max(0, sun.getProcessCpuTime()) : 0;
    }

    /** A simulated zone's start: from the call to open until the wait for it to settle began, in milliseconds. */
    private long upMs;
    /** A simulated zone's first wait to settle, in milliseconds (open's last step). */
    private long settleMs;
    private long openedAt;
    private volatile long lastTeardownMs;

    /** How long opening took until the zone's first settling began (containers, SSH, boot, holds), in milliseconds. */
    public long upMillis() {
        return upMs;
    }

    /** How long the zone's first settling took in {@link #open}, in milliseconds. */
    public long settleMillis() {
        return settleMs;
    }

    /** How long {@link #close} took to heal and remove the zone, in milliseconds (0 before it was closed). */
    public long teardownMillis() {
        return lastTeardownMs;
    }
}
