package io.hearth.gateway.rest;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.hearth.gateway.auth.Security;
import io.hearth.gateway.config.Settings;
import io.hearth.gateway.http.ApiException;
import io.hearth.gateway.metrics.GatewayMetrics;
import io.hearth.gateway.session.Session;
import io.hearth.gateway.session.Statement;
import io.hearth.gateway.session.StatementEvent;
import io.hearth.gateway.session.StatementEventLog;
import io.hearth.gateway.session.StatementWarning;
import io.hearth.gateway.threads.NamedThreadFactory;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /sessions/{session}/statements/{statement}/events}: a statement's events as Server-Sent Events, from the
 * history then live, ending with {@code result} (the statement's Livy JSON). {@code Last-Event-ID} (or the
 * {@code lastEventId} query parameter) resumes after that event.
 *
 * <p>An open stream holds no thread: each is a {@link NonBlockingBody} writing the statement's {@link EventFrames},
 * woken by the statement's next event onto a small pool of writer threads this object owns, so thousands of
 * idle or unread streams cost sockets and a few objects, and the HTTP threads stay free for everyone else. Each user
 * may have a limited number open (429 past it).
 */
public final class StatementEventStream implements AutoCloseable {

    /** Proxies and clients drop a silent connection; a comment line every this often keeps it open. */
    public static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private static final byte[] FRAME_END = "\n\n".getBytes(StandardCharsets.UTF_8);
    /** Writing is quick (it never waits on a client); two threads keep up with thousands of streams. */
    private static final int WRITER_THREADS = 2;

