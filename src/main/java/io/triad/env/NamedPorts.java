package io.triad.env;

import java.util.Map;

/**
 * A profile's settings that name ports ({@code nats_cluster}, {@code controller}): the names a
 * port rule of the firewall's matrix may use instead of a number (the profile's own rows, and an
 * environment's {@code firewall.also_allowed}).
 */
public interface NamedPorts {

    /** The port numbers by name, as this environment gives them. */
    Map<String, Integer> namedPorts();

    /** The named ports of an environment's profile settings; none when its settings name none. */
    static Map<String, Integer> of(Object settings) {
        return settings instanceof NamedPorts n ? n.namedPorts() : Map.of();
    }
}
