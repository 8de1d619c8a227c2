package io.triad.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code ss -tlnp}: the listening TCP sockets, their local address and the owning process.
 * Addresses are normalised: "[::ffff:10.0.0.10]" is 10.0.0.10; "*", "0.0.0.0" and "[::]" are the
 * wildcard.
 */
public final class Listeners {

    /** One listening socket. */
    public record Socket(String address, int port, String process) {
        public boolean wildcard() {
            return address.equals("*");
        }

        @Override
        public String toString() {
            return (wildcard() ? "*" : address) + ":" + port + (process.isEmpty() ? "" : " (" + process + ")");
        }
    }

    private static final Pattern PROCESS = Pattern.compile("users:\\(\\(\"([^\"]+)\"");

    private Listeners() { }

    public static List<Socket> parse(String output) {
        List<Socket> out = new ArrayList<>();
        for (String line : output.split("\n")) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length < 5 || !cols[0].equals("LISTEN")) {
                continue;
            }
            String local = cols[3];
            int colon = local.lastIndexOf(':');
            if (colon < 0) {
                continue;
            }
            int port;
            try {
                port = Integer.parseInt(local.substring(colon + 1));
            } catch (NumberFormatException e) {
                continue;
            }
            Matcher m = PROCESS.matcher(line);
            out.add(new Socket(normalise(local.substring(0, colon)), port, m.find() ? m.group(1) : ""));
        }
        return out;
    }

    static String normalise(String address) {
        String a = address;
        int pct = a.indexOf('%');
        if (pct >= 0) {
            a = a.substring(0, pct) + (a.endsWith("]") ? "]" : "");
        }
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        if (a.startsWith("::ffff:")) {
            a = a.substring(7);
        }
        if (a.equals("*") || a.equals("0.0.0.0") || a.equals("::")) {
            return "*";
        }
        return a;
    }

    public static List<Socket> onPort(String output, int port) {
        return parse(output).stream().filter(s -> s.port() == port).toList();
    }
}
