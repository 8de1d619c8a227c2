package io.triad.sim;

import io.triad.env.Environment;
import io.triad.env.Environment.HostSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How a profile's simulated zone is made from real parts: the node image it runs (a key of
 * {@code fixtures/.build/images.properties}, written by {@code make images}), the files rendered
 * on each host before it boots, and the directories that outlive a crash (a volume each). The
 * simulated-zone builder ({@link SimulatedTriad}) does the rest the same way for every profile:
 * network, addresses, SSH keys, overlays, start, removal.
 */
public interface ZoneRecipe {

    /** What a recipe renders from: the zone, its CA, the harness's SSH key, each host's SSH host key. */
    record Inputs(Environment env, ZoneCa ca, String authorizedKey, Map<String, SshKeys.HostKey> hostKeys, Path workDir) { }

    /** The key of the node image in images.properties ({@code node.image}, {@code unibus.image}). */
    String imageProperty();

    /** The files of every host (the zone's nodes and its support hosts), by host name. */
    Map<String, NodeFiles> render(Inputs inputs);

    /** The directories of a host kept on a volume of their own (state that survives a crash). */
    List<String> volumes(Environment env, HostSpec host);

    /**
     * Whether a volume's store may live in this machine's memory ({@link MemoryVolumes}: it still
     * outlives a crash of its node): a store no check reads the filesystem of (its type, its mount
     * options, its free space). None by default: a runbook that asks for a disk of its own (a
     * filesystem whose type and options a check reads) keeps its volumes on disk.
     */
    default boolean inMemory(Environment env, HostSpec host, String target) {
        return false;
    }

    /**
     * Directories of this machine a host sees read-only (container path to this machine's path):
     * parts built once per machine and not baked into an image, for example a Kubernetes control
     * plane's binaries from their cache ({@code fixtures/kube/build.sh}); none by default.
     */
    default Map<String, Path> binds(Environment env, HostSpec host) {
        return Map.of();
    }

    /** Host devices a node needs (for example {@code /dev/net/tun} for a userspace WireGuard); none by default. */
    default List<String> devices(Environment env, HostSpec host) {
        return List.of();
    }

    /**
     * Whether a rendered file is the zone's identity material rather than its reference
     * configuration: what a bare node, converged by the user's own provisioning
     * ({@code simulation.provision}), still gets from the harness. By default the node's SSH
     * access (host key, the harness's authorized keys) and its hostname; a profile adds its
     * certificates, keys and shared secrets.
     */
    default boolean identity(Environment env, String path) {
        return path.startsWith("/etc/ssh/ssh_host_") || path.endsWith("/.ssh/authorized_keys") || path.equals("/etc/hostname");
    }

    /**
     * Files the harness itself needs to act as the zone's client (a client certificate and its key,
     * the CA to trust), written by {@link #render} into the inputs' work directory, by name.
     * Empty when the harness needs none.
     */
    default Map<String, Path> clientFiles(Path workDir) {
        return Map.of();
    }
}
