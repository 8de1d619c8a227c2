package io.triad.env;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A simulated environment moved beside its own, so that two harness processes can run zones of
 * the same profile at once (every item alone beside the profile's tests, mutants on several lanes):
 * every address 10.213.N.x becomes 10.213.(N+offset).x (the hosts, the VIP, the subnet, the
 * networks and the sources it names, and any text laid with it, such as a mutant's overlay), also
 * where it is written for a regular expression ({@code 10\\.213\\.77\\.13}), as a reverse DNS name
 * ({@code 13.77.213.10.in-addr.arpa}) or as the MAC Docker gives it ({@code 02:42:0a:d5:4d:0d}), and the
 * zone gets a suffix. The simulated environments' addresses are all in 10.213.0.0/16, one /24 per
 * profile (77 to 82); the offsets in use are 10 (every item alone) and 30 and up (mutant lanes).
 */
public final class Beside {

    static final Pattern ADDRESS = Pattern.compile("\\b10\\.213\\.(\\d{1,3})\\.");
    /** The same address written for a regular expression or sed ({@code 10\\.213\\.77\\.13}). */
    static final Pattern ESCAPED = Pattern.compile("\\b10\\\\\\.213\\\\\\.(\\d{1,3})\\\\\\.");
    /** The same address in a reverse DNS name ({@code 13.81.213.10.in-addr.arpa}, or the zone {@code 81.213.10.in-addr.arpa}). */
    static final Pattern REVERSE = Pattern.compile("\\b(\\d{1,3})\\.213\\.10\\.in-addr\\.arpa\\b", Pattern.CASE_INSENSITIVE);
    /** Docker's MAC for an address of its network ({@code 02:42:} and the address in hex: 10.213.81.11 is 02:42:0a:d5:51:0b). */
    static final Pattern MAC = Pattern.compile("\\b02:42:0a:d5:([0-9a-fA-F]{2}):");

    private Beside() {
    }

    /** Moves the environment tree by {@code offset} and appends {@code zoneSuffix} to its zone's name. */
    public static void move(ObjectNode root, int offset, String zoneSuffix) {
        if (offset < 0) {
            throw new InputError("an environment is moved up the 10.213.0.0/16 subnets, not by " + offset);
        }
        root.put("zone", root.path("zone").asText() + zoneSuffix);
        moveAddresses(root, offset);
    }

    /** Every 10.213.N. of the text as 10.213.(N+offset).; an octet past 255 is bad input, named. */
    public static String moveText(String text, int offset) {
        String out = ADDRESS.matcher(text).replaceAll(m -> "10.213." + moved(Integer.parseInt(m.group(1)), offset) + ".");
        out = ESCAPED.matcher(out).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                "10\\.213\\." + moved(Integer.parseInt(m.group(1)), offset) + "\\."));
        out = REVERSE.matcher(out).replaceAll(m -> moved(Integer.parseInt(m.group(1)), offset) + ".213.10.in-addr.arpa");
        return MAC.matcher(out).replaceAll(m -> "02:42:0a:d5:" + String.format("%02x", moved(Integer.parseInt(m.group(1), 16), offset)) + ":");
    }

    private static int moved(int octet, int offset) {
        int moved = octet + offset;
        if (moved > 255) {
            throw new InputError("cannot move 10.213." + octet + ".x by " + offset + ": past 10.213.255.x");
        }
        return moved;
    }

    /** Whether the text names an address the move would change. */
    public static boolean namesAddress(String text) {
        return ADDRESS.matcher(text).find() || ESCAPED.matcher(text).find() || REVERSE.matcher(text).find() || MAC.matcher(text).find();
    }

    public static JsonNode moveAddresses(JsonNode node, int offset) {
        if (node.isTextual()) {
            return TextNode.valueOf(moveText(node.asText(), offset));
        }
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                o.set(name, moveAddresses(o.get(name), offset));
            }
        } else if (node.isArray()) {
            ArrayNode a = (ArrayNode) node;
            for (int i = 0; i < a.size(); i++) {
                a.set(i, moveAddresses(a.get(i), offset));
            }
        }
        return node;
    }
}
