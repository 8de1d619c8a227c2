package io.triad.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.triad.env.Environment;
import io.triad.env.InputError;
import io.triad.history.History;
import io.triad.host.Host;
import io.triad.run.OnExit;
import io.triad.run.Progress;
import io.triad.zone.SteadyState;
import io.triad.zone.Zone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code triad bench}: how fast and how precise the harness is, on the simulated triad, measured
 * the same way every time and repeated (median and spread). Stages, in order:
 * <ol>
 *   <li>images: the build script cold (no layer cache, no Go build cache) and warm (nothing to do);</li>
 *   <li>triad: bring-up to "zone is up" (containers, SSH, then the steady state: one VIP holder,
 *       health 200 through the VIP, every JetStream healthy), SSH commands per second across the
 *       nodes, teardown; in this JVM;</li>
 *   <li>the read-only audit and the whole acceptance run (drills included), each as a user runs it
 *       ({@code bin/triad drill}, its own JVM and triad), with the phases the run timed itself
 *       ({@code timings.json}), each drill's wall time from the Cucumber messages, and each drill's
 *       history: measured failover, the VIP move as sampled and as the nodes logged it, keepalived's
 *       own MASTER transition, sampling rate per node.</li>
 * </ol>
 * Writes {@code bench.json} and {@code bench.txt} under {@code reports/bench/<id>/} and prints the
 * table. Aims are shown met or not; they do not change the exit code, a failed run does.
 */
public final class Bench {

    /** What to measure and how often. */
    /** {@code profiles}: the other profiles the {@code profiles} stage runs (empty: every one). */
    public record Options(Path out, int reps, int coldReps, int sshSeconds, Duration runTimeout, java.util.Set<String> stages,
                          java.util.Set<String> profiles) {
        /** Every stage, in the order they run. */
        public static final List<String> STAGES = List.of("images", "triad", "peer", "read-only", "full", "profiles");

        public Options(Path out, int reps, int coldReps, int sshSeconds, Duration runTimeout) {
            this(out, reps, coldReps, sshSeconds, runTimeout, java.util.Set.copyOf(STAGES), java.util.Set.of());
        }
    }

    /** One line of the table: a measure, its unit, its repetitions, and the aim it is held against. */
    record Measure(String group, String name, String unit, Stats stats, String aim, Boolean met) { }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Options options;
    private final Environment env;
    private final Progress progress;
    private final Path root;
    private final Path dir;
    private final Map<String, List<Double>> values = new LinkedHashMap<>();
    private final Map<String, Map<String, List<Double>>> drills = new TreeMap<>();
    /** Per drill, whose log recorded the VIP's move: the lease agent, or keepalived in a zone without a lease. */
    private final Map<String, String> vipLogSources = new TreeMap<>();
    private final Map<String, List<Double>> rates = new TreeMap<>();
    private final List<Map<String, Object>> runs = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    /** The other profiles the {@code profiles} stage ran (each one's measures are keyed by its name). */
    private final List<String> profileKinds = new ArrayList<>();
    /** Each of those profiles' aims, from its simulated environment ({@code simulation.bench_aims}). */
    private final java.util.Map<String, Environment.BenchAims> profileAims = new java.util.HashMap<>();
    private final Instant startedAt = Instant.now();

    public Bench(Options options, Environment env, Path root, Progress progress) {
        if (!env.simulated()) {
            throw new InputError("the benchmark runs on the simulated triad only; " + env.file() + " describes a "
                    + env.kind().name().toLowerCase() + " zone (its faults and its teardown are not the benchmark's to make)");
        }
        if (options.reps() < 1 || options.coldReps() < 0) {
            throw new InputError("--reps must be 1 or more and --cold-reps 0 or more (got " + options.reps() + " and "
                    + options.coldReps() + ")");
        }
        this.options = options;
        this.env = env;
        this.root = root;
        this.progress = progress;
        try {
            this.dir = Files.createDirectories(options.out().toAbsolutePath().normalize().resolve(ID.format(startedAt)));
        } catch (IOException e) {
            throw new InputError("cannot create the benchmark directory under " + options.out() + ": " + e.getMessage());
        }
    }

