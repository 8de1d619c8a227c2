package io.triad.env;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads and validates an environment file. Every problem is reported as one {@link InputError}
 * naming the file and the field (for example {@code hosts[2].role}), never as a stack trace.
 * Unknown fields are errors too: a typo must not silently fall back to a default.
 */
public final class EnvironmentLoader {

    private EnvironmentLoader() { }

    /** The profile of an environment file that names none: the first zone shape the harness served. */
    public static final String DEFAULT_PROFILE = "bsfg-triad";

    public static Environment load(Path file) {
        return load(file, root -> { });
    }

    /**
     * Loads an environment file after editing its YAML tree (a variant of a zone, e.g. a mutant
     * of the simulated triad); relative paths still resolve against the file's directory.
     */
    public static Environment load(Path file, java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> edit) {
        JsonNode root = YamlFiles.read(file, "environment file");
        if (root == null || !root.isObject()) {
            throw new InputError("environment file " + file + " must hold a mapping of settings (zone, hosts, vip, ...)");
        }
        edit.accept((com.fasterxml.jackson.databind.node.ObjectNode) root);
        return new EnvironmentLoader.Reader(file).environment(root);
    }

    /** Walks the YAML tree, keeping the path of the field being read for error messages. */
    private static final class Reader {
        private final Path file;
        private final Path base;

        Reader(Path file) {
            this.file = file;
            Path parent = file.toAbsolutePath().getParent();
            this.base = parent == null ? Path.of(".") : parent;
        }

        private InputError error(String field, String message) {
            return new InputError(file + ": " + field + ": " + message);
        }

        Environment environment(JsonNode root) {
            Fields top = new Fields(root, "", this::error);
            String zone = top.requiredText("zone");
            if (!zone.matches("[a-z0-9][a-z0-9-]*")) {
                throw error("zone", "'" + zone + "' must be lower-case letters, digits and dashes");
            }
            String profileName = top.text("profile").orElse(DEFAULT_PROFILE);
            Profile profile = Profile.named(profileName);
            if (profile == null) {
                throw error("profile", "unknown profile '" + profileName + "' (known: " + Profile.names() + ")");
            }
            String kindText = top.text("kind").orElse("live");
            Environment.Kind kind = switch (kindText) {
                case "simulated" -> Environment.Kind.SIMULATED;
                case "live" -> Environment.Kind.LIVE;
                default -> throw error("kind", "'" + kindText + "' is neither 'simulated' nor 'live'");
            };

            Environment.Ssh ssh = ssh(top.object("ssh"), kind);
            List<Environment.HostSpec> hosts = hosts(top.required("hosts"), profile);
            mixed(top, profile);
            Ipv4.Cidr vip = null;
            if (!profile.vipRoles().isEmpty()) {
                vip = parse("vip", top.requiredText("vip"), Ipv4.Cidr::parse);
                checkVip(vip, hosts, profile);
            } else if (!top.optional("vip").isMissingNode()) {
                throw error("vip", "profile " + profile.name() + " has no VIP (none of its roles "
                        + String.join(", ", profile.roles()) + " holds one)");
            }
            // The profile's own fields first: the port rules below may name the ports they give.
            Object settings = profile.readSettings(top);
            Set<String> portNames = NamedPorts.of(settings).keySet();
            Environment.Thresholds thresholds = thresholds(top.object("thresholds"));
            Fields drillFields = top.object("drills");
            Environment.Drills drills = new Environment.Drills(drillFields.stringSet("allowed"),
                    drillFields.duration("dead_man", "5m"));
            drillFields.done();
            Map<String, Environment.ServiceSpec> services = services(top.optional("services"), profile);
            List<Environment.Equivalent> equivalents = equivalents(top.optional("equivalents"));
            List<Environment.HostSpec> support = supportHosts(top.optional("support_hosts"), hosts, vip);
            Environment.Acceptance acceptance = acceptance(top, hosts, support, profile, portNames,
                    NamedPorts.sources(settings).keySet());
            List<Environment.HostSpec> all = new ArrayList<>(hosts);
            all.addAll(support);
            Environment.Simulation simulation = simulation(top.object("simulation"), kind, all, vip);
            Map<String, Path> client = clientFiles(top.object("client"), kind);
            top.done();

            return new Environment(file, zone, profile, kind, List.copyOf(hosts), vip, ssh, thresholds, drills, services,
                    equivalents, List.copyOf(support), acceptance, simulation, client, settings);
        }

