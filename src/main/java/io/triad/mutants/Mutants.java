package io.triad.mutants;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.triad.env.Environment;
import io.triad.env.EnvironmentLoader;
import io.triad.env.InputError;
import io.triad.run.CucumberRun;
import io.triad.run.Progress;
import io.triad.zone.Zone;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mutant catalog ({@code fixtures/mutants/catalog.yaml}): broken variants of the simulated
 * triad, each run against the scenarios that must catch it. A mutant is caught when a scenario
 * whose name contains {@code caught_by} failed with a message holding every {@code message}
 * fragment; a mutant some other scenario happened to fail on is not caught.
 */
public final class Mutants {

    /** One mutant: what is broken, how (overlays, settings), and what must catch it. */
    public record Mutant(String name, String broken, Map<String, Path> overlays, Map<String, String> settings,
                         String scenarios, String caughtBy, List<String> message, List<String> restart, boolean inPlace,
                         Map<String, String> judgedWith) {

        /**
         * A mutant whose settings all build its zone ({@code set}); none only judges it
         * ({@code judged_with}, {@link #judgedWith}).
         */
        public Mutant(String name, String broken, Map<String, Path> overlays, Map<String, String> settings,
                      String scenarios, String caughtBy, List<String> message, List<String> restart, boolean inPlace) {
            this(name, broken, overlays, settings, scenarios, caughtBy, message, restart, inPlace, Map.of());
        }

        /** A mutant with no {@code in_place}: it runs on a fresh zone of its own. */
        public Mutant(String name, String broken, Map<String, Path> overlays, Map<String, String> settings,
                      String scenarios, String caughtBy, List<String> message) {
            this(name, broken, overlays, settings, scenarios, caughtBy, message, List.of(), false);
        }

        /** Laid on a settled zone ({@link InPlace}) when it names units its overlays change (restarted); else a fresh zone of its own. */
        public Mutant(String name, String broken, Map<String, Path> overlays, Map<String, String> settings,
                      String scenarios, String caughtBy, List<String> message, List<String> restart) {
            this(name, broken, overlays, settings, scenarios, caughtBy, message, restart, !restart.isEmpty());
        }

        /**
         * Which zone a mutant laid in place needs: its own settings, written out in order ("" when it
         * sets nothing). Mutants in place with the same settings share a zone built with them
         * ({@link InPlace}); one with other settings gets another.
         */
        public String inPlaceGroup() {
            return new java.util.TreeMap<>(settings).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(java.util.stream.Collectors.joining(", "));
        }
    }

    /** What running one mutant showed. */
    public record Outcome(Mutant mutant, boolean caught, String scenario, String message, Duration took) {
        /**
         * Neither caught nor missed: its zone did not start, or never settled before its scenario,
         * on both runs. Shown and counted apart; still not a catch (the run fails).
         */
        public boolean noVerdict() {
            return !caught && (message.startsWith(NOT_STARTED) || message.contains("[the zone had not settled"));
        }
    }

    static final String NOT_STARTED = "its zone did not start (twice): ";

    private final Path base;
    private final List<Mutant> mutants;
    private final String name;
    private final Path path;
    private final java.util.Optional<Integer> laneSeconds;
    /** Settings laid on the base environment for every mutant of the catalog (before its own): parts no mutant of it needs left out. */
    private final Map<String, String> baseSet;

