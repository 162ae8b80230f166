package io.hearth.gateway.rest;

import io.hearth.gateway.session.Session;
import io.hearth.gateway.session.StatementEvent;
import io.hearth.gateway.session.StatementEventLog;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One open statement event stream, written with the servlet's non-blocking output: no thread waits on the client or
 * on the statement. Events are taken from the statement's history only as fast as the client takes them, so a stream
 * holds at most one frame however far behind its client is; a client that stops reading is cut off by the server's
 * idle timeout and resumes with {@code Last-Event-ID}. Whoever has something for the stream (the server when the
 * client has read, the statement's next event, the keep-alive timer) calls {@link #pump()}; one caller at a time
 * writes.
 */
final class OpenEventStream implements WriteListener {

    private static final byte[] KEEP_ALIVE_LINE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);
    /** A large result goes out in slices of this size, each when the client has taken the previous one. */
    private static final int WRITE_SLICE = 64 * 1024;

    /** Renders one event as its SSE frame. */
    @FunctionalInterface
    interface Frames {
        byte[] render(StatementEvent event) throws IOException;
    }

    private final Session session;
    private final int statementId;
    private final ServletOutputStream out;
    private final Frames frames;
    private final Executor writers;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    private long after;
    private StatementEventLog.Page page;
    private int nextInPage;
    private byte[] frame;
    private int written;
    private boolean unflushed;
    private boolean keepAliveDue;
    private boolean lastEventWritten;
    /** The wake-up this stream has already asked for, so that a pump with nothing new does not ask again. */
    private CompletableFuture<Void> awaited;

    /**
     * @param first    the events after {@code after} when the request came, to write first
     * @param writers  where a wake-up by the statement's next event runs the pump: never the thread that added the
     *                 event (the engine's channel reader, under the session's lock)
     */
    OpenEventStream(Session session, int statementId, long after, StatementEventLog.Page first,
                    ServletOutputStream out, Frames frames, Executor writers) {
        this.session = session;
        this.statementId = statementId;
        this.after = after;
        this.page = first;
        this.out = out;
        this.frames = frames;
        this.writers = writers;
    }

    /** Completes when the stream has ended: its result written, the client gone, or {@link #end()} called. */
    CompletableFuture<Void> ended() {
        return ended;
    }

    /** Writes what there is while the client can take it; returns as soon as it cannot, or nothing is left. */
    synchronized void pump() {
        if (ended.isDone()) {
            return;
        }
        try {
            while (out.isReady()) {
                if (frame != null) {
                    int n = Math.min(WRITE_SLICE, frame.length - written);
                    out.write(frame, written, n);
                    written += n;
                    unflushed = true;
                    if (written == frame.length) {
                        frame = null;
                    }
                } else if ((frame = nextFrame()) != null) {
                    written = 0;
                } else if (unflushed) {
                    unflushed = false;
                    out.flush();
                } else {
                    if (lastEventWritten) {
                        end();
                    }
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // The client went away (or the server is stopping): it resumes with Last-Event-ID if it wants the rest.
            end();
        }
    }

    /** Asks for a keep-alive comment if nothing else is written before the next pump. */
    synchronized void keepAlive() {
        keepAliveDue = true;
    }

    /** Ends the stream where it is, without the result: the client may resume elsewhere. */
    synchronized void end() {
        ended.complete(null);
    }

    /** The next frame to write, or null when there is none yet (a wake-up is then arranged) or ever. */
    private byte[] nextFrame() throws IOException {
        if (lastEventWritten) {
            return null;
        }
        if (nextInPage == page.events().size()) {
            if (page.complete()) {
                lastEventWritten = true;
                return null;
            }
            page = session.events(statementId, after).orElseThrow();
            nextInPage = 0;
        }
        if (nextInPage < page.events().size()) {
            StatementEvent e = page.events().get(nextInPage++);
            after = e.id();
            keepAliveDue = false;
            return frames.render(e);
        }
        if (page.complete()) {
            lastEventWritten = true;
            return null;
        }
        if (awaited != page.changed()) {
            awaited = page.changed();
            awaited.thenRun(() -> writers.execute(this::pump));
        }
        if (keepAliveDue) {
            keepAliveDue = false;
            return KEEP_ALIVE_LINE;
        }
        return null;
    }

    @Override
    public void onWritePossible() {
        pump();
    }

    @Override
    public void onError(Throwable t) {
        end();
    }
}