    private final RestApi api;
    private final Gson gson;
    private final StreamQuota quota;
    private final GatewayMetrics metrics;
    private final ScheduledThreadPoolExecutor writers = new ScheduledThreadPoolExecutor(WRITER_THREADS,
            new NamedThreadFactory("hearth-event-stream", true));
    /** The streams open now, for keep-alives and so that closing the gateway can end them. */
    private final Set<OpenStream> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** @param maxPerUser the most streams one user may have open at once */
    public StatementEventStream(RestApi api, Gson gson, Duration keepAlive, int maxPerUser, GatewayMetrics metrics) {
        this.api = api;
        this.metrics = metrics;
        this.gson = gson;
        this.quota = new StreamQuota(maxPerUser);
        writers.scheduleWithFixedDelay(this::keepAlive, keepAlive.toMillis(), keepAlive.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    public void register(RoutesConfig routes) {
        routes.post("/sessions/{session}/statements", this::submit);
        routes.get("/sessions/{session}/statements/{statement}/events", this::stream);
    }

    /**
     * Livy's {@code POST .../statements}: the new statement as JSON, or, for a client that prefers
     * {@code text/event-stream} ({@link AcceptHeader}), its events from the first on (201, Location naming it), which spares the client a
     * second request before it sees the result.
     */
    private void submit(Context ctx) {
        if (!AcceptHeader.prefersEventStream(ctx.header("Accept"))) {
            api.statement(ctx, 201, api.submit(ctx));
            return;
        }
        // Counted before the statement is submitted: a refused stream submits nothing.
        Runnable release = quota.take(Security.caller(ctx), Settings.MAX_STREAMS_PER_USER.key());
        try {
            Statement submitted = api.submit(ctx);
            Session session = api.session(ctx);
            // The statement was just added, and statements are never removed from a session.
            follow(ctx, session, submitted.id(), 0, 201, session.events(submitted.id(), 0).orElseThrow(), release);
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
    }

    private void stream(Context ctx) {
        Session session = api.session(ctx);
        int statementId = RestApi.statementId(ctx);
        long after = lastEventId(ctx);
        StatementEventLog.Page first = session.events(statementId, after).orElseThrow(() -> RestApi.noStatement(ctx));
        Runnable release = quota.take(Security.caller(ctx), Settings.MAX_STREAMS_PER_USER.key());
        try {
            follow(ctx, session, statementId, after, 200, first, release);
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
    }

    /** Starts writing {@code first} and every later event of the statement, until its {@code result}, asynchronously. */
    private void follow(Context ctx, Session session, int statementId, long after, int status,
                        StatementEventLog.Page first, Runnable release) {
        HttpServletResponse res = ctx.res();
        res.setStatus(status);
        res.setContentType("text/event-stream;charset=utf-8");
        res.setHeader("Cache-Control", "no-cache");
        ctx.future(() -> {
            // A stream lasts as long as its statement: no async timeout.
            ctx.req().getAsyncContext().setTimeout(0);
            EventFrames frames = new EventFrames(session, statementId, after, first, e -> frame(e, session, statementId));
            NonBlockingBody body;
            try {
                // The servlet stream itself: Javalin's compressing wrapper would hold events back.
                body = new NonBlockingBody(res.getOutputStream(), frames, writers);
            } catch (IOException e) {
                release.run();
                return CompletableFuture.completedFuture(null);
            }
            OpenStream stream = new OpenStream(frames, body);
            open.add(stream);
            metrics.eventStreamOpened();
            body.ended().whenComplete((v, t) -> {
                open.remove(stream);
                metrics.eventStreamClosed();
                release.run();
            });
            if (closed) {
                body.end();
            } else {
                body.start();
            }
            return body.ended();
        });
    }

    /** An open stream: its frames and the body writing them. */
    private record OpenStream(EventFrames frames, NonBlockingBody body) {}

    private void keepAlive() {
        for (OpenStream s : open) {
            s.frames().keepAlive();
            s.body().pump();
        }
    }

    /**
     * One event's SSE frame. The {@code result}'s data is the statement's JSON (it can be tens of megabytes), shared
     * by every stream writing it ({@link StatementBytes}). JSON has no raw newline, so the data is one SSE line.
     */
    private List<byte[]> frame(StatementEvent e, Session session, int statementId) throws IOException {
        String head = "id: " + e.id() + "\nevent: " + e.type() + "\ndata: ";
        if (!e.isResult()) {
            return List.of((head + gson.toJson(view(e.data())) + "\n\n").getBytes(StandardCharsets.UTF_8));
        }
        return List.of(head.getBytes(StandardCharsets.UTF_8),
                api.statementBytes().of(session, session.statement(statementId).orElseThrow()), FRAME_END);
    }

    /** The JSON shape of an event's data; the same names as Livy's statement JSON uses for them. */
    private static Object view(StatementEvent.Data data) {
        if (data instanceof StatementEvent.OutputData o) {
            return new OutputView(o.stream(), o.text());
        }
        if (data instanceof StatementEvent.DisplayData d) {
            return new DisplayView(d.data());
        }
        if (data instanceof StatementEvent.ProgressData p) {
            return new ProgressView(p.progress(), p.jobs().stream().map(LivyViews.JobView::of).toList());
        }
        if (data instanceof StatementWarning w) {
            return w;
        }
        StatementEvent.StateData st = (StatementEvent.StateData) data;
        return new StateView(st.state());
    }

    /** {@code output}: text printed on one stream. */
    private record OutputView(String stream, String text) {}

    /** {@code display}: one rich value the statement showed, its MIME bundle. */
    private record DisplayView(JsonObject data) {}

    /** {@code progress}: Livy's progress (never decreasing) and the statement's Spark jobs. */
    private record ProgressView(double progress, List<LivyViews.JobView> jobs) {}

    /** {@code state}: the statement's new Livy state. */
    private record StateView(String state) {}

    private static long lastEventId(Context ctx) {
        String header = ctx.header("Last-Event-ID");
        String text = header != null && !header.isBlank() ? header : ctx.queryParam("lastEventId");
        if (text == null || text.isBlank()) {
            return 0;
        }
        try {
            long id = Long.parseLong(text.trim());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // Answered below.
        }
        throw ApiException.badRequest("Last-Event-ID (or lastEventId) must be the id of an event received earlier,"
                + " a whole number >= 0, not '" + text + "'");
    }

    /** Ends every open stream (without a result: the client may resume elsewhere); new ones end at once. */
    @Override
    public void close() {
        closed = true;
        open.forEach(s -> s.body().end());
        writers.shutdownNow();
        try {
            writers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
