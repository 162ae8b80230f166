package io.hearth.gateway.rest;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A response body written with the servlet's non-blocking output: no thread ever waits on the client. Parts are taken
 * from their source only when the client can take them, so a body holds at most one part however slow its client; a
 * client that stops reading is cut off by the server's idle timeout. Whoever may have made progress possible (the
 * server when the client has read, the source when it has a new part) calls {@link #pump()}; one caller at a time
 * writes.
 */
final class NonBlockingBody implements WriteListener {

    /** A large part goes out in slices of this size, each when the client has taken the previous one. */
    private static final int WRITE_SLICE = 64 * 1024;

    /** Where a body's bytes come from, part by part. */
    interface Parts {
        /**
         * The next part, or null when there is none now; the source then runs {@code wakeUp} once it may have one
         * (from any thread), or never if {@link #finished()}.
         */
        byte[] next(Runnable wakeUp) throws IOException;

        /** True once every part has been returned. */
        boolean finished();
    }

    private final ServletOutputStream out;
    private final Parts parts;
    private final Runnable wakeUp;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private byte[] part;
    private int written;
    /** True at first: the status and headers go out at once, so the client knows it is answered before any part. */
    private boolean unflushed = true;
    /** Until the write listener is set, the output would block: nothing is written before. */
    private boolean started;

    /** @param pumps where a wake-up by the source runs {@link #pump()}: never the thread that woke it */
    NonBlockingBody(ServletOutputStream out, Parts parts, Executor pumps) {
        this.out = out;
        this.parts = parts;
        this.wakeUp = () -> pumps.execute(this::pump);
    }

    /** Starts writing: the server calls {@link #onWritePossible()} as soon as it can. */
    synchronized void start() {
        if (ended.isDone()) {
            return;
        }
        started = true;
        out.setWriteListener(this);
    }

    /** Completes when the body has ended: every part written and flushed, the client gone, or {@link #end()}. */
    CompletableFuture<Void> ended() {
        return ended;
    }

    /** Writes what there is while the client can take it; returns as soon as it cannot, or nothing is left. */
    synchronized void pump() {
        if (!started || ended.isDone()) {
            return;
        }
        try {
            while (out.isReady()) {
                if (part != null) {
                    int n = Math.min(WRITE_SLICE, part.length - written);
                    out.write(part, written, n);
                    written += n;
                    unflushed = true;
                    if (written == part.length) {
                        part = null;
                    }
                } else if ((part = parts.next(wakeUp)) != null) {
                    written = 0;
                } else if (unflushed) {
                    unflushed = false;
                    out.flush();
                } else {
                    if (parts.finished()) {
                        end();
                    }
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // The client went away, or the server is stopping: nobody is left to tell.
            end();
        }
    }

    /** Ends the body where it is. */
    synchronized void end() {
        ended.complete(null);
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
