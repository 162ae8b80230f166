package io.hearth.gateway.session;

import io.hearth.gateway.channel.SessionSecret;
import io.hearth.gateway.http.ApiException;
import io.hearth.gateway.launch.EngineProcess;
import io.hearth.gateway.launch.SessionLog;
import io.hearth.gateway.pool.EnginePool;
import io.hearth.protocol.Channel;
import io.hearth.protocol.ChannelMessage;
import io.hearth.protocol.Handshake;
import io.hearth.protocol.LinkKey;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One interactive session: the state machine its clients see (Livy's states) over its {@link StatementQueue}.
 *
 * <p>All state changes happen under this object's lock, whichever thread brings them (HTTP handlers, the engine link's
 * reader, the timer): that keeps the order of {@code Execute} messages equal to the order of statement ids, and makes
 * every snapshot consistent. Every change a restarted gateway must know of is written to the {@link StateStore} under
 * the same lock, before the call that made it returns. Its engine is a {@link SessionEngine}, which hands on what the
 * engine says; when the session ends by itself is its {@link Expiry}.
 */
public final class Session {

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    /** How many engine log lines a failure quotes, so that it explains itself without a trip to the log endpoint. */
    private static final int LOG_TAIL_LINES = 40;
    /** An engine that reported a failed start exits by itself; it gets this long before it is terminated. */
    private static final Duration FAILED_ENGINE_GRACE = Duration.ofSeconds(2);

    /** What a client can see of a session at one moment. */
    public record Info(int id, SessionSpec spec, SessionState state, String appId, String sparkUiUrl,
                       String driverLogUrl, String deathReason, SessionStart start) {}

    private final int id;
    /** The client's request; a pooled engine's placeholder until it is handed over (written under this lock). */
    private volatile SessionSpec spec;
    private final SessionSecret secret;
    private final LinkKey linkKey;
    private final String secretNonce;
    private final SessionLog log;
    private final SessionServices services;
    private Expiry expiry;
    private long createdAt;

    // Guarded by this.
    private final StatementQueue statements;
    private final SessionEngine engine;
    private SessionState state = SessionState.STARTING;
    private String appId;
    private String sparkUiUrl;
    private String driverLogUrl;
    private String deathReason;
    /** Names the engine's application on YARN until its id is known; null for other masters. */
    private ApplicationTag applicationTag;
    /** While starting: why the cluster has not run the application yet, as it last said; null if it did not say. */
    private String clusterWait;
    private boolean stopRequested;
    /**
     * An engine was welcomed (by this gateway, or by the one before its restart) and holds the link key: from then on
     * only a connection that proves that key may be this session's engine.
     */
    private boolean linkKeyGiven;
    // The last client call on this session or the last statement to finish, whichever is later (epoch ms).
    private long lastActivity;
    /**
     * An engine of the pool, nobody's session yet: never saved in the store (a restarted gateway must not take it
     * back as a session) until {@link #handOver} makes it one.
     */
    private boolean pooled;
    /** Launched for the pool (handed over or not): its launch-to-ready time is the pool's refill time. */
    private boolean launchedForPool;
    /** When its engine was launched (epoch ms, about): this object is made just before. */
    private final long launchedAt;
    private SessionStart start = SessionStart.coldStarting();
    private boolean readied;
    /** Lets the pool refill after a hand-over: when a first statement finishes or the session ends; then dropped. */
    private EnginePool<WarmEngine>.Refill refill;

    /**
     * @param linkKey     what its engine's first connection is given, and every later one must prove
     * @param secretNonce what the secret and the link key were derived from: the store keeps it instead of them
     */
    Session(int id, SessionSpec spec, SessionSecret secret, LinkKey linkKey, String secretNonce, SessionLog log,
            SessionServices services, Expiry expiry) {
        this.id = id;
        this.spec = spec;
        this.secret = secret;
        this.linkKey = linkKey;
        this.secretNonce = secretNonce;
        this.log = log;
        this.services = services;
        this.expiry = expiry;
        this.engine = new SessionEngine(this, services.stopper());
        this.statements = new StatementQueue(id, services.store(), services.archive(), services.metrics(),
                services.clock(), engine, services.limits());
        this.createdAt = now();
        this.launchedAt = createdAt;
        this.lastActivity = createdAt;
    }

    public int id() {
        return id;
    }

    public String name() {
        return spec.name();
    }

