package io.triad.host;

import io.triad.env.InputError;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.core.CoreModuleProperties;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The SSH side of the host layer (Apache MINA SSHD). One client, one session per host reused for
 * every command, host keys verified against a known_hosts file (an unknown or changed key is
 * refused, and its fingerprint named), a timeout per command, and every command handed to an
 * evidence sink.
 */
public final class SshHosts implements AutoCloseable {

    /** Where and how to reach one host. */
    public record Target(String name, String role, String address, int port) { }

    /** Where the login key comes from: a private key file, or the operator's ssh-agent (its socket). */
    public record Identity(Path keyFile, Path agentSocket) {
        public static Identity file(Path keyFile) {
            return new Identity(keyFile, null);
        }

        public static Identity agent(Path socket) {
            return new Identity(null, socket);
        }

        @Override
        public String toString() {
            return keyFile != null ? "key file " + keyFile : "the keys of the ssh-agent at " + agentSocket;
        }
    }

    private final SshClient client;
    private final String user;
    private final Identity identity;
    private final Duration connectTimeout;
    private final Duration commandTimeout;
    private final Consumer<CommandResult> evidence;
    private final Map<String, ClientSession> sessions = new ConcurrentHashMap<>();
    private final Map<SocketAddress, String> refusedKeys = new ConcurrentHashMap<>();
    private volatile Consumer<String> audit = line -> { };
    private volatile boolean sudo;

    /** Commands that need root go through {@code sudo -n} ({@link Host#asRoot}): the login is not root. */
    public SshHosts sudo(boolean sudo) {
        this.sudo = sudo;
        return this;
    }

    /**
     * Every command run on any host (recorded or not, streamed, port forwards), one line each,
     * redacted, is handed to {@code log}: the audit trail of what the harness did to the zone.
     */
    public void audit(Consumer<String> log) {
        this.audit = log;
    }

    private void audited(String host, String what) {
        audit.accept(Instant.now() + " " + host + " " + Redactor.redact(what));
    }

    public SshHosts(String user, Path identityFile, Path knownHosts, Duration connectTimeout, Duration commandTimeout,
                    Consumer<CommandResult> evidence) {
        this(user, Identity.file(identityFile), knownHosts, connectTimeout, commandTimeout, evidence);
    }

