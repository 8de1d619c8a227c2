package io.triad.check;

import io.triad.probe.parse.ChronyTracking.Tracking;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a zone without an upstream NTP server takes its time from (its ntp-upstream not
 * applicable): one node serves its local clock, every other node is synchronised to that node.
 * A second node on its own local clock is a second time, however close the two run today.
 */
public final class ClockSources {

    private ClockSources() { }

    /** Whether chrony on the node serves its local clock: reference 7F7F0101 (the local reference), leap status Normal. */
    public static boolean local(Tracking t) {
        return t.referenceId().startsWith("7F7F0101") && t.leapStatus().equals("Normal");
    }

    /**
     * The problems of a zone's time sources: more than one node on its local clock, or a node
     * synchronised to something other than the node that serves the local clock. {@code byHost}:
     * each node's tracking; {@code addresses}: each node's address.
     */
    public static List<String> problems(Map<String, Tracking> byHost, Map<String, String> addresses) {
        List<String> locals = byHost.entrySet().stream().filter(e -> local(e.getValue())).map(Map.Entry::getKey).toList();
        List<String> problems = new ArrayList<>();
        if (locals.size() > 1) {
            problems.add(String.join(" and ", locals) + " each serve their own local clock: the zone has " + locals.size()
                    + " times, not one (with no upstream NTP server, one node serves its clock and the others follow it)");
            return problems;
        }
        if (locals.isEmpty()) {
            return problems;
        }
        String source = locals.get(0);
        String address = addresses.get(source);
        byHost.forEach((host, t) -> {
            if (!host.equals(source) && t.synchronised() && !t.referenceId().endsWith("(" + address + ")")) {
                problems.add(host + " is synchronised to " + t.referenceId() + ", not to the zone's time source " + source + " (" + address + ")");
            }
        });
        return problems;
    }
}
