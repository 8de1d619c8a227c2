package io.triad.run;

import io.triad.runbook.Ledger;
import io.triad.runbook.Runbook;
import io.triad.zone.Zone;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the features on the JUnit Platform (Cucumber's engine) against an opened zone and
 * collects a verdict per scenario. Undefined and pending steps fail the scenario (Cucumber is
 * strict), whatever a report plugin shows.
 */
public final class CucumberRun {

    /** The outcome of one scenario. */
    public record ScenarioResult(String name, String status, String message, Duration took) {
        public boolean passed() {
            return status.equals("PASSED");
        }
    }

    /** The outcome of the run, and the halts that stopped it (see {@link Ledger}). */
    public record Result(List<ScenarioResult> scenarios, List<Ledger.Halt> halts, boolean continuedPastHalt,
                         Ledger ledger) {
        public Result(List<ScenarioResult> scenarios) {
            this(scenarios, List.of(), false, null);
        }

        public boolean halted() {
            return !halts.isEmpty();
        }

        public long failed() {
            return scenarios.stream().filter(s -> s.status().equals("FAILED")).count();
        }

        public long passed() {
            return scenarios.stream().filter(ScenarioResult::passed).count();
        }

        public long skipped() {
            return scenarios.stream().filter(s -> s.status().equals("SKIPPED") || s.status().equals("ABORTED")).count();
        }

        public int exitCode() {
            if (scenarios.isEmpty()) {
                return ExitCodes.FAILED;
            }
            return failed() > 0 ? ExitCodes.FAILED : ExitCodes.PASSED;
        }

        public ScenarioResult scenario(String name) {
            return scenarios.stream().filter(s -> s.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no scenario named '" + name + "' in " + scenarios));
        }
    }

    /** The Allure results of a run, under its run directory. */
    public static final String ALLURE_RESULTS = "allure-results";

    private CucumberRun() { }

    public static Result run(Zone zone, Path features, String tags, Path reportDir, Progress progress) {
        return run(zone, features, tags, reportDir, progress, false);
    }

    /**
     * Runs the features. A failed item with a "Halt if" rule stops the later sections (reported as
     * not run); with {@code continuePastHalt} they run anyway, for diagnosis, and the result says so.
     */
    public static Result run(Zone zone, Path features, String tags, Path reportDir, Progress progress,
                             boolean continuePastHalt) {
        return run(zone, features, tags, reportDir, progress, continuePastHalt, java.util.Set.of());
    }

    /** As above; {@code waived} are the items with a waiver in force, whose failure puts no halt in force. */
    public static Result run(Zone zone, Path features, String tags, Path reportDir, Progress progress,
                             boolean continuePastHalt, java.util.Set<String> waived) {
        return run(zone, features, tags, reportDir, progress, continuePastHalt, waived, 1);
    }

    /**
     * As above, with up to {@code jobs} scenarios that only read the zone running side by side
     * ({@link Turns}: those that need the zone to itself run alone; every scenario ends, and is
     * recorded, in the run's order).
     */
    public static Result run(Zone zone, Path features, String tags, Path reportDir, Progress progress,
                             boolean continuePastHalt, java.util.Set<String> waived, int jobs) {
        return launch(zone, features, tags, reportDir, progress, continuePastHalt, waived, jobs, List.of(
                "json:" + reportDir.resolve("cucumber.json"),
                "html:" + reportDir.resolve("cucumber.html"),
                "junit:" + reportDir.resolve("junit.xml"),
                "message:" + reportDir.resolve("cucumber.ndjson"),
                AllurePlugin.class.getName() + ":" + reportDir.resolve(ALLURE_RESULTS),
                LedgerPlugin.class.getName()));
    }

    /**
     * A dry run of the features on a planning zone ({@link Zone#plan}): the plan is printed by
     * {@link io.triad.plan.PlanPlugin}; no report is written.
     */
    public static Result plan(Zone zone, Path features, String tags, Progress progress) {
        return launch(zone, features, tags, null, progress, true, java.util.Set.of(), 1, List.of(
                io.triad.plan.PlanPlugin.class.getName(), LedgerPlugin.class.getName()));
    }

    /**
     * Runs the features. With several jobs and no scenario that applies a fault among those the
     * tags select, scenarios that read the zone do not wait for the earlier ones whose failure
     * would halt them ({@link Turns}, optimistic): when a halt then applies to one that ran, the
     * run is made again one scenario after the other (its results and reports replace the first
     * run's; the command log keeps both), so the outcome is always that of such a run.
     */
    private static Result launch(Zone zone, Path features, String tags, Path reportDir, Progress progress,
                                 boolean continuePastHalt, java.util.Set<String> waived, int jobs, List<String> plugins) {
        boolean optimistic = jobs > 1 && !continuePastHalt && readsOnly(features, tags);
        Runbook runbook = Runbook.forProfile(zone.env().profile().name());
        Turns turns = new Turns(jobs, runbook, optimistic);
        Result result = launch(zone, features, tags, reportDir, progress, continuePastHalt, waived, turns, plugins);
        if (turns.ranUnderHalt().isEmpty()) {
            return result;
        }
        List<String> under = turns.ranUnderHalt();
        progress.step("a halt applies to " + under.size() + " scenario(s) that read the zone beside those before them ("
                + String.join("; ", under.subList(0, Math.min(3, under.size()))) + (under.size() > 3 ? "; and " + (under.size() - 3)
                + " more" : "") + "): the run is made again, one scenario after the other, so that the halt keeps them from"
                + " running as the runbook says");
        if (reportDir != null) {
            deleteTree(reportDir.resolve(ALLURE_RESULTS)); // the first run's results, not this run's
        }
        return launch(zone, features, tags, reportDir, progress, continuePastHalt, waived, new Turns(1, runbook), plugins);
    }

    /** Whether none of the scenarios {@code tags} selects applies a fault ({@code @disruptive}, {@code @fault:}, {@code @drill:}). */
    static boolean readsOnly(Path features, String tags) {
        io.cucumber.tagexpressions.Expression wanted = tags == null || tags.isBlank() ? t -> true
                : io.cucumber.tagexpressions.TagExpressionParser.parse(tags);
        return io.triad.report.FeatureIndex.of(features).scenarios().stream().filter(s -> wanted.evaluate(s.tags()))
                .noneMatch(s -> s.tags().stream().anyMatch(t -> t.equals("@disruptive") || t.startsWith("@fault:") || t.startsWith("@drill:")));
    }

    private static void deleteTree(Path dir) {
        if (!java.nio.file.Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> walk = java.nio.file.Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(p);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot remove the first run's results " + dir, e);
        }
    }

    private static Result launch(Zone zone, Path features, String tags, Path reportDir, Progress progress,
                                 boolean continuePastHalt, java.util.Set<String> waived, Turns turns, List<String> plugins) {
        int jobs = turns.jobs();
        Runbook runbook = Runbook.forProfile(zone.env().profile().name());
        Ledger ledger = new Ledger(runbook, continuePastHalt, waived);
        Run run = new Run(zone, ledger, reportDir, turns);
        zone.clearStop();
        List<ScenarioResult> results = Collections.synchronizedList(new ArrayList<>());
        Map<String, Long> started = new ConcurrentHashMap<>();
        Map<String, String> unsettledAtStart = new ConcurrentHashMap<>();
        Map<String, Long> workMs = new ConcurrentHashMap<>();
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectDirectory(features.toFile()))
                .configurationParameter("cucumber.glue", String.join(",", zone.env().profile().glue()))
                .configurationParameter("cucumber.publish.quiet", "true")
                .configurationParameter("cucumber.junit-platform.naming-strategy", "long")
                .configurationParameter("cucumber.plugin", String.join(",", plugins));
        if (tags != null && !tags.isBlank()) {
            request.configurationParameter("cucumber.filter.tags", tags);
        }
        if (jobs > 1) {
            request.configurationParameter("cucumber.execution.parallel.enabled", "true")
                    .configurationParameter("cucumber.execution.parallel.config.strategy", "fixed")
                    .configurationParameter("cucumber.execution.parallel.config.fixed.parallelism", String.valueOf(jobs))
                    .configurationParameter("cucumber.execution.parallel.config.fixed.max-pool-size", String.valueOf(jobs + 1024));
        }
        LauncherDiscoveryRequest discovery = request.build();
        Launcher launcher = LauncherFactory.create();
        TestPlan[] plan = new TestPlan[1];
        try (Run.Binding bound = run.bind()) {
            launcher.execute(discovery, new TestExecutionListener() {
                @Override
                public void testPlanExecutionStarted(TestPlan testPlan) {
                    plan[0] = testPlan;
                    turns.plan(testPlan, jobs > 1 && reportDir != null ? lastTimes(reportDir) : Map.of());
                }

                @Override
                public void executionStarted(TestIdentifier id) {
                    if (id.isTest()) {
                        // on the thread that runs the scenario, before its hooks: when it may start (Turns)
                        turns.awaitStart(id.getUniqueId());
                        started.put(id.getUniqueId(), System.nanoTime());
                        zone.notSettled().ifPresent(why -> unsettledAtStart.put(id.getUniqueId(), why));
                        if (turns.besideOthers()) {
                            progress.hold(); // its lines as one block, printed when it ends (in the run's order)
                        }
                        progress.step("scenario: " + id.getDisplayName());
                    }
                }

                @Override
                public void executionSkipped(TestIdentifier id, String reason) {
                    if (id.isTest() && !String.valueOf(reason).contains("cucumber.filter.tags")) { // not selected: not part of the run
                        results.add(new ScenarioResult(id.getDisplayName(), "SKIPPED", reason, Duration.ZERO));
                        progress.note("SKIPPED: " + reason);
                    }
                    turns.finished(id, plan[0]);
                }

                @Override
                public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                    if (!id.isTest()) {
                        turns.finished(id, plan[0]); // a feature that failed as a whole reports none of its scenarios
                        return;
                    }
                    try {
                        ended(id, result);
                    } finally {
                        progress.release();
                        turns.finished(id, plan[0]);
                    }
                }

                private void ended(TestIdentifier id, TestExecutionResult result) {
                    long t0 = started.getOrDefault(id.getUniqueId(), System.nanoTime());
                    // its own work: not the wait, beside others, for the scenarios before it to end
                    Duration took = Duration.ofNanos(turns.workEnded().orElse(System.nanoTime()) - t0);
                    String status = switch (result.getStatus()) {
                        case SUCCESSFUL -> "PASSED";
                        case ABORTED -> "ABORTED";
                        case FAILED -> "FAILED";
                    };
                    String message = result.getThrowable().map(CucumberRun::message).orElse("");
                    if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                        message = failureClass(result.getThrowable().orElse(null), unsettledAtStart.get(id.getUniqueId())) + message;
                    }
                    results.add(new ScenarioResult(id.getDisplayName(), status, message, took));
                    workMs.put(id.getUniqueId(), took.toMillis());
                    progress.note(status + " in " + took.toMillis() + " ms" + (message.isEmpty() ? "" : ": " + message));
                }
            });
        }
        if (reportDir != null) {
            keepTimes(reportDir, workMs);
        }
        return new Result(List.copyOf(results), ledger.halts(), continuePastHalt, ledger);
    }

    /**
     * How long each scenario's own work took in the runs under the same reports directory (ms, by
     * the scenario's unique id: its feature file and line): with several jobs the longest start
     * first. A cache beside the runs, not a report; a scenario not in it counts as short.
     */
    static final String TIMES = ".scenario-times.json";

    static Map<String, Long> lastTimes(Path reportDir) {
        Path file = reportDir.toAbsolutePath().getParent().resolve(TIMES);
        try {
            if (!java.nio.file.Files.isRegularFile(file)) {
                return Map.of();
            }
            Map<String, Long> times = new java.util.HashMap<>();
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile()).fields()
                    .forEachRemaining(e -> times.put(e.getKey(), e.getValue().asLong()));
            return times;
        } catch (java.io.IOException | RuntimeException e) {
            return Map.of(); // a cache: unreadable, it is only not used
        }
    }

    private static void keepTimes(Path reportDir, Map<String, Long> workMs) {
        if (workMs.isEmpty()) {
            return;
        }
        Path file = reportDir.toAbsolutePath().getParent().resolve(TIMES);
        Map<String, Long> times = new java.util.TreeMap<>(lastTimes(reportDir));
        times.putAll(workMs);
        try {
            Path tmp = java.nio.file.Files.createTempFile(file.getParent(), TIMES, ".tmp");
            new com.fasterxml.jackson.databind.ObjectMapper().writeValue(tmp.toFile(), times);
            java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException | RuntimeException e) {
            // a cache: a run that cannot keep it is not worse for it
        }
    }

    /** A failure's one-line message; undefined and pending steps say so. */
    /**
     * The class of a failure that is not the scenario's own check, put before its message so that a
     * CI log names it: the zone had not settled when the scenario began (the wait before it gave
     * up), or a command timed out (the host did not answer in time). Empty for a check's own failure.
     */
    static String failureClass(Throwable t, String unsettledAtStart) {
        StringBuilder out = new StringBuilder();
        if (unsettledAtStart != null) {
            out.append("[the zone had not settled before this scenario (").append(unsettledAtStart).append(")] ");
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof io.triad.host.CommandResult.CommandFailed f && f.result().timedOut()) {
                out.append("[a command timed out on ").append(f.result().host()).append(" after ")
                        .append(f.result().duration().toMillis()).append(" ms] ");
                break;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return out.toString();
    }

    public static String message(Throwable t) {
        String m = t.getMessage();
        String kind = t.getClass().getSimpleName();
        if (kind.contains("Undefined")) {
            return "undefined step: " + (m == null ? "" : m.lines().findFirst().orElse(""));
        }
        if (kind.contains("Pending")) {
            return "pending step: " + (m == null ? "TODO" : m);
        }
        return m == null ? kind : m.lines().findFirst().orElse(kind);
    }
}