        /** A field another profile owns, in an environment of this one: two profiles mixed. */
        private void mixed(Fields top, Profile profile) {
            for (String key : top.keys()) {
                if (profile.ownFields().contains(key)) {
                    continue;
                }
                for (String other : Profile.names()) {
                    Profile p = Profile.named(other);
                    if (p != null && p.ownFields().contains(key)) {
                        throw error(key, "is a field of profile " + other + ", not of profile " + profile.name()
                                + " (this file's profile" + (top.keys().contains("profile") ? "" : ", the default") + ")");
                    }
                }
            }
        }

        /** Files on this machine the profile's client uses (a client certificate, its key, a CA), by name; they must be readable. */
        private Map<String, Path> clientFiles(Fields c, Environment.Kind kind) {
            Map<String, Path> files = new LinkedHashMap<>();
            for (String name : c.keys()) {
                Path p = path(c.requiredText(name));
                if (!Files.isReadable(p)) {
                    throw error(c.path(name), p + " is not a readable file");
                }
                files.put(name, p);
            }
            c.done();
            return Map.copyOf(files);
        }

        private <T> T parse(String field, String text, Function<String, T> parser) {
            try {
                return parser.apply(text);
            } catch (IllegalArgumentException e) {
                throw error(field, e.getMessage());
            }
        }

        private List<Environment.HostSpec> hosts(JsonNode node, Profile profile) {
            if (!node.isArray() || node.isEmpty()) {
                throw error("hosts", "must be a list of hosts, each with name, role and address");
            }
            List<Environment.HostSpec> hosts = new ArrayList<>();
            Set<String> names = new HashSet<>();
            Set<String> addresses = new HashSet<>();
            Map<String, Integer> roleCount = new LinkedHashMap<>();
            for (int i = 0; i < node.size(); i++) {
                String at = "hosts[" + i + "]";
                Fields h = new Fields(node.get(i), at + ".", this::error);
                String name = h.requiredText("name");
                if (!name.matches("[a-z0-9][a-z0-9-]*")) {
                    throw error(at + ".name", "'" + name + "' must be lower-case letters, digits and dashes");
                }
                String role = h.requiredText("role");
                if (!profile.roles().contains(role)) {
                    throw error(at + ".role", "unknown role '" + role + "' for host " + name
                            + " (profile " + profile.name() + " has roles " + String.join(", ", profile.roles()) + ")");
                }
                String hostname = h.text("hostname").orElse(name);
                Ipv4 address = parse(at + ".address", h.requiredText("address"), Ipv4::parse);
                int sshPort = h.integer("ssh_port", 22, 1, 65535);
                List<String> devices = List.copyOf(h.stringSet("devices"));
                Optional<String> jsDevice = h.text("jetstream_device");
                h.done();
                if (!names.add(name)) {
                    throw error(at + ".name", "host name '" + name + "' appears twice");
                }
                if (!addresses.add(address.toString())) {
                    throw error(at + ".address", "address " + address + " is given to two hosts");
                }
                roleCount.merge(role, 1, Integer::sum);
                hosts.add(new Environment.HostSpec(name, role, hostname, address, sshPort, devices, jsDevice));
            }
            for (String role : profile.roles()) {
                int n = roleCount.getOrDefault(role, 0);
                if (n != 1) {
                    throw error("hosts", "profile " + profile.name() + " needs exactly one host with role '" + role
                            + "', found " + n);
                }
            }
            return hosts;
        }

        private void checkVip(Ipv4.Cidr vip, List<Environment.HostSpec> hosts, Profile profile) {
            for (Environment.HostSpec h : hosts) {
                if (h.address().equals(vip.address())) {
                    throw error("vip", "VIP " + vip.address() + " is the address of host " + h.name());
                }
                if (profile.vipRoles().contains(h.role()) && !vip.contains(h.address())) {
                    throw error("vip", "VIP " + vip + " is not in the subnet of host " + h.name() + " (" + h.address() + ")");
                }
            }
        }

