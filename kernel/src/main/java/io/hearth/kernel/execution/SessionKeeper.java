package io.hearth.kernel.execution;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.hearth.kernel.cell.CellFailure;
import io.hearth.kernel.cell.CellSink;
import io.hearth.kernel.cell.ErrorContent;
import io.hearth.kernel.cell.Interrupts;
import io.hearth.kernel.cell.KernelErrors;
import io.hearth.kernel.display.SessionCard;
import io.hearth.kernel.gateway.ActiveGateway;
import io.hearth.kernel.gateway.GatewayClient;
import io.hearth.kernel.gateway.GatewayException;
import io.hearth.kernel.gateway.GatewayOutage;
import io.hearth.kernel.gateway.GatewayUrl;
import io.hearth.kernel.livy.RemoteCompletions;
import io.hearth.kernel.livy.RemoteInspection;
import io.hearth.kernel.livy.RemoteSession;
import io.hearth.kernel.livy.StatementKind;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's one gateway session: created at kernel start ({@link #startEarly}) or at the first cell, waited for
 * until it can run statements, forgotten when it dies (so the next cell starts a new one) and deleted when the kernel
 * shuts down (unless it was attached or told to keep it). {@code %%configure} settings ({@link #configure}) shape the
 * next session it creates; a session started early that no cell has used yet gives way to them without {@code -f}.
 */
public final class SessionKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(SessionKeeper.class);
    private static final int NONE = -1;
    // Spark takes seconds to start; polling faster than this only loads the gateway.
    private static final long START_POLL_MILLIS = 150;
    // How long shutdown waits for the gateway to answer the early start, so that the session it makes is deleted.
    private static final long EARLY_SHUTDOWN_WAIT_MILLIS = 3_000;

    /** The {@code %%configure} key that points the kernel at another gateway (never sent to the gateway). */
    public static final String GATEWAY_URL_KEY = "gatewayUrl";

    private final ActiveGateway gateway;
    private final StatementKind kind;
    private final Interrupts interrupts;
    // Read by the shell thread, cleared by the control thread (shutdown) and the JVM shutdown hook.
    private final AtomicInteger current = new AtomicInteger(NONE);
    // The session last seen able to run statements: the next cell posts to it without asking again (a session that
    // died meanwhile refuses the statement, and the cell then reports why). Shell thread only (forget, attach).
    private int knownReady = NONE;
    // The session this kernel created (deleted when let go), as opposed to one it attached to (left running).
    private volatile int own = NONE;
    // The session settings of %%configure, without kind (the kernel's own); shell thread only.
    private JsonObject sessionSettings = new JsonObject();
    // The session started at kernel start while no cell has used it: %%configure and %attach may let it go freely.
    private volatile int untouched = NONE;
    // Creates the early session (startEarly); whoever reads the session first waits for it (awaitEarly).
    private volatile Thread earlyStart;
    // Why the early session could not be created, told at the first cell; shell thread after awaitEarly.
    private volatile GatewayException earlyFailure;
    // Whether sessions start early: a %%configure that replaces an untouched early session starts the new one at once.
    private boolean early;
    // Set by shutdown: an early session created afterwards is deleted at once. Guarded by this.
    private boolean stopped;

    /** A keeper that starts sessions of {@code kind} on the gateway {@code gateway} names at each call. */
    public SessionKeeper(ActiveGateway gateway, StatementKind kind, Interrupts interrupts) {
        this.gateway = gateway;
        this.kind = kind;
        this.interrupts = interrupts;
    }

    /**
     * {@code %%configure}: the Livy session settings ({@code conf}, {@code driverMemory}, ...) for the next session,
     * and optionally {@value #GATEWAY_URL_KEY}. With a session running, {@code force} deletes it so the next cell
     * starts one with these settings; without {@code force} that is refused with a message saying so.
     *
     * @return the session let go (deleted, or left running if it was attached), empty when there was none
     */
    public Optional<ReleasedSession> configure(JsonObject body, boolean force) throws CellFailure {
        awaitEarly();
        int id = current.get();
        if (id != NONE && !force && id != untouched) {
            throw new CellFailure(ErrorContent.ofKernel("SessionRunning",
                    "Spark session " + id + " is already running with its settings",
                    "Use %%configure -f to delete it and start a new one with these settings (its variables are lost)."));
        }
        JsonObject copy = body.deepCopy();
        copy.remove("kind");
        JsonElement url = copy.remove(GATEWAY_URL_KEY);
        if (url != null) {
            String text = url.isJsonPrimitive() ? url.getAsString() : "";
            String problem = GatewayUrl.problem(text);
            if (problem != null) {
                throw new CellFailure(ErrorContent.ofKernel("ConfigureError",
                        GATEWAY_URL_KEY + " must be an http:// or https:// URL, not '" + text + "'"));
            }
        }
        boolean replacingEarly = id != NONE && id == untouched;
        Optional<ReleasedSession> released = id == NONE ? Optional.empty() : Optional.of(release());
        if (url != null) {
            gateway.switchTo(url.getAsString(), GATEWAY_URL_KEY + " in %%configure");
        }
        sessionSettings = copy;
        if (replacingEarly && early) {
            startEarly();
        }
        return released;
    }

    /**
     * {@code %attach ID}: makes the existing session {@code id} the notebook's session. The session the kernel had
     * keeps running (its variables may matter; {@code %%delete} ends it); an attached session is left running at
     * shutdown and by {@code %%configure -f}, since it was not the kernel's.
     *
     * @return the session the kernel had before, empty when none (or when it was {@code id} already)
     */
    public OptionalInt attach(int id) throws CellFailure {
        awaitEarly();
        GatewayClient client = gateway.client();
        RemoteSession session;
        try {
            session = client.session(id);
        } catch (GatewayException e) {
            if (e.isNotFound()) {
                throw new CellFailure(ErrorContent.ofKernel("SessionNotFound",
                        "The gateway at " + client.baseUrl() + " has no session " + id));
            }
            throw KernelErrors.gateway(e);
        }
        if (session.isGone()) {
            throw new CellFailure(ErrorContent.ofKernel("SessionNotUsable",
                    "Spark session " + id + " is " + session.state() + " and cannot run statements"));
        }
        int previous = current.getAndSet(id);
        knownReady = NONE;
        LOG.info("Attached to session {} (was {})", id, previous);
        if (previous != id && previous == untouched && previous == own) {
            // Started with the kernel and never used: nobody's variables are in it.
            untouched = NONE;
            own = NONE;
            delete(previous);
            return OptionalInt.empty();
        }
        return previous == NONE || previous == id ? OptionalInt.empty() : OptionalInt.of(previous);
    }

    /**
     * {@code %keep}: the current session outlives the kernel; shutdown, restart and {@code %%configure -f} leave it
     * running, as they leave an attached one, so that {@code %attach} in a later kernel picks it up.
     *
     * @return the session kept
     */
    public int keep() throws CellFailure {
        awaitEarly();
        int id = current.get();
        if (id == NONE) {
            throw new CellFailure(ErrorContent.ofKernel("NoSession",
                    "This kernel has no Spark session yet, so there is nothing to keep",
                    "Run a cell first; its session is the one %keep keeps."));
        }
        if (own == id) {
            own = NONE;
        }
        untouched = NONE;
        LOG.info("Session {} will be kept running after this kernel stops", id);
        return id;
    }

    /**
     * Asks the gateway for the kernel's session now, on a thread of its own, so that Spark starts while the user
     * writes the first cell; no request waits for it but those that need the session. A failure is told at the first
     * cell. Call once, before any cell.
     */
    public void startEarly() {
        early = true;
        Thread thread = new Thread(this::createEarly, "hearth-early-session");
        thread.setDaemon(true);
        earlyStart = thread;
        thread.start();
    }

    private void createEarly() {
        try {
            RemoteSession session = gateway.client().createSession(creationBody());
            synchronized (this) {
                if (!stopped) {
                    adopt(session);
                    untouched = session.id();
                    return;
                }
            }
            // The kernel shut down while the gateway was answering.
            delete(session.id());
        } catch (GatewayException e) {
            LOG.warn("Could not start the session at kernel start: {}", e.getMessage());
            earlyFailure = e;
        }
    }

    /** Waits for {@link #startEarly}'s request to be answered, if there was one; shell thread. */
    private void awaitEarly() {
        Thread thread = earlyStart;
        if (thread == null) {
            return;
        }
        try {
            thread.join();
            earlyStart = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Creates a session of the kernel's kind with the {@code %%configure} settings; it becomes the current one. */
    private RemoteSession create() throws GatewayException {
        RemoteSession session = gateway.client().createSession(creationBody());
        adopt(session);
        return session;
    }

    private JsonObject creationBody() {
        JsonObject body = sessionSettings.deepCopy();
        body.addProperty("kind", kind.wireName());
        return body;
    }

    private void adopt(RemoteSession created) {
        current.set(created.id());
        own = created.id();
        LOG.info("Created {} session {} on {}", kind, created.id(), gateway.url());
    }

    /**
     * The id of a session that accepts statements, creating it (and printing one progress line to the cell's
     * stderr while Spark starts) when there is none yet.
     */
    public int ready(CellSink sink) throws CellFailure {
        awaitEarly();
        int id = current.get();
        if (id != NONE && id == knownReady) {
            return id;
        }
        GatewayException early = earlyFailure;
        if (early != null) {
            earlyFailure = null;
            sink.notice("The Spark session could not be started with the kernel (" + early.getMessage()
                    + "); trying again now.\n");
        }
        boolean firstUse = id != NONE && id == untouched;
        untouched = NONE;
        GatewayClient client = gateway.client();
        RemoteSession session;
        try {
            if (id == NONE) {
                session = create();
                id = session.id();
            } else {
                session = client.session(id);
            }
        } catch (GatewayException e) {
            throw failure(id, e);
        }
        if (session.isReady()) {
            knownReady = id;
            if (firstUse) {
                // Started with the kernel and ready before the first cell: the card says so as a cold start would.
                sink.display(SessionCard.of(session, client.baseUrl()));
            }
            return id;
        }
        if (session.isGone()) {
            throw gone(session);
        }
        knownReady = awaitReady(session, sink);
        return knownReady;
    }

    /**
     * Completion of {@code code}, a statement of {@code codeKind}, from the current session. Tab never starts a session
     * (that takes seconds): before the first cell, or when the gateway cannot answer, there is nothing to offer.
     */
    public RemoteCompletions complete(StatementKind codeKind, String code, int cursor) {
        int id = current.get();
        if (id == NONE) {
            return RemoteCompletions.none(cursor);
        }
        try {
            return gateway.client().complete(id, code, codeKind, cursor);
        } catch (GatewayException e) {
            LOG.debug("Completion on session {} failed: {}", id, e.getMessage());
            return RemoteCompletions.none(cursor);
        }
    }

    /** Documentation for the name at the cursor from the current session; like {@link #complete}, never starts one. */
    public RemoteInspection inspect(StatementKind codeKind, String code, int cursor, int detailLevel) {
        int id = current.get();
        if (id == NONE) {
            return RemoteInspection.notFound();
        }
        try {
            return gateway.client().inspect(id, code, codeKind, cursor, detailLevel);
        } catch (GatewayException e) {
            LOG.debug("Inspection on session {} failed: {}", id, e.getMessage());
            return RemoteInspection.notFound();
        }
    }

    /** Checks that session {@code id} is still alive; a gateway out of reach is a failure at once. */
    public void checkAlive(int id) throws CellFailure {
        checkAlive(id, new GatewayOutage(Duration.ZERO, System::nanoTime));
    }

    /**
     * As {@link #checkAlive(int)} during a running cell: a gateway out of reach is not a failure while {@code outage}
     * rides it out (the cell's events are resumed once it is back).
     */
    public void checkAlive(int id, GatewayOutage outage) throws CellFailure {
        try {
            RemoteSession session = gateway.client().session(id);
            outage.reachable();
            if (session.isGone()) {
                throw gone(session);
            }
        } catch (GatewayException e) {
            if (outage.rideOut(e)) {
                LOG.warn("Session {} not checked: {} (trying again)", id, e.getMessage());
                return;
            }
            throw failure(id, e);
        }
    }

    /** Forgets session {@code id} (if it is the current one) so that the next cell starts a new session. */
    public void forget(int id) {
        if (knownReady == id) {
            knownReady = NONE;
        }
        if (untouched == id) {
            untouched = NONE;
        }
        if (current.compareAndSet(id, NONE)) {
            LOG.info("Forgot session {}", id);
        }
    }

    /**
     * At kernel shutdown: deletes the session this kernel created (one started early and never used included) and
     * leaves attached ones running; safe to call more than once.
     */
    public void shutdown() {
        Thread starting = earlyStart;
        if (starting != null) {
            try {
                // Bounded: the gateway's answer may never come; the thread deletes what it gets after this.
                starting.join(EARLY_SHUTDOWN_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int mine;
        synchronized (this) {
            stopped = true;
            current.set(NONE);
            untouched = NONE;
            mine = own;
            own = NONE;
        }
        if (mine != NONE) {
            delete(mine);
        }
    }

    /** Lets go of the current session (there is one): deleted if the kernel created it, left running if attached. */
    private ReleasedSession release() {
        int id = current.getAndSet(NONE);
        untouched = NONE;
        if (id == own) {
            own = NONE;
            return new ReleasedSession(id, false, delete(id));
        }
        LOG.info("Leaving session {} running", id);
        return new ReleasedSession(id, true, false);
    }

    /** Deletes session {@code id}; false (and logged) when the gateway would not. */
    private boolean delete(int id) {
        try {
            gateway.client().deleteSession(id);
            LOG.info("Deleted session {}", id);
            return true;
        } catch (GatewayException e) {
            LOG.warn("Could not delete session {}: {}", id, e.getMessage());
            return false;
        }
    }

    private int awaitReady(RemoteSession starting, CellSink sink) throws CellFailure {
        int id = starting.id();
        GatewayClient client = gateway.client();
        long startedAt = System.nanoTime();
        // One complete line in one message: nbclient keeps every stream message as its own output.
        sink.notice("Starting Spark session " + id + " ...\n");
        try {
            while (true) {
                interrupts.pause(START_POLL_MILLIS);
                if (interrupts.requested() > 0) {
                    throw KernelErrors.interruptedWhileStarting(id);
                }
                RemoteSession session = client.session(id);
                if (session.isReady()) {
                    LOG.info("Session {} ready after {} ms", id, (System.nanoTime() - startedAt) / 1_000_000);
                    sink.display(SessionCard.of(session, client.baseUrl()));
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

    private CellFailure gone(RemoteSession session) {
        forget(session.id());
        return KernelErrors.sessionGone(session.id(), session.state(), logTail(session));
    }

    private List<String> logTail(RemoteSession session) {
        try {
            List<String> lines = gateway.client().sessionLog(session.id()).lines();
            return lines.isEmpty() ? session.logOrEmpty() : lines;
        } catch (GatewayException e) {
            LOG.warn("Could not read the log of session {}: {}", session.id(), e.getMessage());
            return session.logOrEmpty();
        }
    }

    /** The id of the kernel's current session, empty before the first cell or after it was forgotten. */
    public OptionalInt current() {
        awaitEarly();
        int id = current.get();
        return id == NONE ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The {@code %%configure} settings new sessions get (a copy; empty when none were set). */
    public JsonObject settings() {
        return sessionSettings.deepCopy();
    }
}
