package io.triad.run;

import io.triad.env.Environment;
import io.triad.env.EnvironmentLoader;
import io.triad.sim.SimulatedTriad;
import io.triad.zone.Zone;

import java.nio.file.Path;

/**
 * The zone a run works on, shared by the step definitions. The command line (and the harness's
 * own tests) open the zone before Cucumber starts, so that bad input ends the run with exit 2
 * before any scenario; a plain JUnit run of the suite opens it on first use from the system
 * property {@code triad.env} (default environments/simulated.yaml) and closes it at JVM exit.
 */
public final class Harness {

    private static Zone zone;
    private static boolean ownedHere;
    private static volatile boolean interrupted;

    private Harness() { }

    public static synchronized void use(Zone z) {
        zone = z;
        ownedHere = false;
    }

    /** The run was interrupted (Ctrl-C): scenarios not yet started are aborted, not run. */
    public static void interrupt() {
        interrupted = true;
    }

    public static boolean interrupted() {
        return interrupted;
    }

    public static synchronized void release() {
        zone = null;
    }

    public static synchronized Zone zone() {
        if (zone == null) {
            String env = System.getProperty("triad.env", "environments/simulated.yaml");
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
