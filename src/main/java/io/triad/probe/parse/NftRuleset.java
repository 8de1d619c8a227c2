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
     * Best effort: TCP ports accepted by a rule of an input-hook chain that matches {@code tcp dport == P} with a
     * single port, an anonymous set {@code { P, Q }} or a named set {@code @name}, and ends in {@code accept}. Other
     * matches in the rule (source addresses, interfaces) are not evaluated, nor is rule order (an earlier drop of
     * the same port), nor are ranges, negations or jumps to other chains.
     */
    public Set<Integer> acceptedTcpPorts() {
        Set<Integer> out = new TreeSet<>();
        for (Chain chain : inputHooks()) {
            for (JsonNode rule : rules) {
                if (!rule.path("family").asText().equals(chain.family()) || !rule.path("table").asText().equals(chain.table())
                        || !rule.path("chain").asText().equals(chain.name())) {
                    continue;
                }
                JsonNode expr = rule.path("expr");
                if (expr.size() == 0 || !expr.get(expr.size() - 1).has("accept")) {
                    continue;
                }
                for (JsonNode e : expr) {
                    JsonNode match = e.path("match");
                    JsonNode payload = match.path("left").path("payload");
                    String op = match.path("op").asText();
                    if (payload.path("protocol").asText().equals("tcp") && payload.path("field").asText().equals("dport")
                            && (op.equals("==") || op.equals("in"))) {
                        ports(match.path("right"), chain, out);
                    }
                }
            }
        }
        return out;
    }

    private void ports(JsonNode right, Chain chain, Set<Integer> out) {
        if (right.isInt()) {
            out.add(right.asInt());
        } else if (right.has("set")) {
            right.get("set").forEach(p -> {
                if (p.isInt()) {
                    out.add(p.asInt());
                }
            });
        } else if (right.isTextual() && right.asText().startsWith("@")) {
            JsonNode set = sets.get(key(chain.family(), chain.table(), right.asText().substring(1)));
            if (set != null) {
                set.path("elem").forEach(p -> {
                    if (p.isInt()) {
                        out.add(p.asInt());
                    }
                });
            }
        }
    }

    private static Optional<String> optionalText(JsonNode n, String field) {
        return n.hasNonNull(field) ? Optional.of(n.get(field).asText()) : Optional.empty();
    }

    private static String key(String family, String table, String name) {
        return family + " " + table + " " + name;
    }
}
