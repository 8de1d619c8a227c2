package io.triad.report;

import io.triad.env.InputError;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Tamper evidence of a run directory: {@value #FILE} lists every file under it with its SHA-256,
 * in {@code sha256sum} format (so {@code sha256sum -c} reads it too), sorted by path. Verifying
 * reports every file changed, missing or added since; the manifest names itself nowhere.
 */
public final class Manifest {

    public static final String FILE = "MANIFEST.sha256";

    private Manifest() { }

    /** Writes the manifest of every regular file under {@code dir}; returns how many it lists. */
    public static int write(Path dir) {
        Map<String, String> files = digests(dir);
        StringBuilder out = new StringBuilder();
        files.forEach((path, sha) -> out.append(sha).append("  ").append(path).append('\n'));
        try {
            Files.writeString(dir.resolve(FILE), out.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(FILE), e);
        }
        return files.size();
    }

    /** What differs between the directory and its manifest: one line per changed, missing or added file. */
    public static List<String> verify(Path dir) {
        Path manifest = dir.resolve(FILE);
        if (!Files.isDirectory(dir)) {
            throw new InputError("report directory " + dir + " does not exist");
        }
        if (!Files.isRegularFile(manifest)) {
            throw new InputError(dir + " has no " + FILE + ": nothing to verify it against");
        }
        Map<String, String> listed = new TreeMap<>();
        try {
            int n = 0;
            for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                if (!line.matches("[0-9a-f]{64}  .+")) {
                    throw new InputError(manifest + " line " + n + " is not '<sha256>  <path>': " + line);
                }
                listed.put(line.substring(66), line.substring(0, 64));
            }
        } catch (IOException e) {
            throw new InputError("cannot read " + manifest + ": " + e.getMessage());
        }
        Map<String, String> actual = digests(dir);
        List<String> problems = new ArrayList<>();
        listed.forEach((path, sha) -> {
            String now = actual.get(path);
            if (now == null) {
                problems.add("missing: " + path);
            } else if (!now.equals(sha)) {
                problems.add("changed: " + path + " (sha256 " + now + ", manifest " + sha + ")");
            }
        });
        actual.keySet().stream().filter(p -> !listed.containsKey(p)).forEach(p -> problems.add("added: " + p));
        return problems;
    }

    private static Map<String, String> digests(Path link) {
        Map<String, String> out = new TreeMap<>();
        Path dir;
        try {
            dir = link.toRealPath(); // reports/latest is a symbolic link to the run
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + link, e);
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    String rel = dir.relativize(p).toString().replace('\\', '/');
                    if (!rel.equals(FILE)) {
                        out.put(rel, sha256(p));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        return out;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[65536];
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
