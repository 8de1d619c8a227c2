package io.triad.sim;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import io.triad.env.Environment;
import io.triad.env.Environment.HostSpec;
import io.triad.env.InputError;
import io.triad.run.Progress;
import org.testcontainers.DockerClientFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;

/**
 * The simulated triad: the environment's hosts as systemd containers (real sshd, keepalived,
 * nats-server, chrony, rsyslog and the reference controller) on a private Docker network with
 * fixed addresses and the VIP kept free. Keys and certificates are made at start; configuration
 * is rendered where the runbook expects it; overlays are laid over it before boot. Containers,
 * the network and volumes are labelled, removed by {@link #close()} and swept at the next start.
 */
public final class SimulatedTriad implements AutoCloseable {

    public static final String LABEL = "triad.acceptance";
    static final String LABEL_VALUE = "simulated-triad";

    private final Environment env;
    private final String runId = OpenZones.opened(UUID.randomUUID().toString().substring(0, 8));
    private final Map<String, String> containers = new LinkedHashMap<>();
    private final List<String> volumes = new ArrayList<>();
    /** The stores in memory of this zone's volumes, by volume ({@link MemoryVolumes}). */
    private final Map<String, Path> memoryStores = new java.util.concurrent.ConcurrentHashMap<>();
    /** The directories of this zone's stores in memory (none when its volumes are on disk): removed when it closes. */
    public List<Path> memoryStores() {
        return List.copyOf(memoryStores.values());
    }

    /** Why stores were put on disk, said once each. */
    private final java.util.Set<String> memoryNoted = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final List<String> proxies = new ArrayList<>();
    private final Path workDir;
    private final ZoneCa ca;
    private String networkId;
    private Path knownHosts;
    private Path identityFile;
    private Map<String, Path> clientFiles = Map.of();
    private Duration bootTime = Duration.ZERO;
    private java.time.Instant startedAt = java.time.Instant.EPOCH;

    /** Label of a zone kept up by {@code triad up}: never swept by another run's start, only by {@code triad down}. */
    public static final String KEPT_LABEL = "triad.kept";

    private final boolean kept;
    private volatile boolean released;
    private volatile java.util.OptionalLong cpuAtClose = java.util.OptionalLong.empty();

    /** The containers' CPU time when the zone was closed ({@link #cpuNanos}), read just before their removal. */
    public java.util.OptionalLong cpuAtClose() {
        return cpuAtClose;
    }

