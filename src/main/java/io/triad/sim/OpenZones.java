package io.triad.sim;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The run labels of the simulated zones this process has open: a sweep spares them as it spares
 * another live process's zones, so that two zones of one JVM (two runs side by side, as two
 * profiles' lanes of a test) do not take each other for leftovers. A zone of this process that was
 * never closed is not here, and is swept. Process-wide, as the Docker engine it describes.
 */
final class OpenZones {

    private static final Set<String> OPEN = ConcurrentHashMap.newKeySet();

    private OpenZones() { }

    static String opened(String runId) {
        OPEN.add(runId);
        return runId;
    }

    static void closed(String runId) {
        OPEN.remove(runId);
    }

    static boolean open(String runId) {
        return OPEN.contains(runId);
    }
}