    /** Who created it; null with authentication off. */
    public String owner() {
        return spec.owner();
    }

    public SessionLog log() {
        return log;
    }

    SessionSecret secret() {
        return secret;
    }

    public synchronized Info info() {
        return new Info(id, spec, state, appId, sparkUiUrl, driverLogUrl, deathReason, start);
    }

    public synchronized SessionState state() {
        return state;
    }

    /** How many statements the session has had: their ids are 0 up to this, exclusive. */
    public synchronized int statementCount() {
        return statements.size();
    }

    /**
     * The statement as it is now; empty if there is no such statement. A finished one is read from the store (or the
     * cache in front of it), outside this lock: it never changes again.
     */
    public Optional<Statement> statement(int statementId) {
        synchronized (this) {
            Optional<StatementRun> run = statements.find(statementId);
            if (run.isEmpty() || !run.get().isArchived()) {
                return run.map(StatementRun::snapshot);
            }
        }
        return services.archive().get(id, statementId).map(StatementArchive.Entry::statement);
    }

    /** A statement's events after {@code afterId}; empty if there is no such statement. */
    public Optional<StatementEventLog.Page> events(int statementId, long afterId) {
        synchronized (this) {
            Optional<StatementRun> run = statements.find(statementId);
            if (run.isEmpty() || !run.get().isArchived()) {
                return run.map(r -> r.events(afterId));
            }
        }
        return services.archive().get(id, statementId).map(e -> StatementEventLog.stored(e.history(), afterId));
    }

    /** Completes when the statement has finished, on the thread that finished it; empty if there is no such statement. */
    public synchronized Optional<CompletableFuture<Void>> whenFinished(int statementId) {
        return statements.find(statementId).map(StatementRun::whenFinished);
    }

    /** A client called on this session: its heartbeat and idle clocks start again, as in Livy. */
    public synchronized void touch() {
        lastActivity = Math.max(lastActivity, now());
    }

    /** The cluster ended the session's application (killed from outside, failed): the session is dead. */
    public synchronized void applicationEnded(String reason) {
        if (isLive()) {
            markDead(reason);
        }
    }

    /** The tag of the engine's application on YARN, while the gateway has to find it by tag: its id is unknown. */
    public synchronized Optional<String> applicationTag() {
        return appId == null && applicationTag != null ? Optional.of(applicationTag.value()) : Optional.empty();
    }

    /**
     * The cluster's word on the application of a session still starting: its id, shown before the engine reports it;
     * and, while the cluster gives it no resources, why ({@code waiting}, null once it runs), which a start that times
     * out reports as its cause.
     */
    public synchronized void applicationStarting(String id, String waiting) {
        if (state != SessionState.STARTING || stopRequested) {
            return;
        }
        if (appId == null) {
            appId = id;
            log.append("[hearth] the cluster has the application " + id);
            save();
        }
        if (waiting != null && !waiting.equals(clusterWait)) {
            log.append("[hearth] " + waiting);
        }
        clusterWait = waiting;
    }

    /** The cluster's links for the running application: its UI (through the cluster's proxy) and the driver's log. */
    public synchronized void applicationLinks(String uiUrl, String logUrl) {
        // What the engine reported wins: it reads the proxy's and its container's addresses from its own
        // configuration and environment, while the ResourceManager's report may name an unbound port (the mini
        // cluster's tracking URL says port 0).
        boolean changed = false;
        if (sparkUiUrl == null && uiUrl != null) {
            sparkUiUrl = uiUrl;
            changed = true;
        }
        if (driverLogUrl == null && logUrl != null) {
            driverLogUrl = logUrl;
            changed = true;
        }
        if (changed) {
            save();
        }
    }

    /** Dead, or stopped by the gateway: nothing may run for it any more. */
    public synchronized boolean isOver() {
        return state == SessionState.DEAD || state == SessionState.KILLED;
    }

    /** Starting, idle or busy: a session that counts against {@code hearth.session.max}. */
    public synchronized boolean isLive() {
        return !stopRequested && (state == SessionState.STARTING || state == SessionState.IDLE
                || state == SessionState.BUSY);
    }

