package io.triad.sim;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The files laid over one node before it boots: what the harness renders (configs, certificates,
 * keys, unit enablement links) and then the environment's overlay directories, which win. Written
 * into the container as one tar archive, so modes and symbolic links arrive as they are.
 */
public final class NodeFiles {

    /** A regular file (content, mode) or a symbolic link (target). */
    public record Entry(String path, byte[] content, int mode, String linkTarget) {
        public boolean isLink() {
            return linkTarget != null;
        }
    }

    private final Map<String, Entry> entries = new TreeMap<>();

    public NodeFiles file(String path, String content, int mode) {
        entries.put(normal(path), new Entry(normal(path), content.getBytes(StandardCharsets.UTF_8), mode, null));
        return this;
    }

    /**
     * SSH access to a simulated host: its host key, the harness's key for root and for the
     * operator account that is not root (triad-ops, with its sudoers rule in the images).
     */
    public NodeFiles sshAccess(SshKeys.HostKey hostKey, String authorizedKey) {
        file("/etc/ssh/ssh_host_ecdsa_key", hostKey.privateKeyOpenSsh(), 0600);
        file("/etc/ssh/ssh_host_ecdsa_key.pub", hostKey.publicKeyLine() + "\n", 0644);
        file("/root/.ssh/authorized_keys", authorizedKey + "\n", 0600);
        return file("/home/triad-ops/.ssh/authorized_keys", authorizedKey + "\n", 0644);
    }

    public NodeFiles link(String path, String target) {
        entries.put(normal(path), new Entry(normal(path), new byte[0], 0777, target));
        return this;
    }

    /** Keeps only the entries whose path {@code keep} accepts (a bare node keeps its identity material only). */
    public NodeFiles retain(java.util.function.Predicate<String> keep) {
        entries.keySet().removeIf(path -> !keep.test(path));
        return this;
    }

    public Map<String, Entry> entries() {
        return entries;
    }

    /** Lays a directory over the node: {@code dir/etc/x} becomes {@code /etc/x}, links kept as links. */
    public NodeFiles overlay(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                String rel = "/" + dir.relativize(p).toString().replace('\\', '/');
                if (Files.isSymbolicLink(p)) {
                    link(rel, Files.readSymbolicLink(p).toString());
                } else if (Files.isRegularFile(p)) {
                    entries.put(rel, new Entry(rel, Files.readAllBytes(p), mode(p), null));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read overlay " + dir + ": " + e.getMessage(), e);
        }
        return this;
    }

    private static int mode(Path p) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
        int mode = 0;
        for (PosixFilePermission perm : perms) {
            mode |= 1 << (8 - perm.ordinal());
        }
        return mode;
    }

    /**
     * The files as a tar archive rooted at "/". Directories are left out on purpose: existing ones
     * keep their modes (/root/.ssh stays 0700), missing ones are created by the extraction.
     */
    public byte[] tar() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry e : entries.values()) {
                TarArchiveEntry entry;
                if (e.isLink()) {
                    entry = new TarArchiveEntry(e.path().substring(1), TarArchiveEntry.LF_SYMLINK);
                    entry.setLinkName(e.linkTarget());
                } else {
                    entry = new TarArchiveEntry(e.path().substring(1));
                    entry.setMode(0100000 | e.mode());
                    entry.setSize(e.content().length);
                }
                tar.putArchiveEntry(entry);
                if (!e.isLink()) {
                    tar.write(e.content());
                }
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static String normal(String path) {
        return path.startsWith("/") ? path : "/" + path;
    }
}
