package io.triad.sim;

import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;

/** SSH keys the simulated triad makes for itself: one host key per node and the harness's client key. */
public final class SshKeys {

    /** A key pair in OpenSSH formats. */
    public record HostKey(KeyPair pair, String privateKeyOpenSsh, String publicKeyLine) { }

    private SshKeys() { }

    public static HostKey generate(String comment) {
        try {
            KeyPair pair = ZoneCa.keyPair();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, comment, null, out);
            String publicLine = PublicKeyEntry.toString(pair.getPublic()) + " " + comment;
            return new HostKey(pair, out.toString(StandardCharsets.US_ASCII), publicLine);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot generate an SSH key: " + e.getMessage(), e);
        }
    }
}
