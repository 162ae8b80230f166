package io.hearth.gateway.session;

import com.google.gson.JsonObject;
import io.hearth.gateway.config.Settings;
import io.hearth.gateway.http.ApiException;
import io.hearth.protocol.ChannelMessage;
import io.hearth.protocol.ChannelMessage.StatementOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's statements in id order (an id is its position): sending them to the engine in that order, what the
 * engine reports of each, and each change saved to the {@link StateStore} before the call that made it returns. Not
 * thread-safe: its {@link Session} guards it with its lock, which also keeps the order of {@code Execute} messages that
 * of the ids.
 */
final class StatementQueue {

    private static final Logger LOG = LoggerFactory.getLogger(StatementQueue.class);

    private final int sessionId;
    private final StateStore store;
    private final StatementArchive archive;
    private final SessionMetrics metrics;
    private final LongSupplier clock;
    private final SessionEngine engine;
    private final StatementLimits limits;
    private final List<StatementRun> runs = new ArrayList<>();
    /** Statements not finished, and the characters of their code: what waits in this gateway's heap and the engine's. */
    private int unfinished;
    private long unfinishedCode;
    /** Statements whose end the engine reported and the store holds, not yet told to the engine (see {@link #acknowledgeStored}). */
    private final List<Long> storedEnds = new ArrayList<>();

    /**
     * @param clock  epoch milliseconds, for statement times the engine did not report
     * @param engine where statements are sent
     * @param limits how much may wait at once
     */
    StatementQueue(int sessionId, StateStore store, StatementArchive archive, SessionMetrics metrics, LongSupplier clock,
                   SessionEngine engine, StatementLimits limits) {
        this.sessionId = sessionId;
        this.store = store;
        this.archive = archive;
        this.metrics = metrics;
        this.clock = clock;
        this.engine = engine;
        this.limits = limits;
    }

    /**
     * A new statement, with the next id, saved, and sent at once if {@code send} (else when the engine is there).
     * Refused (429) when the session already has as many statements, or as much code, waiting or running as
     * {@link StatementLimits} allows: each holds its code in this gateway's heap until it ends.
     */
    StatementRun add(String code, Kind kind, boolean send) {
        if (unfinished >= limits.maxWaiting()) {
            throw ApiException.tooManyRequests("Session " + sessionId + " already has " + unfinished
                    + " statements waiting or running, the most a session may have (" + Settings.MAX_WAITING_STATEMENTS.key()
                    + "); wait for some to finish, or cancel them", StatementLimits.RETRY_AFTER_SECONDS);
        }
        if (unfinished > 0 && unfinishedCode + code.length() > limits.maxWaitingCode()) {
            throw ApiException.tooManyRequests("Session " + sessionId + "'s statements waiting or running hold "
                    + unfinishedCode + " characters of code, and this one's " + code.length() + " would pass the "
                    + limits.maxWaitingCode() + " a session may queue (" + Settings.MAX_WAITING_CODE.key()
                    + "); wait for some to finish", StatementLimits.RETRY_AFTER_SECONDS);
        }
        StatementRun run = new StatementRun(runs.size(), code, kind, metrics);
        runs.add(run);
        unfinished++;
        unfinishedCode += code.length();
        save(run);
        if (send) {
            send(run);
        }
        return run;
    }

    /** Sends those posted while the engine started or reconnected, in the order posted, until a send fails. */
    void sendUnsent() {
        for (StatementRun run : runs) {
            if (!run.isSent() && !run.state().isFinished() && !send(run)) {
                return;
            }
        }
    }

    /**
     * Asks for a statement to stop; false if there is no such statement. A finished statement stays as it is; one the
     * engine does not run ({@code engineAway}, or not sent) ends here, and a reconnecting engine that has it is told then.
     */
    boolean cancel(long id, boolean engineAway) {
        Optional<StatementRun> found = find(id);
        if (found.isEmpty() || found.get().state().isFinished()) {
            return found.isPresent();
        }
        StatementRun run = found.get();
        if (!run.isSent() || engineAway) {
            cancelHere(run);
        } else {
            run.cancelling();
            engine.tell(new ChannelMessage.Cancel(run.id()));
        }
        return true;
    }

    private boolean send(StatementRun run) {
        boolean sent = engine.tell(new ChannelMessage.Execute(run.id(), run.kind().wireName(), run.code()));
        if (sent) {
            run.markSent();
        }
        return sent;
    }

    /**
     * The statements a restarted gateway read back from the state store, in id order: those finished stay there, the
     * others are read whole, to go on.
     */
    void restore(List<StateStore.StatementSummary> stored) {
        for (StateStore.StatementSummary st : stored) {
            if (st.state().isFinished()) {
                runs.add(StatementRun.restored(st, metrics));
            } else {
                Statement whole = store.loadStatement(sessionId, st.id()).orElseThrow(() -> new IllegalStateException(
                        "statement " + st.id() + " of session " + sessionId + " left the store while it was read"))
                        .statement();
                runs.add(StatementRun.restored(whole, metrics));
                unfinished++;
                unfinishedCode += whole.code() == null ? 0 : whole.code().length();
            }
        }
    }

    Optional<StatementRun> find(long id) {
        return id < 0 || id >= runs.size() ? Optional.empty() : Optional.of(runs.get((int) id));
    }

    /** The ids of those not finished, in order: what a reconnected engine is asked about. */
    List<Long> unfinishedIds() {
        return runs.stream().filter(r -> !r.state().isFinished()).map(r -> (long) r.id()).toList();
    }

