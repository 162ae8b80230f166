package io.hearth.engine.link;

import io.hearth.engine.run.StatementSink;
import io.hearth.protocol.Channel;
import io.hearth.protocol.ChannelMessage;
import io.hearth.protocol.EngineEnvironment;
import io.hearth.protocol.Handshake;
import io.hearth.protocol.LinkKey;
import io.hearth.protocol.ProtocolException;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's end of the gateway channel, across gateway restarts. Every message the runner sends is noted in a
 * {@link StatementHistory} and sent if the channel is up; when the channel drops, statements go on and the link dials
 * the gateway again for up to the reconnect grace. After a reconnection nothing goes out until the gateway's
 * {@code Resync}, which the link answers from the history, so the gateway sees each statement whole and in order.
 */
public final class GatewayLink implements StatementSink, Closeable {

    private static final Logger log = LoggerFactory.getLogger(GatewayLink.class);

    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration MAX_RETRY = Duration.ofSeconds(2);

    private final Handshake handshake;
    private final EngineEnvironment env;
    /** What the gateway gave the first connection: proved on every reconnection, kept in this object only. */
    private final LinkKey linkKey;
    private final StatementHistory history = new StatementHistory();
    /**
     * What the message loop read for the history (statements received, ends the gateway stored), applied at the next
     * change under the lock: noted without it, which a sender may hold while the channel is full, so that reading the
     * gateway's messages never waits for writing to it.
     */
    private final Queue<Consumer<StatementHistory>> incoming = new ConcurrentLinkedQueue<>();
    /** Set once the engine can run no more statements: told again after a resync, a restarted gateway must hear it. */
    private ChannelMessage.EngineUnusable unusable;

    // Guarded by this.
    private Channel channel;
    /** False from a failed send until the gateway has resynchronised: meanwhile messages only go to the history. */
    private boolean live = true;
    private boolean closed;

    /** @param first the engine's first connection, which the gateway gave the link key */
    public GatewayLink(Handshake handshake, EngineEnvironment env, Handshake.Connected first) {
        this.handshake = handshake;
        this.env = env;
        this.linkKey = first.linkKey();
        this.channel = first.channel();
    }

    public synchronized Channel channel() {
        return channel;
    }

    /** The gateway's limit on one statement's output, as its last {@code Welcome} said. */
    public synchronized long maxStatementOutput() {
        return channel.maxStatementOutput();
    }

    /** The gateway sent this statement: a later resync must not ask for it again. */
    void received(long statementId) {
        incoming.add(h -> h.received(statementId));
    }

    /** The gateway has stored these statements' ends: the history may forget them. */
    void stored(List<Long> statementIds) {
        incoming.add(h -> h.stored(statementIds));
    }

    @Override
    public synchronized void send(ChannelMessage message) {
        applyIncoming();
        if (message instanceof ChannelMessage.EngineUnusable u) {
            unusable = u;
        }
        history.record(message);
        if (live) {
            trySend(message);
        }
    }

    /** An answer only meaningful now (completion, inspection): sent if the channel is up, never replayed. */
    synchronized void reply(ChannelMessage message) {
        if (live) {
            trySend(message);
        }
    }

    /** Answers the gateway's resync from the history, then lets live messages through again. */
    synchronized void resync(ChannelMessage.Resync request) {
        applyIncoming();
        history.resynced(request.statementIds());
        List<Long> unknown = new ArrayList<>();
        try {
            for (long id : request.statementIds()) {
                Optional<List<ChannelMessage>> replay = history.replay(id);
                if (replay.isPresent()) {
                    for (ChannelMessage m : replay.get()) {
                        channel.send(m);
                    }
                } else {
                    unknown.add(id);
                }
            }
            channel.send(new ChannelMessage.ResyncDone(unknown));
            if (unusable != null) {
                channel.send(unusable);
            }
            live = true;
            log.info("resynchronised with the gateway: {} statement(s) asked for, {} unknown here; {} held",
                    request.statementIds().size(), unknown.size(), history.size());
        } catch (IOException e) {
            log.warn("the channel broke during the resync ({}); the next connection starts it again", e.toString());
        }
    }

    private void applyIncoming() {
        for (Consumer<StatementHistory> note = incoming.poll(); note != null; note = incoming.poll()) {
            note.accept(history);
        }
    }

    /**
     * Dials the gateway again until it accepts, the grace passes or the gateway refuses this session (it ended while
     * the gateway was away). Returns the new channel, or empty when the engine should stop.
     */
    Optional<Channel> reconnect() throws InterruptedException {
        synchronized (this) {
            live = false;
            channel.close();
            if (closed) {
                return Optional.empty();
            }
        }
        Duration grace = env.reconnectGrace();
        log.warn("lost the gateway channel; reconnecting to {}:{} for up to {} s", env.gatewayHost(),
                env.gatewayPort(), grace.toMillis() / 1000.0);
        long deadline = System.nanoTime() + grace.toNanos();
        Duration wait = FIRST_RETRY;
        String tlsFailure = null;
        while (System.nanoTime() < deadline) {
            try {
                Channel next = handshake.reconnect(env.gatewayHost(), env.gatewayPort(), env.sessionId(), env.secret(),
                        linkKey);
                synchronized (this) {
                    if (closed) {
                        next.close();
                        return Optional.empty();
                    }
                    channel = next;
                }
                log.info("reconnected to the gateway");
                return Optional.of(next);
            } catch (ProtocolException e) {
                log.warn("the gateway no longer wants this engine ({}); stopping", e.getMessage());
                return Optional.empty();
            } catch (SSLException e) {
                // Something answers there, but not with the gateway's certificate: say so, once per new reason.
                if (!e.toString().equals(tlsFailure)) {
                    tlsFailure = e.toString();
                    log.warn("the channel's TLS failed at {}:{}; still trying: {}", env.gatewayHost(),
                            env.gatewayPort(), tlsFailure);
                }
            } catch (IOException e) {
                log.debug("gateway not reachable yet: {}", e.toString());
            }
            long left = deadline - System.nanoTime();
            Thread.sleep(Math.max(0, Math.min(wait.toMillis(), left / 1_000_000)));
            wait = wait.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait.multipliedBy(2);
        }
        log.warn("the gateway did not come back within {} ms; stopping", grace.toMillis());
        return Optional.empty();
    }

    private void trySend(ChannelMessage message) {
        try {
            channel.send(message);
        } catch (IOException e) {
            live = false;
            log.warn("cannot send to the gateway ({}); keeping the statements' output for when it is back",
                    e.toString());
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        channel.close();
    }
}