    private SimulatedTriad(Environment env, boolean kept) {
        this.env = env;
        this.kept = kept;
        try {
            this.workDir = Files.createTempDirectory("triad-sim-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.ca = new ZoneCa(env.zone(), Duration.ofDays(3650));
    }

    /** Starts the triad the environment describes and waits until every node answers over SSH. */
    public static SimulatedTriad start(Environment env, Progress progress) {
        return start(env, progress, false);
    }

    /**
     * As {@link #start(Environment, Progress)}; {@code keep}: the zone is to outlive this process
     * ({@code triad up}): labelled so, and left running by {@link #close()} once {@link #release()}d.
     */
    public static SimulatedTriad start(Environment env, Progress progress, boolean keep) {
        if (!env.simulated()) {
            throw new IllegalArgumentException(env.file() + " is not a simulated environment");
        }
        SimulatedTriad triad = new SimulatedTriad(env, keep);
        try {
            triad.boot(progress);
            return triad;
        } catch (RuntimeException e) {
            triad.close();
            throw e;
        }
    }

    public Path knownHosts() {
        return knownHosts;
    }

    /** The zone's working directory on this machine (its keys, known_hosts, the provisioning inventory). */
    public Path workDir() {
        return workDir;
    }

    public Path identityFile() {
        return identityFile;
    }

    public ZoneCa ca() {
        return ca;
    }

    /** When the nodes' containers were started. */
    public java.time.Instant startedAt() {
        return startedAt;
    }

    /** How long the nodes took from container start to answering over SSH with systemd up. */
    public Duration bootTime() {
        return bootTime;
    }

    public String containerId(String host) {
        String id = containers.get(host);
        if (id == null) {
            throw new InputError("the simulated triad has no node named '" + host + "'");
        }
        return id;
    }

    /** Crashes a node: SIGKILL to the container's init, as a power cut would. */
    public Instant kill(String host) {
        docker().killContainerCmd(containerId(host)).exec();
        return ended(host);
    }

    /**
     * When a killed node's container ended, as the Docker engine recorded it (State.FinishedAt, on
     * this machine's clock): when the crash took effect, not when it was asked for. Polled until the
     * engine says it is not running (at most 10 s); the kill's return is the fallback.
     */
    private Instant ended(String host) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            var state = docker().inspectContainerCmd(containerId(host)).exec().getState();
            if (!Boolean.TRUE.equals(state.getRunning()) && state.getFinishedAt() != null && !state.getFinishedAt().startsWith("0001-")) {
                try {
                    return Instant.parse(state.getFinishedAt());
                } catch (java.time.format.DateTimeParseException e) {
                    return Instant.now();
                }
            }
            if (System.nanoTime() > deadline) {
                return Instant.now();
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
        }
    }

    /** Starts a crashed node again (same address, same disks); it boots like after a power cut. */
    public void startAgain(String host) {
        docker().startContainerCmd(containerId(host)).exec();
    }

    /** The paths the harness laid on each host before it booted (rendered and overlaid), by host. */
    private final Map<String, List<String>> rendered = new LinkedHashMap<>();

    /** The paths the harness laid on a host before it booted: its rendered files, and an overlay's. */
    public List<String> laidFiles(String host) {
        return rendered.getOrDefault(host, List.of());
    }

    /**
     * Lays files on a running node (a tar archive rooted at "/", {@link NodeFiles#tar}), as the
     * harness laid its files before the boot: a mutant laid on a settled zone.
     */
    public void lay(String host, byte[] tar) {
        copyInto(docker(), containerId(host), tar);
    }

    /** Extracts a tar archive rooted at "/" into a container, created or running. */
    private static void copyInto(DockerClient docker, String containerId, byte[] tar) {
        try (InputStream in = new ByteArrayInputStream(tar)) {
            docker.copyArchiveToContainerCmd(containerId).withTarInputStream(in).withRemotePath("/").exec();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How long a freeze is tried again when the cgroup freezer gives up ("unable to freeze"). */
    static final Duration FREEZE_TRIES = Duration.ofSeconds(20);

    /**
     * Freezes every process of a node (the cgroup freezer): nothing on it runs until {@link #thaw}.
     * Returns when the freeze took effect. On cgroup v1 the runtime gives up when the node's
     * processes do not all stop within its own short budget (runc's "unable to freeze", seen on a
     * loaded machine) and thaws them again; runc's maintainers leave the retry to the caller
     * (opencontainers/runc#4388), so it is tried again until {@link #FREEZE_TRIES} has passed.
     * {@code tries} hears of each failed try. Never leaves the node half frozen: when no try
     * succeeded, it throws with the runtime's last word, the node running.
     */
    public Instant freeze(String host, java.util.function.Consumer<String> tries) {
        long deadline = System.nanoTime() + FREEZE_TRIES.toNanos();
        int attempt = 0;
        while (true) {
            attempt++;
            try {
                docker().pauseContainerCmd(containerId(host)).exec();
                return Instant.now();
            } catch (com.github.dockerjava.api.exception.DockerException e) {
                if (paused(host)) {
                    return Instant.now();
                }
                String why = e.getMessage() == null ? e.toString() : e.getMessage().strip();
                if (!why.contains("unable to freeze") || System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not freeze " + host + " (" + attempt + " tries over "
                            + FREEZE_TRIES.toSeconds() + " s): " + why, e);
                }
                tries.accept("try " + attempt + " to freeze " + host + " failed (" + why + "), trying again");
                java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
            }
        }
    }

    /** Thaws a frozen node; nothing to do when it is not frozen (a freeze that never took). */
    public void thaw(String host) {
        if (paused(host)) {
            docker().unpauseContainerCmd(containerId(host)).exec();
        }
    }

    private boolean paused(String host) {
        return Boolean.TRUE.equals(docker().inspectContainerCmd(containerId(host)).exec().getState().getPaused());
    }

    /** The user Toxiproxy runs as in a node's network namespace: its own connections are not redirected to it. */
    public static final int PROXY_UID = 1777;
    /** Where a node's Toxiproxy answers its API, inside the node's network namespace. */
    public static final int PROXY_API_PORT = 8474;

    /**
     * Starts Toxiproxy in a node's network namespace (a container sharing the node's network), as
     * {@link #PROXY_UID}, its API on 127.0.0.1:{@value #PROXY_API_PORT} there: reached through the
     * node's SSH, behind the node's own firewall. Returns the container's id.
     */
    public String startProxy(String host) {
        DockerClient docker = docker();
        String id = docker.createContainerCmd(image("toxiproxy.image"))
                .withName(resourceName(host + "-toxiproxy-" + UUID.randomUUID().toString().substring(0, 6)))
                .withLabels(labels("triad.node", host, "triad.part", "toxiproxy"))
                .withUser(String.valueOf(PROXY_UID))
                .withCmd("-host=127.0.0.1", "-port=" + PROXY_API_PORT)
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("container:" + containerId(host)))
                .exec().getId();
        proxies.add(id);
        docker.startContainerCmd(id).exec();
        return id;
    }

    public void removeProxy(String id) {
        proxies.remove(id);
        try {
            docker().removeContainerCmd(id).withForce(true).exec();
        } catch (RuntimeException ignored) {
            // already gone
        }
    }

    /** Whether any Toxiproxy of this run is still there (for tests of the heal). */
    public List<String> proxiesLeft() {
        return docker().listContainersCmd().withShowAll(true).withLabelFilter(Map.of("triad.run", runId, "triad.part", "toxiproxy"))
                .exec().stream().map(c -> c.getNames()[0]).toList();
    }

    /** Whether the node's container is paused (frozen). */
    public boolean frozen(String host) {
        return Boolean.TRUE.equals(docker().inspectContainerCmd(containerId(host)).exec().getState().getPaused());
    }

    private void boot(Progress progress) {
        DockerClient docker = docker();
        ZoneRecipe recipe = env.profile().recipe();
        String image = env.simulation().image().orElseGet(() -> nodeImage(recipe.imageProperty()));
        if (!imageExists(docker, image)) {
            throw new InputError("node image " + image + " is not built: run 'make images'");
        }
        sweep(docker, progress, env.simulation().subnet().toString());

        SshKeys.HostKey client = SshKeys.generate("triad-acceptance@harness");
        Map<String, SshKeys.HostKey> hostKeys = new LinkedHashMap<>();
        StringBuilder known = new StringBuilder();
        List<HostSpec> nodes = new ArrayList<>(env.hosts());
        nodes.addAll(env.supportHosts());
        for (HostSpec h : nodes) {
            SshKeys.HostKey key = SshKeys.generate("root@" + h.hostname());
            hostKeys.put(h.name(), key);
            String hostPattern = h.sshPort() == 22 ? h.address().toString() : "[" + h.address() + "]:" + h.sshPort();
            known.append(hostPattern).append(' ').append(key.publicKeyLine()).append('\n');
        }
        try {
            knownHosts = Files.writeString(workDir.resolve("known_hosts"), known);
            identityFile = workDir.resolve("id_ecdsa");
            Files.writeString(identityFile, client.privateKeyOpenSsh());
            Files.setPosixFilePermissions(identityFile, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, NodeFiles> files = recipe.render(new ZoneRecipe.Inputs(env, ca, client.publicKeyLine(), hostKeys, workDir));
        clientFiles = recipe.clientFiles(workDir);
        env.simulation().provision().filter(Environment.Provision::bare).ifPresent(provision -> {
            for (HostSpec h : env.hosts()) { // the user's provisioning converges the nodes; support hosts stay the harness's
                files.get(h.name()).retain(path -> recipe.identity(env, path));
            }
            progress.note("bare nodes: only the zone's identity material laid; " + provision.describe() + " converges them");
        });
        for (Map.Entry<String, Path> overlay : env.simulation().overlays().entrySet()) {
            for (HostSpec h : nodes) { // 'all' means the zone's nodes; a support host gets the overlays named after it
                if ((overlay.getKey().equals("all") && env.hosts().contains(h)) || overlay.getKey().equals(h.name())) {
                    files.get(h.name()).overlay(overlay.getValue());
                    progress.note("overlay " + overlay.getValue() + " laid over " + h.name());
                }
            }
        }

        files.forEach((host, f) -> rendered.put(host, List.copyOf(f.entries().keySet())));

        String subnet = env.simulation().subnet().toString();
        String networkName = resourceName("net");
        try {
            networkId = docker.createNetworkCmd()
                    .withName(networkName)
                    .withLabels(labels())
                    .withIpam(new com.github.dockerjava.api.model.Network.Ipam().withConfig(
                            new com.github.dockerjava.api.model.Network.Ipam.Config().withSubnet(subnet)))
                    .exec().getId();
        } catch (RuntimeException e) {
            throw new InputError("cannot create the simulated network " + subnet + ": " + rootMessage(e)
                    + " (is another network using that subnet? set simulation.subnet)", e);
        }

        long t0 = System.nanoTime();
        startedAt = java.time.Instant.now();
        progress.step("starting " + env.hosts().size() + " nodes" + (env.supportHosts().isEmpty() ? "" : " and "
                + env.supportHosts().size() + " support host(s)") + " on " + subnet + " (image " + image + ")");
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (HostSpec h : nodes) {
            String id = container(docker, image, networkName, h, files.get(h.name()).tar(), recipe.volumes(env, h), recipe.devices(env, h), progress);
            containers.put(h.name(), id);
            starts.add(CompletableFuture.runAsync(() -> docker.startContainerCmd(id).exec()));
        }
        try {
            CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
        } catch (RuntimeException e) {
            throw new IllegalStateException("a simulated node failed to start: " + rootMessage(e), e);
        }
        for (HostSpec h : nodes) {
            awaitSsh(h);
        }
        bootTime = Duration.ofNanos(System.nanoTime() - t0);
        progress.step("nodes answer over SSH after " + bootTime.toMillis() + " ms");
    }

    /**
     * Creates a node container (not started) with its rendered files in place. Made with the Docker
     * client directly, not as a Testcontainers container: the harness owns its removal (on close,
     * on Ctrl-C, and by label at the next start), with no second reaper racing it.
     */
    private String container(DockerClient docker, String image, String networkName, HostSpec h, byte[] tar, List<String> volumes,
                             List<String> devices, Progress progress) {
        List<Mount> mounts = new ArrayList<>();
        for (String target : volumes) {
            mounts.add(volume(docker, h, target, env.profile().recipe().inMemory(env, h, target), progress));
        }
        mounts.removeIf(m -> env.simulation().unmounted().contains(h.name() + ":" + m.getTarget()));
        env.profile().recipe().binds(env, h).forEach((target, source) -> mounts.add(new Mount().withType(MountType.BIND)
                .withSource(source.toAbsolutePath().toString()).withTarget(target).withReadOnly(true)));
        String name = resourceName(h.name());
        String id = docker.createContainerCmd(image)
                .withName(name)
                .withHostName(h.hostname())
                .withLabels(labels("triad.node", h.name()))
                .withCmd("/sbin/init")
                .withHostConfig(HostConfig.newHostConfig()
                        .withNetworkMode(networkName)
                        .withCapAdd(Capability.SYS_ADMIN, Capability.NET_ADMIN, Capability.NET_RAW, Capability.SYS_NICE)
                        .withSecurityOpts(List.of("seccomp=unconfined"))
                        .withCgroupnsMode("private")
                        .withTmpFs(Map.of("/run", "rw,exec,mode=755", "/run/lock", "rw"))
                        .withMounts(mounts)
                        .withDevices(devices.stream().map(d -> new com.github.dockerjava.api.model.Device("rwm", d, d)).toList()))
                .withIpv4Address(h.address().toString())
                .withAliases(h.hostname(), h.name())
                .exec().getId();
        copyInto(docker, id, tar);
        return id;
    }

    /** Names of this run's Docker resources: triad-<zone>-<part>-<run id>. */
    private String resourceName(String part) {
        return "triad-" + env.zone() + "-" + part + "-" + runId;
    }

    /** A volume for the host's directory: its store in this machine's memory where the recipe allows it and the machine can ({@link MemoryVolumes}). */
    private Mount volume(DockerClient docker, HostSpec h, String target, boolean inMemory, Progress progress) {
        String name = resourceName(h.name() + target.replace('/', '-'));
        Optional<String> notInMemory = inMemory ? MemoryVolumes.unavailable(System.getenv()) : Optional.of("");
        if (notInMemory.isEmpty()) {
            Path dir = MemoryVolumes.make(name);
            Map<String, String> labels = new LinkedHashMap<>(labels());
            labels.put(MemoryVolumes.DIR_LABEL, dir.toString());
            try {
                docker.createVolumeCmd().withName(name).withLabels(labels).withDriver("local")
                        .withDriverOpts(MemoryVolumes.driverOptions(dir)).exec();
            } catch (RuntimeException e) {
                MemoryVolumes.remove(dir);
                throw e;
            }
            memoryStores.put(name, dir);
        } else {
            if (!notInMemory.get().isEmpty() && memoryNoted.add(notInMemory.get())) {
                progress.note("the nodes' stores on disk, not in memory: " + notInMemory.get());
            }
            docker.createVolumeCmd().withName(name).withLabels(labels()).exec();
        }
        volumes.add(name);
        return new Mount().withType(MountType.VOLUME).withSource(name).withTarget(target);
    }

    private void awaitSsh(HostSpec h) {
        try {
            await("sshd on " + h.name()).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions()
                    .until(() -> {
                        try (Socket s = new Socket()) {
                            s.connect(new InetSocketAddress(h.address().toString(), h.sshPort()), 500);
                            return s.getInputStream().read() == 'S'; // "SSH-2.0-..."
                        }
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            String logs = consoleLog(containers.get(h.name()), 15);
            // an unusable environment, not the harness's fault: one message and exit 2 (the zone is removed by start's caller)
            throw new InputError("simulated node " + h.name() + " (" + h.address() + ") did not answer on SSH within 60 s"
                    + " (is the Docker network reachable from this machine, or the machine too loaded to boot the zone?); last console lines:\n"
                    + logs, e);
        }
    }

    /** The last lines a node wrote to its console (systemd's boot messages). */
    private static String consoleLog(String containerId, int lines) {
        StringBuilder out = new StringBuilder();
        try {
            docker().logContainerCmd(containerId).withStdOut(true).withStdErr(true).withTail(lines)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            out.append(new String(frame.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
                        }
                    }).awaitCompletion(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            out.append("(console log unavailable: ").append(rootMessage(e)).append(')');
        }
        return out.toString();
    }

    /** The labels of everything this triad makes: the harness's, this run's, kept or not, and {@code more} (key, value, ...). */
    private Map<String, String> labels(String... more) {
        Map<String, String> labels = new LinkedHashMap<>(Map.of(LABEL, LABEL_VALUE, "triad.run", runId, OWNER_LABEL, OWNER));
        if (kept) {
            labels.put(KEPT_LABEL, "true");
        }
        for (int i = 0; i + 1 < more.length; i += 2) {
            labels.put(more[i], more[i + 1]);
        }
        return labels;
    }

    /**
     * A kept triad ({@code triad up}) is handed over: {@link #close()} leaves its containers,
     * network and volumes running and removes only this process's working files.
     */
    public void release() {
        if (!kept) {
            throw new IllegalStateException("only a triad started to be kept can be released");
        }
        released = true;
    }

    /**
     * The CPU time the zone's containers have used so far (its nodes and its Toxiproxies), in
     * nanoseconds, read from the kernel's cgroup accounting on this machine (cgroup v1's cpuacct or
     * v2's cpu.stat); empty where neither can be read (a remote Docker engine). For the time split:
     * the cores are what the CI's lanes share.
     */
    public java.util.OptionalLong cpuNanos() {
        long total = 0;
        boolean any = false;
        List<String> ids = new ArrayList<>(containers.values());
        ids.addAll(proxies);
        for (String id : ids) {
            java.util.OptionalLong n = containerCpuNanos(id);
            if (n.isPresent()) {
                total += n.getAsLong();
                any = true;
            }
        }
        return any ? java.util.OptionalLong.of(total) : java.util.OptionalLong.empty();
    }

    static java.util.OptionalLong containerCpuNanos(String id) {
        try {
            Path v1 = Path.of("/sys/fs/cgroup/cpuacct/docker", id, "cpuacct.usage");
            if (Files.isReadable(v1)) {
                return java.util.OptionalLong.of(Long.parseLong(Files.readString(v1).strip()));
            }
            for (Path v2 : List.of(Path.of("/sys/fs/cgroup/system.slice", "docker-" + id + ".scope", "cpu.stat"),
                    Path.of("/sys/fs/cgroup/docker", id, "cpu.stat"))) {
                if (Files.isReadable(v2)) {
                    for (String line : Files.readAllLines(v2)) {
                        if (line.startsWith("usage_usec ")) {
                            return java.util.OptionalLong.of(Long.parseLong(line.substring(11).strip()) * 1000);
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // not this machine's engine, or the container is gone: no figure
        }
        return java.util.OptionalLong.empty();
    }

    @Override
    public void close() {
        try {
            closeZone();
        } finally {
            OpenZones.closed(runId);
        }
    }

    private void closeZone() {
        if (released) {
            deleteQuietly(workDir);
            return;
        }
        DockerClient docker = docker();
        cpuAtClose = cpuNanos();
        for (String id : List.copyOf(proxies)) {
            removeProxy(id);
        }
        for (String id : containers.values()) {
            try {
                docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
        containers.clear();
        for (String v : volumes) {
            try {
                docker.removeVolumeCmd(v).exec();
            } catch (RuntimeException ignored) {
                // already gone
            }
            Path store = memoryStores.remove(v);
            if (store != null) {
                MemoryVolumes.remove(store);
            }
        }
        volumes.clear();
        if (networkId != null) {
            try {
                docker.removeNetworkCmd(networkId).exec();
            } catch (RuntimeException ignored) {
                // already gone
            }
            networkId = null;
        }
        deleteQuietly(workDir);
    }

    /**
     * Removes containers, networks and volumes a previous run left behind (found by label), before
     * a zone on {@code subnet} starts. A zone kept up by {@code triad up} is not a leftover: on the
     * same subnet the start is refused, with how to remove or use it; on another subnet it is left
     * alone (two profiles' zones side by side: one kept, one in a drill or a test).
     */
    public static int sweep(DockerClient docker, Progress progress, String subnet) {
        java.util.Set<String> keptNetworks = new java.util.TreeSet<>();
        boolean sameSubnet = false;
        for (com.github.dockerjava.api.model.Network n : docker.listNetworksCmd().exec()) {
            if (!kept(n.getLabels())) {
                continue;
            }
            keptNetworks.add(n.getId());
            if (n.getIpam() != null && n.getIpam().getConfig() != null
                    && n.getIpam().getConfig().stream().anyMatch(c -> subnet.equals(c.getSubnet()))) {
                sameSubnet = true;
            }
        }
        List<Container> kept = docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(KEPT_LABEL, "true")).exec();
        if (!kept.isEmpty() && (sameSubnet || keptNetworks.isEmpty())) {
            String names = kept.stream().map(c -> c.getNames() == null || c.getNames().length == 0 ? c.getId() : c.getNames()[0].replaceFirst("^/", ""))
                    .sorted().collect(java.util.stream.Collectors.joining(", "));
            throw new InputError("a simulated zone kept up by 'triad up' is running on " + subnet + " (" + names + "): reach it with"
                    + " the environment file 'triad up' wrote (" + SimulatedTriad.root().relativize(KeptZone.dir()) + "/), or remove it"
                    + " first with 'make down' (bin/triad down)");
        }
        Swept swept = sweepAll(docker, true);
        swept.sayLeftAlone(progress, "it removes its own zone when it ends");
        if (!kept.isEmpty()) {
            progress.note("left alone: the zone kept up by 'triad up' on another subnet (" + kept.size() + " container(s))");
        }
        if (swept.removed() > 0) {
            progress.note("swept " + swept.removed() + " leftover container(s), network(s) and volume(s) of an earlier run");
        }
        return swept.removed();
    }

    /**
     * The label naming the harness process that made a container, network or volume: its pid and
     * the instant the process started ({@code 4711@2026-11-23T15:28:13.120Z}), so that a pid reused
     * by another process is not taken for the owner.
     */
    static final String OWNER_LABEL = "triad.owner";
    static final String OWNER = ProcessHandle.current().pid() + "@" + ProcessHandle.current().info().startInstant()
            .map(Object::toString).orElse("?");

    /**
     * Whether a label names a harness process that still runs, other than this one: its zone is
     * not a leftover (another run in progress on this machine, in another terminal or job).
     */
    static boolean ownedByAnotherLiveRun(Map<String, String> labels) {
        String owner = labels == null ? null : labels.get(OWNER_LABEL);
        if (owner != null && owner.equals(OWNER)) {
            String run = labels.get("triad.run");
            return run != null && OpenZones.open(run); // another zone of this process, still open
        }
        if (owner == null || !owner.contains("@")) {
            return false;
        }
        String[] f = owner.split("@", 2);
        try {
            return ProcessHandle.of(Long.parseLong(f[0])).filter(ProcessHandle::isAlive)
                    .map(p -> p.info().startInstant().map(Object::toString).orElse("?").equals(f[1])).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * {@code triad down}: removes every container, network and volume of the harness's simulated
     * zones on this machine's Docker engine (one message when none answers), kept ones included,
     * but for the zones of another harness process still running: a zone kept by 'triad up' (whose
     * process has ended) goes, a run in progress in another terminal or CI job keeps its zone.
     */
    public static int sweepAll(Progress progress) {
        Swept swept = sweepAll(docker());
        swept.sayLeftAlone(progress, "it removes its own zone when it ends");
        return swept.removed();
    }

    /** What a sweep removed (containers, networks and volumes) and the live harness processes whose zones it left alone. */
    record Swept(int removed, java.util.Set<String> spared) {
        /** Says on the progress which live runs' zones were left alone, and {@code why} that matters here. */
        void sayLeftAlone(Progress progress, String why) {
            if (!spared.isEmpty()) {
                progress.note("left alone: the zone of another harness run still in progress on this machine (process "
                        + String.join(", ", spared) + "); " + why);
            }
        }
    }

    /**
     * Removes the harness's containers, networks and volumes but those of another harness process
     * still running (the caller says which it left alone): a second run on the machine does not
     * pull a zone from under the first, nor does 'triad down'.
     */
    static Swept sweepAll(DockerClient docker) {
        return sweepAll(docker, false);
    }

    /** As {@link #sweepAll(DockerClient)}; {@code spareKept}: what 'triad up' kept stays too. */
    static Swept sweepAll(DockerClient docker, boolean spareKept) {
        // Two harness processes may sweep the same dead run's leftovers at once (make mutants' lanes,
        // make test's lanes): what the other is removing answers 404 (gone), 409 (its removal in
        // progress; a volume still in use by a container being removed) or 403 (a network with
        // endpoints still attached). The sweep goes
        // round again until a round meets no conflict, for at most SWEEP_DEADLINE: a start then finds
        // the subnet free (seen: two lanes' starts failing twice on "removal of container ... is
        // already in progress").
        int[] removed = {0};
        java.util.concurrent.atomic.AtomicReference<SweepRound> last = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            // each round reads the engine again
            await("a dead run's leftovers removed").atMost(SWEEP_DEADLINE).pollInSameThread().pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(200)).until(() -> {
                        SweepRound round = sweepRound(docker, spareKept);
                        removed[0] += round.removed();
                        last.set(round);
                        return round.conflicts().isEmpty();
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new IllegalStateException("leftovers of a dead run could not be removed within " + SWEEP_DEADLINE.toSeconds()
                    + " s: " + last.get().conflicts(), e);
        }
        return new Swept(removed[0], last.get().spared());
    }

    static final Duration SWEEP_DEADLINE = Duration.ofSeconds(60);

    /** One round of a sweep: how many it removed, whose live runs it spared, what another sweep held (409). */
    private record SweepRound(int removed, java.util.Set<String> spared, List<String> conflicts) { }

    /** Runs one removal; false when another sweep had removed it (404) or was removing it (409, 403: said in {@code conflicts}). */
    private static boolean remove(Runnable removal, String what, List<String> conflicts) {
        try {
            removal.run();
            return true;
        } catch (com.github.dockerjava.api.exception.NotFoundException e) {
            return false;
        } catch (com.github.dockerjava.api.exception.DockerException e) {
            // 409: a container's removal in progress, a volume in use; 403: a network with endpoints
            // still attached (its containers being removed by the other sweep)
            if (e.getHttpStatus() == 409 || e.getHttpStatus() == 403) {
                conflicts.add(what + ": " + rootMessage(e));
                return false;
            }
            throw e;
        }
    }

    private static SweepRound sweepRound(DockerClient docker, boolean spareKept) {
        List<String> conflicts = new ArrayList<>();
        int removed = 0;
        java.util.Set<String> spared = new java.util.TreeSet<>();
        for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(LABEL, LABEL_VALUE)).exec()) {
            if (spareKept && kept(c.getLabels())) {
                continue;
            }
            if (ownedByAnotherLiveRun(c.getLabels())) {
                spared.add(c.getLabels().get(OWNER_LABEL));
                continue;
            }
            if (remove(() -> docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec(), "container " + c.getId(), conflicts)) {
                removed++;
            }
        }
        for (com.github.dockerjava.api.model.Network n : docker.listNetworksCmd().exec()) {
            if (n.getLabels() != null && LABEL_VALUE.equals(n.getLabels().get(LABEL))
                    && !(spareKept && kept(n.getLabels())) && !ownedByAnotherLiveRun(n.getLabels())) {
                if (remove(() -> docker.removeNetworkCmd(n.getId()).exec(), "network " + n.getName(), conflicts)) {
                    removed++;
                }
            }
        }
        var volumes = docker.listVolumesCmd().withFilter("label", List.of(LABEL + "=" + LABEL_VALUE)).exec().getVolumes();
        if (volumes != null) {
            for (var v : volumes) {
                if ((spareKept && kept(v.getLabels())) || ownedByAnotherLiveRun(v.getLabels())) {
                    continue;
                }
                if (remove(() -> docker.removeVolumeCmd(v.getName()).exec(), "volume " + v.getName(), conflicts)) {
                    MemoryVolumes.remove(v.getLabels());
                    removed++;
                }
            }
        }
        var left = docker.listVolumesCmd().exec().getVolumes();
        removed += MemoryVolumes.sweepOrphans(left == null ? java.util.Set.of()
                : left.stream().map(com.github.dockerjava.api.command.InspectVolumeResponse::getName).collect(java.util.stream.Collectors.toSet()),
                java.time.Instant.now());
        return new SweepRound(removed, spared, conflicts);
    }

    private static boolean kept(Map<String, String> labels) {
        return labels != null && "true".equals(labels.get(KEPT_LABEL));
    }

    static DockerClient docker() {
        try {
            return DockerClientFactory.instance().client();
        } catch (RuntimeException e) {
            throw new InputError("no Docker engine answers (" + rootMessage(e) + "): run 'fixtures/ensure-docker.sh' or 'make images'", e);
        }
    }

    private static boolean imageExists(DockerClient docker, String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (com.github.dockerjava.api.exception.NotFoundException e) {
            return false;
        }
    }

    /** The node image tag fixtures/build-images.sh recorded under {@code property} (TRIAD_NODE_IMAGE overrides the BSFG node's). */
    public static String nodeImage(String property) {
        String fromEnv = System.getenv("TRIAD_NODE_IMAGE");
        if (property.equals("node.image") && fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        return image(property);
    }

    /** The files the harness uses as the zone's client (its recipe's), by name; empty when it needs none. */
    public Map<String, Path> clientFiles() {
        return clientFiles;
    }

    /** An image tag fixtures/build-images.sh recorded (node.image, toxiproxy.image). */
    static String image(String property) {
        Path file = root().resolve("fixtures/.build/images.properties");
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new InputError("no node image recorded in " + file + ": run 'make images'");
        }
        String image = p.getProperty(property);
        if (image == null) {
            throw new InputError(file + " names no " + property + ": run 'make images'");
        }
        return image;
    }

    /** The project's root directory (where fixtures/ and environments/ live). */
    public static Path root() {
        String prop = System.getProperty("triad.root");
        return Path.of(prop == null ? "." : prop).toAbsolutePath().normalize();
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp files only
        }
    }
}
