package io.hearth.gateway.rest;

import io.hearth.gateway.config.Durations;
import io.hearth.gateway.http.ApiException;
import io.hearth.gateway.session.Session;
import io.hearth.gateway.threads.NamedThreadFactory;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /sessions/{session}/statements/{statement}}, Livy's statement, with Hearth's long-poll: given
 * {@code ?wait=30s}, the answer comes as soon as the statement has finished, or when the wait is over with its state
 * then. A waiting request holds no thread: it is an async response completed by the statement's end or by the timer,
 * and its answer is written without blocking ({@link NonBlockingBody}), so thousands of waits ending at once (with
 * clients that do not read) never hold a thread each.
 */
public final class StatementLongPoll implements AutoCloseable {

    /** Longer waits are cut to this, so that proxies and clients with a one-minute read timeout are not surprised. */
    static final Duration MAX_WAIT = Duration.ofSeconds(60);

    private final RestApi api;
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
            new NamedThreadFactory("hearth-long-poll-timer", true));
    /** Answers are rendered here, never on the engine's channel reader that finished the statement; writing them
     * never waits on a client, so two threads keep up. */
    private final ExecutorService responder =
            Executors.newFixedThreadPool(2, new NamedThreadFactory("hearth-long-poll-answer", true));
    /** The waits in progress, so that closing the gateway can answer them instead of leaving them hanging. */
    private final Set<CompletableFuture<Void>> waiting = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public StatementLongPoll(RestApi api) {
        this.api = api;
        timer.setRemoveOnCancelPolicy(true);
    }

    public void register(RoutesConfig routes) {
        routes.get("/sessions/{session}/statements/{statement}", this::get);
    }

    private void get(Context ctx) {
        Session session = api.session(ctx);
        int statementId = RestApi.statementId(ctx);
        Duration wait = waitParam(ctx);
        boolean anyChange = waitForChange(ctx);
        CompletableFuture<Void> finished = session.whenFinished(statementId).orElseThrow(() -> RestApi.noStatement(ctx));
        if (wait.isZero() || finished.isDone()) {
            api.statement(ctx, 200, session.statement(statementId).orElseThrow(() -> RestApi.noStatement(ctx)));
            return;
        }
        CompletableFuture<Void> due = new CompletableFuture<>();
        waiting.add(due);
        ScheduledFuture<?> timeout = timer.schedule(() -> due.complete(null), wait.toMillis(), TimeUnit.MILLISECONDS);
        finished.thenRun(() -> due.complete(null));
        if (anyChange) {
            // The next event of any kind (state, output, display, progress) after this request arrived.
            session.events(statementId, Long.MAX_VALUE).orElseThrow().changed().thenRun(() -> due.complete(null));
        }
        due.thenRun(() -> {
            timeout.cancel(false);
            waiting.remove(due);
        });
        if (closed) {
            due.complete(null);
        }
        ctx.future(() -> due.thenComposeAsync(done -> answer(ctx, session, statementId), responder));
    }

    /** Writes the statement as it is now; completes when written, or when the client has gone. */
    private CompletableFuture<Void> answer(Context ctx, Session session, int statementId) {
        NonBlockingBody body;
        try {
            byte[] json = api.statementBytes().of(session, session.statement(statementId).orElseThrow());
            HttpServletResponse res = ctx.res();
            res.setStatus(200);
            res.setContentType("application/json");
            res.setContentLengthLong(json.length);
            body = new NonBlockingBody(res.getOutputStream(), new OnePart(json), responder);
        } catch (IOException e) {
            // The client went away before its answer: nobody is left to tell.
            return CompletableFuture.completedFuture(null);
        }
        body.start();
        return body.ended();
    }

    /** A body of one part, there from the start. */
    private static final class OnePart implements NonBlockingBody.Parts {
        private byte[] part;

        OnePart(byte[] part) {
            this.part = part;
        }

        @Override
        public byte[] next(Runnable wakeUp) {
            byte[] p = part;
            part = null;
            return p;
        }

        @Override
        public boolean finished() {
            return part == null;
        }
    }

    /** {@code waitFor}: {@code finish} (the default) or {@code change}, which also answers on output or progress. */
    private static boolean waitForChange(Context ctx) {
        String text = ctx.queryParam("waitFor");
        if (text == null || text.isBlank() || text.equals("finish")) {
            return false;
        }
        if (text.equals("change")) {
            return true;
        }
        throw ApiException.badRequest("waitFor must be 'finish' (answer when the statement has finished) or 'change'"
                + " (answer on its next state, output, display or progress), not '" + text + "'");
    }

    /** {@code wait}: absent or 0 for an immediate answer; a duration like {@code 30s} or {@code 500ms}, capped. */
    private static Duration waitParam(Context ctx) {
        String text = ctx.queryParam("wait");
        if (text == null || text.isBlank()) {
            return Duration.ZERO;
        }
        Duration wait;
        try {
            wait = Durations.parse("wait", text);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw ApiException.badRequest("wait must be a duration like 30s or 500ms (at most "
                    + MAX_WAIT.toSeconds() + "s), not '" + text + "'");
        }
        return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
    }

    /** Answers every wait in progress at once (with the statement as it is), then stops this object's threads. */
    @Override
    public void close() {
        closed = true;
        waiting.forEach(w -> w.complete(null));
        timer.shutdownNow();
        responder.shutdown();
        try {
            if (!responder.awaitTermination(5, TimeUnit.SECONDS)) {
                responder.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
