package io.hearth.gateway.channel;

import io.hearth.gateway.threads.NamedThreadFactory;
import io.hearth.protocol.Channel;
import io.hearth.protocol.Handshake;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where engines dial back: accepts connections, authenticates each with the session's secret and hands the channel
 * to its session. Refusals are logged with the peer and the session id it claimed, never with secrets or MACs.
 */
public final class ChannelServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelServer.class);

    /** Handshakes run off the accept thread so that one silent peer cannot hold up every engine behind it. */
    private static final int HANDSHAKE_THREADS = 4;

    /** The sessions engines connect for. */
    public interface Registry {
        /** The secret of a session that is waiting for its engine; empty for any other id. */
        Optional<String> secretOf(String sessionId);

        /** Takes an authenticated channel; the registry closes it if the session no longer wants it. */
        void attach(String sessionId, Channel channel);
    }

    private final ServerSocket server;
    private final Handshake handshake;
    private final Registry registry;
    private final ExecutorService handshakes =
            Executors.newFixedThreadPool(HANDSHAKE_THREADS, new NamedThreadFactory("hearth-channel-handshake", true));
    private final Set<Socket> inHandshake = ConcurrentHashMap.newKeySet();
    private final Thread acceptThread;
    private volatile boolean closed;

    /** Takes a bound server socket (bound early, so launchers know the port before anything is accepted). */
    public ChannelServer(ServerSocket server, Handshake handshake, Registry registry) {
        this.server = server;
        this.handshake = handshake;
        this.registry = registry;
        this.acceptThread = new Thread(this::acceptLoop, "hearth-channel-accept");
        this.acceptThread.setDaemon(true);
    }

    public void start() {
        acceptThread.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.error("The engine channel server stopped accepting: {}", e.getMessage());
                }
                return;
            }
            inHandshake.add(socket);
            try {
                handshakes.execute(() -> authenticate(socket));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                closeQuietly(socket);
            }
        }
    }

    private void authenticate(Socket socket) {
        try {
            Handshake.Accepted accepted = handshake.accept(socket, registry::secretOf);
            LOG.info("Engine for session {} connected from {}", accepted.sessionId(), socket.getRemoteSocketAddress());
            registry.attach(accepted.sessionId(), accepted.channel());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Refused an engine connection from {}: {}", socket.getRemoteSocketAddress(), e.getMessage());
            closeQuietly(socket);
        } finally {
            inHandshake.remove(socket);
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        handshakes.shutdownNow();
        inHandshake.forEach(ChannelServer::closeQuietly);
        try {
            handshakes.awaitTermination(2, TimeUnit.SECONDS);
            acceptThread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already closed or broken: either way it is gone
        }
    }
}
