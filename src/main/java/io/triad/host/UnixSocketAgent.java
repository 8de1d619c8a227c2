package io.triad.host;

import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.agent.common.AbstractAgentProxy;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;

/**
 * The operator's ssh-agent as the source of keys: the agent protocol (MINA's
 * {@link AbstractAgentProxy}) over the agent's Unix socket ({@code SSH_AUTH_SOCK}), with Java's
 * own Unix domain sockets (MINA's Unix agent client needs Tomcat's native APR library). The
 * private key never enters the harness: the agent signs.
 */
public final class UnixSocketAgent extends AbstractAgentProxy {

    private final SocketChannel channel;

    public UnixSocketAgent(Path socket) throws IOException {
        super(null);
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    protected synchronized Buffer request(Buffer buffer) throws IOException {
        // the buffer comes prepared: its 4-byte length, then the message
        channel.write(ByteBuffer.wrap(buffer.array(), buffer.rpos(), buffer.available()));
        ByteBuffer length = read(4);
        int n = length.getInt();
        if (n <= 0 || n > 256 * 1024) {
            throw new IOException("the ssh-agent answered a message of " + n + " bytes");
        }
        return new ByteArrayBuffer(read(n).array());
    }

    private ByteBuffer read(int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) {
                throw new EOFException("the ssh-agent closed the connection");
            }
        }
        return b.flip();
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            super.close();
        }
    }

    /** How many keys the agent holds (a first look, so a wrong or empty agent is named before any host is tried). */
    public static int keys(Path socket) throws IOException {
        try (SshAgent agent = new UnixSocketAgent(socket)) {
            int n = 0;
            for (var ignored : agent.getIdentities()) {
                n++;
            }
            return n;
        }
    }

    /** Hands MINA's client a connection to the agent for each authentication. No agent forwarding. */
    static SshAgentFactory factory(Path socket) {
        return new SshAgentFactory() {
            @Override
            public List<ChannelFactory> getChannelForwardingFactories(FactoryManager manager) {
                return List.of();
            }

            @Override
            public SshAgent createClient(Session session, FactoryManager manager) throws IOException {
                return new UnixSocketAgent(socket);
            }

            @Override
            public SshAgentServer createServer(ConnectionService service) {
                throw new UnsupportedOperationException("agent forwarding is not offered");
            }
        };
    }
}