    /** Ends the session, {@code killed} and still listed, if its {@link Expiry} says so; in one step under the lock. */
    synchronized void stopIfExpired() {
        Optional<String> reason = isLive() ? expiry.reason(createdAt, lastActivity, state == SessionState.IDLE, now())
                : Optional.empty();
        reason.ifPresent(why -> {
            log.append("[hearth] the gateway is stopping this session: " + why);
            LOG.info("Session {}: stopping it, {}", id, why);
            deathReason = why;
            stop().thenRun(() -> {
                synchronized (this) {
                    state = SessionState.KILLED;
                    save();
                }
            });
        });
    }

    /** @param tag names the engine's application on YARN, or null */
    synchronized void engineLaunched(EngineProcess process, ApplicationTag tag) {
        applicationTag = tag;
        engine.process(process);
        save();
    }

    synchronized void engineExited(int exitCode) {
        String how = engine.describeExit(exitCode);
        log.append("[hearth] " + how);
        if (!stopRequested) {
            markDead(how);
        }
    }

    /**
     * The engine did not get there in time: the session is dead if it still {@code waits} for it; a start that waited
     * for the cluster's resources says what the cluster said.
     */
    synchronized void timedOut(SessionState waits, String reason) {
        if (state == waits && !stopRequested) {
            markDead(waits == SessionState.STARTING && clusterWait != null ? reason + ": " + clusterWait : reason);
        }
    }

    /**
     * Takes back what the store kept, before any other thread sees this session. A session that was not over waits
     * for its engine to reconnect ({@code recovering}); {@code adopted} is its engine process if it still runs.
     */
    synchronized void restore(StateStore.StoredSession stored, EngineProcess adopted) {
        StateStore.SessionRow row = stored.session();
        appId = row.appId();
        sparkUiUrl = row.sparkUiUrl();
        driverLogUrl = row.driverLogUrl();
        if (row.start() != null) {
            start = row.start();
        }
        engine.process(adopted);
        statements.restore(stored.statements());
        switch (row.state()) {
            case DEAD, KILLED -> {
                state = row.state();
                deathReason = row.deathReason();
                if (adopted != null) {
                    engine.stop(Duration.ZERO);
                }
            }
            case SHUTTING_DOWN -> markDead("the gateway stopped while the session was shutting down");
            default -> {
                state = SessionState.RECOVERING;
                // Its engine connected to the gateway before this one (one still starting then never dials again).
                linkKeyGiven = true;
                log.append("[hearth] the gateway restarted; waiting for the engine to reconnect");
                save();
            }
        }
    }

    /** Only a starting or recovering session without a channel takes one; called under this object's lock. */
    private boolean acceptsChannel() {
        return (state == SessionState.STARTING || state == SessionState.RECOVERING) && !engine.connected()
                && !stopRequested;
    }

    /** What an engine claiming this session must prove; empty once the session has ended or is ending. */
    synchronized Optional<Handshake.Expected> engineProof() {
        return isLive() || state == SessionState.RECOVERING && !stopRequested
                ? Optional.of(new Handshake.Expected(secret.value(), linkKey)) : Optional.empty();
    }

    /**
     * Welcomes a connection that proved the session's secret and starts reading it, or refuses it and goes on as it
     * was. Once an engine has connected, a connection that does not also prove that engine's link key is refused
     * whatever the session's state (a copy of the secret alone never takes a session from its engine), and so is any
     * connection while the engine's channel is up. Empty when welcomed; else why refused (for the gateway's log).
     */
    synchronized Optional<String> attachChannel(Handshake.Claim claim) {
        String refusal = null;
        if (linkKeyGiven && !claim.linkProved()) {
            refusal = "it claimed a session whose engine already connected, without that engine's link key";
        } else if (!acceptsChannel()) {
            refusal = engine.connected() ? "the session's engine is connected" : "the session takes no engine now ("
                    + state.wireName() + ")";
        }
        if (refusal != null) {
            claim.refuse(refusal);
            log.append("[hearth] refused an engine connection from " + claim.remoteAddress() + ": " + refusal);
            return Optional.of(refusal);
        }
        Channel channel;
        try {
            channel = claim.welcome();
        } catch (IOException e) {
            return Optional.of("the connection broke at its welcome: " + e.getMessage());
        }
        if (!engine.connect(channel, state == SessionState.RECOVERING ? statements.unfinishedIds() : null)) {
            channel.close();
            return Optional.of("the reconnected engine's channel broke at once");
        }
        linkKeyGiven = true;
        log.append("[hearth] engine connected from " + channel.remoteAddress());
        return Optional.empty();
    }

