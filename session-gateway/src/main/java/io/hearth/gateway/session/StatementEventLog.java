package io.hearth.gateway.session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The history of one statement's events, kept so that a client can resume after a dropped connection or connect after
 * the statement finished, and a wake-up for clients waiting on the next event.
 *
 * <p>Consecutive progress events are coalesced: a new one replaces the previous one if nothing came between them, so a
 * long Spark job adds one event, not one every 250 ms. Ids never change; the replaced id is simply skipped, and a client
 * that resumes after it still gets the newer one. Output is bounded by the engine's own cap.
 *
 * <p>Not thread-safe: its {@link Session} guards it. Waiters wait on {@link Page#changed()} outside the lock.
 */
public final class StatementEventLog {

    /** Events after some id, whether the log is complete (ends with {@code result}), and what completes on the next. */
    public record Page(List<StatementEvent> events, boolean complete, CompletableFuture<Void> changed) {}

    private final List<StatementEvent> events = new ArrayList<>();
    private long lastId;
    private CompletableFuture<Void> changed = new CompletableFuture<>();

    void add(String type, StatementEvent.Data data) {
        if (isComplete()) {
            return;
        }
        if (StatementEvent.PROGRESS.equals(type) && !events.isEmpty()
                && StatementEvent.PROGRESS.equals(events.get(events.size() - 1).type())) {
            events.remove(events.size() - 1);
        }
        events.add(new StatementEvent(++lastId, type, data));
        // Whoever waits is woken here but does its work (and its writing) on its own thread.
        CompletableFuture<Void> waiting = changed;
        changed = new CompletableFuture<>();
        waiting.complete(null);
    }

    boolean isComplete() {
        return !events.isEmpty() && events.get(events.size() - 1).isResult();
    }

    /** Every event, in order. */
    List<StatementEvent> all() {
        return List.copyOf(events);
    }

    /** The events of a finished statement read back from the store, after {@code afterId}: complete, never changing. */
    static Page stored(List<StatementEvent> history, long afterId) {
        return new Page(history.stream().filter(e -> e.id() > afterId).toList(), true,
                CompletableFuture.completedFuture(null));
    }

    /** The events with an id above {@code afterId}, in order. */
    Page after(long afterId) {
        int from = events.size();
        // Few events follow a resume point; search from the end.
        while (from > 0 && events.get(from - 1).id() > afterId) {
            from--;
        }
        return new Page(List.copyOf(events.subList(from, events.size())), isComplete(), changed);
    }
}
