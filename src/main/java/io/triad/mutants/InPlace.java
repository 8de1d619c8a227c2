package io.triad.mutants;

import io.triad.env.Environment;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.host.Shell;
import io.triad.run.CucumberRun;
import io.triad.run.Progress;
import io.triad.zone.Roles;
import io.triad.sim.NodeFiles;
import io.triad.zone.Zone;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Mutants laid on a settled zone instead of a fresh one (a catalog's {@code in_place}: mutants whose
 * overlays only change files and the units that read them). One lane holds one such zone, of the
 * catalog's base environment, at a time:
 * <ol>
 * <li>once, when the zone has first settled: every file the harness laid on every host (its rendered
 * files) is saved on the host and fingerprinted (content, mode, owner);</li>
 * <li>per mutant: the files its overlay replaces are saved, the overlay is laid, systemd reloads and
 * the units the catalog names are restarted on the overlay's hosts; the zone is disturbed and
 * settles as after a start (or does not: the scenarios judge it, as on a fresh zone); its scenarios
 * run;</li>
 * <li>the mutant is taken off: its units stopped, its files put back (those it added removed, the
 * directories it made too), every rendered file its units changed put back from the save, the units
 * that ran before started again; the zone settles;</li>
 * <li>the zone is proven back: every rendered file's fingerprint and every replaced file's as before
 * the mutant, the named units in the state they were, the steady state held. A zone that is not
 * back is closed, said so, and the next mutant gets a zone of its own.</li>
 * </ol>
 * A mutant that changes the first boot, the images, the boot order or the environment's settings
 * keeps a fresh zone of its own (the catalog does not mark it {@code in_place}). A run in place
 * that "failed otherwise" runs once more on a fresh zone ({@link Mutants#runJudged}).
 */
public final class InPlace implements AutoCloseable {

    /** Where a host keeps the saved files (its own /var/tmp: not the harness's, not a volume). */
    static final String DIR = "/var/tmp/triad-in-place";

    private final Progress progress;
    private Zone zone;
    private Path catalog;
    /** The settings the zone was built with ({@link Mutants.Mutant#inPlaceGroup}). */
    private String group = "";
    private int offset;
    /** Every host's fingerprint of its rendered files, taken when the zone first settled. */
    private Map<String, String> baseline = Map.of();
    private int mutantsLaid;

    /** What the last mutant taken off left not back (null: the zone was back). */
    private String lastNotBack;
    /** The zone's moving role, when its profile has one (its recipe is {@link Roles}); null when it has none. */
    private Roles roles;
    /** Who held {@link #roles} when the zone settled at its start: null when its profile has none. */
    private String home;

    /** What was not back after the last mutant was taken off, if anything (the zone was closed then). */
    public Optional<String> lastNotBack() {
        return Optional.ofNullable(lastNotBack);
    }

    /** Whether the lane holds a zone for mutants in place now. */
    public boolean holdsZone() {
        return zone != null;
    }

    public InPlace(Progress progress) {
        this.progress = progress;
    }

    /** What a run in place found: its scenarios (null when the mutant could not be laid: a fresh zone then), and its phases. */
    record Laid(List<CucumberRun.ScenarioResult> scenarios, String whyNot, Map<String, Long> phases) { }

    /**
     * Runs the mutant's scenarios on this lane's zone of the catalog (started when it holds none, or
     * one of another catalog), then takes the mutant off and proves the zone back. Empty when the
     * mutant could not be laid in place (its zone did not start or settle): the caller runs it on a
     * fresh zone.
     */
    Optional<Mutants.Run> run(Mutants catalogue, Mutants.Mutant m, int offset, Path features, Path reports) {
        long t0 = System.nanoTime();
        if (zone != null && (!catalogue.path().equals(catalog) || this.offset != offset || !m.inPlaceGroup().equals(group))) {
            closeZone(catalogue.path().equals(catalog) ? "the next mutant needs other settings (" + describe(m.inPlaceGroup()) + ")"
                    : "the next mutant is of another catalog");
        }
        long baseMs = 0;
        if (zone == null) {
            long opening = System.nanoTime();
            if (!open(catalogue, m, offset)) {
                return Optional.empty();
            }
            baseMs = (System.nanoTime() - opening) / 1_000_000;
        }
        Map<String, Long> phases = new LinkedHashMap<>();
        phases.put("base_zone_ms", baseMs);
        Map<Host, Overlay> laid = new LinkedHashMap<>();
        long laying = System.nanoTime();
        try {
            for (var e : m.overlays().entrySet()) {
                for (Host h : hostsOf(e.getKey())) {
                    laid.put(h, lay(h, e.getValue(), m.restart()));
                }
            }
        } catch (RuntimeException | AssertionError e) {
            progress.step("mutant " + m.name() + ": could not be laid in place (" + e.getMessage() + "); its zone is closed,"
                    + " the mutant runs on a fresh zone");
            laid.forEach((h, o) -> takeOffQuietly(h, o));
            closeZone("a mutant could not be laid on it");
            return Optional.empty();
        }
        progress.step("mutant " + m.name() + (laid.isEmpty() ? " in place: nothing laid, only judged with its settings"
                : " laid in place on " + laid.keySet().stream().map(Host::name).toList()
                + (m.restart().isEmpty() ? ", files only (no unit reads them, none restarted)" : ", restarted " + m.restart()))
                + " (mutant " + (++mutantsLaid) + " on this zone)");
        if (!m.restart().isEmpty()) {
            zone.reshaped(); // files no unit reads disturb nothing: the zone is looked at once, not held steady again
        }
        long settling = System.nanoTime();
        try {
            awaitIdle(laid.keySet());
        } catch (RuntimeException | AssertionError e) {
            // as a fresh zone whose node does not finish booting is not run: no verdict here, a fresh zone gives one
            progress.step("mutant " + m.name() + ": laid in place, its hosts did not come to rest (" + e.getMessage()
                    + "); its zone is closed, the mutant runs on a fresh zone");
            closeZone("its hosts did not come to rest after " + m.name() + " was laid");
            return Optional.empty();
        }
        zone.settle("the mutant " + m.name() + " was laid in place");
        long running = System.nanoTime();
        phases.put("up_ms", (settling - laying) / 1_000_000);
        phases.put("settle_ms", (running - settling) / 1_000_000);
        Path dir = features != null ? features : Path.of(zone.env().profile().featuresDir());
        CucumberRun.Result result;
        zone.settleBeforeTheNextScenarioOnly(true); // the take-off below settles the zone: the last heal is not waited for twice
        try (Zone.Judging judged = m.judgedWith().isEmpty() ? () -> { } : zone.judgedWith(catalogue.judgedEnvironment(m, offset))) {
            if (!m.judgedWith().isEmpty()) {
                progress.step("mutant " + m.name() + ": judged with " + m.judgedWith() + " (the zone as built, the harness's settings changed)");
            }
            result = CucumberRun.run(zone, dir, m.scenarios(), reports, progress, true);
        } finally {
            zone.settleBeforeTheNextScenarioOnly(false);
        }
        long off = System.nanoTime();
        phases.put("scenarios_ms", (off - running) / 1_000_000);
        String notBack;
        try {
            notBack = takeOffAndProve(m, laid);
        } catch (RuntimeException | AssertionError e) {
            notBack = "taking it off failed: " + e.getMessage();
        }
        phases.put("teardown_ms", (System.nanoTime() - off) / 1_000_000);
        phases.put("total_ms", (System.nanoTime() - t0) / 1_000_000);
        lastNotBack = notBack;
        if (notBack != null) {
            progress.step("mutant " + m.name() + ": the zone is not back after it was taken off (" + notBack
                    + "); the zone is closed, the next mutant gets a zone of its own");
            closeZone("not back after " + m.name());
        } else {
            progress.step("mutant " + m.name() + " taken off: the zone is back (its rendered files as they were, the units"
                    + " as they were, steady)");
        }
        phases.put("in_place", 1L);
        io.triad.run.TimeSplit.record("mutant", catalogue.name() + "/" + m.name(), phases);
        return Optional.of(new Mutants.Run(result.scenarios(), null, Duration.ofNanos(System.nanoTime() - t0)));
    }

    /** Whether the lane's zone is the one for mutants in place of this catalog with these settings ({@link Mutants.Mutant#inPlaceGroup}). */
    public boolean holds(Path catalogPath, String inPlaceGroup) {
        return zone != null && catalogPath.equals(catalog) && inPlaceGroup.equals(group);
    }

    private static String describe(String group) {
        return group.isEmpty() ? "none" : group;
    }

    /**
     * The lane's zone of the catalog with the mutant's settings, started and fingerprinted; false
     * (nothing left running) when it did not start or settle.
     */
    private boolean open(Mutants catalogue, Mutants.Mutant m, int offset) {
        Environment env = catalogue.inPlaceEnvironment(m, offset);
        try {
            zone = Zone.open(env, progress);
        } catch (RuntimeException | AssertionError e) {
            progress.step("the zone for mutants in place did not start (" + e.getMessage() + "); the mutant runs on a fresh zone");
            zone = null;
            return false;
        }
        if (zone.notSettled().isPresent() || zone.simulation().isEmpty()) {
            progress.step("the zone for mutants in place did not settle (" + zone.notSettled().orElse("not simulated")
                    + "); the mutant runs on a fresh zone");
            closeZone("it did not settle");
            return false;
        }
        catalog = catalogue.path();
        group = m.inPlaceGroup();
        this.offset = offset;
        mutantsLaid = 0;
        Map<String, String> prints = new LinkedHashMap<>();
        try {
            for (Host h : allHosts()) {
                List<String> paths = zone.simulation().get().laidFiles(h.name());
                CommandResult r = h.exec("set -e; rm -rf " + DIR + "; mkdir -p " + DIR + "; cd /; " + saveBase(paths), Duration.ofSeconds(60));
                if (!r.ok()) {
                    throw new AssertionError("its files could not be saved on " + h.name() + ": " + r.stderr().strip());
                }
                prints.put(h.name(), fingerprint(h, paths));
            }
        } catch (RuntimeException | AssertionError e) {
            progress.step("the zone for mutants in place: " + e.getMessage() + "; the mutant runs on a fresh zone");
            closeZone("its files could not be saved");
            return false;
        }
        baseline = prints;
        home = null;
        roles = zone.env().profile().recipe() instanceof Roles r ? r : null;
        if (roles != null) {
            java.util.Optional<String> holder = roles.holder(zone);
            if (holder.isEmpty()) {
                progress.step("the zone for mutants in place: no one node holds " + roles.role() + " once settled; the mutant runs on a fresh zone");
                closeZone("no one node holds " + roles.role());
                return false;
            }
            home = holder.get();
        }
        progress.step("the zone for mutants in place is settled" + (group.isEmpty() ? "" : " (built with " + group + ")") + "; "
                + prints.size() + " hosts' laid files saved and fingerprinted");
        return true;
    }

    /** The shell that saves the files the harness laid (those there now) in DIR/base.tar, owners and modes kept. */
    static String saveBase(List<String> paths) {
        StringBuilder s = new StringBuilder(": > " + DIR + "/base.list; for p in");
        paths.forEach(p -> s.append(' ').append(Shell.quote(p.substring(1))));
        s.append("; do if [ -e \"$p\" ] || [ -L \"$p\" ]; then echo \"$p\" >> " + DIR + "/base.list; fi; done;"
                + " tar -cpf " + DIR + "/base.tar --no-recursion -T " + DIR + "/base.list");
        return s.toString();
    }

    /**
     * The fingerprint of files on a host: per path, its mode, owner, group and SHA-256 (a link: its
     * target), or "absent"; one line each, in the order given.
     */
    static String fingerprint(Host h, List<String> paths) {
        if (paths.isEmpty()) {
            return "";
        }
        CommandResult r = h.exec(fingerprintCommand(paths), Duration.ofSeconds(60));
        if (!r.stdout().contains(SUMS + "\n")) {
            throw new AssertionError("cannot fingerprint the files on " + h.name() + ": " + r.stderr().strip());
        }
        return fingerprintOf(paths, r.stdout());
    }

    private static final String SUMS = "--sums--";

    /** The shell that fingerprints files: two commands whatever their number (a fork per file cost seconds a mutant). */
    static String fingerprintCommand(List<String> paths) {
        String quoted = String.join(" ", paths.stream().map(Shell::quote).toList());
        return "cd /; find " + quoted + " -maxdepth 0 -printf '%m\\t%U\\t%G\\t%y\\t%l\\t%p\\n' 2>/dev/null;"
                + " echo " + SUMS + "; find " + quoted + " -maxdepth 0 -type f -print0 2>/dev/null | xargs -0r sha256sum";
    }

    /**
     * The fingerprint of {@code paths} from the answer of {@link #fingerprint}'s command: per path, in
     * the order given, "MODE UID GID SHA256 PATH", "link TARGET PATH", or "absent PATH".
     */
    static String fingerprintOf(List<String> paths, String answer) {
        int cut = answer.indexOf(SUMS + "\n");
        Map<String, String[]> found = new LinkedHashMap<>();
        for (String line : answer.substring(0, Math.max(0, cut)).split("\n")) {
            String[] f = line.split("\t", 6);
            if (f.length == 6) {
                found.put(f[5], f);
            }
        }
        Map<String, String> sums = new LinkedHashMap<>();
        for (String line : answer.substring(cut + SUMS.length() + 1).split("\n")) {
            int sep = line.indexOf("  ");
            if (sep == 64) {
                sums.put(line.substring(sep + 2), line.substring(0, 64));
            }
        }
        StringBuilder out = new StringBuilder();
        for (String p : paths) {
            String[] f = found.get(p);
            if (f == null) {
                out.append("absent ").append(p);
            } else if (f[3].equals("l")) {
                out.append("link ").append(f[4]).append(' ').append(p);
            } else {
                out.append(f[0]).append(' ').append(f[1]).append(' ').append(f[2]).append(' ')
                        .append(f[3].equals("f") ? sums.getOrDefault(p, "unreadable") : "type-" + f[3]).append(' ').append(p);
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** One overlay laid on one host: the paths it lays, the directories it made, the units and their states before. */
    record Overlay(List<String> paths, List<String> madeDirs, Map<String, String> unitsBefore, String before, String dirsBefore) { }

    /** Every directory above the paths, but "/". */
    static Set<String> dirsOf(List<String> paths) {
        Set<String> dirs = new LinkedHashSet<>();
        for (String p : paths) {
            for (Path d = Path.of(p).getParent(); d != null && !d.toString().equals("/"); d = d.getParent()) {
                dirs.add(d.toString());
            }
        }
        return dirs;
    }

    /** The directories the paths are in. */
    static Set<String> parentsOf(List<String> paths) {
        Set<String> dirs = new LinkedHashSet<>();
        paths.forEach(p -> dirs.add(Path.of(p).getParent().toString()));
        return dirs;
    }

    /**
     * What the directories the overlay lays into hold (one line per entry, "dir/name"), those that
     * exist: a file a mutant's unit left beside its own (a second drop-in) is in no fingerprint of
     * paths, and is seen here.
     */
    static String listing(Host h, Set<String> dirs) {
        if (dirs.isEmpty()) {
            return "";
        }
        CommandResult r = h.exec("for d in " + String.join(" ", dirs.stream().map(Shell::quote).toList())
                + "; do [ -d \"$d\" ] && ls -A1 \"$d\" | sed \"s|^|$d/|\"; done; true", Duration.ofSeconds(30));
        return r.stdout();
    }

    private Overlay lay(Host h, Path dir, List<String> units) {
        NodeFiles files = new NodeFiles().overlay(dir);
        List<String> paths = List.copyOf(files.entries().keySet());
        Set<String> dirs = dirsOf(paths);
        String before = fingerprint(h, paths);
        String dirsBefore = listing(h, parentsOf(paths));
        StringBuilder save = new StringBuilder("set -e; mkdir -p " + DIR + "; cd /; rm -f " + DIR + "/mutant.*; : > " + DIR + "/mutant.list;"
                + " : > " + DIR + "/mutant.dirs; for p in");
        paths.forEach(p -> save.append(' ').append(Shell.quote(p.substring(1))));
        save.append("; do if [ -e \"$p\" ] || [ -L \"$p\" ]; then echo \"$p\" >> " + DIR + "/mutant.list; fi; done;"
                + " tar -cpf " + DIR + "/mutant.tar --no-recursion -T " + DIR + "/mutant.list; for d in");
        dirs.forEach(d -> save.append(' ').append(Shell.quote(d)));
        save.append("; do [ -d \"$d\" ] || echo \"$d\" >> " + DIR + "/mutant.dirs; done; cat " + DIR + "/mutant.dirs");
        CommandResult saved = h.exec(save.toString(), Duration.ofSeconds(60));
        if (!saved.ok()) {
            throw new AssertionError("the files the mutant replaces could not be saved on " + h.name() + ": " + saved.stderr().strip());
        }
        List<String> made = saved.stdout().lines().filter(l -> !l.isBlank()).toList();
        Map<String, String> states = unitStates(h, units);
        zone.simulation().get().lay(h.name(), files.tar());
        CommandResult restarted = h.exec(restartScript(states), Duration.ofSeconds(60));
        Overlay laid = new Overlay(paths, made, states, before, dirsBefore);
        if (!restarted.ok()) {
            takeOffQuietly(h, laid);
            throw new AssertionError("systemd on " + h.name() + " did not take the restart of " + units + ": " + restarted.stderr().strip());
        }
        return laid;
    }

    /**
     * The shell that restarts what a mutant's files change, as a boot with them would have started
     * it: the named units that ran are restarted, those the overlay adds (not loaded before) are
     * started, those that did not run (a unit started only by a promotion, a job) stay as they are.
     */
    static String restartScript(Map<String, String> states) {
        List<String> ran = states.entrySet().stream().filter(e -> ran(e.getValue())).map(Map.Entry::getKey).toList();
        List<String> added = states.entrySet().stream().filter(e -> e.getValue().startsWith("not-found ")).map(Map.Entry::getKey).toList();
        return "systemctl daemon-reload"
                + (ran.isEmpty() ? "" : " && systemctl restart --no-block " + String.join(" ", ran.stream().map(Shell::quote).toList()))
                + (added.isEmpty() ? "" : " && systemctl start --no-block " + String.join(" ", added.stream().map(Shell::quote).toList()));
    }

    /** Whether a unit's state ("LoadState ActiveState") is one of a unit that runs. */
    static boolean ran(String state) {
        String active = state.substring(state.indexOf(' ') + 1);
        return active.equals("active") || active.equals("activating") || active.equals("reloading");
    }

    /** Each unit's "LoadState ActiveState" on the host, by unit. */
    private static Map<String, String> unitStates(Host h, List<String> units) {
        Map<String, String> states = new LinkedHashMap<>();
        if (units.isEmpty()) {
            return states;
        }
        CommandResult r = h.exec("for u in " + String.join(" ", units.stream().map(Shell::quote).toList())
                + "; do echo \"$u $(systemctl show -P LoadState \"$u\") $(systemctl show -P ActiveState \"$u\")\"; done",
                Duration.ofSeconds(30));
        for (String line : r.stdout().lines().toList()) {
            String[] f = line.strip().split(" ", 2);
            if (f.length == 2) {
                states.put(f[0], f[1]);
            }
        }
        return states;
    }

    /** The shell that takes a mutant's overlay off a host and puts back what the harness laid. */
    static String takeOffScript(Overlay o) {
        String units = String.join(" ", o.unitsBefore().keySet().stream().map(Shell::quote).toList());
        StringBuilder s = new StringBuilder("cd /; ");
        if (!units.isEmpty()) {
            s.append("systemctl stop ").append(units).append(" 2>/dev/null; ");
        }
        s.append("rm -f");
        o.paths().forEach(p -> s.append(' ').append(Shell.quote(p)));
        s.append("; tar -xpf " + DIR + "/mutant.tar; ");
        // a unit the mutant added, stopped, may have ended "failed" (a program that exits non-zero on
        // SIGTERM): with its file gone it would stay loaded as a failed unit and the host "degraded"
        List<String> added = o.unitsBefore().entrySet().stream().filter(e -> e.getValue().startsWith("not-found "))
                .map(e -> Shell.quote(e.getKey())).toList();
        if (!added.isEmpty()) {
            s.append("systemctl reset-failed ").append(String.join(" ", added)).append(" 2>/dev/null; ");
        }
        List<String> made = new ArrayList<>(o.madeDirs());
        made.sort(java.util.Comparator.comparingInt(String::length).reversed()); // the deepest first
        for (String d : made) {
            s.append("rmdir ").append(Shell.quote(d)).append(" 2>/dev/null; ");
        }
        return s.toString();
    }

    /**
     * Takes the mutant off every host it was laid on, puts back every rendered file that changed
     * (on every host), starts again the units that ran before, waits for the zone to settle, and
     * proves it back. Null when it is back, else what is not.
     */
    private String takeOffAndProve(Mutants.Mutant m, Map<Host, Overlay> laid) {
        List<String> notBack = new ArrayList<>();
        for (var e : laid.entrySet()) {
            CommandResult r = e.getKey().exec(takeOffScript(e.getValue()), Duration.ofSeconds(120));
            if (!r.ok() && !r.stderr().isBlank()) {
                notBack.add("taking it off " + e.getKey().name() + ": " + r.stderr().strip());
            }
        }
        for (Host h : allHosts()) {
            // the rendered files a mutant's unit changed (a sed -i before a start) are put back from the save
            String was = baseline.getOrDefault(h.name(), "");
            List<String> changed = changedPaths(was, fingerprint(h, zone.simulation().get().laidFiles(h.name())));
            if (changed.isEmpty()) {
                continue;
            }
            Set<String> absentBefore = new LinkedHashSet<>();
            was.lines().filter(l -> l.startsWith("absent ")).forEach(l -> absentBefore.add(l.substring(7)));
            List<String> saved = changed.stream().filter(p -> !absentBefore.contains(p)).toList();
            CommandResult r = h.exec("cd /; rm -f " + String.join(" ", changed.stream().map(Shell::quote).toList())
                    + (saved.isEmpty() ? "" : "; tar -xpf " + DIR + "/base.tar " + String.join(" ", saved.stream()
                    .map(p -> Shell.quote(p.substring(1))).toList())), Duration.ofSeconds(60));
            if (!r.ok()) {
                notBack.add("putting back " + h.name() + "'s files " + changed + ": " + r.stderr().strip());
            } else {
                progress.note("put back on " + h.name() + " from the save: " + changed);
            }
        }
        for (var e : laid.entrySet()) {
            List<String> wereActive = e.getValue().unitsBefore().entrySet().stream().filter(u -> ran(u.getValue()))
                    .map(Map.Entry::getKey).toList();
            CommandResult r = e.getKey().exec("systemctl daemon-reload" + (wereActive.isEmpty() ? ""
                    : " && systemctl start --no-block " + String.join(" ", wereActive.stream().map(Shell::quote).toList())),
                    Duration.ofSeconds(60));
            if (!r.ok()) {
                notBack.add("starting " + wereActive + " again on " + e.getKey().name() + ": " + r.stderr().strip());
            }
        }
        if (!m.restart().isEmpty()) {
            zone.reshaped();
        }
        awaitIdle(laid.keySet());
        handBack(m, notBack);
        zone.settle("the mutant " + m.name() + " was taken off");
        if (home != null) {
            java.util.Optional<String> holder = roles.holder(zone);
            if (!holder.equals(java.util.Optional.of(home))) {
                notBack.add(roles.role() + " is " + holder.orElse("no one node") + ", not " + home + " as at the zone's start");
            }
        }
        zone.notSettled().ifPresent(why -> notBack.add("the zone did not settle " + why));
        for (Host h : allHosts()) {
            String now = fingerprint(h, zone.simulation().get().laidFiles(h.name()));
            String was = baseline.get(h.name());
            if (!now.equals(was)) {
                notBack.add(h.name() + "'s laid files differ: " + differences(was, now));
            }
        }
        for (var e : laid.entrySet()) {
            Host h = e.getKey();
            Overlay o = e.getValue();
            String now = fingerprint(h, o.paths());
            if (!now.equals(o.before())) {
                notBack.add("the files the mutant laid on " + h.name() + " are not as before it: " + differences(o.before(), now));
            }
            String listed = listing(h, parentsOf(o.paths()));
            if (!listed.equals(o.dirsBefore())) {
                notBack.add("the directories the mutant laid into on " + h.name() + " do not hold what they held: "
                        + differences(o.dirsBefore(), listed));
            }
            Map<String, String> states = unitStates(h, List.copyOf(o.unitsBefore().keySet()));
            if (!states.equals(o.unitsBefore())) {
                notBack.add("the units on " + h.name() + " were " + o.unitsBefore() + ", now " + states);
            }
        }
        return notBack.isEmpty() ? null : String.join("; ", notBack);
    }

    /**
     * Hands the zone's moving role back to the node that held it at the zone's start when the
     * mutant's scenarios moved it (a failover drill, a rotation), the runbook's way (a switchover),
     * so that the next mutants find the zone as built: their overlays and messages name its nodes.
     * What failed goes to {@code notBack} (the zone is closed then).
     */
    private void handBack(Mutants.Mutant m, List<String> notBack) {
        if (home == null) {
            return;
        }
        long t0 = System.nanoTime();
        java.util.Optional<String> holder = roles.holder(zone);
        if (holder.equals(java.util.Optional.of(home))) {
            return;
        }
        if (holder.isEmpty()) {
            // a drill's node may still be rejoining: the settling below waits for one primary, and the holder is read again
            zone.settle("the mutant " + m.name() + " was taken off, before " + roles.role() + " is handed back");
            holder = roles.holder(zone);
            if (holder.isEmpty() || holder.get().equals(home)) {
                return;
            }
        }
        progress.step("mutant " + m.name() + " left " + roles.role() + " on " + holder.get() + " (" + home
                + " at the zone's start): handing it back with a switchover");
        try {
            zone.settle("the mutant " + m.name() + " was taken off, before " + roles.role() + " is handed back");
            roles.handTo(zone, home);
            zone.reshaped(); // the settling below waits for the zone after the switchover, held steady as after a start
            progress.note(roles.role() + " handed back to " + home + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        } catch (RuntimeException | AssertionError e) {
            notBack.add(roles.role() + " could not be handed back to " + home + ": " + e.getMessage());
        }
    }

    /** The paths (the last field of a fingerprint's line) whose line in {@code now} is not in {@code was}. */
    static List<String> changedPaths(String was, String now) {
        Set<String> before = new LinkedHashSet<>(was.lines().toList());
        Set<String> paths = new LinkedHashSet<>();
        for (String line : now.lines().toList()) {
            if (!before.contains(line)) {
                paths.add(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return List.copyOf(paths);
    }

    /** The lines of {@code now} not in {@code was}, at most five. */
    static String differences(String was, String now) {
        Set<String> before = new LinkedHashSet<>(was == null ? List.of() : was.lines().toList());
        List<String> changed = now.lines().filter(l -> !before.contains(l)).toList();
        return changed.isEmpty() ? "(lines missing)" : String.join(", ", changed.subList(0, Math.min(5, changed.size())))
                + (changed.size() > 5 ? " and " + (changed.size() - 5) + " more" : "");
    }

    /** Returns once every host the mutant was laid on is at rest after its units were restarted ({@link Zone#awaitIdle}), all at once. */
    private void awaitIdle(java.util.Collection<Host> hosts) {
        zone.onEach(List.copyOf(hosts), h -> {
            Zone.awaitIdle(h);
            return h;
        });
    }

    private void takeOffQuietly(Host h, Overlay o) {
        try {
            h.exec(takeOffScript(o), Duration.ofSeconds(60));
        } catch (RuntimeException | AssertionError ignored) {
            // the zone is closed next
        }
    }

    private List<Host> hostsOf(String key) {
        if (key.equals("all")) {
            return zone.hosts();
        }
        return List.of(zone.env().hosts().stream().anyMatch(h -> h.name().equals(key)) ? zone.host(key) : zone.supportHost(key));
    }

    private List<Host> allHosts() {
        List<Host> all = new ArrayList<>(zone.hosts());
        zone.env().supportHosts().forEach(h -> all.add(zone.supportHost(h.name())));
        return all;
    }

    private void closeZone(String why) {
        if (zone != null) {
            progress.note("closing the zone for mutants in place: " + why);
            try {
                zone.close();
            } catch (RuntimeException e) {
                progress.step("WARNING: the zone for mutants in place did not close cleanly: " + e.getMessage());
            }
        }
        zone = null;
        catalog = null;
        baseline = Map.of();
    }

    /** Closes the lane's zone, if it holds one. */
    @Override
    public void close() {
        closeZone("the lane is done");
    }

    /** Closes the zone it holds, if any, saying why. */
    public void close(String why) {
        if (zone != null) {
            closeZone(why);
        }
    }
}