    boolean anyUnfinished() {
        return runs.stream().anyMatch(r -> !r.state().isFinished());
    }

    int size() {
        return runs.size();
    }

    /**
     * Applies what the engine reports of a statement: its start, output, displays, progress, warnings and end, or a reconnected
     * engine's replay of it. A late or replayed end of a statement already over changes nothing. True when a statement
     * ended.
     */
    boolean report(ChannelMessage m) {
        if (m instanceof ChannelMessage.StatementFinished f) {
            return finished(f);
        }
        if (m instanceof ChannelMessage.StatementReplay r) {
            return replayed(r);
        }
        if (m instanceof ChannelMessage.StatementStarted s) {
            find(s.statementId()).filter(r -> !r.state().isFinished()).ifPresent(r -> {
                r.start(orNow(s.startedAt()));
                save(r);
            });
        } else if (m instanceof ChannelMessage.Output o) {
            // A finished statement keeps what it had: a replay tells again what this gateway already holds whole.
            find(o.statementId()).filter(r -> !r.state().isFinished()).ifPresent(r -> r.append(o.stream(), o.text()));
        } else if (m instanceof ChannelMessage.Display d) {
            find(d.statementId()).filter(r -> !r.state().isFinished()).ifPresent(r -> r.display(d.data()));
        } else if (m instanceof ChannelMessage.StatementWarning w) {
            find(w.statementId()).filter(r -> !r.state().isFinished()).ifPresent(r -> r.warn(
                    new StatementWarning(w.reason(), w.message(), System.currentTimeMillis())));
        } else if (m instanceof ChannelMessage.Progress p) {
            find(p.statementId()).ifPresent(r -> r.progress(p.progress(), p.jobs().stream().map(SparkJob::of).toList()));
        } else {
            LOG.warn("Session {}: ignoring unexpected {} from the engine", sessionId, m.getClass().getSimpleName());
        }
        return false;
    }

    private boolean finished(ChannelMessage.StatementFinished f) {
        Optional<StatementRun> found = find(f.statementId());
        if (found.isEmpty()) {
            return false;
        }
        // Stored now, or already (a late or replayed end): either way the engine may forget it.
        storedEnds.add(f.statementId());
        if (found.get().state().isFinished()) {
            return false;
        }
        StatementRun run = found.get();
        StatementState end = "cancelled".equals(f.state()) ? StatementState.CANCELLED : StatementState.AVAILABLE;
        StatementOutput out = f.output();
        if (out == null && end == StatementState.AVAILABLE) {
            out = StatementOutput.ok(run.id(), new JsonObject());
        }
        run.finish(end, out, orNow(f.completedAt()));
        saveFinished(run);
        return true;
    }

    /**
     * A reconnected engine has this statement, so it is not sent again; its output, shown values and end (if it ended)
     * follow as the messages that carried them live.
     */
    private boolean replayed(ChannelMessage.StatementReplay r) {
        Optional<StatementRun> found = find(r.statementId());
        if (found.isEmpty()) {
            return false;
        }
        StatementRun run = found.get();
        run.markSent();
        if (run.state() == StatementState.CANCELLED) {
            // Cancelled here while the engine was away, but it still has it: stop it there too (an engine ignores the
            // cancel of a statement it has finished).
            engine.tell(new ChannelMessage.Cancel(run.id()));
        }
        if (!run.state().isFinished()) {
            run.replay(r);
            save(run);
        }
        return false;
    }

    /**
     * Tells the engine which reported ends are now in the store, so that it forgets them. Not during a resync: the
     * engine writes its replay then and reads nothing, and this is sent on the thread that reads that replay.
     */
    void acknowledgeStored() {
        if (!storedEnds.isEmpty()) {
            engine.tellIfConnected(new ChannelMessage.StatementsStored(storedEnds));
            storedEnds.clear();
        }
    }

    private void cancelHere(StatementRun run) {
        run.finish(StatementState.CANCELLED, null, clock.getAsLong());
        saveFinished(run);
    }

    /** Cancels every statement not yet finished: the session is stopping. */
    void cancelAll() {
        for (StatementRun run : runs) {
            if (!run.state().isFinished()) {
                cancelHere(run);
            }
        }
    }

    /** Fails every statement not yet finished with {@code EngineDied}, quoting the session log's last lines. */
    void engineDied(String reason, List<String> logTail) {
        String evalue = "The engine of session " + sessionId + " died: " + reason;
        List<String> traceback = new ArrayList<>();
        traceback.add(evalue + "\n");
        traceback.add("Last lines of the session log:\n");
        logTail.forEach(line -> traceback.add(line + "\n"));
        long now = clock.getAsLong();
        for (StatementRun run : runs) {
            if (!run.state().isFinished()) {
                run.finish(StatementState.AVAILABLE, StatementOutput.error(run.id(), "EngineDied", evalue, traceback),
                        now);
                saveFinished(run);
            }
        }
    }

    private void save(StatementRun run) {
        store.saveStatement(sessionId, run.snapshot());
    }

    /**
     * Stores a statement that has just finished with its history, then lets go of all but its summary; the archive
     * keeps it (within its size) for the streams about to write its result.
     */
    private void saveFinished(StatementRun run) {
        unfinished--;
        unfinishedCode -= run.code() == null ? 0 : run.code().length();
        Statement whole = run.snapshot();
        List<StatementEvent> history = run.history();
        store.saveFinishedStatement(sessionId, whole, history);
        archive.keepStored(sessionId, whole, history);
        run.archive();
    }

    private long orNow(long epochMillis) {
        return epochMillis > 0 ? epochMillis : clock.getAsLong();
    }
}