        private Environment.Ssh ssh(Fields s, Environment.Kind kind) {
            String user = s.text("user").orElse("root");
            Optional<Path> identity = s.text("identity_file").map(this::path);
            Optional<Path> knownHosts = s.text("known_hosts").map(this::path);
            Duration connect = s.duration("connect_timeout", "5s");
            Duration command = s.duration("command_timeout", "30s");
            boolean sudo = s.bool("sudo", false);
            s.done();
            if (kind == Environment.Kind.LIVE && knownHosts.isEmpty()) {
                throw error("ssh.known_hosts", "a live zone needs a known_hosts file: host keys are always verified");
            }
            return new Environment.Ssh(user, identity, knownHosts, connect, command, sudo && !user.equals("root"));
        }

        private Path path(String text) {
            String expanded = text.startsWith("~/") ? System.getProperty("user.home") + text.substring(1) : text;
            return base.resolve(expanded).normalize();
        }

        private Environment.Thresholds thresholds(Fields t) {
            Environment.Thresholds thresholds = new Environment.Thresholds(
                    t.duration("failover_window", "10s"),
                    t.duration("certificate_horizon", "30d"),
                    t.duration("clock_offset", "100ms"),
                    t.duration("backup_freshness", "24h"));
            t.done();
            return thresholds;
        }

        private Map<String, Environment.ServiceSpec> services(JsonNode node, Profile profile) {
            Map<String, Environment.ServiceSpec> services = new LinkedHashMap<>(profile.services());
            if (node.isMissingNode() || node.isNull()) {
                return Map.copyOf(services);
            }
            if (!node.isObject()) {
                throw error("services", "must map service names to {unit, roles}");
            }
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                Fields s = new Fields(e.getValue(), "services." + e.getKey() + ".", this::error);
                Environment.ServiceSpec defaults = services.get(e.getKey());
                String unit = s.text("unit").orElse(defaults == null ? null : defaults.unit());
                if (unit == null) {
                    throw error("services." + e.getKey() + ".unit", "is required for a service the profile does not know");
                }
                Set<String> roles = s.optional("roles").isMissingNode() && defaults != null ? defaults.roles() : s.stringSet("roles");
                for (String role : roles) {
                    if (!profile.roles().contains(role)) {
                        throw error("services." + e.getKey() + ".roles", "unknown role '" + role + "'");
                    }
                }
                s.done();
                services.put(e.getKey(), new Environment.ServiceSpec(unit, roles));
            }
            return Map.copyOf(services);
        }

        /** Rows of a port matrix: protocol, port (a number or a name under ports:), from, on (roles; default all), why. */
        private List<Environment.PortRule> portRules(JsonNode node, String at, Profile profile, Set<String> portNames, Set<String> sourceNames) {
            List<Environment.PortRule> rules = new ArrayList<>();
            if (node.isMissingNode()) {
                return rules;
            }
            if (!node.isArray()) {
                throw error(at, "must be a list of {protocol, port, from, on, why}");
            }
            for (int i = 0; i < node.size(); i++) {
                String here = at + "[" + i + "]";
                Fields r = new Fields(node.get(i), here + ".", this::error);
                String protocol = r.requiredText("protocol");
                if (!Environment.PortRule.PROTOCOLS.contains(protocol)) {
                    throw error(here + ".protocol", "'" + protocol + "' is not one of " + new java.util.TreeSet<>(Environment.PortRule.PROTOCOLS));
                }
                String port = protocol.equals("vrrp") ? r.text("port").orElse("") : r.requiredText("port");
                if (!port.isEmpty() && !port.matches("\\d{1,5}") && !portNames.contains(port)) {
                    throw error(here + ".port", "'" + port + "' is neither a port number nor " + (portNames.isEmpty()
                            ? "a named port (profile " + profile.name() + " names none)" : "one of " + new java.util.TreeSet<>(portNames)));
                }
                String from = r.requiredText("from");
                if (!Environment.PortRule.SOURCES.contains(from) && !sourceNames.contains(from)) {
                    parse(here + ".from", from, text -> text.contains("/") ? Ipv4.Cidr.parse(text) : Ipv4.parse(text));
                }
                Set<String> on = r.optional("on").isMissingNode() ? new LinkedHashSet<>(profile.roles()) : r.stringSet("on");
                for (String role : on) {
                    if (!profile.roles().contains(role)) {
                        throw error(here + ".on", "unknown role '" + role + "' (profile " + profile.name() + " has roles "
                                + String.join(", ", profile.roles()) + ")");
                    }
                }
                rules.add(new Environment.PortRule(protocol, port, from, Set.copyOf(on), r.text("why").orElse("")));
                r.done();
            }
            return List.copyOf(rules);
        }

