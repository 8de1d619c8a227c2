package io.triad.sim;

import io.triad.env.Environment;
import io.triad.report.FeatureIndex;
import io.triad.run.CucumberRun;
import io.triad.run.Progress;
import io.triad.runbook.Runbook;
import io.triad.zone.Zone;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Any subset of the runbook passes as reliably as the whole: for every profile, every item of its
 * catalogue is run alone, as an operator or a CI job runs it ({@code --tags @runbook:<item>}), as the first
 * scenario of a freshly started simulated zone, and passes (or is skipped as not applicable). A
 * handoff criterion is derived from the items it rests on, so it runs with them, after them; the
 * items that are only not applicable to the simulated zone share one zone. The figure it prints,
 * from the containers' start to the zone settled, is the bench's too (see docs/settled-zones.md). The profiles run
 * on parallel lanes, threads of this one JVM, each with its own zones and runs (a run keeps nothing in a static
 * field: {@link io.triad.run.Run}); see {@link #everyItemOfEveryProfilePassesAloneAsTheFirstScenarioOfAFreshZone}.
 */
class EveryItemAloneTest {

    /** One fresh zone: the tag expression it runs and the item that must be its first scenario (null: none must be). */
    record Group(String name, String tags, String first) { }

    static List<Group> groups(Runbook runbook, FeatureIndex index, Environment env) {
        List<Group> groups = new ArrayList<>();
        Set<String> notApplicableOnly = new LinkedHashSet<>();
        Set<String> handoff = new LinkedHashSet<>();
        for (Runbook.Item item : runbook.items()) {
            if (item.notCovered().isPresent()) {
                continue; // declared not covered by the harness, with its reason: no scenario to run (RunbookCoverageTest)
            }
            List<FeatureIndex.Scenario> all = index.byItem().get(item.id());
            assertTrue(all != null && !all.isEmpty(), "runbook item " + item + " has no scenario");
            List<FeatureIndex.Scenario> scenarios = all.stream().filter(s -> !s.tags().contains("@drill")).toList();
            // An item proven by drills alone (the unibus cluster's chaos items) runs its drills alone;
            // an item with other scenarios runs those (its drills run in the drills' own tests).
            boolean drillsOnly = scenarios.isEmpty();
            if (!item.derivedFrom().isEmpty()) {
                handoff.add(item.id());
                handoff.addAll(item.derivedFrom());
            } else if (!drillsOnly && scenarios.stream().allMatch(s -> notApplicable(s, env))) {
                notApplicableOnly.add(item.id());
            } else {
                groups.add(new Group(item.id(), "@runbook:" + item.id() + (drillsOnly ? "" : " and not @drill"), item.id()));
            }
        }
        if (!notApplicableOnly.isEmpty()) {
            groups.add(new Group("not-applicable", tags(notApplicableOnly), null));
        }
        if (!handoff.isEmpty()) {
            groups.add(new Group("handoff", tags(handoff), null));
        }
        return groups;
    }

    static boolean notApplicable(FeatureIndex.Scenario s, Environment env) {
        return s.tags().stream().anyMatch(t -> t.startsWith("@needs:") && env.notApplicable(t.substring(7)).isPresent());
    }

    static String tags(Set<String> items) {
        return "(" + items.stream().map(i -> "@runbook:" + i).collect(Collectors.joining(" or ")) + ") and not @drill";
    }

    /** The profiles whose every item runs alone, longest first (the lanes take them in this order). */
    static final List<String> PROFILES = List.of("unibus", "bsfg-triad");

    /**
     * The subnets' offsets of a profile's slices: with {@code TRIAD_ALONE_LANES=4} its groups are
     * shared out over two lanes, each on its own subnets (10 and 20 subnets up: no other test's,
     * no mutant lane's, 30 and more). Not the default: on the 2-core CI machine, four lanes beside the
     * main lane (and a mutant lane started early) loaded the cores so far (18 runnable on average) that
     * fresh zones' SSH logins took over 5 s and a drill's serving gap passed its bound (2026-11-26).
     */
    static final List<Integer> SUBNET_OFFSETS = List.of(10, 20);

    /**
     * Every profile's items alone, the profiles side by side in this JVM (two profiles' zones and
     * runs at once: nothing of a run is static), on {@code TRIAD_ALONE_LANES} lanes at once (default
     * 2; each profile's zones are on its own subnet, so two lanes do not share a zone, only the
     * machine's cores). Each lane's lines are prefixed with its profile.
     */
    @Test
    void everyItemOfEveryProfilePassesAloneAsTheFirstScenarioOfAFreshZone() throws Exception {
        int lanes = Math.max(1, Integer.parseInt(System.getenv().getOrDefault("TRIAD_ALONE_LANES", "2")));
        int slices = Math.max(1, Math.min(SUBNET_OFFSETS.size(), lanes / PROFILES.size()));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(lanes);
        Map<String, java.util.concurrent.Future<List<String>>> runs = new LinkedHashMap<>();
        for (int slice = 0; slice < slices; slice++) {
            for (String profile : PROFILES) {
                int k = slice;
                String lane = profile + " " + (k + 1) + "/" + slices;
                runs.put(lane, pool.submit(() -> {
                    try {
                        return alone(profile, "environments/" + profile + "/simulated.yaml", true, k, slices,
                                new Progress(new java.io.PrintStream(new Prefixed("[alone " + lane + "] "), true,
                                        java.nio.charset.StandardCharsets.UTF_8), false));
                    } catch (Exception | AssertionError e) {
                        return List.of("the lane stopped: " + e);
                    }
                }));
            }
        }
        pool.shutdown();
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, java.util.concurrent.Future<List<String>>> run : runs.entrySet()) {
            failures.addAll(run.getValue().get(60, java.util.concurrent.TimeUnit.MINUTES).stream().map(f -> run.getKey() + ": " + f).toList());
        }
        assertEquals(List.of(), failures, "items that fail when run alone on a fresh zone");
    }

    /** Standard error, each line prefixed (a lane's lines among the others'). */
    static final class Prefixed extends java.io.OutputStream {
        private final String prefix;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

        Prefixed(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                System.err.println(prefix + line.toString(java.nio.charset.StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }
    }

    /**
     * The zones moved beside their own share no subnet and no address with the environment file's:
     * every profile's simulated environment, moved, names none of the file's addresses, and still
     * loads (its hosts and VIP in its subnet); its hosts are where the move says.
     */
    @Test
    void theZonesMovedBesideShareNoAddressWithTheFile() {
        for (String profile : io.triad.env.Profile.names()) {
            Path file = RunbookFeaturesTest.ROOT.resolve("environments/" + profile + "/simulated.yaml");
            String original = io.triad.env.YamlFiles.read(file, "environment file").toString();
            Set<String> prefixes = new LinkedHashSet<>();
            ADDRESS.matcher(original).results().forEach(m -> prefixes.add(m.group()));
            assertTrue(!prefixes.isEmpty(), file + " names no address of 10.213.0.0/16");
            Environment plain = io.triad.env.EnvironmentLoader.load(file);
            com.fasterxml.jackson.databind.node.ObjectNode tree = (com.fasterxml.jackson.databind.node.ObjectNode) io.triad.env.YamlFiles.read(file, "environment file");
            beside(tree);
            String moved = tree.toString();
            for (String prefix : prefixes) {
                assertTrue(!moved.contains(prefix), profile + ": the moved environment still names " + prefix + "x");
            }
            Environment env = io.triad.env.EnvironmentLoader.load(file, EveryItemAloneTest::beside);
            assertEquals(plain.zone() + "-alone", env.zone());
            for (int i = 0; i < env.hosts().size(); i++) {
                String was = plain.hosts().get(i).address().toString();
                String[] o = was.split("\\.");
                assertEquals(o[0] + "." + o[1] + "." + (Integer.parseInt(o[2]) + 10) + "." + o[3], env.hosts().get(i).address().toString(),
                        profile + ": " + env.hosts().get(i).name() + " moved");
            }
            // every slice on subnets of its own: none the file's, another slice's, or a mutant lane's (30 up and more)
            Set<String> subnets = new LinkedHashSet<>(List.of(plain.simulation().subnet().toString()));
            for (int k = 0; k < SUBNET_OFFSETS.size(); k++) {
                int slice = k;
                Environment sliced = io.triad.env.EnvironmentLoader.load(file, root -> beside(root, slice));
                assertTrue(subnets.add(sliced.simulation().subnet().toString()), profile + ": slice " + k + " shares a subnet: " + subnets);
                assertTrue(SUBNET_OFFSETS.get(k) < 30, "slice " + k + " on a mutant lane's subnets");
                String[] o = plain.hosts().get(0).address().toString().split("\\.");
                assertEquals(o[0] + "." + o[1] + "." + (Integer.parseInt(o[2]) + SUBNET_OFFSETS.get(k)) + "." + o[3],
                        sliced.hosts().get(0).address().toString());
            }
        }
    }

    /** One profile's items alone, in this JVM: {@code <profile> <failures-file> [<environment file>]}; exit 0 when none failed. */
    public static void main(String[] args) throws Exception {
        List<String> failures;
        try {
            int[] slice = slice();
            failures = alone(args[0], args.length > 2 ? args[2] : "environments/" + args[0] + "/simulated.yaml", Boolean.getBoolean(BESIDE),
                    slice[0], slice[1], Progress.stderr());
        } catch (Throwable t) {
            failures = List.of("the run stopped: " + t);
        }
        Files.write(Path.of(args[1]), failures);
        System.exit(failures.isEmpty() ? 0 : 1);
    }

    /**
     * The system property that moves the zones to subnets no other test uses ({@link #beside}), for
     * {@link #main} run by hand beside the tests of the same profiles (the test itself always moves them).
     */
    static final String BESIDE = "triad.alone.beside";

    /**
     * The system property naming the slice {@link #main} runs, "k/n" (from 0): the groups whose index is k
     * modulo n, on the zone moved {@code SUBNET_OFFSETS.get(k)} subnets up. Unset: every group, 10 up.
     */
    static final String SLICE = "triad.alone.slice";

    /** This JVM's slice: {k, n}. */
    static int[] slice() {
        String v = System.getProperty(SLICE, "0/1");
        String[] f = v.split("/");
        return new int[] {Integer.parseInt(f[0]), Integer.parseInt(f[1])};
    }

    /**
     * The environment moved beside its own: every address 10.213.N.x becomes 10.213.(N+10).x (the hosts,
     * the VIP, the subnet, the networks and sources it names) and the zone is named {@code <zone>-alone},
     * so its zones run while the profile's other tests run theirs on the subnets of the file.
     */
    static void beside(com.fasterxml.jackson.databind.node.ObjectNode root) {
        beside(root, 0);
    }

    /** As {@link #beside}, for slice k: {@code SUBNET_OFFSETS.get(k)} subnets up, the zone named -alone, -alone2, ... */
    static void beside(com.fasterxml.jackson.databind.node.ObjectNode root, int k) {
        io.triad.env.Beside.move(root, SUBNET_OFFSETS.get(k), k == 0 ? "-alone" : "-alone" + (k + 1));
    }

    static final java.util.regex.Pattern ADDRESS = java.util.regex.Pattern.compile("\\b10\\.213\\.(\\d{1,3})\\.");

    /** One profile's items alone, on the zone of {@code environment} (a file under the project: its simulated one, or a copy on another subnet). */
    static List<String> alone(String profile, String environment, boolean moved, int k, int n, Progress progress) throws Exception {
        Path file = RunbookFeaturesTest.ROOT.resolve(environment);
        int[] slice = {k, n};
        Environment env = moved ? io.triad.env.EnvironmentLoader.load(file, root -> beside(root, slice[0]))
                : io.triad.env.EnvironmentLoader.load(file);
        assertEquals(profile, env.profile().name());
        Path features = RunbookFeaturesTest.ROOT.resolve("features/" + profile);
        Runbook runbook = Runbook.forProfile(env.profile().name());
        FeatureIndex index = FeatureIndex.of(features);
        List<Group> groups = groups(runbook, index, env);
        Set<String> firsts = groups.stream().map(Group::first).filter(java.util.Objects::nonNull).collect(Collectors.toSet());
        for (Runbook.Item item : runbook.items()) {
            boolean covered = item.notCovered().isPresent() || firsts.contains(item.id()) || !item.derivedFrom().isEmpty()
                    || index.byItem().get(item.id()).stream().allMatch(s -> notApplicable(s, env));
            assertTrue(covered, item + " is never the first scenario of a zone");
        }

        List<String> failures = new ArrayList<>();
        List<Long> settled = new ArrayList<>();
        List<String> restarted = new ArrayList<>();
        List<String> unsettled = new ArrayList<>();
        // this JVM's slice of the groups (every group is some slice's: the lanes of the test run them all)
        List<Group> mine = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            if (g % slice[1] == slice[0]) {
                mine.add(groups.get(g));
            }
        }
        String which = slice[1] == 1 ? profile : profile + " " + (slice[0] + 1) + "/" + slice[1];
        int i = 0;
        for (Group g : mine) {
            i++;
            progress.step(which + ": every item alone, zone " + i + "/" + mine.size() + ": " + g.tags());
            List<String> first = group(env, index, features, profile, g, progress, settled, restarted);
            if (!first.isEmpty() && first.stream().allMatch(f -> notSteady(f) || f.equals(g.name() + UNSETTLED))) {
                progress.step(g.name() + ": the zone was not steady before a scenario or after its start (" + first + "); the group runs once more on a fresh zone");
                unsettled.add(g.name() + ": " + first);
                first = group(env, index, features, profile, g, progress, settled, restarted);
            }
            failures.addAll(first);
        }
        settled.sort(Long::compare);
        if (settled.isEmpty()) {
            return failures;
        }
        String figure = which + ": containers started to settled, " + settled.size() + " fresh zones: median " + settled.get(settled.size() / 2)
                + " ms, worst " + settled.get(settled.size() - 1) + " ms, best " + settled.get(0) + " ms"
                + (restarted.isEmpty() ? "" : "; started again after a node did not finish booting: " + restarted)
                + (unsettled.isEmpty() ? "" : "; run again after the zone was not steady (after its start, or before a scenario): " + unsettled);
        progress.step(figure);
        Files.writeString(RunbookFeaturesTest.reports("alone/" + profile).resolve(slice[1] == 1 ? "settle.txt"
                : "settle-" + (slice[0] + 1) + ".txt"), figure + "\n");
        return failures;
    }

    /**
     * A group's failure when its fresh zone did not settle within its deadline after the start (seen
     * once under the CI's load, a load average of 20 on two cores: BSFG's zone for 8.6, whose scenario
     * then passed, its own first step waiting for the steady state). Like a zone not steady before a
     * scenario, the group runs once more on a fresh zone, and the settle figure says so; a second
     * zone that does not settle fails the test.
     */
    static final String UNSETTLED = ": the fresh zone did not settle";

    /**
     * A scenario that failed at its first step, the wait for the zone's steady state (the zone a
     * previous scenario of the group healed did not settle: a replica's catch-up after a partition
     * seen stalled beyond two minutes about once in a CI run), not at anything the item itself checks.
     */
    static boolean notSteady(String failure) {
        return failure.contains("FAILED not within") && failure.contains(": not steady: ");
    }

    /** One group on a fresh zone: its failures, none when every scenario passed or was skipped with a reason. */
    static List<String> group(Environment env, FeatureIndex index, Path features, String profile, Group g, Progress progress,
                              List<Long> settled, List<String> restarted) throws Exception {
        List<String> failures = new ArrayList<>();
        try (Zone zone = openFresh(env, progress, restarted)) {
            zone.settleBeforeTheNextScenarioOnly(true); // removed after its items: the last heal is not waited for
            zone.startToSettled().ifPresentOrElse(d -> settled.add(d.toMillis()),
                    () -> failures.add(g.name() + UNSETTLED));
            CucumberRun.Result result = CucumberRun.run(zone, features, g.tags(),
                    RunbookFeaturesTest.reports("alone/" + profile + "/" + g.name()), Progress.silent());
            if (result.scenarios().isEmpty()) {
                failures.add(g.name() + ": no scenario ran");
                return failures;
            }
            if (g.first() != null) {
                Set<String> names = index.byItem().get(g.first()).stream().map(FeatureIndex.Scenario::name).collect(Collectors.toSet());
                String first = result.scenarios().get(0).name();
                if (names.stream().noneMatch(first::endsWith)) {
                    failures.add(g.name() + ": the first scenario was " + first);
                }
            }
            for (CucumberRun.ScenarioResult s : result.scenarios()) {
                boolean skippedWithReason = !s.passed() && !s.status().equals("FAILED")
                        && (s.message().startsWith("not applicable to zone " + env.zone()) || s.message().startsWith("not signed"));
                if (!s.passed() && !skippedWithReason) {
                    failures.add(g.name() + ": " + s.name() + ": " + s.status() + " " + s.message());
                }
                progress.note(s.status() + " " + s.name() + " (" + s.took().toMillis() + " ms)");
            }
        }
        return failures;
    }

    /**
     * A fresh zone, started; a start whose node does not finish booting (systemd inside a container
     * under load: a unit's start job seen waiting for good, about once in a few dozen boots) is made
     * once more, said on the progress and in the settle figure, as the mutant runs do. Any other
     * failure to start, or a second one, fails the test.
     */
    static Zone openFresh(Environment env, Progress progress, List<String> restarted) {
        try {
            return Zone.open(env, Progress.silent());
        } catch (io.triad.env.InputError first) {
            if (!first.getMessage().contains("did not finish booting")) {
                throw first;
            }
            progress.step("the fresh zone did not start (" + first.getMessage() + "); starting it once more");
            restarted.add(first.getMessage());
            return Zone.open(env, Progress.silent());
        }
    }
}
