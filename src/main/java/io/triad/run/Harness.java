package io.triad.run;

import io.triad.env.Environment;
import io.triad.env.EnvironmentLoader;
import io.triad.runbook.Ledger;
import io.triad.runbook.Runbook;
import io.triad.sim.SimulatedTriad;
import io.triad.zone.Zone;

import java.nio.file.Path;

/**
 * The zone a run works on, shared by the step definitions. The command line (and the harness's
 * own tests) open the zone before Cucumber starts, so that bad input ends the run with exit 2
 * before any scenario; a plain JUnit run of the suite opens it on first use from the system
 * property {@code triad.env} (default environments/bsfg-triad/simulated.yaml) and closes it at JVM exit.
 */
public final class Harness {

    private static Zone zone;
    private static Ledger ledger;
    private static Path runDirectory;
    private static boolean ownedHere;
    private static volatile String stopped;

    private Harness() { }

    public static synchronized void use(Zone z, Ledger l, Path runDir) {
        use(z, l, runDir, Turns.sequential());
    }

    /** As above; {@code t}: when each scenario may start and end ({@code --jobs}). */
    public static synchronized void use(Zone z, Ledger l, Path runDir, Turns t) {
        zone = z;
        ledger = l;
        runDirectory = runDir;
        turns = t;
        ownedHere = false;
        stopped = null;
    }

    private static volatile Turns turns = Turns.sequential();

    /** When each scenario of the run in progress may start and end; one after the other outside a run. */
    public static Turns turns() {
        return turns;
    }

    /** The run directory of the run in progress (the drills' histories and timelines go there), if there is one. */
    public static synchronized java.util.Optional<Path> runDirectory() {
        return java.util.Optional.ofNullable(runDirectory);
    }

    /** What this run has proven, item by item, and the halt in force (a plain JUnit run gets its own). */
    public static synchronized Ledger ledger() {
        if (ledger == null) {
            ledger = new Ledger(Runbook.forProfile(zone().env().profile().name()),
                    Boolean.getBoolean("triad.continuePastHalt"));
        }
        return ledger;
    }

    /** The run was interrupted (Ctrl-C): scenarios not yet started are aborted, not run. */
    public static void interrupt() {
        stop("the run was interrupted");
    }

    /** Stops the run (interrupted, or a safety rule broken): scenarios not yet started are not run, for this reason. */
    public static void stop(String reason) {
        if (stopped == null) {
            stopped = reason;
        }
    }

    public static boolean interrupted() {
        return stopped != null;
    }

    /** Why the run stopped early, if it did. */
    public static java.util.Optional<String> stopReason() {
        return java.util.Optional.ofNullable(stopped);
    }

    public static synchronized void release() {
        turns = Turns.sequential();
        zone = null;
        ledger = null;
        runDirectory = null;
    }

    public static synchronized Zone zone() {
        if (zone == null) {
            String env = System.getProperty("triad.env", "environments/bsfg-triad/simulated.yaml");
            Path file = SimulatedTriad.root().resolve(env);
            Environment environment = EnvironmentLoader.load(file);
            zone = Zone.open(environment, Progress.stderr());
            ownedHere = true;
            Zone opened = zone;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                synchronized (Harness.class) {
                    if (ownedHere && zone == opened) {
                        opened.close();
                    }
                }
            }, "zone-close"));
        }
        return zone;
    }
}