        private List<Environment.Equivalent> equivalents(JsonNode node) {
            List<Environment.Equivalent> list = new ArrayList<>();
            if (node.isMissingNode() || node.isNull()) {
                return list;
            }
            if (!node.isArray()) {
                throw error("equivalents", "must be a list of {runbook, checked, reason}");
            }
            for (int i = 0; i < node.size(); i++) {
                Fields e = new Fields(node.get(i), "equivalents[" + i + "].", this::error);
                list.add(new Environment.Equivalent(e.requiredText("runbook"), e.requiredText("checked"), e.requiredText("reason")));
                e.done();
            }
            return List.copyOf(list);
        }

        private List<Environment.HostSpec> supportHosts(JsonNode node, List<Environment.HostSpec> hosts, Ipv4.Cidr vip) {
            List<Environment.HostSpec> out = new ArrayList<>();
            if (node.isMissingNode()) {
                return out;
            }
            if (!node.isArray()) {
                throw error("support_hosts", "must be a list of hosts, each with name and address");
            }
            for (int i = 0; i < node.size(); i++) {
                String at = "support_hosts[" + i + "]";
                Fields h = new Fields(node.get(i), at + ".", this::error);
                String name = h.requiredText("name");
                if (!name.matches("[a-z0-9][a-z0-9-]*")) {
                    throw error(at + ".name", "'" + name + "' must be lower-case letters, digits and dashes");
                }
                String hostname = h.text("hostname").orElse(name);
                Ipv4 address = parse(at + ".address", h.requiredText("address"), Ipv4::parse);
                int sshPort = h.integer("ssh_port", 22, 1, 65535);
                h.done();
                for (Environment.HostSpec other : hosts) {
                    if (other.name().equals(name)) {
                        throw error(at + ".name", "'" + name + "' is already a zone host");
                    }
                    if (other.address().equals(address)) {
                        throw error(at + ".address", address + " is the address of zone host " + other.name());
                    }
                }
                if (vip != null && address.equals(vip.address())) {
                    throw error(at + ".address", address + " is the VIP");
                }
                out.add(new Environment.HostSpec(name, Environment.HostSpec.SUPPORT_ROLE, hostname, address, sshPort));
            }
            return out;
        }

