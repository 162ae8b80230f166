package io.hearth.gateway.channel;

import io.hearth.gateway.threads.NamedThreadFactory;
import io.hearth.protocol.Handshake;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where engines dial back: accepts connections, opens each one's transport (TLS, or plain where the channel's
 * encryption allows it: see {@link io.hearth.protocol.ChannelTransport}), checks its proof against the session it claims
 * (its secret, and the link key of its engine when it reconnects) and hands it to that session, which welcomes or
 * refuses it.
 * Refusals are logged with the peer and the session id it claimed, never with secrets, keys or MACs.
 */
public final class ChannelServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelServer.class);

    /**
     * A handshake is two short messages: a peer that has not finished within this is closed, however it drips bytes
     * (the per-read timeout alone lets a byte every few seconds hold a connection for ever).
     */
    static final Duration HANDSHAKE_DEADLINE = Duration.ofSeconds(5);
    /**
     * Handshakes run off the accept thread, each on its own thread, so that silent or dripping peers cannot hold up a
     * real engine behind them. With the deadline, this many open handshakes need that many peers every 5 s; past it a
     * new connection is closed at once.
     */
    static final int MAX_HANDSHAKES = 512;
    /** Connections refused past {@link #MAX_HANDSHAKES} are logged once per this, with a count. */
    private static final long REFUSED_LOG_EVERY_NANOS = 10_000_000_000L;

    /** The sessions engines connect for. */
    public interface Registry {
        /** What an engine claiming this session must prove; empty for an unknown session or one that has ended. */
        Optional<Handshake.Expected> expected(String sessionId);

        /**
         * Takes a connection that proved its session's secret: its session welcomes it and reads its channel, or
         * refuses it (closing it) and goes on as it was. Empty when welcomed; else why refused, with no secrets.
         */
        Optional<String> attach(Handshake.Claim claim);
    }

    private final ServerSocket server;
    private final Handshake handshake;
    private final Registry registry;
    private final ThreadPoolExecutor handshakes = new ThreadPoolExecutor(0, MAX_HANDSHAKES, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), new NamedThreadFactory("hearth-channel-handshake", true));
    private final ScheduledExecutorService deadlines =
            Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory("hearth-channel-handshake-deadline", true));
    private final Set<Socket> inHandshake = ConcurrentHashMap.newKeySet();
    private final Thread acceptThread;
    private volatile boolean closed;
    // Touched by the accept thread only.
    private int refusedSinceLog;
    private long refusedLoggedAt = System.nanoTime() - REFUSED_LOG_EVERY_NANOS;

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
                deadlines.schedule(() -> expire(socket), HANDSHAKE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                handshakes.execute(() -> authenticate(socket));
            } catch (RejectedExecutionException e) {
                refusedSinceLog++;
                if (!closed && System.nanoTime() - refusedLoggedAt >= REFUSED_LOG_EVERY_NANOS) {
                    LOG.warn("Refused {} engine connections since the last report, the latest from {}: {} handshakes"
                            + " are already open", refusedSinceLog, socket.getRemoteSocketAddress(), MAX_HANDSHAKES);
                    refusedSinceLog = 0;
                    refusedLoggedAt = System.nanoTime();
                }
                inHandshake.remove(socket);
                closeQuietly(socket);
            }
        }
    }

    private void authenticate(Socket socket) {
        try {
            Handshake.Claim claim = handshake.verify(socket, registry::expected);
            // Whoever takes the socket out of the set owns it: here the session, or else the deadline that closed it.
            if (!inHandshake.remove(socket)) {
                claim.close();
                return;
            }
            Optional<String> refused;
            try {
                refused = registry.attach(claim);
            } catch (RuntimeException e) {
                claim.close();
                LOG.error("Handing the engine connection from {} to session {} failed", socket.getRemoteSocketAddress(),
                        claim.sessionId(), e);
                return;
            }
            if (refused.isPresent()) {
                LOG.warn("Refused an engine connection from {} for session {}: {}", socket.getRemoteSocketAddress(),
                        claim.sessionId(), refused.get());
            } else {
                LOG.info("Engine for session {} connected from {} over {}", claim.sessionId(),
                        socket.getRemoteSocketAddress(), claim.tlsProtocol().orElse("plain TCP"));
            }
        } catch (IOException | RuntimeException e) {
            if (inHandshake.remove(socket)) {
                LOG.warn("Refused an engine connection from {}: {}", socket.getRemoteSocketAddress(), e.getMessage());
                closeQuietly(socket);
            }
        }
    }

    /** The deadline passed: a handshake still open is closed, which ends its blocked read too. */
    private void expire(Socket socket) {
        if (inHandshake.remove(socket)) {
            LOG.warn("Closed an engine connection from {}: no handshake within {} s", socket.getRemoteSocketAddress(),
                    HANDSHAKE_DEADLINE.toSeconds());
            closeQuietly(socket);
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        handshakes.shutdownNow();
        deadlines.shutdownNow();
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
