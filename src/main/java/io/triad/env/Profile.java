package io.triad.env;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shape of a zone: which roles its hosts play, which of them may hold the VIP, and which
 * services run where. The BSFG triad is the first profile; other zones (a NATS cluster, a
 * PostgreSQL HA set, a Raft control plane) are further profiles, not new code paths.
 */
public record Profile(String name, List<String> roles, Set<String> vipRoles, Map<String, Environment.ServiceSpec> services) {

    public static final Profile BSFG_TRIAD = new Profile(
            "bsfg-triad",
            List.of("alpha", "beta", "gamma"),
            Set.of("alpha", "beta"),
            services(
                    "jetstream", new Environment.ServiceSpec("jetstream.service", Set.of("alpha", "beta", "gamma")),
                    "keepalived", new Environment.ServiceSpec("keepalived.service", Set.of("alpha", "beta")),
                    "controller", new Environment.ServiceSpec("bsfg-controller.service", Set.of("alpha", "beta"))));

    private static final Map<String, Profile> KNOWN = Map.of(BSFG_TRIAD.name(), BSFG_TRIAD);

    public static Profile named(String name) {
        return KNOWN.get(name);
    }

    public static Set<String> names() {
        return KNOWN.keySet();
    }

    private static Map<String, Environment.ServiceSpec> services(Object... pairs) {
        Map<String, Environment.ServiceSpec> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (Environment.ServiceSpec) pairs[i + 1]);
        }
        return map;
    }
}
