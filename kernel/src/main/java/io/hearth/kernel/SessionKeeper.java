package io.hearth.kernel;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's one gateway session: created at the first cell, waited for until it can run statements, forgotten
 * when it dies (so the next cell starts a new one) and deleted when the kernel shuts down.
 */
public final class SessionKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(SessionKeeper.class);
    private static final int NONE = -1;
    // Spark takes seconds to start; polling faster than this only loads the gateway.
    private static final long START_POLL_MILLIS = 150;

    private final GatewayClient client;
    private final String kind;
    private final Interrupts interrupts;
    // Read by the shell thread, cleared by the control thread (shutdown) and the JVM shutdown hook.
    private final AtomicInteger current = new AtomicInteger(NONE);
    // %%configure's settings for the sessions this keeper creates (set on the shell thread, read on it too).
    private final AtomicReference<JsonObject> settings = new AtomicReference<>(new JsonObject());

    /** A keeper that starts sessions of {@code kind} (e.g. {@code pyspark}) on the gateway behind {@code client}. */
    public SessionKeeper(GatewayClient client, String kind, Interrupts interrupts) {
        this.client = client;
        this.kind = kind;
        this.interrupts = interrupts;
    }

    /**
     * The id of a session that accepts statements, creating it (and printing one progress line to the cell's
     * stderr while Spark starts) when there is none yet.
     */
    public int ready(CellSink sink) throws CellFailure {
        int id = current.get();
        Session session;
        try {
            if (id == NONE) {
                session = client.createSession(creationBody());
                id = session.id();
                current.set(id);
                LOG.info("Created {} session {} on {}", kind, id, client.baseUrl());
            } else {
                session = client.session(id);
            }
        } catch (GatewayException e) {
            throw failure(id, e);
        }
        if (session.isReady()) {
            return id;
        }
        if (session.isGone()) {
            throw gone(session);
        }
        return awaitReady(session, sink);
    }

    /**
     * Completion from the current session. Tab never starts a session (that takes seconds): before the first cell,
     * or when the gateway cannot answer, there is simply nothing to offer.
     */
    public Completions complete(String code, int cursor) {
        int id = current.get();
        if (id == NONE) {
            return Completions.none(cursor);
        }
        try {
            return client.complete(id, code, kind, cursor);
        } catch (GatewayException e) {
            LOG.debug("Completion on session {} failed: {}", id, e.getMessage());
            return Completions.none(cursor);
        }
    }

    /** Documentation for the name at the cursor from the current session; like {@link #complete}, never starts one. */
    public Inspection inspect(String code, int cursor, int detailLevel) {
        int id = current.get();
        if (id == NONE) {
            return Inspection.notFound();
        }
        try {
            return client.inspect(id, code, kind, cursor, detailLevel);
        } catch (GatewayException e) {
            LOG.debug("Inspection on session {} failed: {}", id, e.getMessage());
            return Inspection.notFound();
        }
    }

    /** Checks, while a statement runs, that its session is still alive. */
    public void checkAlive(int id) throws CellFailure {
        try {
            Session session = client.session(id);
            if (session.isGone()) {
                throw gone(session);
            }
        } catch (GatewayException e) {
            throw failure(id, e);
        }
    }

    /** Forgets session {@code id} (if it is the current one) so that the next cell starts a new session. */
    public void forget(int id) {
        if (current.compareAndSet(id, NONE)) {
            LOG.info("Forgot session {}", id);
        }
    }

    /** Deletes the current session, if any; safe to call more than once and from any thread. */
    public void close() {
        int id = current.getAndSet(NONE);
        if (id == NONE) {
            return;
        }
        try {
            client.deleteSession(id);
            LOG.info("Deleted session {}", id);
        } catch (GatewayException e) {
            LOG.warn("Could not delete session {}: {}", id, e.getMessage());
        }
    }

    private int awaitReady(Session starting, CellSink sink) throws CellFailure {
        int id = starting.id();
        long startedAt = System.nanoTime();
        // One complete line in one message: nbclient keeps every stream message as its own output.
        sink.notice("Starting Spark session " + id + " ...\n");
        try {
            while (true) {
                interrupts.pause(START_POLL_MILLIS);
                if (interrupts.requested() > 0) {
                    throw KernelErrors.interruptedWhileStarting(id);
                }
                Session session = client.session(id);
                if (session.isReady()) {
                    LOG.info("Session {} ready after {} ms", id, (System.nanoTime() - startedAt) / 1_000_000);
                    return id;
                }
                if (session.isGone()) {
                    throw gone(session);
                }
            }
        } catch (GatewayException e) {
            throw failure(id, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KernelErrors.interruptedWhileStarting(id);
        }
    }

    private CellFailure failure(int id, GatewayException e) {
        if (id != NONE && e.isNotFound()) {
            forget(id);
            return KernelErrors.sessionUnknown(id);
        }
        return KernelErrors.gateway(e);
    }

    private CellFailure gone(Session session) {
        forget(session.id());
        return KernelErrors.sessionGone(session.id(), session.state(), logTail(session));
    }

    private List<String> logTail(Session session) {
        try {
            List<String> lines = client.sessionLog(session.id()).lines();
            return lines.isEmpty() ? session.logOrEmpty() : lines;
        } catch (GatewayException e) {
            LOG.warn("Could not read the log of session {}: {}", session.id(), e.getMessage());
            return session.logOrEmpty();
        }
    }

    /** The id of the kernel's current session, empty before the first cell or after it was forgotten. */
    public OptionalInt current() {
        int id = current.get();
        return id == NONE ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /**
     * Settings ({@code POST /sessions} fields) for the next session this keeper creates. With a session running,
     * {@code force} deletes it so that the next cell starts one with these settings; without it, that is refused.
     *
     * @return the id of the session deleted, empty when there was none
     */
    public OptionalInt configure(JsonObject body, boolean force) throws CellFailure {
        int id = current.get();
        if (id != NONE && !force) {
            throw new CellFailure(ErrorContent.ofKernel("UsageError",
                    "Spark session " + id + " is already running; its settings cannot change",
                    "Use %%configure -f to delete it: the next cell then starts a new session with these settings",
                    "(its variables and cached data are lost)."));
        }
        settings.set(body.deepCopy());
        if (id == NONE) {
            return OptionalInt.empty();
        }
        close();
        return OptionalInt.of(id);
    }

    /** The {@code %%configure} settings new sessions get (a copy; empty when none were set). */
    public JsonObject settings() {
        return settings.get().deepCopy();
    }

    private JsonObject creationBody() {
        JsonObject body = settings.get().deepCopy();
        body.addProperty("kind", kind);
        return body;
    }

    /**
     * Makes session {@code id}, an existing one of the gateway, the kernel's session: later cells run there. The
     * session the kernel had before, if any, is left running.
     *
     * @return the id of the session the kernel had before, empty when none
     */
    public OptionalInt attach(int id) throws CellFailure {
        Session session;
        try {
            session = client.session(id);
        } catch (GatewayException e) {
            if (e.isNotFound()) {
                throw new CellFailure(ErrorContent.ofKernel("SparkSessionError", "there is no session " + id
                        + " on the gateway", "%%info lists the sessions."));
            }
            throw KernelErrors.gateway(e);
        }
        if (session.isGone()) {
            throw new CellFailure(ErrorContent.ofKernel("SparkSessionError", "session " + id + " is " + session.state()
                    + " and cannot run statements any more", "%%info lists the sessions."));
        }
        int previous = current.getAndSet(id);
        LOG.info("Attached to session {} (was {})", id, previous);
        return previous == NONE || previous == id ? OptionalInt.empty() : OptionalInt.of(previous);
    }
}
