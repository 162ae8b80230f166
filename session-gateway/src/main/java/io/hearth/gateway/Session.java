package io.hearth.gateway;

import io.hearth.protocol.Channel;
import io.hearth.protocol.ChannelMessage;
import io.hearth.protocol.ChannelMessage.StatementOutput;
import io.hearth.protocol.ProtocolException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One interactive session: its engine process, its channel, its statements, and the Livy state its clients see.
 *
 * <p>All state changes happen under this object's lock, whichever thread brings them (HTTP handlers, the channel reader,
 * the timer): that keeps the order of {@code Execute} messages equal to the order of statement ids, and makes every
 * snapshot consistent. Every change a restarted gateway must know of is written to the {@link StateStore} under the
 * same lock, before the call that made it returns.
 */
public final class Session {

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    /** How many engine log lines a failure quotes, so that it explains itself without a trip to the log endpoint. */
    static final int LOG_TAIL_LINES = 40;

    /** Once a channel is lost, how long to wait for the process to exit so that its exit code can be reported. */
    private static final Duration EXIT_CODE_WAIT = Duration.ofSeconds(2);

    /** An engine that reported a failed start exits by itself; it gets this long before it is terminated. */
    private static final Duration FAILED_ENGINE_GRACE = Duration.ofSeconds(2);
    /** Longer than the engine's own introspection timeout, so its empty answer arrives before ours. */
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);

    /** What a client can see of a session at one moment. */
    public record Info(int id, SessionSpec spec, SessionState state, String appId, String sparkUiUrl, String deathReason) {}

    private final int id;
    private final SessionSpec spec;
    private final SessionSecret secret;
    private final String secretNonce;
    private final SessionLog log;
    private final Executor stopper;
    private final Duration stopGrace;
    private final LongSupplier clock;
    private final StateStore store;
    private final GatewayMetrics metrics;

    // Guarded by this.
    private SessionState state = SessionState.STARTING;
    private String appId;
    private String sparkUiUrl;
    private String deathReason;
    private EngineProcess engine;
    private long enginePid;
    private long engineStarted;
    private Channel channel;
    private final List<StatementRun> statements = new ArrayList<>();
    // Completion and inspection requests waiting for the engine's reply, by request id.
    private final Map<Long, CompletableFuture<ChannelMessage>> pendingReplies = new ConcurrentHashMap<>();
    private long requestIds;
    private boolean stopRequested;
    private CompletableFuture<Void> engineStopped;
    private final long createdAt;
    // The last client call on this session or the last statement to finish, whichever is later (epoch ms).
    private long lastActivity;

    /**
     * @param stopper   runs the blocking part of stopping the engine, off the caller's thread
     * @param stopGrace how long an engine told to shut down gets before it is terminated
     * @param clock     epoch milliseconds, for statement times the engine did not report
     * @param secretNonce what the secret was derived from: the store keeps it instead of the secret
     * @param metrics   counts this session's statements and its engine start
     */
    Session(int id, SessionSpec spec, SessionSecret secret, String secretNonce, SessionLog log, Executor stopper,
            Duration stopGrace, LongSupplier clock, StateStore store, GatewayMetrics metrics) {
        this.id = id;
        this.spec = spec;
        this.secret = secret;
        this.secretNonce = secretNonce;
        this.log = log;
        this.stopper = stopper;
        this.stopGrace = stopGrace;
        this.clock = clock;
        this.store = store;
        this.metrics = metrics;
        this.createdAt = clock.getAsLong();
        this.lastActivity = createdAt;
    }

    public int id() {
        return id;
    }

    public String name() {
        return spec.name();
    }

    public SessionLog log() {
        return log;
    }

    SessionSecret secret() {
        return secret;
    }

    public synchronized Info info() {
        return new Info(id, spec, state, appId, sparkUiUrl, deathReason);
    }

    public synchronized SessionState state() {
        return state;
    }

    public synchronized List<Statement> statements() {
        return statements.stream().map(StatementRun::snapshot).toList();
    }

    public synchronized Optional<Statement> statement(int statementId) {
        return run(statementId).map(StatementRun::snapshot);
    }

    // ---- lifetime -------------------------------------------------------------------------------------------------

    /** A client called on this session: its heartbeat and idle clocks start again, as in Livy. */
    public synchronized void touch() {
        lastActivity = Math.max(lastActivity, clock.getAsLong());
    }

    /** Starting, idle or busy: a session that counts against {@code hearth.session.max}. */
    public synchronized boolean isLive() {
        return !stopRequested && (state == SessionState.STARTING || state == SessionState.IDLE
                || state == SessionState.BUSY);
    }

    /**
     * Why the gateway should end this session now, if it should: its {@code ttl} passed (a hard cap, busy or not), or,
     * while it is idle (no statement running or waiting), its heartbeat or idle timeout passed.
     *
     * @param defaultIdle the server's idle timeout, for sessions that gave none; zero means never
     */
    public synchronized Optional<String> expiry(Duration defaultIdle) {
        if (!isLive()) {
            return Optional.empty();
        }
        long now = clock.getAsLong();
        Duration ttl = spec.ttl() == null ? Duration.ZERO : GatewayConfig.parseDuration("ttl", spec.ttl());
        if (!ttl.isZero() && now - createdAt >= ttl.toMillis()) {
            return Optional.of("its ttl of " + spec.ttl() + " has passed");
        }
        if (state != SessionState.IDLE) {
            return Optional.empty();
        }
        long quiet = now - lastActivity;
        int heartbeat = spec.heartbeatTimeoutInSecond();
        if (heartbeat > 0 && quiet >= heartbeat * 1000L) {
            return Optional.of("no client call for " + heartbeat + " s (heartbeatTimeoutInSecond)");
        }
        Duration idle = spec.idleTimeout() == null ? defaultIdle : GatewayConfig.parseDuration("idleTimeout",
                spec.idleTimeout());
        if (!idle.isZero() && quiet >= idle.toMillis()) {
            return Optional.of("idle for " + (spec.idleTimeout() != null ? spec.idleTimeout() + " (its idleTimeout)"
                    : idle.toSeconds() + " s (hearth.session.idle-timeout)"));
        }
        return Optional.empty();
    }

    /** Ends the session if {@link #expiry} says so, in one step so that no statement slips in between. */
    synchronized void stopIfExpired(Duration defaultIdle) {
        expiry(defaultIdle).ifPresent(this::expire);
    }

    /** Ends the session for the given reason, which the log keeps; it ends {@code killed}, still listed. */
    private void expire(String reason) {
        log.append("[hearth] the gateway is stopping this session: " + reason);
        LOG.info("Session {}: stopping it, {}", id, reason);
        deathReason = reason;
        stop().thenRun(() -> {
            synchronized (this) {
                state = SessionState.KILLED;
                save();
            }
        });
    }

    /** A statement's events after {@code afterId}; empty if there is no such statement. */
    synchronized Optional<StatementEventLog.Page> events(int statementId, long afterId) {
        return run(statementId).map(r -> r.events(afterId));
    }

    /** Completes when the statement has finished, on the thread that finished it; empty if there is no such statement. */
    synchronized Optional<CompletableFuture<Void>> whenFinished(int statementId) {
        return run(statementId).map(StatementRun::whenFinished);
    }

    // ---- engine process -------------------------------------------------------------------------------------------

    synchronized void engineLaunched(EngineProcess process) {
        this.engine = process;
        enginePid = process.pid();
        // With the pid, its start time: after a restart, a pid alone might name an unrelated process that reused it.
        engineStarted = ProcessHandle.of(enginePid).flatMap(h -> h.info().startInstant()).map(Instant::toEpochMilli)
                .orElse(0L);
        save();
    }

    /**
     * Takes back what the store kept, before any other thread sees this session. A session that was not over waits
     * for its engine to reconnect ({@code recovering}); {@code adopted} is its engine process if it still runs.
     */
    synchronized void restore(StateStore.StoredSession stored, EngineProcess adopted) {
        StateStore.SessionRow row = stored.session();
        appId = row.appId();
        sparkUiUrl = row.sparkUiUrl();
        enginePid = row.enginePid();
        engineStarted = row.engineStarted();
        engine = adopted;
        stored.statements().forEach(st -> statements.add(StatementRun.restored(st, metrics)));
        if (row.state() == SessionState.DEAD || row.state() == SessionState.KILLED) {
            state = row.state();
            deathReason = row.deathReason();
            if (adopted != null) {
                engineStopped = stopEngine(Duration.ZERO);
            }
        } else if (row.state() == SessionState.SHUTTING_DOWN) {
            markDead("the gateway stopped while the session was shutting down");
        } else {
            state = SessionState.RECOVERING;
            log.append("[hearth] the gateway restarted; waiting for the engine to reconnect");
            save();
        }
    }

    synchronized void recoveryTimedOut(Duration grace) {
        if (state == SessionState.RECOVERING && !stopRequested) {
            markDead("the engine did not reconnect within " + describe(grace)
                    + " of the gateway's restart (hearth.engine.reconnect-grace)");
        }
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** The row the state store keeps for this session. */
    private StateStore.SessionRow row() {
        return new StateStore.SessionRow(id, spec, state, appId, sparkUiUrl, enginePid, engineStarted, deathReason,
                secretNonce);
    }

    private void save() {
        store.saveSession(row());
    }

    private void save(StatementRun run) {
        store.saveStatement(id, run.snapshot());
    }

    private static String exited(int exitCode) {
        return exitCode == AdoptedProcess.UNKNOWN_EXIT_CODE
                ? "the engine process exited (started before the gateway restarted, so its exit code is unknown)"
                : "the engine process exited with code " + exitCode;
    }

    synchronized void launchFailed(String reason) {
        markDead("could not start the engine: " + reason);
    }

    synchronized void engineExited(int exitCode) {
        log.append("[hearth] " + exited(exitCode));
        if (!stopRequested) {
            markDead(exited(exitCode));
        }
    }

    synchronized void startTimedOut(Duration timeout) {
        if (state == SessionState.STARTING && !stopRequested) {
            markDead("the engine did not become ready within " + describe(timeout) + " (hearth.session.start-timeout)");
        }
    }

    // ---- channel --------------------------------------------------------------------------------------------------

    /**
     * Only a starting or recovering session without a channel takes one: a second connection with the same secret is
     * refused.
     */
    synchronized boolean acceptsChannel() {
        return (state == SessionState.STARTING || state == SessionState.RECOVERING) && channel == null && !stopRequested;
    }

    /** Adopts an authenticated channel and starts reading it; false (and the caller closes it) if none is expected. */
    synchronized boolean attachChannel(Channel ch) {
        if (!acceptsChannel()) {
            return false;
        }
        if (state == SessionState.RECOVERING) {
            // Before anything else on this channel: what became of the statements whose end this gateway missed.
            List<Long> open = statements.stream().filter(r -> !r.state().isFinished()).map(r -> (long) r.id()).toList();
            try {
                ch.send(new ChannelMessage.Resync(open));
            } catch (IOException e) {
                LOG.warn("Session {}: the reconnected engine's channel broke at once: {}", id, e.getMessage());
                return false;
            }
        }
        channel = ch;
        log.append("[hearth] engine connected from " + ch.remoteAddress());
        Thread reader = new Thread(() -> read(ch), "hearth-session-" + id + "-reader");
        reader.setDaemon(true);
        reader.start();
        return true;
    }

    /** The channel reader: one per session, ends when the channel closes (the session closes it when it ends). */
    private void read(Channel ch) {
        String lost;
        try {
            ChannelMessage m;
            while ((m = ch.receive()) != null) {
                handle(m);
            }
            lost = "the engine closed its channel";
        } catch (IOException | ProtocolException e) {
            lost = "the channel to the engine failed: " + e.getMessage();
        } catch (RuntimeException e) {
            // A message this gateway cannot handle is a bug on one side or the other: the session cannot be trusted on.
            LOG.error("Session {}: failed handling a message from the engine", id, e);
            lost = "the gateway could not handle a message from the engine: " + e;
        }
        channelLost(ch, lost);
    }

    private void channelLost(Channel ch, String why) {
        EngineProcess process;
        synchronized (this) {
            if (stopRequested || state == SessionState.DEAD || channel != ch) {
                return;
            }
            process = engine;
        }
        // A closed socket usually means the process died: its exit code says more than the socket does.
        String reason = why;
        try {
            if (process != null && process.awaitExit(EXIT_CODE_WAIT)) {
                reason = exited(process.onExit().join());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (!stopRequested && channel == ch) {
                markDead(reason);
            }
        }
    }

    synchronized void handle(ChannelMessage message) {
        // (Pattern-matching switch is not final in Java 17; an instanceof chain says the same.)
        if (message instanceof ChannelMessage.EngineReady r) {
            engineReady(r);
        } else if (message instanceof ChannelMessage.EngineFailed f) {
            log.append("[hearth] engine reported a failed start: " + f.reason());
            markDead("the engine failed to start: " + f.reason());
        } else if (message instanceof ChannelMessage.StatementStarted s) {
            run(s.statementId()).filter(r -> !r.state().isFinished()).ifPresent(r -> {
                r.start(orNow(s.startedAt()));
                save(r);
            });
        } else if (message instanceof ChannelMessage.Output o) {
            // A finished statement keeps what it had: a replay tells again what this gateway already holds whole.
            run(o.statementId()).filter(r -> !r.state().isFinished()).ifPresent(r -> r.append(o.stream(), o.text()));
        } else if (message instanceof ChannelMessage.Display d) {
            run(d.statementId()).filter(r -> !r.state().isFinished()).ifPresent(r -> r.display(d.data()));
        } else if (message instanceof ChannelMessage.Progress p) {
            run(p.statementId()).ifPresent(r -> r.progress(p.progress(), p.jobs()));
        } else if (message instanceof ChannelMessage.StatementFinished f) {
            statementFinished(f);
        } else if (message instanceof ChannelMessage.StatementReplay r) {
            replayed(r);
        } else if (message instanceof ChannelMessage.ResyncDone d) {
            resynced(d);
        } else if (message instanceof ChannelMessage.CompleteReply c) {
            answered(c.requestId(), c);
        } else if (message instanceof ChannelMessage.InspectReply i) {
            answered(i.requestId(), i);
        } else if (!(message instanceof ChannelMessage.Ping)) {
            LOG.warn("Session {}: ignoring unexpected {} from the engine", id, message.getClass().getSimpleName());
        }
    }

    private void engineReady(ChannelMessage.EngineReady r) {
        if (state != SessionState.STARTING) {
            return;
        }
        appId = r.appId();
        sparkUiUrl = r.sparkUiUrl();
        log.append("[hearth] engine ready: Spark " + r.sparkVersion() + ", master " + r.master() + ", application "
                + r.appId());
        LOG.info("Session {} is ready (Spark {}, application {})", id, r.sparkVersion(), r.appId());
        state = SessionState.IDLE;
        metrics.engineReady(clock.getAsLong() - createdAt);
        sendWaiting();
        refreshBusy();
        save();
    }

    /** Statements posted while the engine started or reconnected waited here; they go out in the order posted. */
    private void sendWaiting() {
        for (StatementRun run : statements) {
            if (!run.isSent() && !run.state().isFinished() && state != SessionState.DEAD) {
                send(run);
            }
        }
    }

    /**
     * A reconnected engine has this statement, so it is not sent again; its output, shown values and end (if it ended)
     * follow as the messages that carried them live.
     */
    private void replayed(ChannelMessage.StatementReplay r) {
        Optional<StatementRun> found = run(r.statementId());
        if (found.isEmpty()) {
            return;
        }
        StatementRun run = found.get();
        run.markSent();
        if (run.state() == StatementState.CANCELLED) {
            // Cancelled here while the engine was away, but it still has it: stop it there too (an engine ignores the
            // cancel of a statement it has finished).
            sendCancel(run);
        }
        if (!run.state().isFinished()) {
            run.replay(r);
            save(run);
        }
    }

    /** The resync is over: statements the engine never received go to it now, in order, and the session is back. */
    private void resynced(ChannelMessage.ResyncDone d) {
        if (state != SessionState.RECOVERING) {
            return;
        }
        state = SessionState.IDLE;
        log.append("[hearth] the engine reconnected after the gateway restarted; " + d.unknownStatementIds().size()
                + " statement(s) it had not received are sent again");
        LOG.info("Session {} recovered: its engine reconnected", id);
        sendWaiting();
        refreshBusy();
        save();
    }

    private void statementFinished(ChannelMessage.StatementFinished f) {
        Optional<StatementRun> found = run(f.statementId());
        if (found.isEmpty()) {
            return;
        }
        StatementRun run = found.get();
        if (run.state().isFinished()) {
            // A replayed or late finish of a statement already over changes nothing.
            return;
        }
        StatementState end = "cancelled".equals(f.state()) ? StatementState.CANCELLED : StatementState.AVAILABLE;
        StatementOutput out = f.output();
        if (out == null && end == StatementState.AVAILABLE) {
            out = StatementOutput.ok(run.id(), new com.google.gson.JsonObject());
        }
        run.finish(end, out, orNow(f.completedAt()));
        save(run);
        lastActivity = Math.max(lastActivity, clock.getAsLong());
        refreshBusy();
    }

    // ---- statements -----------------------------------------------------------------------------------------------

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
        StatementRun run = new StatementRun(statements.size(), code, kind, metrics);
        statements.add(run);
        save(run);
        if (state != SessionState.STARTING && state != SessionState.RECOVERING) {
            send(run);
        }
        refreshBusy();
        return run.snapshot();
    }

    /**
     * Completion candidates from the engine, which answers even while a statement runs. A session still starting, or
     * an engine that does not answer in time, offers nothing (the user presses Tab again); a dead one is a 400.
     */
    public ChannelMessage.CompleteReply complete(Kind kind, String code, int cursor) {
        ChannelMessage.CompleteReply none = new ChannelMessage.CompleteReply(0, List.of(), cursor, cursor);
        return ask(requestId -> new ChannelMessage.Complete(requestId, kind.wireName(), code, cursor),
                ChannelMessage.CompleteReply.class).orElse(none);
    }

    /** Documentation for the name at the cursor, from the engine; the same rules as {@link #complete}. */
    public ChannelMessage.InspectReply inspect(Kind kind, String code, int cursor, int detailLevel) {
        ChannelMessage.InspectReply none = new ChannelMessage.InspectReply(0, false, new com.google.gson.JsonObject());
        return ask(requestId -> new ChannelMessage.Inspect(requestId, kind.wireName(), code, cursor, detailLevel),
                ChannelMessage.InspectReply.class).orElse(none);
    }

    /** Sends a request the engine answers by id, and waits for the answer; empty when starting or too slow. */
    private <T extends ChannelMessage> Optional<T> ask(LongFunction<ChannelMessage> request, Class<T> replyType) {
        long requestId;
        CompletableFuture<ChannelMessage> reply = new CompletableFuture<>();
        synchronized (this) {
            if (state == SessionState.DEAD) {
                throw ApiException.badRequest("Session " + id + " is dead; create a new session");
            }
            if (state == SessionState.STARTING || state == SessionState.RECOVERING || channel == null) {
                return Optional.empty();
            }
            requestId = ++requestIds;
            pendingReplies.put(requestId, reply);
            try {
                channel.send(request.apply(requestId));
            } catch (IOException e) {
                pendingReplies.remove(requestId);
                markDead("could not send to the engine: " + e.getMessage());
                throw ApiException.badRequest("Session " + id + " is dead; create a new session");
            }
        }
        // Waiting outside the lock: the engine's reply is handled under it.
        try {
            return Optional.of(replyType.cast(reply.get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)));
        } catch (TimeoutException | ExecutionException | ClassCastException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            pendingReplies.remove(requestId);
        }
    }

    private void answered(long requestId, ChannelMessage reply) {
        CompletableFuture<ChannelMessage> waiting = pendingReplies.remove(requestId);
        if (waiting != null) {
            waiting.complete(reply);
        }
    }

    /** Asks for a statement to stop; false if there is no such statement. A finished statement stays as it is. */
    public synchronized boolean cancel(int statementId) {
        Optional<StatementRun> found = run(statementId);
        if (found.isEmpty()) {
            return false;
        }
        StatementRun run = found.get();
        if (run.state().isFinished()) {
            return true;
        }
        if (!run.isSent() || state == SessionState.RECOVERING) {
            // Not sent, or its engine not back yet: it ends here; a reconnecting engine that has it is told then.
            run.finish(StatementState.CANCELLED, null, clock.getAsLong());
            save(run);
            refreshBusy();
            return true;
        }
        run.cancelling();
        sendCancel(run);
        return true;
    }

    private void sendCancel(StatementRun run) {
        try {
            channel.send(new ChannelMessage.Cancel(run.id()));
        } catch (IOException e) {
            markDead("could not send to the engine: " + e.getMessage());
        }
    }

    private void send(StatementRun run) {
        try {
            channel.send(new ChannelMessage.Execute(run.id(), run.kind().wireName(), run.code()));
            run.markSent();
        } catch (IOException e) {
            markDead("could not send to the engine: " + e.getMessage());
        }
    }

    private Optional<StatementRun> run(long statementId) {
        if (statementId < 0 || statementId >= statements.size()) {
            return Optional.empty();
        }
        return Optional.of(statements.get((int) statementId));
    }

    private void refreshBusy() {
        if (state == SessionState.IDLE || state == SessionState.BUSY) {
            boolean pending = statements.stream().anyMatch(r -> !r.state().isFinished());
            state = pending ? SessionState.BUSY : SessionState.IDLE;
        }
    }

    private long orNow(long epochMillis) {
        return epochMillis > 0 ? epochMillis : clock.getAsLong();
    }

    // ---- ending ---------------------------------------------------------------------------------------------------

    /**
     * Ends the session on request: tells the engine to shut down, and in the background waits for it, then terminates
     * or kills its process tree. The future completes when no engine process is left.
     */
    public synchronized CompletableFuture<Void> stop() {
        if (engineStopped != null) {
            return engineStopped;
        }
        stopRequested = true;
        state = SessionState.SHUTTING_DOWN;
        long now = clock.getAsLong();
        for (StatementRun run : statements) {
            if (!run.state().isFinished()) {
                run.finish(StatementState.CANCELLED, null, now);
                save(run);
            }
        }
        save();
        Duration grace = Duration.ZERO;
        if (channel != null) {
            try {
                channel.send(new ChannelMessage.Shutdown());
                grace = stopGrace;
            } catch (IOException e) {
                LOG.info("Session {}: could not send Shutdown ({}); terminating the engine", id, e.getMessage());
            }
        }
        log.append("[hearth] session stopping");
        engineStopped = stopEngine(grace);
        return engineStopped;
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
        log.append("[hearth] session " + id + " is dead: " + reason);
        List<String> tail = log.tail(LOG_TAIL_LINES);
        LOG.warn("Session {} is dead: {}. Last lines of its log:\n  {}", id, reason, String.join("\n  ", tail));
        List<String> traceback = new ArrayList<>();
        traceback.add("The engine of session " + id + " died: " + reason + "\n");
        traceback.add("Last lines of the session log:\n");
        tail.forEach(line -> traceback.add(line + "\n"));
        long now = clock.getAsLong();
        for (StatementRun run : statements) {
            if (!run.state().isFinished()) {
                run.finish(StatementState.AVAILABLE, StatementOutput.error(run.id(), "EngineDied",
                        "The engine of session " + id + " died: " + reason, traceback), now);
                save(run);
            }
        }
        save();
        closeChannel();
        if (engineStopped == null) {
            engineStopped = stopEngine(FAILED_ENGINE_GRACE);
        }
    }

    private CompletableFuture<Void> stopEngine(Duration grace) {
        EngineProcess process = engine;
        if (process == null) {
            closeChannel();
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.runAsync(() -> {
            try {
                process.stop(grace);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                synchronized (this) {
                    closeChannel();
                }
            }
        }, stopper);
    }

    private void closeChannel() {
        if (channel != null) {
            channel.close();
        }
    }
}
