package io.triad.env;

import java.util.Map;

/**
 * A profile's settings that name ports ({@code nats_cluster}, {@code controller}) and source
 * networks ({@code cluster_subnet}): the names a port rule of the firewall's matrix may use
 * instead of a number or a CIDR (the profile's own rows, and an environment's
 * {@code firewall.also_allowed}). A runbook whose matrix says "from the cluster subnet only"
 * names the subnet; each environment gives its own.
 */
public interface NamedPorts {

    /** The port numbers by name, as this environment gives them. */
    Map<String, Integer> namedPorts();

    /** The source networks by name (a CIDR or an address each), as this environment gives them; none by default. */
    default Map<String, String> namedSources() {
        return Map.of();
    }

    /** The named source networks of an environment's profile settings; none when its settings name none. */
    static Map<String, String> sources(Object settings) {
        return settings instanceof NamedPorts n ? n.namedSources() : Map.of();
    }

    /** The named ports of an environment's profile settings; none when its settings name none. */
    static Map<String, Integer> of(Object settings) {
        return settings instanceof NamedPorts n ? n.namedPorts() : Map.of();
    }
}