    public Path directory() {
        return dir;
    }

    /** Runs every stage; 0 when every run it made succeeded, 1 otherwise. The table is printed to {@code out}. */
    public int run(Consumer<String> out) {
        progress.step("benchmark: " + options.reps() + " repetition(s), " + options.coldReps() + " cold image build(s); "
                + "results in " + dir);
        if (options.stages().contains("images")) {
            images();
        }
        if (options.stages().contains("triad")) {
            triad();
        }
        if (options.stages().contains("peer")) {
            peer();
        }
        for (int i = 1; options.stages().contains("read-only") && i <= options.reps(); i++) {
            acceptanceRun("read-only", i, List.of("--read-only"));
        }
        for (int i = 1; options.stages().contains("full") && i <= options.reps(); i++) {
            acceptanceRun("full", i, List.of());
        }
        // every other profile's simulated zone, run whole as a user runs it (the first profile has the stages above)
        for (String profile : io.triad.env.Profile.names()) {
            Path other = root.resolve("environments/" + profile + "/simulated.yaml");
            if (!options.stages().contains("profiles") || profile.equals(env.profile().name()) || !Files.isRegularFile(other)
                    || !options.profiles().isEmpty() && !options.profiles().contains(profile)) {
                continue;
            }
            profileKinds.add(profile);
            profileAims.put(profile, io.triad.env.EnvironmentLoader.load(other).simulation().benchAims());
            for (int i = 1; i <= options.reps(); i++) {
                acceptanceRun(profile, i, List.of(), other);
            }
        }
        List<Measure> table = measures();
        String text = Table.render(table, drillRows(), startedAt, machine());
        write(table, text);
        out.accept(text);
        problems.forEach(p -> progress.step("PROBLEM: " + p));
        progress.step("benchmark written: " + dir.resolve("bench.json") + " and bench.txt");
        return problems.isEmpty() ? 0 : 1;
    }

    // ---- images --------------------------------------------------------------------------------

    private void images() {
        List<String> build = List.of(root.resolve("fixtures/build-images.sh").toString());
        for (int i = 1; i <= options.coldReps(); i++) {
            progress.step("images, cold " + i + "/" + options.coldReps() + ": no layer cache, no Go build cache (base image kept)");
            Timed t = process(build, Map.of("TRIAD_IMAGES_COLD", "1"), "images-cold-" + i);
            record("images.cold", t, "image build, cold");
        }
        for (int i = 1; i <= options.reps(); i++) {
            progress.step("images, warm " + i + "/" + options.reps());
            Timed t = process(build, Map.of(), "images-warm-" + i);
            record("images.warm", t, "image build, warm");
        }
    }

    private void record(String key, Timed t, String what) {
        runs.add(Map.of("kind", key, "exit", t.exit(), "wall_ms", t.ms(), "log", dir.relativize(t.log()).toString()));
        if (t.exit() == 0) {
            add(key, t.ms());
            progress.note(what + ": " + t.ms() / 1000.0 + " s");
        } else {
            problems.add(what + " failed (exit " + t.exit() + "), see " + t.log());
        }
    }

    // ---- triad: bring-up, SSH, teardown --------------------------------------------------------