        private Environment.Acceptance acceptance(Fields top, List<Environment.HostSpec> hosts,
                                                  List<Environment.HostSpec> support, Profile profile, Set<String> portNames,
                                                  Set<String> sourceNames) {
            Map<String, Environment.Attestation> attestations = new LinkedHashMap<>();
            Fields a = top.object("attestations");
            for (String key : a.keys()) {
                Fields r = a.object(key);
                java.time.LocalDate at = date(r, "at", true);
                String by = r.requiredText("by");
                String ref = r.requiredText("reference");
                java.time.LocalDate expires = date(r, "expires", true);
                r.done();
                if (!expires.isAfter(at)) {
                    throw error("attestations." + key + ".expires", expires + " is not after the attestation's date " + at);
                }
                attestations.put(key, new Environment.Attestation(by, at, ref, expires));
            }
            a.done();

            Map<String, Environment.Signature> signoff = new LinkedHashMap<>();
            Fields so = top.object("signoff");
            for (String key : so.keys()) {
                Fields r = so.object(key);
                signoff.put(key, new Environment.Signature(r.requiredText("name"), date(r, "date", true)));
                r.done();
            }
            so.done();

            Map<String, String> na = new LinkedHashMap<>();
            Fields n = top.object("not_applicable");
            for (String key : n.keys()) {
                na.put(key, n.requiredText(key));
            }
            n.done();

            Fields b = top.object("baseline");
            List<String> os = List.copyOf(b.optional("os").isMissingNode()
                    ? List.of("debian 12", "debian 13", "ubuntu 22.04", "ubuntu 24.04", "rhel 9", "rocky 9")
                    : b.stringSet("os"));
            Map<String, String> packages = new LinkedHashMap<>();
            Fields pk = b.object("packages");
            for (String key : pk.keys()) {
                packages.put(key, pk.requiredText(key));
            }
            pk.done();
            b.done();

            Fields l = top.object("logging");
            String verifyHost = l.text("verify_host").orElse("");
            if (!verifyHost.isEmpty() && support.stream().noneMatch(h -> h.name().equals(verifyHost))
                    && hosts.stream().noneMatch(h -> h.name().equals(verifyHost))) {
                throw error("logging.verify_host", "no host or support host named '" + verifyHost + "'");
            }
            Environment.Logging logging = new Environment.Logging(l.text("agent_unit").orElse("rsyslog.service"),
                    l.text("target").orElse(""), verifyHost, l.text("verify_command").orElse(""));
            l.done();

            Fields fw = top.object("firewall");
            List<Environment.PortRule> alsoAllowed = portRules(fw.optional("also_allowed"), "firewall.also_allowed", profile, portNames, sourceNames);
            fw.done();

            return new Environment.Acceptance(java.util.Collections.unmodifiableMap(attestations), java.util.Collections.unmodifiableMap(signoff), java.util.Collections.unmodifiableMap(na),
                    new Environment.Baseline(os, java.util.Collections.unmodifiableMap(packages)), logging, alsoAllowed);
        }

        private java.time.LocalDate date(Fields f, String key, boolean required) {
            String text = required ? f.requiredText(key) : f.text(key).orElse("");
            try {
                return java.time.LocalDate.parse(text);
            } catch (java.time.format.DateTimeParseException e) {
                throw error(f.path(key), "'" + text + "' is not a date (YYYY-MM-DD)");
            }
        }

        /**
         * simulation.provision: {playbook: file | command: text, reference: bare | keep, timeout, idempotence,
         * second_run: {playbook: file | command: text}}; empty when absent.
         */
        private Optional<Environment.Provision> provision(Fields p) {
            if (p.isEmpty()) {
                return Optional.empty();
            }
            Map.Entry<Optional<Path>, Optional<String>> first = playbookOrCommand(p);
            Optional<Path> playbook = first.getKey();
            Optional<String> command = first.getValue();
            String reference = p.text("reference").orElse("bare");
            if (!List.of("bare", "keep").contains(reference)) {
                throw p.error("reference", "'" + reference + "' is neither 'bare' (the nodes get only the zone's identity material:"
                        + " SSH access, hostnames, certificates, keys) nor 'keep' (provisioning runs on top of the profile's reference configuration)");
            }
            Duration timeout = p.duration("timeout", "15m");
            boolean idempotence = p.bool("idempotence", true);
            // the user's own ansible-playbook (an installation with the collections their playbooks need)
            Optional<Path> ansible = p.text("ansible_playbook").map(this::path);
            ansible.filter(f -> !Files.isExecutable(f)).ifPresent(f -> {
                throw p.error("ansible_playbook", f + " is not an executable file");
            });
            Fields second = p.object("second_run");
            Optional<Environment.Provision> secondRun = Optional.empty();
            if (!second.isEmpty()) {
                if (!idempotence) {
                    throw p.error("second_run", "names what the second run runs, and idempotence: false runs none: give one or the other");
                }
                Map.Entry<Optional<Path>, Optional<String>> s2 = playbookOrCommand(second);
                second.done();
                secondRun = Optional.of(new Environment.Provision(s2.getKey(), s2.getValue(), reference.equals("bare"), timeout, true, Optional.empty(),
                        ansible));
            }
            p.done();
            return Optional.of(new Environment.Provision(playbook, command, reference.equals("bare"), timeout, idempotence, secondRun, ansible));
        }

