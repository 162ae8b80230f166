package io.hearth.gateway.session;

import com.google.gson.JsonObject;
import io.hearth.protocol.ChannelMessage;
import io.hearth.protocol.ChannelMessage.StatementOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The mutable record of a statement while its session runs it; {@link #snapshot()} hands out immutable views.
 * Printed output is kept once, as the pieces it arrived in (at most 32 KiB each from the engine), shared by the
 * statement's streams and its event history: no builder to grow and copy, no second copy for the events, and a
 * snapshot copies only the lists. Once finished and stored it is {@link #archive() archived}: it keeps its state,
 * progress and times, and its code, output and history are read from the store ({@link StatementArchive}). Not
 * thread-safe: its {@link Session} guards it.
 */
final class StatementRun {

    private final int id;
    private String code;
    private final Kind kind;
    private StatementState state = StatementState.WAITING;
    private final List<String> streamNames = new ArrayList<>();
    private final List<List<String>> streamParts = new ArrayList<>();
    private final List<JsonObject> displays = new ArrayList<>();
    private StatementOutput output;
    private double progress;
    private List<SparkJob> jobs = List.of();
    private final List<StatementWarning> warnings = new ArrayList<>();
    private long started;
    private long completed;
    private boolean sent;
    private StatementEventLog events = new StatementEventLog();
    private boolean archived;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final SessionMetrics metrics;

    StatementRun(int id, String code, Kind kind, SessionMetrics metrics) {
        this.id = id;
        this.code = code;
        this.kind = kind;
        this.metrics = metrics;
        metrics.statementSubmitted();
        events.add(StatementEvent.STATE, new StatementEvent.StateData(state.wireName()));
    }

    /** A finished statement a restarted gateway found in the state store: archived from the start. */
    static StatementRun restored(StateStore.StatementSummary s, SessionMetrics metrics) {
        StatementRun run = new StatementRun(s.id(), null, s.kind(), metrics);
        run.state = s.state();
        run.progress = s.progress();
        run.started = s.started();
        run.completed = s.completed();
        run.archive();
        run.finished.complete(null);
        return run;
    }

    /** An unfinished statement as a restarted gateway found it in the state store. */
    static StatementRun restored(Statement s, SessionMetrics metrics) {
        StatementRun run = new StatementRun(s.id(), s.code(), s.kind(), metrics);
        run.state = s.state();
        s.streams().forEach(t -> t.parts().forEach(part -> run.append(t.name(), part)));
        s.displays().forEach(run::display);
        run.output = s.output();
        run.progress = s.progress();
        run.started = s.started();
        run.completed = s.completed();
        run.jobs = s.jobs();
        run.warnings.addAll(s.warnings());
        return run;
    }

    int id() {
        return id;
    }

    Kind kind() {
        return kind;
    }

    String code() {
        return code;
    }

    StatementState state() {
        return state;
    }

    /** Whether its {@code Execute} went to the engine; statements posted while the session starts wait for it. */
    boolean isSent() {
        return sent;
    }

    void markSent() {
        sent = true;
    }

    void start(long at) {
        if (state == StatementState.WAITING) {
            state = StatementState.RUNNING;
            metrics.statementStarted();
            events.add(StatementEvent.STATE, new StatementEvent.StateData(state.wireName()));
        }
        started = at;
    }

    void append(String stream, String text) {
        int last = streamNames.size() - 1;
        if (last >= 0 && streamNames.get(last).equals(stream)) {
            streamParts.get(last).add(text);
        } else {
            streamNames.add(stream);
            streamParts.add(new ArrayList<>(List.of(text)));
        }
        events.add(StatementEvent.OUTPUT, new StatementEvent.OutputData(stream, text));
    }

    /** A rich value shown while the statement runs; kept in arrival order. */
    void display(JsonObject data) {
        // Decoded from the engine's message for this statement alone, and never modified: kept as it came, and shared
        // with the event.
        JsonObject shown = data == null ? new JsonObject() : data;
        displays.add(shown);
        events.add(StatementEvent.DISPLAY, new StatementEvent.DisplayData(shown));
    }

    /**
     * Progress never goes backwards here, even if a new Spark job starts with fewer tasks done. The engine sends a
     * statement's last progress before its end; one after it (archived) changes nothing.
     */
    void progress(double p, List<SparkJob> latestJobs) {
        if (archived) {
            return;
        }
        if (!Double.isNaN(p)) {
            progress = Math.max(progress, Math.min(1.0, p));
        }
        jobs = latestJobs;
        events.add(StatementEvent.PROGRESS, new StatementEvent.ProgressData(progress, latestJobs));
    }

    /** The engine's word that the cluster holds this statement up; kept, in order, with the statement. */
    void warn(StatementWarning warning) {
        warnings.add(warning);
        events.add(StatementEvent.WARNING, warning);
    }

    /**
     * A reconnected engine is about to tell what it has of this unfinished statement (its output and shown values
     * follow as live messages would), so what is held here goes: a replay applied twice changes nothing.
     */
    void replay(ChannelMessage.StatementReplay r) {
        streamNames.clear();
        streamParts.clear();
        displays.clear();
        if (r.startedAt() > 0) {
            start(r.startedAt());
        }
    }

    void cancelling() {
        if (!state.isFinished() && state != StatementState.CANCELLING) {
            state = StatementState.CANCELLING;
            events.add(StatementEvent.STATE, new StatementEvent.StateData(state.wireName()));
        }
    }

    void finish(StatementState finalState, StatementOutput out, long at) {
        state = finalState;
        output = out;
        completed = at;
        long ranFor = started == 0 ? -1 : at - started;
        if (started == 0) {
            started = at;
        }
        if (finalState == StatementState.AVAILABLE) {
            progress = 1.0;
        }
        metrics.statementFinished(finalState, out == null ? null : out.status(), ranFor);
        events.add(StatementEvent.STATE, new StatementEvent.StateData(finalState.wireName()));
        events.add(StatementEvent.RESULT, null);
        finished.complete(null);
    }

    /** The events after {@code afterId}; see {@link StatementEventLog}. Not for an archived statement. */
    StatementEventLog.Page events(long afterId) {
        return events.after(afterId);
    }

    /** Every event so far, in order: what is stored with a finished statement. */
    List<StatementEvent> history() {
        return events.all();
    }

    /**
     * The statement has finished and the store holds it whole: what it printed, showed and returned, its code and its
     * history go, to be read from the store when asked for. Its state, progress and times stay.
     */
    void archive() {
        archived = true;
        code = null;
        streamNames.clear();
        streamParts.clear();
        displays.clear();
        output = null;
        jobs = List.of();
        warnings.clear();
        events = null;
    }

    /** Whether its code, output and history are in the store only ({@link #archive()}). */
    boolean isArchived() {
        return archived;
    }

    /** Completes once the statement has finished (on the thread that finishes it: continue elsewhere). */
    CompletableFuture<Void> whenFinished() {
        return finished;
    }

    /** Not for an archived statement: its content is in the store. */
    Statement snapshot() {
        List<Statement.StreamText> streams = new ArrayList<>(streamNames.size());
        for (int i = 0; i < streamNames.size(); i++) {
            streams.add(new Statement.StreamText(streamNames.get(i), streamParts.get(i)));
        }
        return new Statement(id, code, kind, state, streams, displays, output, progress, jobs, started, completed,
                warnings);
    }
}
