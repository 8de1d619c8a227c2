package io.triad.profile.bsfgtriad;

import io.triad.history.History;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The BSFG triad's own log lines as the failover timeline labels them ({@link io.triad.env.Profile#logLabels}):
 * keepalived's state transitions, the lease agent's grants, losses, VIP adds and demotions, the
 * controller ending itself on a lost lease, the VIP removed by keepalived's stop hook. keepalived's
 * notify hook repeats the state keepalived logged a few ms before: left out.
 */
public final class LogLines {

    private static final Pattern KEEPALIVED_STATE = Pattern.compile("Entering (\\w+) STATE");
    private static final Pattern LEASE = Pattern.compile("lease=(\\S+)");
    private static final Pattern VIP_REMOVED = Pattern.compile("VIP \\S+ removed");

    private LogLines() { }

    /** The short label of one of the zone's own lines, or null when it is none of them. */
    public static String label(History.Log log) {
        String m = log.message();
        Matcher k = KEEPALIVED_STATE.matcher(m);
        if (k.find()) {
            return "keepalived " + k.group(1);
        }
        Matcher lease = LEASE.matcher(m);
        if (lease.find()) {
            return "lease " + lease.group(1);
        }
        if (m.contains("state=lease-lost")) {
            return "controller ended itself (lease lost)";
        }
        if (m.contains("vip=added")) {
            return "VIP added";
        }
        if (m.contains("state=demoted")) {
            return "demoted";
        }
        return VIP_REMOVED.matcher(m).find() ? "VIP removed" : null;
    }
}
