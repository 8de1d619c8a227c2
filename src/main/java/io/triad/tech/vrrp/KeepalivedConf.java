package io.triad.tech.vrrp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads keepalived.conf: lines of words, blocks {@code name [args] { ... }} (the brace may sit on the next line),
 * {@code !} and {@code #} comments, double-quoted strings such as {@code script "/bin/check arg"}.
 * Only {@code vrrp_script} and {@code vrrp_instance} blocks are interpreted; everything else is checked for
 * balanced braces and quotes, then ignored ({@code include} is not followed).
 */
public final class KeepalivedConf {

    private static final Set<String> NOTIFY_KEYS = Set.of("notify", "notify_master", "notify_backup", "notify_fault",
            "notify_stop");

    /**
     * One {@code vrrp_instance}. {@code state} defaults to BACKUP and {@code priority} to 100, as in keepalived.
     * {@code notifyCommands} maps notify, notify_master, notify_backup, notify_fault, notify_stop to the command
     * line (a record component cannot be called {@code notify}: that is a final method of Object).
     */
    public record VrrpInstance(String name, String state, String iface, int virtualRouterId, int priority,
                               Optional<String> unicastSrcIp, List<String> unicastPeers,
                               List<String> virtualIpaddresses, List<String> trackScripts,
                               Map<String, String> notifyCommands) { }

    /** A statement: its first word, the other words, and the statements of its block (null if it has none). */
    private record Node(String keyword, List<String> args, List<Node> children, int line) {
        String rest() {
            return String.join(" ", args);
        }
    }

    private final List<VrrpInstance> instances;
    private final Map<String, String> scripts;

    private KeepalivedConf(List<VrrpInstance> instances, Map<String, String> scripts) {
        this.instances = List.copyOf(instances);
        this.scripts = scripts;
    }

    public static KeepalivedConf parse(String text) {
        List<VrrpInstance> instances = new ArrayList<>();
        Map<String, String> scripts = new LinkedHashMap<>();
        for (Node node : tree(text)) {
            switch (node.keyword()) {
                case "vrrp_script" -> {
                    String name = blockName(node);
                    String script = node.children().stream().filter(c -> c.keyword().equals("script")).reduce((a, b) -> b)
                            .map(Node::rest).filter(s -> !s.isBlank())
                            .orElseThrow(() -> new IllegalArgumentException(
                                    "line " + node.line() + ": vrrp_script " + name + " has no script"));
                    scripts.put(name, script);
                }
                case "vrrp_instance" -> instances.add(instance(node));
                default -> { }
            }
        }
        return new KeepalivedConf(instances, java.util.Collections.unmodifiableMap(scripts));
    }

    public List<VrrpInstance> instances() {
        return instances;
    }

    /** vrrp_script name to its {@code script} command line (quotes removed). */
    public Map<String, String> scripts() {
        return scripts;
    }

    /** Cross-checks keepalived itself only warns about; empty when none. Each message names the instance. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        for (VrrpInstance i : instances) {
            for (String t : i.trackScripts()) {
                if (!scripts.containsKey(t)) {
                    out.add(i.name() + ": track_script " + t + " is not a defined vrrp_script");
                }
            }
            i.unicastSrcIp().filter(i.unicastPeers()::contains)
                    .ifPresent(ip -> out.add(i.name() + ": unicast_src_ip " + ip + " is also listed as a unicast_peer"));
        }
        return out;
    }

    private static VrrpInstance instance(Node node) {
        String name = blockName(node);
        String state = "BACKUP";
        String iface = null;
        Integer vrid = null;
        int priority = 100;
        Optional<String> src = Optional.empty();
        List<String> peers = List.of();
        List<String> vips = List.of();
        List<String> tracks = List.of();
        Map<String, String> notify = new LinkedHashMap<>();
        for (Node c : node.children()) {
            switch (c.keyword()) {
                case "state" -> {
                    state = single(c);
                    if (!state.equals("MASTER") && !state.equals("BACKUP")) {
                        throw new IllegalArgumentException("line " + c.line() + ": state must be MASTER or BACKUP, not " + state);
                    }
                }
                case "interface" -> iface = single(c);
                case "virtual_router_id" -> vrid = number(c, 1, 255);
                case "priority" -> priority = number(c, 1, 255);
                case "unicast_src_ip" -> src = Optional.of(single(c));
                case "unicast_peer" -> peers = firstWords(c);
                case "virtual_ipaddress" -> vips = firstWords(c);
                case "track_script" -> tracks = firstWords(c);
                default -> {
                    if (NOTIFY_KEYS.contains(c.keyword())) {
                        if (c.args().isEmpty()) {
                            throw new IllegalArgumentException("line " + c.line() + ": " + c.keyword() + " has no command");
                        }
                        notify.put(c.keyword(), c.rest());
                    }
                }
            }
        }
        if (iface == null) {
            throw new IllegalArgumentException("line " + node.line() + ": vrrp_instance " + name + " has no interface");
        }
        if (vrid == null) {
            throw new IllegalArgumentException("line " + node.line() + ": vrrp_instance " + name + " has no virtual_router_id");
        }
        return new VrrpInstance(name, state, iface, vrid, priority, src, peers, vips, tracks, Map.copyOf(notify));
    }

    private static String blockName(Node node) {
        if (node.children() == null) {
            throw new IllegalArgumentException("line " + node.line() + ": " + node.keyword() + " has no { } block");
        }
        if (node.args().size() != 1) {
            throw new IllegalArgumentException("line " + node.line() + ": " + node.keyword() + " needs exactly one name");
        }
        return node.args().get(0);
    }

    private static String single(Node c) {
        if (c.args().isEmpty()) {
            throw new IllegalArgumentException("line " + c.line() + ": " + c.keyword() + " has no value");
        }
        return c.args().get(0);
    }

    private static int number(Node c, int min, int max) {
        String v = single(c);
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new IllegalArgumentException("line " + c.line() + ": " + c.keyword() + " " + n
                        + " is outside " + min + "-" + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("line " + c.line() + ": " + c.keyword() + " '" + v + "' is not a number");
        }
    }

    /** The first word of each line of a block, e.g. "10.213.77.10/24" of "10.213.77.10/24 dev eth0". */
    private static List<String> firstWords(Node c) {
        if (c.children() == null) {
            throw new IllegalArgumentException("line " + c.line() + ": " + c.keyword() + " needs a { } block");
        }
        return c.children().stream().map(Node::keyword).toList();
    }

    /** Splits the text into statements and nests blocks, checking quotes and braces. */
    private static List<Node> tree(String text) {
        List<Node> top = new ArrayList<>();
        Deque<List<Node>> open = new ArrayDeque<>();
        Deque<Node> owners = new ArrayDeque<>();
        open.push(top);
        String[] lines = text.split("\r?\n", -1);
        for (int n = 1; n <= lines.length; n++) {
            Node current = null;
            for (String word : words(lines[n - 1], n)) {
                List<Node> parent = open.peek();
                if (word.equals("{")) {
                    Node owner = parent.isEmpty() ? null : parent.get(parent.size() - 1);
                    if (owner == null || owner.children() != null) {
                        throw new IllegalArgumentException("line " + n + ": '{' without a block name before it");
                    }
                    Node block = new Node(owner.keyword(), owner.args(), new ArrayList<>(), owner.line());
                    parent.set(parent.size() - 1, block);
                    open.push(block.children());
                    owners.push(block);
                    current = null;
                } else if (word.equals("}")) {
                    if (owners.isEmpty()) {
                        throw new IllegalArgumentException("line " + n + ": '}' without a matching '{'");
                    }
                    open.pop();
                    owners.pop();
                    current = null;
                } else if (current == null) {
                    current = new Node(word, new ArrayList<>(), null, n);
                    parent.add(current);
                } else {
                    current.args().add(word);
                }
            }
        }
        if (!owners.isEmpty()) {
            Node unclosed = owners.peek();
            throw new IllegalArgumentException("line " + unclosed.line() + ": block '" + unclosed.keyword()
                    + (unclosed.args().isEmpty() ? "" : " " + unclosed.rest()) + "' is never closed with '}'");
        }
        return top;
    }

    /** The words of one line: braces are words of their own, quotes group, '!' or '#' starts a comment. */
    private static List<String> words(String line, int n) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '!' || c == '#') {
                break;
            } else if (c == '{' || c == '}') {
                out.add(String.valueOf(c));
                i++;
            } else if (c == '"') {
                int end = line.indexOf('"', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("line " + n + ": unterminated double-quoted string");
                }
                out.add(line.substring(i + 1, end));
                i = end + 1;
            } else {
                int start = i;
                while (i < line.length() && !Character.isWhitespace(line.charAt(i)) && "{}\"".indexOf(line.charAt(i)) < 0) {
                    i++;
                }
                out.add(line.substring(start, i));
            }
        }
        return out;
    }
}
