package io.triad.env;

/** Strict IPv4 literals and subnets (no name lookups: an environment file names addresses). */
public record Ipv4(int bits) {

    public static Ipv4 parse(String text) {
        String[] parts = text == null ? new String[0] : text.trim().split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
        }
        int bits = 0;
        for (String part : parts) {
            if (!part.matches("\\d{1,3}") || Integer.parseInt(part) > 255) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
            }
            bits = (bits << 8) | Integer.parseInt(part);
        }
        return new Ipv4(bits);
    }

    public static boolean isAddress(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public boolean inSubnet(Ipv4 network, int prefix) {
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        return (bits & mask) == (network.bits & mask);
    }

    public Ipv4 network(int prefix) {
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        return new Ipv4(bits & mask);
    }

    public Ipv4 plus(int n) {
        return new Ipv4(bits + n);
    }

    @Override
    public String toString() {
        return ((bits >>> 24) & 255) + "." + ((bits >>> 16) & 255) + "." + ((bits >>> 8) & 255) + "." + (bits & 255);
    }

    /** An address with a prefix length, as in "10.213.77.10/24". */
    public record Cidr(Ipv4 address, int prefix) {
        public static Cidr parse(String text) {
            String t = text == null ? "" : text.trim();
            int slash = t.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("'" + text + "' needs a prefix length, as in 10.0.0.10/24");
            }
            String p = t.substring(slash + 1);
            if (!p.matches("\\d{1,2}") || Integer.parseInt(p) > 32) {
                throw new IllegalArgumentException("'" + text + "' has a bad prefix length");
            }
            return new Cidr(Ipv4.parse(t.substring(0, slash)), Integer.parseInt(p));
        }

        public boolean contains(Ipv4 other) {
            return other.inSubnet(address, prefix);
        }

        public Ipv4 network() {
            return address.network(prefix);
        }

        @Override
        public String toString() {
            return address + "/" + prefix;
        }
    }
}
