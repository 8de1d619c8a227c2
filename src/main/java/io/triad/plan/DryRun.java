package io.triad.plan;

import io.triad.env.Environment;
import io.triad.run.CucumberRun;
import io.triad.run.ExitCodes;
import io.triad.run.Progress;
import io.triad.zone.Safety;
import io.triad.zone.Zone;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code triad drill --dry-run}: the selected scenarios run against a planning zone, and the plan
 * is printed. No host is reached, no triad built, no report written.
 */
public final class DryRun {

    private DryRun() { }

    /** Prints the plan; returns the exit code (0, or 1 when a step of the plan would be refused or is undefined). */
    public static int print(Environment env, Safety safety, Path features, String tags, PrintStream out, Progress progress) {
        Result r = plan(env, safety, features, tags, out, progress);
        progress.step("dry run: " + r.scenarios() + " scenario(s), " + r.plan().commands().size() + " command(s) and requests planned, "
                + r.faults() + " fault(s); no host was reached");
        if (r.refused() > 0) {
            System.err.println("triad: " + r.refused() + " step(s) of the plan would be refused or cannot run (REFUSED,"
                    + " CANNOT RUN or UNDEFINED above)");
        }
        return r.refused() > 0 ? ExitCodes.FAILED : ExitCodes.PASSED;
    }

    /** A finished plan: the plan, how many scenarios it covers, faults it applies, steps refused. */
    public record Result(Plan plan, int scenarios, long faults, long refused) { }

    public static Result plan(Environment env, Safety safety, Path features, String tags, PrintStream out, Progress progress) {
        Plan plan = new Plan(out);
        out.println("PLAN of a drill on zone " + env.zone() + " (" + env.kind().name().toLowerCase() + ", " + env.hosts().size()
                + " hosts), tags: " + (tags == null ? "all" : tags));
        out.println("  " + (safety.readOnly() ? "read-only: no fault will be applied"
                : "faults allowed: " + String.join(", ", new TreeSet<>(safety.allowedFaults()))
                + "; each installed with a dead-man switch of " + env.drills().deadMan().toSeconds() + " s on its host"));
        out.println("  every command below runs over SSH as " + env.ssh().user() + "; 'harness:' lines are the harness's own"
                + " requests. The plan assumes the steady state (" + (env.vipHosts().isEmpty() ? "" : env.vipHosts().get(0).name()
                + " holds the VIP, ") + "every service up); waits repeat their commands until they hold.");
        CucumberRun.Result result;
        try (Zone zone = Zone.plan(env, plan)) {
            zone.safety(safety);
            result = CucumberRun.plan(zone, features, tags, progress);
        }
        List<String> lines = plan.lines();
        long faults = lines.stream().filter(l -> l.startsWith("    FAULT ")).count();
        long refused = lines.stream().filter(l -> l.startsWith("    REFUSED ") || l.startsWith("    CANNOT RUN ")
                || l.startsWith("    UNDEFINED")).count();
        return new Result(plan, result.scenarios().size(), faults, refused);
    }
}
