package io.triad.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.triad.env.Environment;
import io.triad.env.Environment.HostSpec;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.run.Progress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulated zone converged by the user's own provisioning ({@code simulation.provision}), as
 * Molecule converges a role on containers: an inventory of the simulated nodes is written (names,
 * roles, addresses, the harness's SSH key and known_hosts, the environment's inputs as
 * variables), the playbook (with the harness's own ansible-core, installed from PyPI once per
 * machine into {@code /var/cache/triad-acceptance/ansible}, see {@link #ansible}) or the command runs, then runs again: the second run must change
 * nothing. Both runs' output is kept; a failure names the host and the task.
 */
public final class Provisioning {

    /**
     * The Ansible the harness installs for playbooks: the community package (ansible-core and the collections
     * common playbooks use: community.general, ansible.posix and the rest), its core pinned to the
     * version whose output the harness's parser is tested on (Python 3.10 or later here; 3.7 or later on the nodes).
     */
    public static final String ANSIBLE = "ansible==10.7.0";
    public static final String ANSIBLE_CORE = "ansible-core==2.17.7";

    /** Where a node's files changed by the second run are looked for (configuration, not state or logs). */
    static final String WATCHED = "/etc /opt /usr/local /srv /root /home";

    /** One run: its exit code, its output, how long it took, and what it says it changed and what failed, per host. */
    public record Run(int number, int exitCode, String output, Duration took, Map<String, List<String>> changed,
                      Map<String, String> failed) { }

    /** Both runs, the inventory they were given (its file, while the zone runs, and its text), and the files the second run changed on the nodes. */
    public record Result(String what, Path inventory, String inventoryText, List<Run> runs, Map<String, List<String>> changedFiles) {

        /** Why provisioning does not count as converged, or empty when it does. */
        public Optional<String> problem() {
            Run first = runs.get(0);
            if (!first.failed().isEmpty()) {
                Map.Entry<String, String> f = first.failed().entrySet().iterator().next();
                return Optional.of("provisioning failed on " + f.getKey() + ": " + f.getValue());
            }
            if (first.exitCode() != 0) {
                return Optional.of("provisioning failed: " + what + " exited " + first.exitCode() + lastLine(first.output()));
            }
            if (runs.size() < 2) {
                return Optional.empty();
            }
            Run second = runs.get(1);
            if (!second.failed().isEmpty() || second.exitCode() != 0) {
                return Optional.of("provisioning is not repeatable: its second run failed" + (second.failed().isEmpty()
                        ? " (exit " + second.exitCode() + ")" + lastLine(second.output())
                        : " on " + second.failed().keySet().iterator().next() + ": " + second.failed().values().iterator().next()));
            }
            List<String> changes = new ArrayList<>();
            second.changed().forEach((host, tasks) -> changes.add(host + ": " + String.join(", ", tasks)));
            changedFiles.forEach((host, files) -> changes.add(host + ": " + String.join(", ", files)));
            return changes.isEmpty() ? Optional.empty()
                    : Optional.of("provisioning is not idempotent: its second run changed " + String.join("; ", changes));
        }

        private static String lastLine(String output) {
            String[] lines = output.strip().split("\n");
            String last = lines.length == 0 ? "" : lines[lines.length - 1].strip();
            return last.isEmpty() ? "" : ": " + last;
        }
    }

    /** Provisioning did not converge the zone: the run stops before its first scenario, with this verdict. */
    public static final class Failed extends RuntimeException {
        private final transient Result result;

        public Failed(Result result) {
            super(result.problem().orElse("provisioning failed"));
            this.result = result;
        }

        public Result result() {
            return result;
        }
    }

    private Provisioning() { }

    /**
     * Converges the nodes: writes the inventory into {@code workDir}, runs the provisioning twice
     * and judges it; {@link Failed} when it did not converge or is not idempotent.
     */
    public static Result converge(Environment env, Environment.Provision p, List<Host> nodes, Path identityFile, Path knownHosts,
                                  Path workDir, Progress progress) {
        String inventoryText = inventory(env, identityFile, knownHosts);
        Path inventory = write(workDir.resolve("inventory.yaml"), inventoryText);
        List<String> argv = command(p, inventory, progress);
        List<Run> runs = new ArrayList<>();
        progress.step("provisioning the nodes with " + p.describe() + " (inventory " + inventory + ")");
        Run first = run(1, argv, env, p, inventory, identityFile, knownHosts);
        runs.add(first);
        progress.note("provisioning run 1: exit " + first.exitCode() + " in " + first.took().toMillis() + " ms");
        Result once = new Result(p.describe(), inventory, inventoryText, runs, Map.of());
        if (once.problem().isPresent()) {
            throw new Failed(once);
        }
        if (!p.idempotence()) {
            progress.note("provisioning: no second run (simulation.provision.idempotence: false)");
            return once;
        }
        // The second run: whatever it changes, on its own account or in the nodes' files, is a change a converged zone should not need.
        for (Host h : nodes) {
            h.exec(h.asRoot("touch /run/triad-provision.mark")).requireOk();
        }
        Run second = run(2, p.secondRun().isPresent() ? command(p.second(), inventory, progress) : argv, env, p, inventory, identityFile, knownHosts);
        runs.add(second);
        progress.note("provisioning run 2 (idempotence" + (p.secondRun().isPresent() ? ", " + p.second().describe() : "") + "): exit " + second.exitCode() + " in " + second.took().toMillis() + " ms");
        Map<String, List<String>> changedFiles = new LinkedHashMap<>();
        for (Host h : nodes) {
            CommandResult r = h.exec(h.asRoot("find " + WATCHED + " -xdev -newer /run/triad-provision.mark \\( -type f -o -type l \\)"
                    + " -not -path '*/.ansible/*' 2>/dev/null | sort | head -20"));
            List<String> files = r.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
            if (!files.isEmpty()) {
                changedFiles.put(h.name(), files);
            }
        }
        Result result = new Result(p.describe(), inventory, inventoryText, List.copyOf(runs), changedFiles);
        if (result.problem().isPresent()) {
            throw new Failed(result);
        }
        return result;
    }

    /** Writes the Ansible inventory of the zone into {@code workDir} (see {@link #inventory}). */
    static Path writeInventory(Environment env, Path identityFile, Path knownHosts, Path workDir) {
        return write(workDir.resolve("inventory.yaml"), inventory(env, identityFile, knownHosts));
    }

    /** The Ansible inventory (YAML) of the zone: every node and support host, grouped by role, and the zone's inputs. */
    static String inventory(Environment env, Path identityFile, Path knownHosts) {
        ObjectMapper yaml = new ObjectMapper(YAMLFactory.builder()
                .enable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.MINIMIZE_QUOTES).build());
        ObjectNode all = yaml.createObjectNode();
        ObjectNode root = all.putObject("all");
        ObjectNode vars = root.putObject("vars");
        vars.put("ansible_user", "root");
        vars.put("ansible_ssh_private_key_file", identityFile.toString());
        vars.put("ansible_ssh_common_args", "-o UserKnownHostsFile=" + knownHosts + " -o StrictHostKeyChecking=yes");
        vars.put("ansible_python_interpreter", "/usr/bin/python3");
        vars.put("triad_zone", env.zone());
        vars.put("triad_profile", env.profile().name());
        if (env.hasVip()) {
            vars.put("triad_vip", env.vip().toString());
        }
        ObjectNode hosts = vars.putObject("triad_hosts");
        List<HostSpec> every = new ArrayList<>(env.hosts());
        every.addAll(env.supportHosts());
        for (HostSpec h : every) {
            ObjectNode n = hosts.putObject(h.name());
            n.put("role", h.role());
            n.put("hostname", h.hostname());
            n.put("address", h.address().toString());
        }
        ObjectMapper values = settingsMapper();
        if (env.settings() != null) {
            vars.set("triad_settings", values.valueToTree(env.settings()));
        }
        vars.set("triad_thresholds", values.valueToTree(env.thresholds()));
        vars.set("triad_acceptance", values.valueToTree(env.acceptance()));
        if (env.simulated()) {
            vars.put("triad_subnet", env.simulation().subnet().toString());
        }
        ObjectNode children = root.putObject("children");
        ObjectNode nodes = children.putObject("nodes").putObject("hosts");
        for (HostSpec h : env.hosts()) {
            hostVars(nodes.putObject(h.name()), h);
            String group = "role_" + h.role().replace('-', '_');
            ObjectNode roleGroup = children.has(group) ? (ObjectNode) children.get(group) : children.putObject(group);
            ObjectNode members = roleGroup.has("hosts") ? (ObjectNode) roleGroup.get("hosts") : roleGroup.putObject("hosts");
            members.putObject(h.name());
        }
        if (!env.supportHosts().isEmpty()) {
            ObjectNode support = children.putObject("support").putObject("hosts");
            env.supportHosts().forEach(h -> hostVars(support.putObject(h.name()), h));
        }
        try {
            return yaml.writeValueAsString(all);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the provisioning inventory as YAML", e);
        }
    }

    private static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the provisioning inventory " + file, e);
        }
    }

    private static void hostVars(ObjectNode n, HostSpec h) {
        n.put("ansible_host", h.address().toString());
        n.put("ansible_port", h.sshPort());
        n.put("triad_role", h.role());
        n.put("triad_hostname", h.hostname());
    }

    /** The environment's values as inventory variables: snake_case names, durations in milliseconds, dates as ISO text. */
    private static ObjectMapper settingsMapper() {
        com.fasterxml.jackson.databind.module.SimpleModule millis = new com.fasterxml.jackson.databind.module.SimpleModule();
        millis.addSerializer(Duration.class, new com.fasterxml.jackson.databind.ser.std.StdSerializer<>(Duration.class) {
            @Override
            public void serialize(Duration d, com.fasterxml.jackson.core.JsonGenerator g, com.fasterxml.jackson.databind.SerializerProvider p)
                    throws IOException {
                g.writeNumber(d.toMillis());
            }
        });
        millis.addSerializer(Path.class, new com.fasterxml.jackson.databind.ser.std.ToStringSerializer(Path.class));
        return new ObjectMapper().registerModule(new com.fasterxml.jackson.datatype.jdk8.Jdk8Module())
                .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                .registerModule(millis)
                .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
                .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    /** The command line that runs the provisioning (for a playbook, the harness's ansible-playbook, installed when missing). */
    static List<String> command(Environment.Provision p, Path inventory, Progress progress) {
        if (p.command().isPresent()) {
            return List.of("bash", "-c", p.command().get());
        }
        Path ansible = p.ansiblePlaybook().orElseGet(() -> ansible(progress));
        return List.of(ansible.toString(), "-i", inventory.toString(), p.playbook().orElseThrow().toString());
    }

    /**
     * The harness's ansible-playbook: a virtual environment with {@value #ANSIBLE} from PyPI, made once
     * per machine in a cache named by its version ({@code /var/cache/triad-acceptance/ansible/}, or
     * {@code TRIAD_ANSIBLE_CACHE}; as the control plane's binaries are), under a lock (two lanes
     * that need it at once make it once); in {@code target/ansible} where that cache cannot be written.
     */
    static synchronized Path ansible(Progress progress) {
        Path venv = venv();
        Path playbook = venv.resolve("bin/ansible-playbook");
        Path installed = venv.resolve(VENV + ".installed");
        if (Files.isExecutable(playbook) && Files.exists(installed)) {
            return playbook;
        }
        try {
            Files.createDirectories(venv.getParent());
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(venv.getParent().resolve(venv.getFileName() + ".lock"),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                 java.nio.channels.FileLock lock = ch.lock()) {
                if (Files.isExecutable(playbook) && Files.exists(installed)) {
                    return playbook; // made by another lane while this one waited
                }
                progress.step("installing " + ANSIBLE + " (" + ANSIBLE_CORE + " and its collections) from PyPI into " + venv
                        + " (once per machine, about 500 MB)");
                exec(List.of("python3", "-m", "venv", "--clear", venv.toString()), Duration.ofMinutes(2), "cannot make a Python virtual environment");
                exec(List.of(venv.resolve("bin/pip").toString(), "install", "-q", "--disable-pip-version-check", ANSIBLE, ANSIBLE_CORE),
                        Duration.ofMinutes(10), "cannot install " + ANSIBLE + " from PyPI");
                Files.writeString(installed, "");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return playbook;
    }

    /** The virtual environment's name in the cache, and its mark once installed: Ansible's name and version. */
    private static final String VENV = ANSIBLE.replace("==", "-");

    /** Where the virtual environment is: the machine's cache when it can be written, else target/ansible. */
    static Path venv() {
        Path cache = Path.of(System.getenv().getOrDefault("TRIAD_ANSIBLE_CACHE", "/var/cache/triad-acceptance/ansible"));
        try {
            Files.createDirectories(cache);
            if (Files.isWritable(cache)) {
                return cache.resolve(VENV);
            }
        } catch (IOException | SecurityException e) {
            // not this machine's to write: the clone's own
        }
        return SimulatedTriad.root().resolve("target/ansible");
    }

    private static void exec(List<String> argv, Duration timeout, String what) {
        try {
            Process proc = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!proc.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || proc.exitValue() != 0) {
                throw new io.triad.env.InputError(what + ": " + out.strip());
            }
        } catch (IOException e) {
            throw new io.triad.env.InputError(what + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.triad.env.InputError(what + ": interrupted");
        }
    }

    private static Run run(int number, List<String> argv, Environment env, Environment.Provision p, Path inventory,
                           Path identityFile, Path knownHosts) {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.directory(env.file().toAbsolutePath().getParent().toFile());
        Map<String, String> e = pb.environment();
        e.put("TRIAD_INVENTORY", inventory.toString());
        e.put("TRIAD_SSH_KEY", identityFile.toString());
        e.put("TRIAD_KNOWN_HOSTS", knownHosts.toString());
        e.put("TRIAD_PROVISION_RUN", String.valueOf(number));
        e.put("LC_ALL", "C.UTF-8"); // ansible-playbook refuses a locale that is not UTF-8
        e.put("ANSIBLE_NOCOLOR", "1");
        e.put("ANSIBLE_FORCE_COLOR", "0");
        e.put("ANSIBLE_RETRY_FILES_ENABLED", "0");
        e.put("ANSIBLE_PIPELINING", "1");
        e.put("ANSIBLE_HOST_KEY_CHECKING", "1");
        e.put("ANSIBLE_LOCAL_TEMP", inventory.getParent().resolve("ansible-tmp").toString());
        long t0 = System.nanoTime();
        try {
            Process proc = pb.start();
            StringBuilder out = new StringBuilder();
            Thread reader = new Thread(() -> {
                try {
                    out.append(new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "provisioning-output");
            reader.start();
            boolean ended = proc.waitFor(p.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                proc.descendants().forEach(ProcessHandle::destroyForcibly);
                proc.destroyForcibly();
            }
            reader.join(10_000);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            String output = out.toString();
            if (!ended) {
                return new Run(number, -1, output, took, Map.of(), Map.of("(all)", "did not end within " + p.timeout().toSeconds() + " s"));
            }
            return new Run(number, proc.exitValue(), output, took, p.playbook().isPresent() ? changedTasks(output) : Map.of(),
                    p.playbook().isPresent() ? failedTasks(output) : Map.of());
        } catch (IOException ex) {
            throw new io.triad.env.InputError("cannot run " + p.describe() + ": " + ex.getMessage());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new io.triad.env.InputError("provisioning interrupted");
        }
    }

    private static final Pattern TASK = Pattern.compile("^(?:TASK|RUNNING HANDLER) \\[(.+?)\\] \\**\\s*$");
    private static final Pattern CHANGED = Pattern.compile("^changed: \\[([^\\]]+?)\\]");
    private static final Pattern FATAL = Pattern.compile("^(?:fatal|failed): \\[([^\\]]+?)\\]:? (?:FAILED!|UNREACHABLE!) => (.*)$");
    private static final Pattern MSG = Pattern.compile("\"msg\": \"((?:[^\"\\\\]|\\\\.)*)\"");

    /** Each line of ansible-playbook's default output after a task's (or a handler's) header, with the task's name. */
    private static void eachTaskLine(String output, java.util.function.BiConsumer<String, String> line) {
        String task = "";
        for (String l : output.split("\n")) {
            Matcher t = TASK.matcher(l);
            if (t.matches()) {
                task = t.group(1);
            } else {
                line.accept(task, l);
            }
        }
    }

    /** The tasks ansible-playbook's default output says changed something, per host (the host as the inventory names it). */
    static Map<String, List<String>> changedTasks(String output) {
        Map<String, List<String>> changed = new LinkedHashMap<>();
        eachTaskLine(output, (task, line) -> {
            Matcher c = CHANGED.matcher(line);
            if (c.find()) {
                changed.computeIfAbsent(c.group(1).split(" ")[0], k -> new ArrayList<>()).add(task);
            }
        });
        return changed;
    }

    /** The first task that failed on each host, with its message, from ansible-playbook's default output. */
    static Map<String, String> failedTasks(String output) {
        Map<String, String> failed = new LinkedHashMap<>();
        eachTaskLine(output, (task, line) -> {
            Matcher f = FATAL.matcher(line);
            if (f.find()) {
                Matcher m = MSG.matcher(f.group(2));
                String msg = m.find() ? m.group(1).replace("\\n", " ").replace("\\\"", "\"") : "";
                failed.putIfAbsent(f.group(1).split(" ")[0], task + (msg.isEmpty() ? "" : " (" + msg + ")"));
            }
        });
        return failed;
    }
}
