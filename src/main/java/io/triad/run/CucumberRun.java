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
        return launch(zone, features, tags, reportDir, progress, continuePastHalt, waived, List.of(
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
        return launch(zone, features, tags, null, progress, true, java.util.Set.of(), List.of(
                io.triad.plan.PlanPlugin.class.getName(), LedgerPlugin.class.getName()));
    }

    private static Result launch(Zone zone, Path features, String tags, Path reportDir, Progress progress,
                                 boolean continuePastHalt, java.util.Set<String> waived, List<String> plugins) {
        Ledger ledger = new Ledger(Runbook.forProfile(zone.env().profile().name()), continuePastHalt, waived);
        Harness.use(zone, ledger, reportDir);
        List<ScenarioResult> results = Collections.synchronizedList(new ArrayList<>());
        Map<String, Long> started = new ConcurrentHashMap<>();
        try {
            LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(DiscoverySelectors.selectDirectory(features.toFile()))
                    .configurationParameter("cucumber.glue", String.join(",", zone.env().profile().glue()))
                    .configurationParameter("cucumber.publish.quiet", "true")
                    .configurationParameter("cucumber.junit-platform.naming-strategy", "long")
                    .configurationParameter("cucumber.plugin", String.join(",", plugins));
            if (tags != null && !tags.isBlank()) {
                request.configurationParameter("cucumber.filter.tags", tags);
            }
            LauncherDiscoveryRequest discovery = request.build();
            Launcher launcher = LauncherFactory.create();
            launcher.execute(discovery, new TestExecutionListener() {
                @Override
                public void executionStarted(TestIdentifier id) {
                    if (id.isTest()) {
                        started.put(id.getUniqueId(), System.nanoTime());
                        progress.step("scenario: " + id.getDisplayName());
                    }
                }

                @Override
                public void executionSkipped(TestIdentifier id, String reason) {
                    if (id.isTest() && !String.valueOf(reason).contains("cucumber.filter.tags")) { // not selected: not part of the run
                        results.add(new ScenarioResult(id.getDisplayName(), "SKIPPED", reason, Duration.ZERO));
                        progress.note("SKIPPED: " + reason);
                    }
                }

                @Override
                public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                    if (!id.isTest()) {
                        return;
                    }
                    long t0 = started.getOrDefault(id.getUniqueId(), System.nanoTime());
                    Duration took = Duration.ofNanos(System.nanoTime() - t0);
                    String status = switch (result.getStatus()) {
                        case SUCCESSFUL -> "PASSED";
                        case ABORTED -> "ABORTED";
                        case FAILED -> "FAILED";
                    };
                    String message = result.getThrowable().map(CucumberRun::message).orElse("");
                    results.add(new ScenarioResult(id.getDisplayName(), status, message, took));
                    progress.note(status + " in " + took.toMillis() + " ms" + (message.isEmpty() ? "" : ": " + message));
                }
            });
        } finally {
            Harness.release();
        }
        return new Result(List.copyOf(results), ledger.halts(), continuePastHalt, ledger);
    }

    /** A failure's one-line message; undefined and pending steps say so. */
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
