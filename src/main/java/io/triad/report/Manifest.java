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
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Tamper evidence of a run directory: {@value #FILE} lists every file under it with its SHA-256,
 * in {@code sha256sum} format (so {@code sha256sum -c} reads it too), sorted by path. Verifying
 * reports every file changed, missing or added since; the manifest names itself nowhere. A
 * manifest alone shows accidents, not tampering (whoever edits a file can write the manifest
 * again): {@link #sign} signs it with the operator's SSH key ({@value #SIGNATURE}, OpenSSH's
 * SSHSIG), and {@link #signature} checks that signature against an allowed-signers file.
 */
public final class Manifest {

    public static final String FILE = "MANIFEST.sha256";
    /** The manifest's SSH signature ({@code ssh-keygen -Y verify -n triad-report@triad-acceptance} reads it too). */
    public static final String SIGNATURE = FILE + ".sig";
    /** Who signs and when, written before the manifest (so listed in it, so covered by the signature). */
    public static final String SIGNING = "signing.json";

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
                    if (!rel.equals(FILE) && !rel.equals(SIGNATURE)) {
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

    /**
     * Declares the signing to come (its time and key) in {@value #SIGNING}, before {@link #write}: the
     * manifest lists it and the signature covers it, so the time a verifier prints is the signer's.
     */
    public static void declareSigning(Path dir, SshSig.Signer signer, java.time.Instant at) {
        String json = "{\"signed_at\": \"" + at + "\", \"key\": \"" + org.apache.sshd.common.config.keys.KeyUtils.getFingerPrint(
                signer.publicKey()) + "\", \"namespace\": \"" + SshSig.NAMESPACE + "\"}\n";
        try {
            Files.writeString(dir.resolve(SIGNING), json, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(SIGNING), e);
        }
    }

    /** Signs the run's manifest (written first by {@link #write}); returns the signing key's fingerprint. */
    public static String sign(Path dir, SshSig.Signer signer) {
        try {
            byte[] manifest = Files.readAllBytes(dir.resolve(FILE));
            Files.writeString(dir.resolve(SIGNATURE), SshSig.sign(manifest, SshSig.NAMESPACE, signer), StandardCharsets.UTF_8);
            return org.apache.sshd.common.config.keys.KeyUtils.getFingerPrint(signer.publicKey());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sign " + dir.resolve(FILE), e);
        } catch (java.security.GeneralSecurityException e) {
            throw new InputError("cannot sign " + dir.resolve(FILE) + " with " + signer.publicKey().getAlgorithm() + " key: "
                    + e.getMessage());
        }
    }

    /** What the manifest's signature says: none, valid (by which key, and who that is), or broken (why). */
    public record Signature(Status status, String fingerprint, Optional<String> signer, String problem,
                            Optional<java.time.Instant> signedAt) {
        public enum Status { UNSIGNED, VALID, INVALID, UNKNOWN_SIGNER }

        public String describe() {
            return switch (status) {
                case UNSIGNED -> "UNSIGNED: no " + SIGNATURE + "; a manifest alone shows accidents, not tampering (whoever"
                        + " changes a file can write the manifest again)";
                case VALID -> "signed by " + signer.map(p -> p + " (key " + fingerprint + ")").orElse("key " + fingerprint
                        + ", not checked against an allowed-signers file (--allowed-signers): who holds this key is not known")
                        + signedAt.map(t -> ", at " + t).orElse("");
                case UNKNOWN_SIGNER -> "SIGNED BY AN UNKNOWN KEY " + fingerprint + ": it is in no line of the allowed-signers"
                        + " file for namespace " + SshSig.NAMESPACE;
                case INVALID -> "SIGNATURE BROKEN: " + problem;
            };
        }
    }

    /** Checks the manifest's signature; with an allowed-signers file, also who may have made it. */
    public static Signature signature(Path dir, Optional<SshSig.AllowedSigners> allowed) {
        Path sig = dir.resolve(SIGNATURE);
        if (!Files.isRegularFile(sig)) {
            return new Signature(Signature.Status.UNSIGNED, "", Optional.empty(), "", Optional.empty());
        }
        try {
            SshSig.Verified v = SshSig.verify(Files.readString(sig, StandardCharsets.UTF_8), Files.readAllBytes(dir.resolve(FILE)),
                    SshSig.NAMESPACE);
            Optional<java.time.Instant> at = Optional.empty();
            Path signing = dir.resolve(SIGNING);
            if (Files.isRegularFile(signing)) {
                com.fasterxml.jackson.databind.JsonNode declared = new com.fasterxml.jackson.databind.ObjectMapper().readTree(signing.toFile());
                if (!declared.path("key").asText().equals(v.fingerprint())) {
                    return new Signature(Signature.Status.INVALID, v.fingerprint(), Optional.empty(), SIGNING + " names key "
                            + declared.path("key").asText() + ", the signature is by " + v.fingerprint(), Optional.empty());
                }
                at = Optional.of(java.time.Instant.parse(declared.path("signed_at").asText()));
            }
            if (allowed.isEmpty()) {
                return new Signature(Signature.Status.VALID, v.fingerprint(), Optional.empty(), "", at);
            }
            Optional<String> who = allowed.get().principalsOf(v.key(), SshSig.NAMESPACE);
            return new Signature(who.isPresent() ? Signature.Status.VALID : Signature.Status.UNKNOWN_SIGNER, v.fingerprint(), who, "", at);
        } catch (InputError | java.time.format.DateTimeParseException e) {
            return new Signature(Signature.Status.INVALID, "", Optional.empty(), SIGNATURE + ": " + e.getMessage(), Optional.empty());
        } catch (IOException e) {
            throw new InputError("cannot read " + sig + ": " + e.getMessage());
        }
    }
}