        /** A provisioning's playbook (a file) or command (text): exactly one of them. */
        private Map.Entry<Optional<Path>, Optional<String>> playbookOrCommand(Fields p) {
            Optional<String> playbookText = p.text("playbook");
            Optional<String> command = p.text("command");
            if (playbookText.isPresent() == command.isPresent()) {
                throw p.error(playbookText.isPresent() ? "command" : "playbook",
                        "give either a playbook (an Ansible playbook file) or a command, not " + (playbookText.isPresent() ? "both" : "neither"));
            }
            Optional<Path> playbook = playbookText.map(this::path);
            playbook.filter(f -> !Files.isRegularFile(f)).ifPresent(f -> {
                throw p.error("playbook", f + " is not a file");
            });
            command.filter(String::isBlank).ifPresent(c -> {
                throw p.error("command", "is empty");
            });
            return Map.entry(playbook, command);
        }

        private Environment.Simulation simulation(Fields s, Environment.Kind kind, List<Environment.HostSpec> hosts,
                                                  Ipv4.Cidr vip) {
            if (kind == Environment.Kind.LIVE) {
                if (!s.isEmpty()) {
                    throw error("simulation", "only a simulated environment (kind: simulated) has simulation settings");
                }
                return new Environment.Simulation(null, Map.of(), Optional.empty(), Set.of(), Optional.empty(), Optional.empty(),
                        Optional.empty(), Environment.BenchAims.DEFAULT);
            }
            if (vip == null && s.text("subnet").isEmpty()) {
                throw error("simulation.subnet", "is required (the zone's private network, e.g. 10.213.78.0/24)");
            }
            String defaultSubnet = vip == null ? "" : vip.network() + "/" + vip.prefix();
            Ipv4.Cidr subnet = parse("simulation.subnet", s.text("subnet").orElse(defaultSubnet), Ipv4.Cidr::parse);
            for (Environment.HostSpec h : hosts) {
                if (!subnet.contains(h.address())) {
                    throw error("hosts", "host " + h.name() + " (" + h.address() + ") is outside the simulated subnet " + subnet);
                }
            }
            if (vip != null && !subnet.contains(vip.address())) {
                throw error("vip", "VIP " + vip.address() + " is outside the simulated subnet " + subnet);
            }
            Map<String, Path> overlays = new LinkedHashMap<>();
            Fields o = s.object("overlays");
            for (String node : o.keys()) {
                if (!node.equals("all") && hosts.stream().noneMatch(h -> h.name().equals(node))) {
                    throw error("simulation.overlays." + node, "no host named '" + node + "' (use a host name or 'all')");
                }
                Path dir = path(o.requiredText(node));
                if (!Files.isDirectory(dir)) {
                    throw error("simulation.overlays." + node, "overlay directory " + dir + " does not exist");
                }
                overlays.put(node, dir);
            }
            o.done();
            Optional<String> image = s.text("image");
            Set<String> unmounted = s.stringSet("unmounted");
            for (String u : unmounted) {
                if (!u.matches("[a-z0-9-]+:/.*")) {
                    throw error("simulation.unmounted", "'" + u + "' must be host:/path, e.g. beta:/artifacts");
                }
            }
            Optional<java.time.Instant> notAfter = s.text("certificate_not_after").map(t -> parse("simulation.certificate_not_after",
                    t, d -> java.time.LocalDate.parse(d).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()));
            Optional<Duration> settle = s.text("settle_deadline").map(t -> s.duration("settle_deadline", "60s"));
            settle.filter(d -> d.isNegative() || d.isZero() || d.compareTo(Duration.ofMinutes(10)) > 0).ifPresent(d -> {
                throw error("simulation.settle_deadline", d.toMillis() + " ms is outside 1 ms .. 10 min");
            });
            Optional<Environment.Provision> provision = provision(s.object("provision"));
            Fields a = s.object("bench_aims");
            Environment.BenchAims aims = new Environment.BenchAims(
                    a.duration("zone_up", Environment.BenchAims.DEFAULT.zoneUp().toSeconds() + "s"),
                    a.duration("whole_run", Environment.BenchAims.DEFAULT.wholeRun().toSeconds() + "s"),
                    List.copyOf(a.stringSet("figures")));
            a.done();
            s.done();
            return new Environment.Simulation(subnet, Map.copyOf(overlays), image, Set.copyOf(unmounted), notAfter, settle, provision, aims);
        }

    }
}