    synchronized void engineReady(ChannelMessage.EngineReady r) {
        if (state == SessionState.STARTING) {
            appId = r.appId();
            sparkUiUrl = r.sparkUiUrl();
            driverLogUrl = r.driverLogUrl();
            log.append("[hearth] engine ready: Spark " + r.sparkVersion() + ", master " + r.master() + ", application "
                    + r.appId());
            LOG.info("Session {} is ready (Spark {}, application {})", id, r.sparkVersion(), r.appId());
            readied = true;
            long millis = now() - createdAt;
            if (launchedForPool) {
                services.metrics().pooledEngineReady(now() - launchedAt);
            }
            if (refill != null) {
                refill.startBound();
            }
            if (!pooled) {
                services.metrics().engineReady(millis);
                // Cold, or a pooled engine handed over while it started (whose createdAt is its request's POST).
                start = new SessionStart(start.mode(), millis);
            }
            ready();
        }
    }

    /** The resync after a gateway restart is over: the session is back. */
    synchronized void resynced(int unknownStatements) {
        if (state == SessionState.RECOVERING) {
            log.append("[hearth] the engine reconnected after the gateway restarted; " + unknownStatements
                    + " statement(s) it had not received are sent again");
            LOG.info("Session {} recovered: its engine reconnected", id);
            statements.acknowledgeStored();
            ready();
        }
    }

    /** The engine is there: statements posted while it started or reconnected go out, in the order posted. */
    private void ready() {
        state = SessionState.IDLE;
        statements.sendUnsent();
        refreshBusy();
        save();
    }

    /** What the engine reports of a statement (see {@link StatementQueue#report}). */
    synchronized void statementReported(ChannelMessage m) {
        if (statements.report(m)) {
            // A statement's end counts as activity: the idle clock starts from it.
            lastActivity = Math.max(lastActivity, now());
            refreshBusy();
            firstOutcome();
        }
        if (state != SessionState.RECOVERING) {
            statements.acknowledgeStored();
        }
    }

    /** The engine's link ended: the session is dead, unless it is ending anyway or the link was not its own. */
    void engineLost(EngineLink from, String why) {
        synchronized (this) {
            if (stopRequested || state == SessionState.DEAD || !engine.isCurrent(from)) {
                return;
            }
        }
        // A closed socket usually means the process died: its exit code says more than the socket does.
        String reason = engine.exitReason(why);
        synchronized (this) {
            if (!stopRequested && engine.isCurrent(from)) {
                markDead(reason);
            }
        }
    }

    /** The session cannot go on (its engine could not start, or cannot be reached): it is dead, for this reason. */
    synchronized void fail(String reason) {
        markDead(reason);
    }

    /** Queues a statement; it runs after those posted before it. Refused (400) once the session is dead or ending. */
    public synchronized Statement submit(String code, Kind kind) {
        if (state == SessionState.DEAD) {
            throw ApiException.badRequest("Session " + id + " is dead"
                    + (deathReason == null ? "" : ": " + deathReason) + "; create a new session");
        }
        if (stopRequested) {
            throw ApiException.badRequest("Session " + id + (deathReason == null ? " is shutting down"
                    : " was stopped by the gateway: " + deathReason + "; create a new session"));
        }
        StatementRun run = statements.add(code, kind, state != SessionState.STARTING && state != SessionState.RECOVERING);
        refreshBusy();
        return run.snapshot();
    }

    /** Asks for a statement to stop; false if there is no such statement. A finished statement stays as it is. */
    public synchronized boolean cancel(int statementId) {
        boolean found = statements.cancel(statementId, state == SessionState.RECOVERING);
        refreshBusy();
        return found;
    }

    /** The engine to ask a question ({@link Introspection}) once it is there; a dead session is a 400. */
    synchronized Optional<SessionEngine> engineToAsk() {
        if (state == SessionState.DEAD) {
            throw ApiException.badRequest("Session " + id + " is dead; create a new session");
        }
        return state == SessionState.STARTING || state == SessionState.RECOVERING ? Optional.empty()
                : Optional.of(engine);
    }

    private void refreshBusy() {
        if (state == SessionState.IDLE || state == SessionState.BUSY) {
            state = statements.anyUnfinished() ? SessionState.BUSY : SessionState.IDLE;
        }
    }

