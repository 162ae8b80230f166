package io.hearth.gateway.session;

import com.google.gson.JsonObject;
import io.hearth.protocol.ChannelMessage;
import io.hearth.protocol.ChannelMessage.StatementOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The mutable record of a statement while its session runs it; {@link #snapshot()} hands out immutable copies.
 * Output is appended into builders so that a statement printing in many small chunks costs linear, not quadratic, work.
 * Not thread-safe: its {@link Session} guards it.
 */
final class StatementRun {

    private final int id;
    private final String code;
    private final Kind kind;
    private StatementState state = StatementState.WAITING;
    private final List<String> streamNames = new ArrayList<>();
    private final List<StringBuilder> streamTexts = new ArrayList<>();
    private final List<JsonObject> displays = new ArrayList<>();
    private StatementOutput output;
    private double progress;
    private List<SparkJob> jobs = List.of();
    private long started;
    private long completed;
    private boolean sent;
    private final StatementEventLog events = new StatementEventLog();
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

    /** A statement as a restarted gateway found it in the state store. */
    static StatementRun restored(Statement s, SessionMetrics metrics) {
        StatementRun run = new StatementRun(s.id(), s.code(), s.kind(), metrics);
        run.state = s.state();
        s.streams().forEach(t -> run.append(t.name(), t.text()));
        s.displays().forEach(run::display);
        run.output = s.output();
        run.progress = s.progress();
        run.started = s.started();
        run.completed = s.completed();
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
            streamTexts.get(last).append(text);
        } else {
            streamNames.add(stream);
            streamTexts.add(new StringBuilder(text));
        }
        events.add(StatementEvent.OUTPUT, new StatementEvent.OutputData(stream, text));
    }

    /** A rich value shown while the statement runs; kept in arrival order. */
    void display(JsonObject data) {
        JsonObject shown = data == null ? new JsonObject() : data.deepCopy();
        displays.add(shown);
        // The event shares the copy: neither is ever modified.
        events.add(StatementEvent.DISPLAY, new StatementEvent.DisplayData(shown));
    }

    /** Progress never goes backwards here, even if a new Spark job starts with fewer tasks done. */
    void progress(double p, List<SparkJob> latestJobs) {
        if (!Double.isNaN(p)) {
            progress = Math.max(progress, Math.min(1.0, p));
        }
        jobs = latestJobs;
        events.add(StatementEvent.PROGRESS, new StatementEvent.ProgressData(progress, latestJobs));
    }

    /**
     * Takes what a reconnected engine reports of this unfinished statement: its streams and displays replace those
     * held here, which the replay contains, so applying the same replay twice changes nothing.
     */
    void replay(ChannelMessage.StatementReplay r) {
        streamNames.clear();
        streamTexts.clear();
        r.streams().forEach(c -> append(c.stream(), c.text()));
        displays.clear();
        r.displays().forEach(this::display);
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

    /** The events after {@code afterId}; see {@link StatementEventLog}. */
    StatementEventLog.Page events(long afterId) {
        return events.after(afterId);
    }

    /** Completes once the statement has finished (on the thread that finishes it: continue elsewhere). */
    CompletableFuture<Void> whenFinished() {
        return finished;
    }

    Statement snapshot() {
        List<Statement.StreamText> streams = new ArrayList<>(streamNames.size());
        for (int i = 0; i < streamNames.size(); i++) {
            streams.add(new Statement.StreamText(streamNames.get(i), streamTexts.get(i).toString()));
        }
        return new Statement(id, code, kind, state, streams, displays, output, progress, jobs, started, completed);
    }
}
