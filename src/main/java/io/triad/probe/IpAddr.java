package io.triad.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses {@code ip -o -4 addr show}: one line per address, e.g. "2: eth0    inet 10.0.0.10/24 scope global secondary eth0". */
public final class IpAddr {

    /** One IPv4 address on an interface. */
    public record Address(String iface, String address, int prefix) { }

    private static final Pattern LINE = Pattern.compile("^\\d+:\\s+(\\S+)\\s+inet\\s+(\\d+\\.\\d+\\.\\d+\\.\\d+)/(\\d+)\\b.*");

    private IpAddr() { }

    public static List<Address> parse(String output) {
        List<Address> out = new ArrayList<>();
        for (String line : output.split("\n")) {
            Matcher m = LINE.matcher(line.trim());
            if (m.matches()) {
                String iface = m.group(1);
                int at = iface.indexOf('@');
                out.add(new Address(at > 0 ? iface.substring(0, at) : iface, m.group(2), Integer.parseInt(m.group(3))));
            }
        }
        return out;
    }

    /**
     * The command that lists every IPv4 address a host holds, one per line; with {@link #reachable}
     * the addresses another host may try (not loopback).
     */
    public static final String LIST = "ip -o -4 addr show";

    /**
     * Every address in the output another host could reach: not loopback (127/8), whatever the
     * interface; a second address on an interface, a VIP, a second interface are all counted. An
     * "only" checked on the configured address alone misses a port open on another one.
     */
    public static List<String> reachable(String output) {
        return parse(output).stream().map(Address::address).filter(a -> !a.startsWith("127.")).distinct().toList();
    }

    public static boolean holds(String output, String address) {
        return parse(output).stream().anyMatch(a -> a.address().equals(address));
    }
}
