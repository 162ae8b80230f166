package io.hearth.gateway.session;

import io.hearth.gateway.pool.PooledEngine;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * An engine of the pool, held by the {@link Session} it becomes when it is handed over (a pooled {@link Session}: not
 * listed, not stored), launched at {@code launchedAt} (epoch ms). It is ready once it has reported itself started and
 * has answered a request: an engine may run warm-ups before it reads the channel, and a hand-over must not wait them out.
 */
final class WarmEngine implements PooledEngine {

    /** How long one probe waits for the engine's answer; the pool probes again on its next round. */
    private static final Duration PROBE_WAIT = Duration.ofSeconds(2);

    private final Session session;
    private final long launchedAt;
    private volatile boolean answered;

    WarmEngine(Session session, long launchedAt) {
        this.session = session;
        this.launchedAt = launchedAt;
    }

    Session session() {
        return session;
    }

    @Override
    public long launchedAt() {
        return launchedAt;
    }

    @Override
    public int id() {
        return session.id();
    }

    @Override
    public long pid() {
        return session.enginePid();
    }

    @Override
    public long startedAt() {
        return session.engineStartedAt();
    }

    @Override
    public boolean ready() {
        return answered && session.readyInPool();
    }

    @Override
    public boolean started() {
        return session.readyInPool();
    }

    @Override
    public void probe() {
        try {
            // Setting nothing changes nothing: its answer only says the engine reads its channel.
            answered = session.applyConf(Map.of(), PROBE_WAIT).map(reply -> reply.refused() == null).orElse(false);
        } catch (IOException e) {
            answered = false;
        }
    }

    @Override
    public boolean gone() {
        return session.goneFromPool();
    }

    @Override
    public boolean everReady() {
        return session.wasReady();
    }

    @Override
    public CompletableFuture<Void> discard() {
        return session.stop();
    }
}