    /**
     * Ends the session on request: tells the engine to shut down, and in the background waits for it, then terminates
     * or kills its process tree. The future completes when no engine process is left.
     */
    public synchronized CompletableFuture<Void> stop() {
        if (engine.stopping()) {
            return engine.stop(Duration.ZERO); // the stop under way
        }
        stopRequested = true;
        state = SessionState.SHUTTING_DOWN;
        firstOutcome();
        statements.cancelAll();
        save();
        log.append("[hearth] session stopping");
        return engine.shutdown(services.stopGrace());
    }

    /**
     * The session cannot go on: every statement not yet finished fails with the reason and the engine log tail, the
     * channel closes and the engine process tree is stopped. Idempotent.
     */
    private void markDead(String reason) {
        if (state == SessionState.DEAD) {
            return;
        }
        state = SessionState.DEAD;
        deathReason = reason;
        firstOutcome();
        log.append("[hearth] session " + id + " is dead: " + reason);
        List<String> tail = log.tail(LOG_TAIL_LINES);
        LOG.warn("Session {} is dead: {}. Last lines of its log:\n  {}", id, reason, String.join("\n  ", tail));
        statements.engineDied(reason, tail);
        save();
        engine.closeLink();
        engine.stop(FAILED_ENGINE_GRACE);
    }

    /** A first statement finished, or the session ended: the pool it came from may refill (never blocks). */
    private void firstOutcome() {
        if (refill != null) {
            refill.now();
            refill = null;
        }
    }

    synchronized long enginePid() {
        return engine.pid();
    }

    synchronized long engineStartedAt() {
        return engine.startedAt();
    }

    /** Whether its engine ever reported ready. */
    synchronized boolean wasReady() {
        return readied;
    }

    /**
     * Asks the engine to set these Spark settings on its running SparkSession, all or none; empty when it does not
     * answer within {@code timeout} (what it set is then unknown).
     */
    Optional<ChannelMessage.ConfApplied> applyConf(java.util.Map<String, String> conf, Duration timeout)
            throws IOException {
        return engine.ask(requestId -> new ChannelMessage.ApplyConf(requestId, conf), ChannelMessage.ConfApplied.class,
                timeout);
    }

    /** Makes this engine of the pool a pooled engine: nothing of it goes to the store. Before any other thread sees it. */
    synchronized void markPooled() {
        pooled = true;
        launchedForPool = true;
    }

    /** A pooled engine that is ready, waiting for a session. */
    synchronized boolean readyInPool() {
        return pooled && state == SessionState.IDLE && !stopRequested;
    }

    /** A pooled engine that can no longer become one the pool hands over: it died or is stopping. */
    synchronized boolean goneFromPool() {
        return state == SessionState.DEAD || stopRequested;
    }

    /**
     * Makes this pooled engine the session {@code spec} asked for at {@code postedAt} (epoch ms): from now on it is
     * saved like any other. A ready engine is {@code warm} and idle at once; one still starting is {@code warming} and
     * turns idle (or dies) as a cold start does. The pool refills ({@code refill}) once its first statement has finished
     * or it has ended, or a bound after its engine is ready. False when it died or is stopping.
     */
    synchronized boolean handOver(SessionSpec request, Expiry requestExpiry, long postedAt,
                                  EnginePool<WarmEngine>.Refill refill) {
        boolean starting = state == SessionState.STARTING;
        if (!pooled || stopRequested || !(starting || state == SessionState.IDLE)) {
            return false;
        }
        pooled = false;
        spec = request;
        expiry = requestExpiry;
        this.refill = refill;
        if (!starting) {
            refill.startBound();
        }
        // A starting one's start time, like a cold session's, runs from its request to its engine's ready.
        createdAt = starting ? Math.min(postedAt, now()) : now();
        lastActivity = now();
        start = starting ? new SessionStart(SessionStart.Mode.WARMING, null)
                : new SessionStart(SessionStart.Mode.WARM, Math.max(0, createdAt - postedAt));
        log.append("[hearth] this pooled engine" + (starting ? ", still starting," : "") + " is now session " + id
                + (request.name() == null ? "" : " (" + request.name() + ")")
                + (starting ? "" : ", " + start.millis() + " ms after its request"));
        save();
        return true;
    }

    private void save() {
        if (pooled) {
            return;
        }
        services.store().saveSession(new StateStore.SessionRow(id, spec, state, appId, sparkUiUrl, driverLogUrl, engine.pid(),
                engine.startedAt(), deathReason, secretNonce, start));
    }

    private long now() {
        return services.clock().getAsLong();
    }
}
