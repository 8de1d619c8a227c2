package io.triad.profile.sfa;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Redis Cluster as redis-cli shows it: {@code cluster info} (key:value lines) and
 * {@code cluster nodes} (one line per node: id, address, flags, master, pings, epoch, link state,
 * slots), and what the runbook's health check asks of them.
 */
public final class Redis {

    public static final int SLOTS = 16384;

    private Redis() { }

    /** redis-cli against an instance on this host ({@code --no-auth-warning}; the zone's instances need no password). */
    public static String cli(int port, String command) {
        return "redis-cli --no-auth-warning -p " + port + " " + command;
    }

    /** redis-cli against an instance at an address. */
    public static String cli(String address, int port, String command) {
        return "redis-cli --no-auth-warning -h " + address + " -p " + port + " " + command;
    }

    /** {@code cluster info} as a map. */
    public static Map<String, String> info(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                out.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        return out;
    }

    /** One line of {@code cluster nodes}. */
    public record Node(String id, String address, int port, Set<String> flags, String masterId, String link, int slots) {
        public boolean isMaster() {
            return flags.contains("master");
        }

        public boolean failing() {
            return flags.contains("fail") || flags.contains("fail?") || flags.contains("handshake") || flags.contains("noaddr");
        }

        public String endpoint() {
            return address + ":" + port;
        }
    }

    /** {@code cluster nodes}: every line, its slots counted (ranges "0-5460", single slots, importing/migrating ones left out). */
    public static List<Node> nodes(String text) {
        List<Node> out = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 8) {
                continue;
            }
            String addr = f[1].split("[@,]")[0];
            int colon = addr.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("not a cluster nodes line: " + line);
            }
            int slots = 0;
            for (int i = 8; i < f.length; i++) {
                if (f[i].startsWith("[")) {
                    continue;
                }
                String[] range = f[i].split("-");
                slots += range.length == 2 ? Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1 : 1;
            }
            out.add(new Node(f[0], addr.substring(0, colon), Integer.parseInt(addr.substring(colon + 1)),
                    Set.copyOf(Arrays.asList(f[2].split(","))), f[3], f[7], slots));
        }
        return out;
    }

    /**
     * What keeps a view of the cluster from the runbook's shape: the inventory's instances
     * ({@code address:port}) and no other, none failing, every slot served by the masters, the
     * expected count of masters, each with a replica on another host.
     */
    public static List<String> shapeProblems(String seenBy, List<Node> nodes, Set<String> inventory, int masters) {
        List<String> problems = new ArrayList<>();
        Set<String> seen = new java.util.TreeSet<>();
        nodes.forEach(n -> seen.add(n.endpoint()));
        for (String missing : inventory) {
            if (!seen.contains(missing)) {
                problems.add(seenBy + " does not see " + missing + " in the cluster");
            }
        }
        for (String extra : seen) {
            if (!inventory.contains(extra)) {
                problems.add(seenBy + " sees " + extra + ", which is not an instance of the inventory");
            }
        }
        nodes.stream().filter(Node::failing).forEach(n -> problems.add(seenBy + " flags " + n.endpoint() + " " + new java.util.TreeSet<>(n.flags())));
        List<Node> ms = nodes.stream().filter(Node::isMaster).toList();
        int slots = ms.stream().mapToInt(Node::slots).sum();
        if (slots != SLOTS) {
            problems.add(seenBy + " sees " + slots + " of " + SLOTS + " slots served");
        }
        List<Node> serving = ms.stream().filter(n -> n.slots() > 0).toList();
        if (serving.size() != masters) {
            problems.add(seenBy + " sees " + serving.size() + " masters serving slots, not " + masters);
        }
        for (Node m : serving) {
            List<Node> replicas = nodes.stream().filter(n -> n.masterId().equals(m.id()) && !n.failing()).toList();
            if (replicas.isEmpty()) {
                problems.add(seenBy + ": the master " + m.endpoint() + " has no replica");
            } else if (replicas.stream().allMatch(r -> r.address().equals(m.address()))) {
                problems.add(seenBy + ": the master " + m.endpoint() + " is replicated only on its own host");
            }
        }
        return problems;
    }

    /**
     * What {@code redis-cli --cluster check} says is wrong, its whole output (stdout and stderr) given.
     * When redis-cli could not reach the instance at all, that is said (nothing answers there) and
     * nothing about slots: an uncovered-slot complaint would send an operator after the wrong fault.
     */
    public static List<String> clusterCheckProblems(String instance, String output) {
        List<String> problems = new ArrayList<>();
        java.util.Optional<String> refused = output.lines().map(String::strip).filter(l -> l.startsWith("Could not connect to Redis at")).findFirst();
        if (refused.isPresent()) {
            problems.add("nothing answers as Redis on " + instance + " (" + refused.get() + ")");
            return problems;
        }
        if (!output.contains("[OK] All " + SLOTS + " slots covered.")) {
            problems.add("not every slot is covered");
        }
        if (!output.contains("[OK] All nodes agree about slots configuration.")) {
            problems.add("the nodes do not agree about the slots");
        }
        output.lines().filter(l -> l.startsWith("[ERR]") || l.startsWith("[WARNING]")).forEach(problems::add);
        return problems;
    }
}