    public SshHosts(String user, Identity identity, Path knownHosts, Duration connectTimeout, Duration commandTimeout,
                    Consumer<CommandResult> evidence) {
        this.user = user;
        this.identity = identity;
        this.connectTimeout = connectTimeout;
        this.commandTimeout = commandTimeout;
        this.evidence = evidence;
        if (!Files.isReadable(knownHosts)) {
            throw new InputError("known_hosts file " + knownHosts + " does not exist or cannot be read");
        }
        client = SshClient.setUpDefaultClient();
        ServerKeyVerifier unknown = (session, remote, key) -> {
            refusedKeys.put(remote, "unknown host key " + fingerprint(key));
            return false;
        };
        KnownHostsServerKeyVerifier verifier = new KnownHostsServerKeyVerifier(unknown, knownHosts);
        verifier.setModifiedServerKeyAcceptor((session, remote, entry, expected, actual) -> {
            refusedKeys.put(remote, "host key changed: known_hosts has " + fingerprint(expected) + ", host offers " + fingerprint(actual));
            return false;
        });
        client.setServerKeyVerifier(verifier);
        // A host that stops answering (crashed, frozen, cut off) has its session closed after a few
        // missed keep-alives, so the next command reconnects instead of waiting on a dead session.
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, Duration.ofSeconds(2));
        CoreModuleProperties.HEARTBEAT_REPLY_WAIT.set(client, Duration.ofSeconds(2));
        CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, 3);
        // Small packets at once (no Nagle): each command is a few small messages back and forth, and
        // Nagle's wait for the delayed ACK cost about 40 ms a command (measured: 48 ms median, 10 ms
        // with OpenSSH's client over the same connection).
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        if (identity.keyFile() != null) {
            if (!Files.isReadable(identity.keyFile())) {
                throw new InputError("SSH identity file " + identity.keyFile() + " does not exist or cannot be read");
            }
            client.setKeyIdentityProvider(new FileKeyPairProvider(identity.keyFile()));
        } else {
            int keys;
            try {
                keys = UnixSocketAgent.keys(identity.agentSocket());
            } catch (IOException | RuntimeException e) {
                throw new InputError("the ssh-agent at " + identity.agentSocket() + " (SSH_AUTH_SOCK) cannot be reached: "
                        + e.getMessage(), e);
            }
            if (keys == 0) {
                throw new InputError("the ssh-agent at " + identity.agentSocket() + " (SSH_AUTH_SOCK) holds no key: add the"
                        + " zone's key with ssh-add, or set ssh.identity_file");
            }
            client.setKeyIdentityProvider(org.apache.sshd.common.keyprovider.KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
            client.setAgentFactory(UnixSocketAgent.factory(identity.agentSocket()));
        }
        client.start();
    }

    /**
     * What goes over the wire for a command: as it is for root; for another account with the
     * system directories added to its PATH (sshd gives accounts other than root a PATH without
     * /usr/sbin and /sbin, where keepalived, rsyslogd, nft, smartctl and mdadm live). The
     * evidence and the audit log keep the command as written.
     */
    String sent(String command) {
        return user.equals("root") ? command : "PATH=\"$PATH:/usr/local/sbin:/usr/sbin:/sbin\"; " + command;
    }

    private static String fingerprint(PublicKey key) {
        return KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key);
    }

    public Host host(Target target) {
        return new SshHost(target);
    }

    /** Opens (or reuses) the session to a host; failures name the host and what went wrong. */
    ClientSession session(Target target) {
        ClientSession existing = sessions.get(target.name());
        if (existing != null && existing.isOpen() && existing.isAuthenticated()) {
            return existing;
        }
        synchronized (this) {
            existing = sessions.get(target.name());
            if (existing != null && existing.isOpen() && existing.isAuthenticated()) {
                return existing;
            }
            ClientSession session = connect(target);
            sessions.put(target.name(), session);
            return session;
        }
    }

    private ClientSession connect(Target target) {
        String where = "host " + target.name() + " (" + user + "@" + target.address() + ":" + target.port() + ")";
        ClientSession session;
        try {
            session = client.connect(user, target.address(), target.port()).verify(connectTimeout).getSession();
        } catch (IOException e) {
            throw new InputError(where + " is unreachable: " + reason(e, connectTimeout), e);
        }
        try {
            session.auth().verify(connectTimeout);
            return session;
        } catch (IOException e) {
            String refused = refusedKeys.get(session.getConnectAddress());
            if (refused == null) {
                refused = refusedKeys.values().stream().findFirst().orElse(null);
            }
            closeQuietly(session);
            if (refused != null) {
                throw new InputError(where + ": " + refused + " is not in known_hosts: refused", e);
            }
            String message = String.valueOf(e.getMessage());
            if (message.contains("No more authentication methods") || message.contains("authentication")) {
                throw new InputError(where + ": credentials refused (public key authentication with " + identity + " failed)", e);
            }
            throw new InputError(where + ": SSH session failed: " + reason(e, connectTimeout), e);
        }
    }

    private static String reason(Throwable e, Duration timeout) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof NoRouteToHostException) {
                return "no route to host";
            }
            if (t instanceof UnknownHostException) {
                return "unknown host name";
            }
            String m = String.valueOf(t.getMessage()).toLowerCase();
            if (m.contains("timeout") || m.contains("timed out")) {
                return "no answer within " + timeout.toMillis() + " ms";
            }
        }
        return String.valueOf(e.getMessage());
    }

    private static void closeQuietly(ClientSession session) {
        try {
            session.close();
        } catch (IOException ignored) {
            // closing a failed session
        }
    }

    @Override
    public void close() {
        sessions.values().forEach(SshHosts::closeQuietly);
        sessions.clear();
        client.stop();
    }

    private final class SshHost implements Host {
        private final Target target;

        SshHost(Target target) {
            this.target = target;
        }

        @Override
        public String asRoot(String command) {
            return sudo ? Sudo.wrap(command) : command;
        }

        @Override
        public String name() {
            return target.name();
        }

        @Override
        public String role() {
            return target.role();
        }

        @Override
        public String address() {
            return target.address();
        }

        @Override
        public CommandResult exec(String command) {
            return exec(command, commandTimeout);
        }

        @Override
        public CommandResult exec(String command, Duration timeout) {
            CommandResult result = run(command, timeout);
            evidence.accept(result);
            return result;
        }

        @Override
        public CommandResult execUnrecorded(String command, Duration timeout) {
            return run(command, timeout);
        }

        @Override
        public Stream stream(String command, Consumer<String> lines) {
            ClientSession session = session(target);
            try {
                audited(target.name(), "stream $ " + command);
                ChannelExec channel = session.createExecChannel(sent(command));
                channel.setOut(new LineSplitter(lines));
                channel.setErr(java.io.OutputStream.nullOutputStream());
                channel.open().verify(connectTimeout);
                return new Stream() {
                    @Override
                    public boolean isOpen() {
                        return channel.isOpen() && !channel.isClosing();
                    }

                    /**
                     * Sends end-of-file on the command's input first and gives it a moment to end:
                     * without a terminal, sshd neither signals a command whose channel closes while
                     * the connection stays nor stops draining its output, so a command that should
                     * end with its stream must read its input and stop at its end.
                     */
                    @Override
                    public void close() {
                        try {
                            channel.getInvertedIn().close();
                            channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(1));
                        } catch (IOException | RuntimeException e) {
                            // the channel or the session is already gone
                        }
                        channel.close(true);
                    }
                };
            } catch (IOException e) {
                sessions.remove(target.name());
                throw new InputError("host " + target.name() + " (" + target.address() + "): stream channel failed: "
                        + reason(e, connectTimeout), e);
            }
        }

        @Override
        public Tunnel tunnel(String remoteHost, int remotePort) {
            ClientSession session = session(target);
            audited(target.name(), "port forward to " + remoteHost + ":" + remotePort);
            try {
                var tracker = session.createLocalPortForwardingTracker(new SshdSocketAddress("127.0.0.1", 0),
                        new SshdSocketAddress(remoteHost, remotePort));
                int port = tracker.getBoundAddress().getPort();
                return new Tunnel() {
                    @Override
                    public int localPort() {
                        return port;
                    }

                    @Override
                    public void close() {
                        try {
                            tracker.close();
                        } catch (IOException ignored) {
                            // the session may already be gone
                        }
                    }
                };
            } catch (IOException e) {
                throw new InputError("host " + target.name() + " (" + target.address() + "): cannot forward a port to "
                        + remoteHost + ":" + remotePort + ": " + reason(e, connectTimeout), e);
            }
        }

        @Override
        public void reconnect() {
            ClientSession old = sessions.remove(target.name());
            if (old != null) {
                closeQuietly(old);
            }
        }

        private CommandResult run(String command, Duration timeout) {
            ClientSession session = session(target);
            Instant start = Instant.now();
            long t0 = System.nanoTime();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            boolean timedOut;
            Integer status;
            try (ChannelExec channel = session.createExecChannel(sent(command))) {
                channel.setOut(out);
                channel.setErr(err);
                channel.open().verify(timeout);
                Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
                timedOut = events.contains(ClientChannelEvent.TIMEOUT);
                status = channel.getExitStatus();
            } catch (IOException e) {
                sessions.remove(target.name());
                throw new InputError("host " + target.name() + " (" + target.address() + "): command channel failed: "
                        + reason(e, timeout), e);
            }
            CommandResult result = new CommandResult(target.name(), command, out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8), status == null ? -1 : status, start,
                    Duration.ofNanos(System.nanoTime() - t0), timedOut);
            audited(target.name(), (timedOut ? "timed out" : "exit " + result.exitCode()) + " " + result.duration().toMillis()
                    + " ms $ " + command);
            return result;
        }

        @Override
        public String toString() {
            return target.name();
        }
    }

    /** Hands complete lines of a byte stream to a consumer. */
    private static final class LineSplitter extends java.io.OutputStream {
        private final Consumer<String> lines;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineSplitter(Consumer<String> lines) {
            this.lines = lines;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                lines.accept(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }
    }
}
