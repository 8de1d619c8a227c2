package io.triad.env;

import io.triad.history.History;
import io.triad.zone.SteadyPart;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The shape of a zone, as data: which roles its hosts play, which of them may hold the VIP, which
 * services run where, the firewall's port matrix, the fault catalogue and guard rails, the
 * exclusive resources its checkers and timeline take, and its steady state. The BSFG triad is the
 * first profile; other zones (a NATS cluster, a PostgreSQL HA set, a Raft control plane) are
 * further profiles, not new code paths.
 *
 * <p>A profile named {@code some-name} is the class {@code io.triad.profile.somename.Shape}
 * (the name without its dashes), a {@code Supplier<Profile>} with a public no-argument
 * constructor: adding a profile adds its own package and touches no file of the core.
 */
public record Profile(String name, List<String> roles, Set<String> vipRoles, Map<String, Environment.ServiceSpec> services,
                      List<Environment.PortRule> firewall, FaultCatalogue faults, List<History.Resource> exclusive, History.Serving serving,
                      List<SteadyPart> steady, Set<String> ownFields, java.util.function.Function<Fields, Object> settings,
                      io.triad.sim.ZoneRecipe recipe, java.util.function.Function<History.Log, String> logLabels) {

    /**
     * {@code serving}: the client operations the timeline draws as the zone serving;
     * {@code ownFields}: the top-level fields of an environment file that belong to this profile
     * alone (an environment of another profile naming one is refused: two profiles mixed);
     * {@code settings}: reads the profile's own fields from the top of the file into the typed
     * record {@link Environment#settings(Class)} returns (null when the profile has none);
     * {@code recipe}: how its simulated zone is made;
     * {@code logLabels}: the short label the failover timeline gives a line of the zone's own logs
     * (null: not one of the profile's lines; systemd's lines the timeline labels itself).
     */
    public Profile {
        ownFields = Set.copyOf(ownFields);
        logLabels = logLabels == null ? log -> null : logLabels;
    }

    /** A profile whose nodes' log lines the timeline labels with systemd's only. */
    public Profile(String name, List<String> roles, Set<String> vipRoles, Map<String, Environment.ServiceSpec> services,
                   List<Environment.PortRule> firewall, FaultCatalogue faults, List<History.Resource> exclusive, History.Serving serving,
                   List<SteadyPart> steady, Set<String> ownFields, java.util.function.Function<Fields, Object> settings,
                   io.triad.sim.ZoneRecipe recipe) {
        this(name, roles, vipRoles, services, firewall, faults, exclusive, serving, steady, ownFields, settings, recipe, null);
    }

    /** The profile's typed settings from an environment file's top-level fields (null when it has none). */
    public Object readSettings(Fields top) {
        return settings == null ? null : settings.apply(top);
    }

    /** Where the profiles' packages are. */
    static final String PACKAGE = "io.triad.profile";

    private static final Map<String, Profile> LOADED = new java.util.concurrent.ConcurrentHashMap<>();

    /** The profile named {@code name}, or null when no profile has that name. */
    public static Profile named(String name) {
        if (!name.matches("[a-z][a-z0-9-]*")) {
            return null;
        }
        return LOADED.computeIfAbsent(name, n -> {
            String cls = PACKAGE + "." + n.replace("-", "") + ".Shape";
            try {
                Object shape = Class.forName(cls).getConstructor().newInstance();
                if (!(shape instanceof Supplier<?> supplier) || !(supplier.get() instanceof Profile p)) {
                    throw new IllegalStateException(cls + " is not a Supplier<Profile>");
                }
                if (!p.name().equals(n)) {
                    throw new IllegalStateException(cls + " supplies the profile '" + p.name() + "', not '" + n + "'");
                }
                return p;
            } catch (ClassNotFoundException e) {
                return null;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot load the profile " + n + " from " + cls + ": " + e, e);
            }
        });
    }

    /** The names of the profiles on the class path (each package under {@value #PACKAGE} with a Shape). */
    public static Set<String> names() {
        Set<String> names = new TreeSet<>();
        String dir = PACKAGE.replace('.', '/');
        try {
            Enumeration<URL> roots = Profile.class.getClassLoader().getResources(dir);
            while (roots.hasMoreElements()) {
                URL root = roots.nextElement();
                if (root.getProtocol().equals("file")) {
                    try (var list = Files.list(Path.of(root.toURI()))) {
                        list.filter(p -> Files.isRegularFile(p.resolve("Shape.class"))).forEach(p -> add(names, p.getFileName().toString()));
                    }
                } else if (root.openConnection() instanceof JarURLConnection jar) {
                    jar.getJarFile().stream().map(java.util.zip.ZipEntry::getName)
                            .filter(e -> e.startsWith(dir + "/") && e.endsWith("/Shape.class"))
                            .forEach(e -> add(names, e.substring(dir.length() + 1, e.length() - "/Shape.class".length())));
                }
            }
        } catch (IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot list the profiles: " + e.getMessage(), e);
        }
        return names;
    }

    private static void add(Set<String> names, String pkg) {
        try {
            Object shape = Class.forName(PACKAGE + "." + pkg + ".Shape").getConstructor().newInstance();
            if (shape instanceof Supplier<?> s && s.get() instanceof Profile p) {
                names.add(p.name());
            }
        } catch (ReflectiveOperationException e) {
            // not a profile
        }
    }

    /** The profile's features, relative to the project's root (by convention: {@code features/<name>}). */
    public String featuresDir() {
        return "features/" + name;
    }

    /**
     * The packages of the profile's step definitions (by convention: the shared steps and
     * {@code io.triad.steps.<name without dashes>}); no package of one is inside another's, since
     * Cucumber scans a glue package with its sub-packages.
     */
    public List<String> glue() {
        return List.of("io.triad.steps.common", "io.triad.steps." + name.replace("-", ""));
    }

    /** The exclusive resource named {@code name}; an IllegalArgumentException naming the profile's when there is none. */
    public io.triad.history.History.Resource exclusive(String name) {
        return exclusive.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "profile " + this.name + " has no exclusive resource " + name + " (it has: "
                        + exclusive.stream().map(io.triad.history.History.Resource::name).toList() + ")"));
    }

    /** A map of services from name, spec pairs, in order (for the profiles' shapes). */
    public static Map<String, Environment.ServiceSpec> services(Object... pairs) {
        Map<String, Environment.ServiceSpec> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (Environment.ServiceSpec) pairs[i + 1]);
        }
        return map;
    }
}
