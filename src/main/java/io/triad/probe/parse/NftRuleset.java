package io.triad.probe.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads {@code nft -j list ruleset}: an object {@code {"nftables": [...]}} whose items are {@code metainfo},
 * {@code table}, {@code set}, {@code chain} and {@code rule} objects.
 */
public final class NftRuleset {

    /** A chain; base chains have a hook, a policy and a priority ("prio"), regular chains none. */
    public record Chain(String family, String table, String name, Optional<String> hook, Optional<String> policy,
                        Optional<Integer> priority) { }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Chain> chains;
    private final List<JsonNode> rules;
    private final Map<String, JsonNode> sets;

    private NftRuleset(List<Chain> chains, List<JsonNode> rules, Map<String, JsonNode> sets) {
        this.chains = List.copyOf(chains);
        this.rules = List.copyOf(rules);
        this.sets = Map.copyOf(sets);
    }

    public static NftRuleset parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("nft output is not JSON: " + BlockDevices.firstLine(json), e);
        }
        if (root == null || !root.path("nftables").isArray()) {
            throw new IllegalArgumentException("nft JSON has no \"nftables\" array");
        }
        List<Chain> chains = new ArrayList<>();
        List<JsonNode> rules = new ArrayList<>();
        Map<String, JsonNode> sets = new HashMap<>();
        for (JsonNode item : root.get("nftables")) {
            if (item.has("chain")) {
                JsonNode c = item.get("chain");
                chains.add(new Chain(c.path("family").asText(), c.path("table").asText(), c.path("name").asText(),
                        optionalText(c, "hook"), optionalText(c, "policy"),
                        c.hasNonNull("prio") ? Optional.of(c.get("prio").asInt()) : Optional.empty()));
            } else if (item.has("rule")) {
                rules.add(item.get("rule"));
            } else if (item.has("set")) {
                JsonNode s = item.get("set");
                sets.put(key(s.path("family").asText(), s.path("table").asText(), s.path("name").asText()), s);
            }
        }
        return new NftRuleset(chains, rules, sets);
    }

    public List<Chain> chains() {
        return chains;
    }

    /** Base chains on the input hook. */
    public List<Chain> inputHooks() {
        return chains.stream().filter(c -> c.hook().filter("input"::equals).isPresent()).toList();
    }

    /**
     * What an accept rule of the input path lets in: the rules of every input-hook chain and of
     * the chains they jump or go to, each read as protocol, destination ports and source
     * addresses. A rule that only accepts return traffic ({@code ct state established,related})
     * or loopback is marked so; matches this reader does not understand (negations, interfaces
     * other than lo, marks, ...) are listed in {@link Accept#unknown()}, so a caller can report the
     * rule rather than guess what it allows. Rule order (an earlier drop) is not evaluated.
     */
    public List<Accept> accepts() {
        List<Accept> out = new ArrayList<>();
        record Visit(Chain chain, List<JsonNode> prefix) { }
        java.util.Deque<Visit> todo = new java.util.ArrayDeque<>();
        inputHooks().forEach(c -> todo.add(new Visit(c, List.of())));
        Set<String> seen = new java.util.HashSet<>();
        while (!todo.isEmpty()) {
            Visit visit = todo.pop();
            Chain chain = visit.chain();
            if (!seen.add(key(chain.family(), chain.table(), chain.name()) + visit.prefix())) {
                continue;
            }
            for (JsonNode rule : rules) {
                if (!rule.path("family").asText().equals(chain.family()) || !rule.path("table").asText().equals(chain.table())
                        || !rule.path("chain").asText().equals(chain.name())) {
                    continue;
                }
                List<JsonNode> expr = new ArrayList<>(visit.prefix());
                rule.path("expr").forEach(expr::add);
                JsonNode last = expr.isEmpty() ? null : expr.get(expr.size() - 1);
                if (last != null && last.has("accept")) {
                    out.add(accept(chain, expr));
                }
                for (String verb : List.of("jump", "goto")) { // the called chain's rules, under this rule's matches
                    if (last != null && last.has(verb)) {
                        String target = last.get(verb).path("target").asText();
                        List<JsonNode> prefix = List.copyOf(expr.subList(0, expr.size() - 1));
                        chains.stream().filter(c -> c.family().equals(chain.family()) && c.table().equals(chain.table())
                                && c.name().equals(target)).forEach(c -> todo.add(new Visit(c, prefix)));
                    }
                }
            }
        }
        return out;
    }

    /**
     * An accept rule read: {@code protocol} tcp, udp, icmp, vrrp, another protocol's number, or
     * empty (any); {@code ports} empty for every port; {@code sources} empty for any source (else
     * addresses and CIDRs as written).
     */
    public record Accept(String chain, Optional<String> protocol, Set<Integer> ports, List<String> sources,
                         boolean returnTraffic, boolean loopback, List<String> unknown, String text) {
        /** Accepts only what the firewall lets back in or what stays on the host. */
        public boolean harmless() {
            return unknown.isEmpty() && (returnTraffic || loopback || protocol.filter("icmp"::equals).isPresent());
        }
    }

    private Accept accept(Chain chain, List<JsonNode> expr) {
        Optional<String> protocol = Optional.empty();
        Set<Integer> dports = new TreeSet<>();
        List<String> sources = new ArrayList<>();
        boolean returnTraffic = false;
        boolean loopback = false;
        List<String> unknown = new ArrayList<>();
        for (JsonNode e : expr) {
            if (e.has("accept") || e.has("counter") || e.has("log") || e.has("comment")) {
                continue;
            }
            JsonNode match = e.path("match");
            if (match.isMissingNode()) {
                unknown.add(e.toString());
                continue;
            }
            String op = match.path("op").asText();
            JsonNode left = match.path("left");
            JsonNode right = match.path("right");
            if (!op.equals("==") && !op.equals("in")) {
                unknown.add(e.toString());
                continue;
            }
            JsonNode payload = left.path("payload");
            String meta = left.path("meta").path("key").asText();
            if ((payload.path("protocol").asText().equals("tcp") || payload.path("protocol").asText().equals("udp"))
                    && payload.path("field").asText().equals("dport")) {
                protocol = Optional.of(payload.path("protocol").asText());
                if (!portValues(right, chain, dports)) {
                    unknown.add(e.toString());
                }
            } else if (payload.path("protocol").asText().equals("ip") && payload.path("field").asText().equals("saddr")) {
                if (!addressValues(right, chain, sources)) {
                    unknown.add(e.toString());
                }
            } else if ((payload.path("protocol").asText().equals("ip") && payload.path("field").asText().equals("protocol"))
                    || meta.equals("l4proto")) {
                protocol = Optional.of(protocolName(right.asText()));
            } else if (payload.path("protocol").asText().startsWith("icmp")) { // icmp type ...: ICMP, whatever its type
                protocol = Optional.of("icmp");
            } else if ((meta.equals("iif") || meta.equals("iifname")) && right.asText().equals("lo")) {
                loopback = true;
            } else if (left.path("ct").path("key").asText().equals("state")) {
                Set<String> states = new java.util.HashSet<>();
                if (right.isArray()) {
                    right.forEach(x -> states.add(x.asText()));
                } else {
                    states.add(right.asText());
                }
                if (List.of("established", "related").containsAll(states)) {
                    returnTraffic = true;
                } else {
                    unknown.add(e.toString());
                }
            } else {
                unknown.add(e.toString());
            }
        }
        return new Accept(chain.table() + "/" + chain.name(), protocol, dports, List.copyOf(sources), returnTraffic, loopback,
                List.copyOf(unknown), expr.toString());
    }

    private static String protocolName(String value) {
        return switch (value) {
            case "1", "icmp" -> "icmp";
            case "6", "tcp" -> "tcp";
            case "17", "udp" -> "udp";
            case "112", "vrrp" -> "vrrp";
            default -> value;
        };
    }

    /** Ports of a match's right side: a number, a range, an anonymous or named set of them; false when not understood. */
    private boolean portValues(JsonNode right, Chain chain, Set<Integer> out) {
        if (right.isInt()) {
            out.add(right.asInt());
            return true;
        }
        if (right.has("range") && right.get("range").size() == 2) {
            for (int p = right.get("range").get(0).asInt(); p <= right.get("range").get(1).asInt(); p++) {
                out.add(p);
            }
            return true;
        }
        JsonNode elements = right.has("set") ? right.get("set")
                : right.isTextual() && right.asText().startsWith("@") ? namedSet(chain, right.asText()) : null;
        if (elements == null) {
            return false;
        }
        boolean ok = true;
        for (JsonNode p : elements) {
            ok &= portValues(p, chain, out);
        }
        return ok;
    }

    /** Addresses of a match's right side: an address, a prefix, an anonymous or named set; false when not understood. */
    private boolean addressValues(JsonNode right, Chain chain, List<String> out) {
        if (right.isTextual() && !right.asText().startsWith("@")) {
            out.add(right.asText());
            return true;
        }
        if (right.has("prefix")) {
            out.add(right.get("prefix").path("addr").asText() + "/" + right.get("prefix").path("len").asInt());
            return true;
        }
        JsonNode elements = right.has("set") ? right.get("set")
                : right.isTextual() ? namedSet(chain, right.asText()) : null;
        if (elements == null) {
            return false;
        }
        boolean ok = true;
        for (JsonNode a : elements) {
            ok &= addressValues(a, chain, out);
        }
        return ok;
    }

    private JsonNode namedSet(Chain chain, String reference) {
        JsonNode set = sets.get(key(chain.family(), chain.table(), reference.substring(1)));
        return set == null ? null : set.path("elem");
    }

    private static Optional<String> optionalText(JsonNode n, String field) {
        return n.hasNonNull(field) ? Optional.of(n.get(field).asText()) : Optional.empty();
    }

    private static String key(String family, String table, String name) {
        return family + " " + table + " " + name;
    }
}