    private void triad() {
        for (int i = 1; i <= options.reps(); i++) {
            progress.step("triad " + i + "/" + options.reps() + ": bring-up to zone is up, SSH commands per second, teardown");
            long t0 = System.nanoTime();
            Zone zone;
            try {
                zone = Zone.open(env, Progress.silent());
            } catch (RuntimeException e) {
                problems.add("triad bring-up " + i + " failed: " + e.getMessage());
                continue;
            }
            try (OnExit ignored = OnExit.register("bench-triad-close", zone::close)) {
                long up = System.nanoTime(); // Zone.open returns once the zone has settled and held (Zone#settle)
                add("triad.ssh", zone.simulation().orElseThrow().bootTime().toMillis());
                add("triad.up", ms(t0, up));
                java.util.Optional<Duration> settled = zone.startToSettled();
                if (settled.isPresent()) {
                    add("triad.settled", settled.get().toMillis());
                } else {
                    problems.add("triad " + i + ": the zone did not settle after its start: " + String.join("; ", SteadyState.problems(zone)));
                }
                progress.note("zone is up in " + ms(t0, up) / 1000.0 + " s (settled " + settled.map(d -> d.toMillis() / 1000.0 + " s")
                        .orElse("never") + " after its containers started, then held " + SteadyState.HOLD.toSeconds() + " s)");
                ssh(zone);
            } finally {
                long t1 = System.nanoTime();
                zone.close();
                add("triad.teardown", ms(t1, System.nanoTime()));
            }
        }
    }