    private Mutants(Path base, List<Mutant> mutants, String name, Path path, java.util.Optional<Integer> laneSeconds, Map<String, String> baseSet) {
        this.base = base;
        this.baseSet = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(baseSet)); // (a null value removes the setting)
        this.mutants = mutants;
        this.name = name;
        this.path = path;
        this.laneSeconds = laneSeconds;
    }

    /** The catalog file. */
    public Path path() {
        return path;
    }

    /** How long the whole catalog took on one lane when last measured ({@code lane_seconds}), if it says. */
    public java.util.Optional<Integer> laneSeconds() {
        return laneSeconds;
    }

    /** The catalog's name: its profile's fixtures folder (fixtures/mutants/ is the BSFG triad's). */
    public String name() {
        return name;
    }

    static String nameOf(Path catalog) {
        Path profileDir = catalog.toAbsolutePath().normalize().getParent().getParent();
        String folder = profileDir.getFileName().toString();
        return folder.equals("fixtures") ? "bsfg-triad" : folder;
    }

    public List<Mutant> mutants() {
        return mutants;
    }

    /** The catalog's mutant of that name, or bad input naming the catalog (a queue written before the catalog changed). */
    public Mutant mutant(String name) {
        return mutants.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new InputError("the mutant catalog " + path + " has no mutant named '" + name + "'"));
    }

    /** Every mutant catalog under {@code fixtures}: its own mutants/catalog.yaml, then each profile's (fixtures/&lt;profile&gt;/mutants). */
    public static List<Path> catalogs(Path fixtures) {
        List<Path> found = new java.util.ArrayList<>();
        Path first = fixtures.resolve("mutants/catalog.yaml");
        if (Files.isRegularFile(first)) {
            found.add(first);
        }
        try (var dirs = Files.list(fixtures)) {
            dirs.sorted().map(d -> d.resolve("mutants/catalog.yaml")).filter(Files::isRegularFile).forEach(found::add);
        } catch (java.io.IOException e) {
            throw new InputError("cannot list " + fixtures + ": " + e.getMessage());
        }
        if (found.isEmpty()) {
            throw new InputError("no mutant catalog under " + fixtures);
        }
        return found;
    }

    public static Mutants load(Path catalog) {
        JsonNode root = io.triad.env.YamlFiles.read(catalog, "mutant catalog");
        Path dir = catalog.toAbsolutePath().getParent();
        if (root == null || !root.path("base").isTextual() || !root.path("mutants").isArray()) {
            throw new InputError("mutant catalog " + catalog + " must have 'base' (an environment file) and a list of 'mutants'");
        }
        List<Mutant> out = new ArrayList<>();
        int i = 0;
        for (JsonNode m : root.path("mutants")) {
            i++;
            String where = "mutant catalog " + catalog + ", mutant " + i;
            String name = text(m, "name", where);
            if (out.stream().anyMatch(o -> o.name().equals(name))) {
                throw new InputError(where + ": another mutant of this catalog is named '" + name + "' (a name is what --only, the"
                        + " reports and the measured times know a mutant by)");
            }
            where += " (" + name + ")";
            Map<String, Path> overlays = new LinkedHashMap<>();
            for (var e : iterable(m.path("overlays").fields())) {
                Path overlay = dir.resolve(e.getValue().asText()).normalize();
                if (!Files.isDirectory(overlay)) {
                    throw new InputError(where + ": overlay directory " + overlay + " does not exist");
                }
                overlays.put(e.getKey(), overlay);
            }
            Map<String, String> settings = new LinkedHashMap<>();
            for (var e : iterable(m.path("set").fields())) {
                // null removes the setting (e.g. vip_lease: null, the pattern as written)
                settings.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
            }
            // settings the harness judges the zone with, none of which the zone is built from (a threshold, a
            // window, the command a drill runs): a mutant in place is judged with them on the lane's zone
            Map<String, String> judged = new LinkedHashMap<>();
            for (var e : iterable(m.path("judged_with").fields())) {
                if (e.getValue().isContainerNode() || e.getValue().isNull()) {
                    throw new InputError(where + ": judged_with." + e.getKey() + " must be a value (a setting the harness judges the zone with)");
                }
                if (settings.containsKey(e.getKey())) {
                    throw new InputError(where + ": " + e.getKey() + " is both in 'set' and in 'judged_with'");
                }
                judged.put(e.getKey(), e.getValue().asText());
            }
            List<String> message = new ArrayList<>();
            m.path("message").forEach(x -> message.add(x.asText()));
            List<String> restart = new ArrayList<>();
            if (m.has("in_place")) {
                if (!m.path("in_place").isArray()) {
                    throw new InputError(where + ": 'in_place' must list the units its overlays change (restarted on the overlays'"
                            + " hosts), e.g. in_place: [nginx.service], or be [] for files no unit reads");
                }
                for (JsonNode u : m.path("in_place")) {
                    if (!u.isTextual() || !u.asText().matches("[A-Za-z0-9@_.:\\-]+\\.(service|socket|timer|target|path)")) {
                        throw new InputError(where + ": 'in_place' names '" + u.asText() + "', not a systemd unit (name.service,"
                                + " .socket, .timer, .target or .path)");
                    }
                    restart.add(u.asText());
                }
                // with 'set': laid on a zone built with those settings, shared by the mutants in place that set the same
                if (overlays.isEmpty() && judged.isEmpty()) {
                    throw new InputError(where + ": 'in_place' with no overlay and nothing in 'judged_with': nothing to lay on the zone"
                            + " or to judge it with");
                }
            }
            out.add(new Mutant(name, text(m, "broken", where), overlays, settings, text(m, "scenarios", where),
                    m.path("caught_by").asText(""), message, List.copyOf(restart), m.has("in_place"), judged));
        }
        Path base = dir.resolve(root.path("base").asText()).normalize();
        Map<String, String> baseSet = new LinkedHashMap<>();
        for (var e : iterable(root.path("base_set").fields())) {
            if (e.getValue().isContainerNode()) {
                throw new InputError("mutant catalog " + catalog + ": base_set." + e.getKey() + " must be a value (a setting laid on every mutant's zone)"
                        + " or null (a setting removed from every mutant's zone)");
            }
            baseSet.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
        }
        return new Mutants(base, out, nameOf(catalog), catalog.toAbsolutePath().normalize(),
                root.path("lane_seconds").isInt() ? java.util.Optional.of(root.path("lane_seconds").asInt()) : java.util.Optional.empty(),
                baseSet);
    }

    private static String text(JsonNode m, String field, String where) {
        if (!m.path(field).isTextual() || m.path(field).asText().isBlank()) {
            throw new InputError(where + ": '" + field + "' is missing");
        }
        return m.path(field).asText();
    }

    private static <T> Iterable<T> iterable(java.util.Iterator<T> it) {
        return () -> it;
    }

    /** The base environment with the mutant's overlays and settings. */
    public Environment environment(Mutant m) {
        return environment(m, 0);
    }

    /**
     * The base environment with the mutant's overlays and settings, moved {@code offset} subnets up
     * ({@link io.triad.env.Beside}; 0: where the file puts it). A moved mutant's overlays are its
     * {@link #beside} copies.
     */
    public Environment environment(Mutant m, int offset) {
        return EnvironmentLoader.load(base, root -> {
            for (var e : m.overlays().entrySet()) {
                objectAt(root, "simulation.overlays").put(e.getKey(), e.getValue().toString());
            }
            Map<String, String> settings = new LinkedHashMap<>(baseSet);
            settings.putAll(m.settings()); // the mutant's own settings over the catalog's
            settings.putAll(m.judgedWith()); // on a fresh zone, as on the zone in place: judged with them
            for (var e : settings.entrySet()) {
                String path = e.getKey();
                int dot = path.lastIndexOf('.');
                ObjectNode parent = dot < 0 ? root : objectAt(root, path.substring(0, dot));
                if (e.getValue() == null) {
                    parent.remove(path.substring(dot + 1));
                } else if (e.getValue().equals("true") || e.getValue().equals("false")) {
                    parent.put(path.substring(dot + 1), Boolean.parseBoolean(e.getValue())); // a switch, as the file would write it
                } else if (e.getValue().matches("-?[0-9]{1,9}")) {
                    parent.put(path.substring(dot + 1), Integer.parseInt(e.getValue())); // a number (a port, a count), as the file would write it
                } else {
                    parent.put(path.substring(dot + 1), e.getValue());
                }
            }
            if (offset > 0) {
                io.triad.env.Beside.move(root, offset, "-m" + offset);
            }
        });
    }

    /** The catalog's base environment with no mutant, moved {@code offset} subnets up. */
    public Environment baseEnvironment(int offset) {
        return environment(new Mutant("base", "nothing", Map.of(), Map.of(), "", "", List.of()), offset);
    }

    /**
     * The zone {@code m} is laid on in place: the catalog's base environment with the mutant's settings
     * but none of its overlays, moved {@code offset} subnets up (every mutant of its {@link Mutant#inPlaceGroup} shares it).
     */
    public Environment inPlaceEnvironment(Mutant m, int offset) {
        return environment(new Mutant("base", "nothing", Map.of(), m.settings(), "", "", List.of()), offset);
    }

    /**
     * What {@code m}'s scenarios are judged with on the zone in place: {@link #inPlaceEnvironment}
     * with the mutant's {@code judged_with} settings (the same zone: MutantCatalogsTest renders both).
     */
    public Environment judgedEnvironment(Mutant m, int offset) {
        return environment(new Mutant("base", "nothing", Map.of(), m.settings(), "", "", List.of(), List.of(), false, m.judgedWith()), offset);
    }

    /**
     * The mutant as it is on a zone moved {@code offset} subnets up: its overlays copied under
     * {@code scratch} with every address of their text moved (a mutant's broken configuration names
     * the zone's addresses: moved with the zone, it is the same defect), and its message fragments
     * moved alike. Binary files and files that name no address are copied as they are; modes and
     * links are kept. Offset 0: the mutant itself.
     */
    public static Mutant beside(Mutant m, int offset, Path scratch) {
        if (offset == 0) {
            return m;
        }
        Map<String, Path> overlays = new LinkedHashMap<>();
        for (var e : m.overlays().entrySet()) {
            Path copy = scratch.resolve(m.name()).resolve(e.getKey());
            copyMoved(e.getValue(), copy, offset);
            overlays.put(e.getKey(), copy);
        }
        List<String> message = m.message().stream().map(f -> io.triad.env.Beside.moveText(f, offset)).toList();
        // its settings are moved with the whole environment tree (environment(m, offset))
        return new Mutant(m.name(), m.broken(), overlays, m.settings(), m.scenarios(), m.caughtBy(), message, m.restart(), m.inPlace(),
                m.judgedWith());
    }

    private static void copyMoved(Path from, Path to, int offset) {
        try (var walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isSymbolicLink(p)) {
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, Path.of(io.triad.env.Beside.moveText(Files.readSymbolicLink(p).toString(), offset)));
                } else if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (Files.isRegularFile(p)) {
                    byte[] bytes = Files.readAllBytes(p);
                    String text = utf8(bytes);
                    Files.write(target, text != null && io.triad.env.Beside.namesAddress(text)
                            ? io.triad.env.Beside.moveText(text, offset).getBytes(StandardCharsets.UTF_8) : bytes);
                    Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(p));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot copy the overlay " + from + " beside: " + e.getMessage(), e);
        }
    }

    /** The bytes as text when they are UTF-8 with no NUL (a text file), else null. */
    private static String utf8(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }

    private static ObjectNode objectAt(ObjectNode root, String dotted) {
        ObjectNode node = root;
        for (String part : dotted.split("\\.")) {
            JsonNode child = node.get(part);
            node = child instanceof ObjectNode o ? o : node.putObject(part);
        }
        return node;
    }

    /**
     * Runs one mutant: starts its triad, runs its scenarios (past halts: the run is a diagnosis), judges.
     * A run that failed otherwise (a scenario failed, not the expected one with the expected
     * message: the zone went another way, under load or by a race) is not a verdict on the
     * mutant: it runs once more on a fresh zone, said so on the progress and in the outcome's
     * message. A run whose every scenario passed (the mutant not caught) is never run again.
     * {@code features} null: the features of the base environment's profile.
     */
    public Outcome run(Mutant m, Path features, Path reports, Progress progress) {
        return run(m, features, reports, progress, 0);
    }

    /**
     * As {@link #run(Mutant, Path, Path, Progress)}, on a zone moved {@code offset} subnets up (its
     * overlays and message fragments moved with it, {@link #beside}), so that several lanes run
     * mutants of one catalog at once.
     */
    public Outcome run(Mutant original, Path features, Path reports, Progress progress, int offset) {
        return run(original, features, reports, progress, offset, null);
    }

    /**
     * As {@link #run(Mutant, Path, Path, Progress, int)}; a mutant marked {@code in_place} is first
     * laid on the lane's settled zone ({@code inPlace}, null: none), and runs on a fresh zone of its
     * own when it cannot be laid, and for a second run.
     */
    public Outcome run(Mutant original, Path features, Path reports, Progress progress, int offset, InPlace inPlace) {
        Path scratch = null;
        try {
            if (offset > 0) {
                sweepScratch();
                scratch = Files.createTempDirectory(SCRATCH + ProcessHandle.current().pid() + "-");
            }
            Mutant m = beside(original, offset, scratch);
            Duration inPlaceTook = Duration.ZERO;
            String inPlaceNote = null;
            if (inPlace != null && m.inPlace()) {
                java.util.Optional<Run> laid = inPlace.run(this, m, offset, features, reports.resolve(m.name() + "-in-place"));
                if (laid.isPresent()) {
                    Outcome judged = judge(m, laid.get());
                    if (judged.caught()) {
                        return new Outcome(original, true, judged.scenario(), judged.message() + " (laid in place)", judged.took());
                    }
                    // A fresh zone is the reference: a mutant not caught in place is run on one before it is judged.
                    inPlaceTook = judged.took();
                    inPlaceNote = "not caught when laid in place (" + judged.message() + ")";
                    progress.step("mutant " + m.name() + ": " + inPlaceNote + "; running it on a fresh zone of its own");
                    inPlace.close("the fresh zone takes the lane's subnets"); // as a lane closes it before a mutant that keeps a fresh zone

                }
            }
            Outcome o = runJudged(m, progress, attempt -> runOnce(m, offset, features,
                    reports.resolve(attempt == 1 ? m.name() : m.name() + "-run" + attempt), progress));
            if (inPlaceNote != null) {
                o = new Outcome(o.mutant(), o.caught(), o.scenario(), o.message() + " (" + inPlaceNote + ")", o.took().plus(inPlaceTook));
            }
            return new Outcome(original, o.caught(), o.scenario(), o.message(), o.took());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot make a scratch directory for mutant " + original.name(), e);
        } finally {
            if (scratch != null) {
                deleteTree(scratch);
            }
        }
    }

    /** The prefix of a moved mutant's scratch copies in the temporary directory: then the lane's process id. */
    static final String SCRATCH = "triad-mutant-beside-";

    /** Removes the scratch copies of lanes whose process has ended (a lane killed leaves its copies behind). */
    static void sweepScratch() {
        try (var dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            for (Path d : dirs.filter(p -> p.getFileName().toString().startsWith(SCRATCH)).toList()) {
                String rest = d.getFileName().toString().substring(SCRATCH.length());
                int dash = rest.indexOf('-');
                if (dash < 0) {
                    continue; // not named with its process: not known to be ended
                }
                long pid;
                try {
                    pid = Long.parseLong(rest.substring(0, dash));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) {
                    deleteTree(d);
                }
            }
        } catch (IOException ignored) {
            // nothing to sweep
        }
    }

    /** Removes a directory and what it holds, as far as it can (scratch copies, a queue written anew). */
    static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a scratch copy left in the temporary directory
        }
    }

    /** What one run of a mutant found: its scenarios' results, or why its zone did not start. */
    record Run(List<CucumberRun.ScenarioResult> scenarios, String notStarted, Duration took) { }

    /** The runs of a mutant, judged: a second run only after one that failed otherwise (see {@link #run}). */
    static Outcome runJudged(Mutant m, Progress progress, java.util.function.IntFunction<Run> attempt) {
        Run first = attempt.apply(1);
        Outcome judged = judge(m, first);
        if (judged.caught() || !judged.message().startsWith(OTHERWISE)) {
            return judged;
        }
        progress.step("mutant " + m.name() + ": its run " + judged.message() + "; running it once more on a fresh zone");
        Run second = attempt.apply(2);
        Outcome again = judge(m, second);
        Duration took = first.took().plus(second.took());
        String note = "its first run " + judged.message();
        return new Outcome(m, again.caught(), again.scenario(),
                (again.caught() ? "caught on its second run: " : "on its second run: ") + again.message() + " (" + note + ")", took);
    }

    static final String OTHERWISE = "failed otherwise: ";

    /**
     * Caught when a scenario whose name holds {@code caught_by} failed with every message
     * fragment; else why not: the zone did not start, no scenario was selected, every scenario
     * passed, or a scenario failed otherwise (the first such, named with its message).
     */
    static Outcome judge(Mutant m, Run run) {
        if (run.notStarted() != null) {
            return new Outcome(m, false, "", NOT_STARTED + run.notStarted(), run.took());
        }
        CucumberRun.ScenarioResult anyFailure = null;
        for (CucumberRun.ScenarioResult s : run.scenarios()) {
            if (!s.status().equals("FAILED")) {
                continue;
            }
            if (s.name().contains(m.caughtBy()) && m.message().stream().allMatch(s.message()::contains)) {
                return new Outcome(m, true, s.name(), s.message(), run.took());
            }
            if (anyFailure == null) {
                anyFailure = s;
            }
        }
        String why = run.scenarios().isEmpty() ? "no scenario matched " + m.scenarios()
                : anyFailure == null ? "every selected scenario passed (" + run.scenarios().size() + ")"
                : OTHERWISE + anyFailure.name() + ": " + anyFailure.message();
        return new Outcome(m, false, "", why, run.took());
    }

    /** One run of the mutant on a fresh zone of its own. */
    private Run runOnce(Mutant m, int offset, Path features, Path reports, Progress progress) {
        long t0 = System.nanoTime();
        Environment env = environment(m, offset); // a broken catalog entry is bad input, not a zone that did not start
        Zone opened;
        try {
            opened = open(env, m, progress);
        } catch (RuntimeException | AssertionError e) {
            // Not a verdict on the mutant: the zone it needs never came up. Reported, and the next mutant runs.
            return new Run(List.of(), e.getMessage(), Duration.ofNanos(System.nanoTime() - t0));
        }
        CucumberRun.Result result;
        long scenarios;
        long ran = System.nanoTime();
        try (Zone zone = opened) {
            zone.settleBeforeTheNextScenarioOnly(true); // removed after its run: the last scenario's heal is not waited for
            Path dir = features != null ? features : Path.of(zone.env().profile().featuresDir()); // the profile's by default
            result = CucumberRun.run(zone, dir, m.scenarios(), reports, progress, true);
            scenarios = (System.nanoTime() - ran) / 1_000_000;
        }
        Map<String, Long> phases = new LinkedHashMap<>();
        phases.put("up_ms", opened.upMillis());
        phases.put("settle_ms", opened.settleMillis());
        phases.put("scenarios_ms", scenarios);
        phases.put("teardown_ms", opened.teardownMillis());
        phases.put("total_ms", (System.nanoTime() - t0) / 1_000_000);
        phases.put("cpu_ms", opened.cpuMillis());
        io.triad.run.TimeSplit.record("mutant", name + "/" + m.name(), phases);
        return new Run(result.scenarios(), null, Duration.ofNanos(System.nanoTime() - t0));
    }

    /**
     * The mutant's zone, started; a start that fails (a node that does not finish booting, under
     * load) is tried once more, said so on the progress, before the mutant is reported as not run.
     */
    private Zone open(Environment env, Mutant m, Progress progress) {
        try {
            return Zone.open(env, progress);
        } catch (RuntimeException | AssertionError first) {
            progress.step("mutant " + m.name() + ": its zone did not start (" + first.getMessage() + "); starting it once more");
            return Zone.open(env, progress);
        }
    }

    /** The table a person reads: mutant, expected scenario, caught?, the failure message. */
    public static String table(List<Outcome> outcomes) {
        StringBuilder out = new StringBuilder("| mutant | what is broken | expected scenario | caught? | failure message |\n"
                + "|---|---|---|---|---|\n");
        for (Outcome o : outcomes) {
            out.append("| ").append(o.mutant().name()).append(" | ").append(cell(o.mutant().broken())).append(" | ")
                    .append(cell(o.mutant().scenarios() + (o.mutant().caughtBy().isEmpty() ? "" : ": " + o.mutant().caughtBy())))
                    .append(" | ").append(o.caught() ? "yes" : o.noVerdict() ? "no verdict" : "**NO**").append(" | ").append(cell(shorten(o.message(), 300)))
                    .append(" |\n");
        }
        long caught = outcomes.stream().filter(Outcome::caught).count();
        long none = outcomes.stream().filter(Outcome::noVerdict).count();
        out.append("\n").append(caught).append(" of ").append(outcomes.size()).append(" mutants caught (")
                .append(outcomes.isEmpty() ? 0 : Math.round(100.0 * caught / outcomes.size())).append("%)")
                .append(none == 0 ? "" : "; " + none + " without a verdict (their zone did not start or settle: neither caught nor missed)")
                .append("\n");
        return out.toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }

    public static void write(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
