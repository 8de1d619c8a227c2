package io.triad.report;

import io.triad.env.InputError;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * OpenSSH's signature format ({@code SSHSIG}, PROTOCOL.sshsig in OpenSSH's sources): what
 * {@code ssh-keygen -Y sign} writes and {@code ssh-keygen -Y verify} checks. The signed data is
 * the message's SHA-512 with a namespace (so that a signature made for one purpose is refused for
 * another); the armoured signature carries the signer's public key, which the verifier looks up
 * in an allowed-signers file (principals, options, key) to say who signed.
 */
public final class SshSig {

    /** The namespace of a run's manifest signature: {@code ssh-keygen -Y verify -n triad-report@triad-acceptance}. */
    public static final String NAMESPACE = "triad-report@triad-acceptance";
    private static final String MAGIC = "SSHSIG";
    private static final String BEGIN = "-----BEGIN SSH SIGNATURE-----";
    private static final String END = "-----END SSH SIGNATURE-----";

    private SshSig() { }

    /** Something that signs data with a private key it holds (a key file, or an ssh-agent's key). */
    public interface Signer {
        PublicKey publicKey();

        /** The signature of {@code data} as SSH encodes it: string algorithm, string signature. */
        byte[] sign(byte[] data) throws IOException, GeneralSecurityException;
    }

    /** The armoured signature of {@code message} in {@code namespace}. */
    public static String sign(byte[] message, String namespace, Signer signer) throws IOException, GeneralSecurityException {
        byte[] signature = signer.sign(signedData(message, namespace));
        Buffer out = new ByteArrayBuffer();
        out.putRawBytes(MAGIC.getBytes(StandardCharsets.US_ASCII));
        out.putUInt(1);
        out.putBytes(publicKeyBlob(signer.publicKey()));
        out.putString(namespace);
        out.putString("");
        out.putString("sha512");
        out.putBytes(signature);
        String b64 = Base64.getEncoder().encodeToString(out.getCompactData());
        StringBuilder armoured = new StringBuilder(BEGIN).append('\n');
        for (int i = 0; i < b64.length(); i += 70) {
            armoured.append(b64, i, Math.min(b64.length(), i + 70)).append('\n');
        }
        return armoured.append(END).append('\n').toString();
    }

    /** A signature checked: the key that made it (its SHA-256 fingerprint, as ssh-keygen -l prints it). */
    public record Verified(PublicKey key, String fingerprint) { }

    /**
     * Checks an armoured signature of {@code message} in {@code namespace}: the signature must be
     * the embedded key's over this message and namespace. Says nothing about who may sign: see
     * {@link AllowedSigners}. Throws {@link InputError} naming what is wrong.
     */
    public static Verified verify(String armoured, byte[] message, String namespace) {
        String text = armoured.strip();
        if (!text.startsWith(BEGIN) || !text.endsWith(END)) {
            throw new InputError("not an SSH signature (no " + BEGIN + " ... " + END + ")");
        }
        byte[] raw;
        try {
            raw = Base64.getMimeDecoder().decode(text.substring(BEGIN.length(), text.length() - END.length()));
        } catch (IllegalArgumentException e) {
            throw new InputError("the SSH signature is not base64: " + e.getMessage());
        }
        try {
            Buffer in = new ByteArrayBuffer(raw);
            byte[] magic = new byte[MAGIC.length()];
            in.getRawBytes(magic);
            if (!MAGIC.equals(new String(magic, StandardCharsets.US_ASCII))) {
                throw new InputError("not an SSHSIG signature");
            }
            long version = in.getUInt();
            if (version != 1) {
                throw new InputError("SSHSIG version " + version + " is not supported (1 is)");
            }
            PublicKey key = new ByteArrayBuffer(in.getBytes()).getRawPublicKey();
            String ns = in.getString();
            in.getString(); // reserved
            String hash = in.getString();
            byte[] signature = in.getBytes();
            if (!ns.equals(namespace)) {
                throw new InputError("the signature is for namespace '" + ns + "', not '" + namespace + "'");
            }
            if (!hash.equals("sha512") && !hash.equals("sha256")) {
                throw new InputError("the signature's hash " + hash + " is not one SSHSIG allows");
            }
            Buffer sig = new ByteArrayBuffer(signature);
            String algorithm = sig.getString();
            Signature verifier = signatureFor(algorithm);
            verifier.initVerifier(null, key);
            verifier.update(null, signedData(message, namespace, hash));
            if (!verifier.verify(null, signature)) {
                throw new InputError("the signature does not match: the signed file was changed after it was signed, or"
                        + " the signature belongs to another file");
            }
            return new Verified(key, KeyUtils.getFingerPrint(key));
        } catch (InputError e) {
            throw e;
        } catch (Exception e) {
            throw new InputError("the SSH signature cannot be read: " + e.getMessage());
        }
    }

