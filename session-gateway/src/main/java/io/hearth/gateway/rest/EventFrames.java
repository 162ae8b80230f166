package io.hearth.gateway.rest;

import io.hearth.gateway.session.Session;
import io.hearth.gateway.session.StatementEvent;
import io.hearth.gateway.session.StatementEventLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The frames of one statement event stream, taken from the statement's history as the client reads: the history is
 * kept anyway (for resuming), so a slow client costs a position in it, not a buffer. A keep-alive comment goes out
 * when asked for and nothing else was written since.
 */
final class EventFrames implements NonBlockingBody.Parts {

    private static final byte[] KEEP_ALIVE_LINE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

    /** Renders one event as its SSE frame, in one or more parts (a large result's JSON is shared, not copied). */
    @FunctionalInterface
    interface Renderer {
        List<byte[]> render(StatementEvent event) throws IOException;
    }

    private final Session session;
    private final int statementId;
    private final Renderer renderer;
    private volatile boolean keepAliveDue;
    private long after;
    private StatementEventLog.Page page;
    private int nextInPage;
    private boolean finished;
    /** The rest of the frame being written. */
    private final Deque<byte[]> frame = new ArrayDeque<>();
    /** The wake-up already asked of the history, so that asking again with nothing new adds no second one. */
    private CompletableFuture<Void> awaited;

    /** @param first the events after {@code after} when the request came, written first */
    EventFrames(Session session, int statementId, long after, StatementEventLog.Page first, Renderer renderer) {
        this.session = session;
        this.statementId = statementId;
        this.after = after;
        this.page = first;
        this.renderer = renderer;
    }

    /** Asks for a keep-alive comment if no event is written before the next frame is taken. */
    void keepAlive() {
        keepAliveDue = true;
    }

    @Override
    public byte[] next(Runnable wakeUp) throws IOException {
        if (!frame.isEmpty()) {
            return frame.poll();
        }
        if (finished) {
            return null;
        }
        if (nextInPage == page.events().size()) {
            if (page.complete()) {
                finished = true;
                return null;
            }
            page = session.events(statementId, after).orElseThrow();
            nextInPage = 0;
        }
        if (nextInPage < page.events().size()) {
            StatementEvent e = page.events().get(nextInPage++);
            after = e.id();
            keepAliveDue = false;
            frame.addAll(renderer.render(e));
            return frame.poll();
        }
        if (page.complete()) {
            finished = true;
            return null;
        }
        if (awaited != page.changed()) {
            awaited = page.changed();
            // Run by whoever adds the next event (the engine's channel reader, under the session's lock): only a
            // hand-over, the writing happens elsewhere.
            awaited.thenRun(wakeUp);
        }
        if (keepAliveDue) {
            keepAliveDue = false;
            return KEEP_ALIVE_LINE;
        }
        return null;
    }

    @Override
    public boolean finished() {
        return finished && frame.isEmpty();
    }
}
