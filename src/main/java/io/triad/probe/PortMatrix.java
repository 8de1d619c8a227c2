package io.triad.probe;

import io.triad.env.NamedPorts;
import io.triad.env.Environment;
import io.triad.env.Environment.HostSpec;
import io.triad.env.Ipv4;
import io.triad.probe.parse.NftRuleset;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A zone's firewall port matrix (runbook 1.6): which port each node accepts, and from where, as
 * its profile's pattern gives it ({@link io.triad.env.Profile#firewall()}) plus what the
 * environment declares under {@code firewall.also_allowed}. Compared with what a node's firewall
 * accepts ({@link #beyond}) and with what answers when tried ({@link #allows}).
 */
public final class PortMatrix {

    /** A row resolved for a zone: the port as a number (-1: any, for VRRP), the sources as CIDRs (empty: any). */
    public record Row(String protocol, int port, String from, Set<String> on, String why) {
        @Override
        public String toString() {
            return protocol + (port < 0 ? "" : "/" + port) + " from " + from + " on " + String.join(", ", new java.util.TreeSet<>(on))
                    + (why.isEmpty() ? "" : " (" + why + ")");
        }
    }

    private final Environment env;
    private final List<Row> rows;

    private PortMatrix(Environment env, List<Row> rows) {
        this.env = env;
        this.rows = List.copyOf(rows);
    }

    public static PortMatrix of(Environment env) {
        List<Row> rows = new ArrayList<>();
        List<Environment.PortRule> rules = new ArrayList<>(env.profile().firewall());
        rules.addAll(env.acceptance().firewallAlsoAllowed());
        for (Environment.PortRule r : rules) {
            rows.add(new Row(r.protocol(), port(env, r.port()), r.from(), r.on(), r.why()));
        }
        return new PortMatrix(env, rows);
    }

    /** A rule's port: a number, a name the profile's settings give a number ({@link NamedPorts}), or -1 (VRRP). */
    private static int port(Environment env, String port) {
        if (port.isEmpty()) {
            return -1;
        }
        Integer named = NamedPorts.of(env.settings()).get(port);
        return named != null ? named : Integer.parseInt(port);
    }

    public List<Row> rows() {
        return rows;
    }

    /** The rows that apply to a node (its role is in the row's {@code on}). */
    public List<Row> rowsFor(HostSpec node) {
        return rows.stream().filter(r -> r.on().contains(node.role())).toList();
    }

    /** The TCP ports the matrix opens on a node, from anywhere or somewhere. */
    public Set<Integer> tcpPorts(HostSpec node) {
        return rowsFor(node).stream().filter(r -> r.protocol().equals("tcp")).map(Row::port)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    /** Whether the matrix lets {@code source} reach {@code port} ({@code protocol}) on {@code node}. */
    public boolean allows(String protocol, int port, HostSpec node, Ipv4 source) {
        Ipv4.Cidr single = new Ipv4.Cidr(source, 32);
        return rowsFor(node).stream().anyMatch(r -> r.protocol().equals(protocol) && (r.port() < 0 || r.port() == port)
                && sources(r, node).map(allowed -> within(single, allowed)).orElse(true));
    }

    /**
     * What a node's firewall accepts beyond the matrix, one line each (empty when nothing): a
     * port the matrix does not open there, a source wider than the matrix's for that port, every
     * port or every protocol, and rules this reader cannot attribute (with their nftables JSON).
     */
    public List<String> beyond(HostSpec node, List<NftRuleset.Accept> accepts) {
        List<String> out = new ArrayList<>();
        for (NftRuleset.Accept a : accepts) {
            if (a.harmless()) {
                continue;
            }
            String from = a.sources().isEmpty() ? "anywhere" : String.join(", ", a.sources());
            if (!a.unknown().isEmpty()) {
                out.add("an accept rule in " + a.chain() + " matches what the harness cannot attribute to the matrix: "
                        + String.join(" ", a.unknown()));
                continue;
            }
            if (a.protocol().isEmpty()) {
                out.add("every protocol and port is accepted from " + from + " (" + a.chain() + ")");
                continue;
            }
            String protocol = a.protocol().get();
            if (!Environment.PortRule.PROTOCOLS.contains(protocol)) {
                out.add("protocol " + protocol + " is accepted from " + from + " (" + a.chain() + ")");
                continue;
            }
            if (!protocol.equals("vrrp") && a.ports().isEmpty()) {
                out.add("every " + protocol + " port is accepted from " + from + " (" + a.chain() + ")");
                continue;
            }
            Set<Integer> ports = protocol.equals("vrrp") ? Set.of(-1) : a.ports();
            List<Ipv4.Cidr> sources = new ArrayList<>();
            for (String s : a.sources()) {
                Optional<Ipv4.Cidr> c = cidr(s);
                if (c.isEmpty()) {
                    out.add(protocol + " " + ports + " is accepted from '" + s + "', not an IPv4 address the harness can compare");
                }
                c.ifPresent(sources::add);
            }
            for (int port : ports) {
                List<Row> candidates = rowsFor(node).stream().filter(r -> r.protocol().equals(protocol) && (r.port() < 0 || r.port() == port))
                        .toList();
                String what = protocol + (port < 0 ? "" : "/" + port);
                if (candidates.isEmpty()) {
                    out.add(what + " is accepted from " + from + ": the matrix opens no such port on " + node.role() + " (" + a.chain() + ")");
                    continue;
                }
                boolean covered = candidates.stream().anyMatch(r -> sources(r, node).map(allowed -> !a.sources().isEmpty()
                        && sources.stream().allMatch(s -> within(s, allowed))).orElse(true));
                if (!covered) {
                    out.add(what + " is accepted from " + from + ", wider than the matrix's " + candidates.stream().map(Row::from)
                            .distinct().collect(Collectors.joining(" or ")) + " (" + a.chain() + ")");
                }
            }
        }
        return out;
    }

    /** The CIDRs a row admits for a node; empty means any source. */
    private Optional<List<Ipv4.Cidr>> sources(Row r, HostSpec node) {
        return switch (r.from()) {
            case "any" -> Optional.empty();
            case "nodes" -> Optional.of(env.hosts().stream().map(h -> new Ipv4.Cidr(h.address(), 32)).toList());
            case "vip-peers" -> Optional.of(env.vipHosts().stream().filter(h -> !h.name().equals(node.name()))
                    .map(h -> new Ipv4.Cidr(h.address(), 32)).toList());
            default -> Optional.of(List.of(cidr(NamedPorts.sources(env.settings()).getOrDefault(r.from(), r.from())).orElseThrow()));
        };
    }

    private static Optional<Ipv4.Cidr> cidr(String text) {
        try {
            return Optional.of(text.contains("/") ? Ipv4.Cidr.parse(text) : new Ipv4.Cidr(Ipv4.parse(text), 32));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** {@code inner} lies wholly inside one of {@code outer}. */
    private static boolean within(Ipv4.Cidr inner, List<Ipv4.Cidr> outer) {
        return outer.stream().anyMatch(o -> inner.prefix() >= o.prefix() && o.contains(inner.network()));
    }

    /** The rows, one line each, for evidence. */
    public String describe() {
        return rows.stream().map(Row::toString).collect(Collectors.joining("\n"));
    }

    /** The support hosts and nodes a firewall's reachability is tried from: outside the zone first, then each peer. */
    public static List<HostSpec> vantagePoints(Environment env) {
        Set<HostSpec> out = new LinkedHashSet<>(env.supportHosts());
        out.addAll(env.hosts());
        return List.copyOf(out);
    }
}