    private static Signature signatureFor(String algorithm) {
        var factory = BuiltinSignatures.fromFactoryName(algorithm);
        if (factory == null || !factory.isSupported()) {
            throw new InputError("signature algorithm " + algorithm + " is not supported here");
        }
        return factory.create();
    }

    /** What the key signs: the magic, namespace, reserved, hash algorithm and the message's hash. */
    static byte[] signedData(byte[] message, String namespace) {
        return signedData(message, namespace, "sha512");
    }

    private static byte[] signedData(byte[] message, String namespace, String hash) {
        try {
            byte[] digest = MessageDigest.getInstance(hash.equals("sha512") ? "SHA-512" : "SHA-256").digest(message);
            Buffer b = new ByteArrayBuffer();
            b.putRawBytes(MAGIC.getBytes(StandardCharsets.US_ASCII));
            b.putString(namespace);
            b.putString("");
            b.putString(hash);
            b.putBytes(digest);
            return b.getCompactData();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] publicKeyBlob(PublicKey key) {
        Buffer b = new ByteArrayBuffer();
        b.putRawPublicKey(key);
        return b.getCompactData();
    }

    /** A signer over a key pair read from a private key file (OpenSSH or PEM; not passphrase-protected: use the agent). */
    public static Signer ofKeyPair(java.security.KeyPair pair) {
        return new Signer() {
            @Override
            public PublicKey publicKey() {
                return pair.getPublic();
            }

            @Override
            public byte[] sign(byte[] data) throws GeneralSecurityException {
                String algorithm = algorithmFor(pair.getPublic());
                Signature s = signatureFor(algorithm);
                try {
                    s.initSigner(null, pair.getPrivate());
                    s.update(null, data);
                    Buffer out = new ByteArrayBuffer();
                    out.putString(algorithm);
                    out.putBytes(s.sign(null));
                    return out.getCompactData();
                } catch (GeneralSecurityException e) {
                    throw e;
                } catch (Exception e) {
                    throw new GeneralSecurityException(e.getMessage(), e);
                }
            }
        };
    }

    /** A signer over the first key of an unencrypted private key file (OpenSSH or PEM), as ssh reads it. */
    public static Signer ofKeyFile(Path file) {
        if (!Files.isReadable(file)) {
            throw new InputError("the signing key " + file + " does not exist or cannot be read");
        }
        try {
            var pairs = new org.apache.sshd.common.keyprovider.FileKeyPairProvider(file).loadKeys(null);
            var it = pairs.iterator();
            if (!it.hasNext()) {
                throw new InputError("cannot read the signing key " + file + " (no private key readable without a passphrase);"
                        + " a passphrase-protected key signs through ssh-agent: ssh-add it and sign with --sign-with agent");
            }
            return ofKeyPair(it.next());
        } catch (InputError e) {
            throw e;
        } catch (Exception e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new InputError("cannot read the signing key " + file + " (" + why + "); a passphrase-protected key signs"
                    + " through ssh-agent: ssh-add it and sign with --sign-with agent");
        }
    }

    /**
     * A signer over an ssh-agent's key (the private key never enters the harness): the agent's
     * first key, or the one whose public key file is given ({@code key.pub}, as ssh-keygen -Y sign -f).
     */
    public static Signer ofAgent(Path socket, Optional<Path> publicKeyFile) {
        try (io.triad.host.UnixSocketAgent agent = new io.triad.host.UnixSocketAgent(socket)) {
            List<PublicKey> keys = new ArrayList<>();
            for (var identity : agent.getIdentities()) {
                keys.add(identity.getKey());
            }
            PublicKey chosen;
            if (publicKeyFile.isPresent()) {
                PublicKey wanted = PublicKeyEntry.parsePublicKeyEntry(Files.readString(publicKeyFile.get()).strip())
                        .resolvePublicKey(null, null, null);
                chosen = keys.stream().filter(k -> KeyUtils.compareKeys(k, wanted)).findFirst().orElseThrow(() -> new InputError(
                        "the ssh-agent at " + socket + " does not hold the key of " + publicKeyFile.get()));
            } else if (keys.isEmpty()) {
                throw new InputError("the ssh-agent at " + socket + " holds no key to sign with: ssh-add one");
            } else {
                chosen = keys.get(0);
            }
            return new Signer() {
                @Override
                public PublicKey publicKey() {
                    return chosen;
                }

                @Override
                public byte[] sign(byte[] data) throws IOException {
                    try (io.triad.host.UnixSocketAgent a = new io.triad.host.UnixSocketAgent(socket)) {
                        var signed = a.sign(null, chosen, algorithmFor(chosen), data);
                        Buffer out = new ByteArrayBuffer();
                        out.putString(signed.getKey());
                        out.putBytes(signed.getValue());
                        return out.getCompactData();
                    }
                }
            };
        } catch (InputError e) {
            throw e;
        } catch (Exception e) {
            throw new InputError("the ssh-agent at " + socket + " cannot be reached to sign: " + e.getMessage());
        }
    }

    /** The SSHSIG signature algorithm of a key: RSA signs with SHA-512 (rsa-sha2-512), as ssh-keygen does. */
    static String algorithmFor(PublicKey key) {
        String type = KeyUtils.getKeyType(key);
        return KeyUtils.RSA_ALGORITHM.equals(key.getAlgorithm()) ? "rsa-sha2-512" : type;
    }

    /**
     * An allowed-signers file as ssh-keygen reads it ({@code ALLOWED SIGNERS} in ssh-keygen(1)):
     * one line per key, {@code principals [options] keytype base64-key [comment]}; the options this
     * reads are {@code namespaces="..."} (the key may sign only in those) and {@code cert-authority}
     * (refused: a certificate authority is not a signer of reports).
     */
    public record AllowedSigners(List<Entry> entries) {

        public record Entry(String principals, List<String> namespaces, PublicKey key) { }

        public static AllowedSigners read(Path file) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new InputError("cannot read the allowed-signers file " + file + ": " + e.getMessage());
            }
            List<Entry> entries = new ArrayList<>();
            int n = 0;
            for (String line : lines) {
                n++;
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                String where = "allowed-signers file " + file + ", line " + n;
                int end = l.indexOf(' ') < 0 ? l.length() : l.indexOf(' ');
                String principals = l.substring(0, end);
                String rest = l.substring(end).strip();
                if (rest.isEmpty()) {
                    throw new InputError(where + ": a principal and a key are needed");
                }
                List<String> namespaces = List.of();
                if (!isKeyType(rest.split("\\s+")[0])) {
                    // options before the key: up to the first blank outside quotes
                    int i = 0;
                    boolean quoted = false;
                    while (i < rest.length() && (quoted || !Character.isWhitespace(rest.charAt(i)))) {
                        quoted ^= rest.charAt(i) == '"';
                        i++;
                    }
                    String options = rest.substring(0, i);
                    rest = rest.substring(i).strip();
                    for (String option : options.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
                        String o = option.toLowerCase(java.util.Locale.ROOT);
                        if (o.equals("cert-authority")) {
                            throw new InputError(where + ": cert-authority is not supported (list the signers' own keys)");
                        }
                        if (o.startsWith("namespaces=")) {
                            namespaces = List.of(option.substring("namespaces=".length()).replace("\"", "").split(","));
                        }
                    }
                }
                PublicKey key;
                try {
                    key = PublicKeyEntry.parsePublicKeyEntry(rest).resolvePublicKey(null, null, null);
                } catch (Exception e) {
                    throw new InputError(where + ": not a public key (" + e.getMessage() + ")");
                }
                entries.add(new Entry(principals, namespaces, key));
            }
            return new AllowedSigners(List.copyOf(entries));
        }

        private static boolean isKeyType(String word) {
            return word.startsWith("ssh-") || word.startsWith("ecdsa-sha2-") || word.startsWith("sk-");
        }

        /** The principals allowed to have signed with {@code key} in {@code namespace}, if any. */
        public Optional<String> principalsOf(PublicKey key, String namespace) {
            return entries.stream()
                    .filter(e -> KeyUtils.compareKeys(e.key(), key))
                    .filter(e -> e.namespaces().isEmpty() || e.namespaces().contains(namespace))
                    .map(Entry::principals).findFirst();
        }
    }
}
