package io.hearth.gateway.session;

import io.hearth.gateway.pool.PooledEngine;
import java.util.concurrent.CompletableFuture;

/**
 * An engine of the pool, held by the {@link Session} it becomes when it is handed over (a pooled {@link Session}: not
 * listed, not stored); launched at {@code launchedAt} (epoch ms).
 */
record WarmEngine(Session session, long launchedAt) implements PooledEngine {

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
        return session.readyInPool();
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