    /** Commands per second: one client thread per node, each running a small read-only command back to back. */
    private void ssh(Zone zone) {
        List<Host> hosts = List.copyOf(zone.hosts());
        AtomicInteger done = new AtomicInteger();
        List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.sshSeconds());
        long t0 = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (Host h : hosts) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < until) {
                    long a = System.nanoTime();
                    if (h.execUnrecorded("cat /proc/loadavg", Duration.ofSeconds(10)).ok()) {
                        done.incrementAndGet();
                        latencies.add((System.nanoTime() - a) / 1e6);
                    }
                }
            }, "bench-ssh-" + h.name());
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double perSecond = done.get() / seconds;
        add("ssh.commands_per_s", perSecond);
        add("ssh.latency_ms", Stats.of(latencies).median());
        progress.note(String.format("SSH: %d commands in %.1f s across %d nodes: %.0f/s (median %.1f ms each)", done.get(),
                seconds, hosts.size(), perSecond, Stats.of(latencies).median()));
    }

    // ---- acceptance runs -----------------------------------------------------------------------

    private void acceptanceRun(String kind, int i, List<String> extra) {
        acceptanceRun(kind, i, extra, env.file());
    }

    /** One whole run of {@code envFile} as a user runs it ({@code bin/triad drill}, its own JVM and zone). */
    private void acceptanceRun(String kind, int i, List<String> extra, Path envFile) {
        progress.step(kind + " acceptance run " + i + "/" + options.reps() + " (bin/triad drill --env " + envFile.getFileName()
                + (extra.isEmpty() ? "" : " " + String.join(" ", extra)) + ")");
        Path reports = dir.resolve(profileKinds.contains(kind) ? "runs-" + kind : "runs");
        List<String> command = new ArrayList<>(List.of(root.resolve("bin/triad").toString(), "drill", "--env",
                envFile.toAbsolutePath().toString(), "--reports", reports.toString()));
        command.addAll(extra);
        Timed t = process(command, Map.of(), kind + "-" + i);
        Path run;
        try {
            run = reports.resolve("latest").toRealPath();
        } catch (IOException e) {
            problems.add(kind + " run " + i + " wrote no run directory (exit " + t.exit() + "), see " + t.log());
            return;
        }
        runs.add(Map.of("kind", kind, "exit", t.exit(), "wall_ms", t.ms(), "run", dir.relativize(run).toString(),
                "log", dir.relativize(t.log()).toString()));
        if (t.exit() != 0 && !(kind.equals("read-only") && onlyForWantOfDrills(t.log()))) {
            problems.add(kind + " run " + i + " did not pass (exit " + t.exit() + "): its figures are kept, see " + run);
        }
        add(kind + ".wall", t.ms());
        JsonNode timings = readJson(run.resolve("timings.json"));
        timings.fields().forEachRemaining(f -> {
            if (f.getKey().endsWith("_ms")) {
                add(kind + "." + f.getKey().substring(0, f.getKey().length() - 3), f.getValue().asDouble());
            }
        });
        long commands = lines(run.resolve("commands.log"));
        add(kind + ".commands", commands);
        double scenariosMs = timings.path("scenarios_ms").asDouble(Double.NaN);
        if (scenariosMs > 0) {
            add(kind + ".commands_per_s", commands / (scenariosMs / 1000));
        }
        progress.note(String.format("%s run: %.1f s wall (zone up %.1f s, scenarios %.1f s, report %.1f s), exit %d, %d SSH commands",
                kind, t.ms() / 1000.0, timings.path("zone_up_ms").asDouble() / 1000, scenariosMs / 1000,
                timings.path("report_ms").asDouble() / 1000, t.exit(), commands));
        if (kind.equals("full")) {
            drillsOf(run);
        }
        if (profileKinds.contains(kind)) {
            try {
                List<String> messages = Files.readAllLines(run.resolve("cucumber.ndjson"));
                ScenarioTimes.drillWalls(messages).forEach((drill, ms) -> add(kind + ".drill." + drill, ms));
                List<String> wanted = profileAims.getOrDefault(kind, Environment.BenchAims.DEFAULT).figures();
                ScenarioTimes.figures(messages, wanted).forEach((name, ms) -> add(kind + ".figure." + name, ms));
            } catch (IOException e) {
                problems.add(kind + " run " + i + ": no cucumber.ndjson in " + run);
            }
        }
    }

    /**
     * A read-only audit cannot hand a zone over: the handoff criteria that need a demotion test fail
     * with "was not run in this run". That, and nothing else, is the expected verdict of the
     * read-only run; any other failure is a problem of the benchmark.
     */
    // ---- peer: the read-only audit of a kept zone against Testinfra replaying its commands ---------

    /** The audit as an operator auditing many zones runs it: up to four scenarios that read the zone side by side. */
    static final int PEER_JOBS = 4;

    /**
     * The harness's whole read-only audit (command to verdict, report included) of a zone kept up
     * by {@code triad up}, against pytest-testinfra (over paramiko, one connection per host)
     * replaying the very commands that audit sent (its {@code commands.log}, in order), with no
     * parsing, verdicts or report: the ratio is the harness's time over Testinfra's.
     */
    private void peer() {
        Path python = testinfra();
        if (python == null) {
            return;
        }
        progress.step("peer: triad up (a kept zone for the read-only audits, --jobs " + PEER_JOBS + ", and the Testinfra replays)");
        Timed up = process(List.of(root.resolve("bin/triad").toString(), "up", "--env", env.file().toAbsolutePath().toString()),
                Map.of(), "peer-up");
        try {
            if (up.exit() != 0) {
                problems.add("triad up failed (exit " + up.exit() + "), see " + up.log());
                return;
            }
            Path kept = io.triad.sim.KeptZone.environmentFile(env.zone());
            Environment live = io.triad.env.EnvironmentLoader.load(kept);
            for (int i = 1; i <= options.reps(); i++) {
                progress.step("peer " + i + "/" + options.reps() + ": the read-only audit of the kept zone (bin/triad drill), then"
                        + " Testinfra replaying its commands");
                Path reports = dir.resolve("runs-peer");
                Timed audit = process(List.of(root.resolve("bin/triad").toString(), "drill", "--env", kept.toString(), "--reports",
                        reports.toString(), "--jobs", String.valueOf(PEER_JOBS)), Map.of(), "peer-audit-" + i);
                Path run;
                try {
                    run = reports.resolve("latest").toRealPath();
                } catch (IOException e) {
                    problems.add("peer audit " + i + " wrote no run directory (exit " + audit.exit() + "), see " + audit.log());
                    continue;
                }
                if (audit.exit() != 0 && !onlyForWantOfDrills(audit.log())) {
                    problems.add("peer audit " + i + " did not pass (exit " + audit.exit() + "), see " + run);
                }
                List<Replay.Command> commands = Replay.commands(run.resolve("commands.log"));
                Path script = Replay.write(dir.resolve("peer").resolve("test_replay_" + i + ".py"), live, commands);
                Timed replay = process(List.of(python.toString(), "-m", "pytest", "-q", "-p", "no:cacheprovider", script.toString()),
                        Map.of(), "peer-testinfra-" + i);
                if (replay.exit() != 0) {
                    problems.add("the Testinfra replay " + i + " failed (exit " + replay.exit() + "), see " + replay.log());
                    continue;
                }
                add("peer.harness", audit.ms());
                add("peer.testinfra", replay.ms());
                add("peer.ratio", (double) audit.ms() / replay.ms());
                add("peer.commands", commands.size());
                progress.note("harness " + audit.ms() / 1000.0 + " s, Testinfra " + replay.ms() / 1000.0 + " s for the same "
                        + commands.size() + " commands: ratio " + String.format(java.util.Locale.ROOT, "%.2f", (double) audit.ms() / replay.ms()));
            }
        } finally {
            process(List.of(root.resolve("bin/triad").toString(), "down"), Map.of(), "peer-down");
        }
    }

    /** pytest-testinfra and paramiko in a virtual environment of the benchmark's own (from PyPI, once); its python, or null. */
    private Path testinfra() {
        Path venv = root.resolve("target/bench-testinfra");
        Path python = venv.resolve("bin/python");
        if (!Files.isExecutable(python)) {
            progress.step("peer: installing pytest-testinfra and paramiko into " + root.relativize(venv) + " (PyPI)");
            Timed made = process(List.of("python3", "-m", "venv", venv.toString()), Map.of(), "peer-venv");
            if (made.exit() != 0) {
                problems.add("cannot make a Python virtual environment (python3 -m venv), see " + made.log());
                return null;
            }
        }
        Timed pip = process(List.of(python.toString(), "-m", "pip", "install", "-q", "pytest-testinfra==" + Replay.TESTINFRA,
                "paramiko==" + Replay.PARAMIKO), Map.of(), "peer-pip");
        if (pip.exit() != 0) {
            problems.add("cannot install pytest-testinfra and paramiko from PyPI, see " + pip.log());
            return null;
        }
        return python;
    }

    static boolean onlyForWantOfDrills(Path log) {
        List<String> lines;
        try {
            lines = Files.readAllLines(log);
        } catch (IOException e) {
            return false;
        }
        int from = lines.indexOf("What fails this run:");
        if (from < 0) {
            return false;
        }
        List<String> failures = lines.subList(from + 1, lines.size()).stream().takeWhile(l -> l.startsWith("  ")).toList();
        return !failures.isEmpty() && failures.stream().allMatch(l -> l.contains("was not run in this run"));
    }

    /** Each drill of a run: its wall time (Cucumber's own start and finish) and the figures of its history. */
    private void drillsOf(Path run) {
        List<String> messages;
        try {
            messages = Files.readAllLines(run.resolve("cucumber.ndjson"));
        } catch (IOException e) {
            problems.add("the Cucumber messages of " + run + " cannot be read: " + e.getMessage());
            return;
        }
        Map<String, Double> walls = ScenarioTimes.drillWalls(messages);
        Map<String, Map<String, Double>> phases = ScenarioTimes.drillPhases(messages);
        for (Map.Entry<String, Double> w : walls.entrySet()) {
            String drill = w.getKey();
            Map<String, List<Double>> cols = drills.computeIfAbsent(drill, d -> new LinkedHashMap<>());
            put(cols, "wall_ms", w.getValue());
            phases.getOrDefault(drill, Map.of()).forEach((phase, ms) -> put(cols, "phase:" + phase, ms));
            Path file = run.resolve("drills").resolve("drill-" + drill + ".jsonl");
            if (!Files.isRegularFile(file)) {
                continue;
            }
            DrillFigures f;
            try {
                f = DrillFigures.of(History.read(file), env.profile().exclusive().get(0).name()); // the first: the one a failover moves
            } catch (RuntimeException e) {
                problems.add("the history of drill " + drill + " in " + run + " cannot be read: " + e.getMessage());
                continue;
            }
            f.failover().ifPresent(d -> {
                put(cols, "failover_ms", d.toMillis());
                put(cols, "overhead_ms", w.getValue() - d.toMillis());
                put(cols, "overhead_per_failover", (w.getValue() - d.toMillis()) / Math.max(1, d.toMillis()));
            });
            f.faultHeld().ifPresent(d -> put(cols, "fault_held_ms", d.toMillis()));
            f.vipSampled().ifPresent(d -> put(cols, "vip_sampled_ms", d.toMillis()));
            f.vipLogged().ifPresent(d -> put(cols, "vip_logged_ms", d.toMillis()));
            f.keepalivedMaster().ifPresent(d -> put(cols, "keepalived_master_ms", d.toMillis()));
            f.sampledMinusLogged().ifPresent(d -> {
                put(cols, "sampled_minus_logged_ms", d.toMillis());
                add("precision.sampled_minus_logged", Math.abs(d.toMillis()));
            });
            f.failover().ifPresent(fo -> f.vipLogged().ifPresent(vl -> put(cols, "failover_minus_logged_ms",
                    fo.toMillis() - vl.toMillis())));
            f.sampling().forEach((node, s) -> rates.computeIfAbsent(node, n -> new ArrayList<>()).add(s.rateHz()));
            if (f.vipLogged().isPresent()) {
                vipLogSources.put(drill, f.vipLogSource());
            }
        }
    }

    /** A drill's wall time by phase (ScenarioTimes.PHASES), in their order. */
    private static Map<String, Stats> phases(Map<String, List<Double>> cols) {
        Map<String, Stats> out = new LinkedHashMap<>();
        ScenarioTimes.PHASES.forEach(p -> out.put(p, Stats.of(cols.getOrDefault("phase:" + p, List.of()))));
        return out;
    }

    private static void put(Map<String, List<Double>> cols, String key, double v) {
        cols.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
    }

    private void add(String key, double v) {
        values.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
    }

    private Stats stats(String key) {
        return Stats.of(values.getOrDefault(key, List.of()));
    }

    // ---- the table -----------------------------------------------------------------------------

    private List<Measure> measures() {
        List<Measure> m = new ArrayList<>();
        m.add(new Measure("images", "image build, cold (no layer or Go build cache)", "s", seconds("images.cold"), "", null));
        m.add(new Measure("images", "image build, warm (up to date)", "s", seconds("images.warm"), "", null));
        m.add(aim("triad", "bring-up to zone is up (warm)", "s", seconds("triad.up"), 30, true));
        m.add(new Measure("triad", "  containers started to every node answering SSH, booted", "s", seconds("triad.ssh"), "", null));
        m.add(new Measure("triad", "  containers started to settled (meta leader, every stream led with its replicas current,"
                + " one VIP holder serving health)", "s", seconds("triad.settled"), "", null));
        m.add(new Measure("triad", "teardown", "s", seconds("triad.teardown"), "", null));
        m.add(aim("runs", "whole acceptance run, drills included (wall)", "s", seconds("full.wall"), 180, true));
        m.add(new Measure("runs", "  of which zone up", "s", seconds("full.zone_up"), "", null));
        m.add(new Measure("runs", "  of which scenarios", "s", seconds("full.scenarios"), "", null));
        m.add(new Measure("runs", "  of which teardown", "s", seconds("full.teardown"), "", null));
        m.add(new Measure("runs", "  of which report", "s", seconds("full.report"), "", null));
        m.add(aim("runs", "read-only audit (its scenarios)", "s", seconds("read-only.scenarios"), 20, true));
        m.add(new Measure("peer", "read-only audit of a kept zone, whole (command to verdict, report included; --jobs " + PEER_JOBS + ")", "s",
                seconds("peer.harness"), "", null));
        m.add(new Measure("peer", "Testinfra replaying the same commands (paramiko, one connection per host)", "s",
                seconds("peer.testinfra"), "", null));
        m.add(aim("peer", "harness / Testinfra", "", stats("peer.ratio"), 0.5, true));
        for (String drill : List.of("crash", "freeze")) {
            m.add(aim("drills", drill + " drill: overhead (wall - failover) / failover", "",
                    Stats.of(drills.getOrDefault(drill, Map.of()).getOrDefault("overhead_per_failover", List.of())), 2, true));
        }
        m.add(new Measure("peer", "commands replayed", "", stats("peer.commands"), "", null));
        for (String p : profileKinds) {
            Environment.BenchAims aims = profileAims.getOrDefault(p, Environment.BenchAims.DEFAULT);
            m.add(aim(p, p + ": zone up (containers to settled, warm)", "s", seconds(p + ".zone_up"), aims.zoneUp().toSeconds(), true));
            m.add(aim(p, p + ": whole run, drills included (wall)", "s", seconds(p + ".wall"), aims.wholeRun().toSeconds(), true));
            m.add(new Measure(p, "  of which scenarios", "s", seconds(p + ".scenarios"), "", null));
            values.keySet().stream().filter(k -> k.startsWith(p + ".drill.")).sorted().forEach(k -> m.add(new Measure(p,
                    "  drill " + k.substring((p + ".drill.").length()) + " (wall, heal included)", "s", seconds(k), "", null)));
            values.keySet().stream().filter(k -> k.startsWith(p + ".figure.")).sorted().forEach(k -> m.add(new Measure(p,
                    "  " + k.substring((p + ".figure.").length()), "s", seconds(k), "", null)));
        }
        m.add(new Measure("runs", "read-only run (wall, with bring-up)", "s", seconds("read-only.wall"), "", null));
        m.add(new Measure("ssh", "SSH commands per second, 3 nodes in parallel", "/s", stats("ssh.commands_per_s"), "", null));
        m.add(new Measure("ssh", "SSH command round trip (median)", "ms", stats("ssh.latency_ms"), "", null));
        m.add(new Measure("ssh", "commands the read-only audit sends", "", stats("read-only.commands"), "", null));
        m.add(new Measure("ssh", "commands per second in the read-only audit", "/s", stats("read-only.commands_per_s"), "", null));
        m.add(new Measure("report", "report generation (full run: 71 scenarios, 8 timelines)", "s", seconds("full.report"), "", null));
        m.add(new Measure("report", "report generation (read-only run)", "s", seconds("read-only.report"), "", null));
        for (Map.Entry<String, List<Double>> r : rates.entrySet()) {
            m.add(aim("sampling", "recorder sampling rate, " + r.getKey() + " (gaps > 1 s left out)", "Hz",
                    Stats.of(r.getValue()), 10, false));
        }
        m.add(aim("sampling", "sampled VIP move vs the node's own log (|difference|)", "ms",
                stats("precision.sampled_minus_logged"), 150, true));
        return m;
    }

    private Stats seconds(String key) {
        return Stats.of(values.getOrDefault(key, List.of()).stream().map(v -> v / 1000).toList());
    }

    /** A measure held against an aim: at most {@code limit} when {@code atMost}, else at least. Judged on the worst sample. */
    static Measure aim(String group, String name, String unit, Stats s, double limit, boolean atMost) {
        Boolean met = s.empty() ? null : atMost ? s.max() <= limit : s.min() >= limit;
        String shown = (atMost ? "<= " : ">= ") + (limit == Math.rint(limit) ? String.valueOf((long) limit) : String.valueOf(limit))
                + (unit.isEmpty() ? "" : " " + unit);
        return new Measure(group, name, unit, s, shown, met);
    }

    private List<Table.DrillRow> drillRows() {
        List<Table.DrillRow> rows = new ArrayList<>();
        drills.forEach((name, cols) -> rows.add(new Table.DrillRow(name, col(cols, "wall_ms"), col(cols, "failover_ms"),
                col(cols, "overhead_ms"), col(cols, "fault_held_ms"), col(cols, "vip_sampled_ms"), col(cols, "vip_logged_ms"),
                col(cols, "sampled_minus_logged_ms"), col(cols, "keepalived_master_ms"), vipLogSources.getOrDefault(name, ""),
                phases(cols))));
        return rows;
    }

    private static Stats col(Map<String, List<Double>> cols, String key) {
        return Stats.of(cols.getOrDefault(key, List.of()));
    }

    private Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        long memKb = 0;
        try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
            memKb = lines.filter(l -> l.startsWith("MemTotal:")).map(l -> l.replaceAll("\\D", "")).mapToLong(Long::parseLong)
                    .findFirst().orElse(0);
        } catch (IOException | RuntimeException e) {
            // unknown: left at 0
        }
        m.put("memory_gib", Math.round(memKb / 1024.0 / 1024.0));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("java", System.getProperty("java.version"));
        m.put("reps", options.reps());
        m.put("cold_reps", options.coldReps());
        return m;
    }

    private void write(List<Measure> table, String text) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("started_at", startedAt.toString());
        out.put("finished_at", Instant.now().toString());
        out.put("machine", machine());
        out.put("environment_file", env.file().toString());
        List<Map<String, Object>> measures = new ArrayList<>();
        for (Measure m : table) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("group", m.group());
            row.put("name", m.name().strip());
            row.put("unit", m.unit());
            row.putAll(m.stats().json());
            row.put("aim", m.aim().isEmpty() ? null : m.aim());
            row.put("met", m.met());
            measures.add(row);
        }
        out.put("measures", measures);
        Map<String, Object> perDrill = new LinkedHashMap<>();
        drills.forEach((name, cols) -> {
            Map<String, Object> d = new LinkedHashMap<>();
            cols.forEach((k, v) -> d.put(k, Stats.of(v).json()));
            if (vipLogSources.containsKey(name)) {
                d.put("vip_log_source", vipLogSources.get(name));
            }
            perDrill.put(name, d);
        });
        out.put("drills", perDrill);
        Map<String, Object> sampling = new LinkedHashMap<>();
        rates.forEach((node, v) -> sampling.put(node, Stats.of(v).json()));
        out.put("sampling_hz", sampling);
        out.put("raw", values);
        out.put("runs", runs);
        out.put("problems", problems);
        try {
            JSON.writeValue(dir.resolve("bench.json").toFile(), out);
            Files.writeString(dir.resolve("bench.txt"), text, StandardCharsets.UTF_8);
            Path latest = dir.getParent().resolve("latest");
            Files.deleteIfExists(latest);
            Files.createSymbolicLink(latest, dir.getFileName());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the benchmark under " + dir, e);
        }
    }

    // ---- processes -----------------------------------------------------------------------------

    record Timed(int exit, long ms, Path log) { }

    /** Runs a command to completion with its output in a log file of the benchmark; never left running. */
    private Timed process(List<String> command, Map<String, String> extraEnv, String name) {
        Path log = dir.resolve("logs").resolve(name + ".log");
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().putAll(extraEnv);
            long t0 = System.nanoTime();
            Process p = pb.start();
            try (OnExit ignored = OnExit.register("bench-child-stop", p::destroy)) {
                if (!p.waitFor(options.runTimeout().toSeconds(), TimeUnit.SECONDS)) {
                    p.destroy(); // SIGTERM: the harness heals and removes its triad on the way out
                    if (!p.waitFor(60, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                    problems.add(name + " ran past " + options.runTimeout().toMinutes() + " min and was stopped");
                }
            }
            return new Timed(p.exitValue(), ms(t0, System.nanoTime()), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + name, e);
        }
    }

    private static long ms(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    /** Entries of a run's command log: each begins with its instant (a command may run over several lines). */
    private static long lines(Path file) {
        try (Stream<String> l = Files.lines(file)) {
            return l.filter(s -> s.matches("^\\d{4}-\\d\\d-\\d\\dT.*")).count();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }
}
