package io.hearth.gateway.pool;

import java.util.concurrent.CompletableFuture;

/** An engine started for the pool, nobody's session yet: what the {@link EnginePool} needs to know of it. */
public interface PooledEngine {

    /** The id it was launched under, which the session it is handed to takes. */
    int id();

    /** Its process, for the record a restarted gateway cleans up from; 0 when unknown. */
    long pid();

    /** Its process's start time (epoch ms), which with the pid names it; 0 when unknown. */
    long startedAt();

    /** When it was launched (epoch ms): its age, for the max idle age. */
    long launchedAt();

    /** Started and idle: it can be handed over now. */
    boolean ready();

    /** Dead or stopping: the pool drops it and starts another. */
    boolean gone();

    /** Whether it ever got {@link #ready()}: one that died before that counts as a failed start, for the back-off. */
    boolean everReady();

    /** Stops its engine; completes when no process of it is left. */
    CompletableFuture<Void> discard();

    /** Starts pooled engines. */
    interface Launcher<E extends PooledEngine> {

        /** Launches one; it gets ready later, on its own. */
        E launch() throws java.io.IOException;
    }
}
