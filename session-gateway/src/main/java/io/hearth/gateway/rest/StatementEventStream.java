package io.hearth.gateway.rest;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.hearth.gateway.http.ApiException;
import io.hearth.gateway.session.Session;
import io.hearth.gateway.session.Statement;
import io.hearth.gateway.session.StatementEvent;
import io.hearth.gateway.session.StatementWarning;
import io.hearth.gateway.session.StatementEventLog;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code GET /sessions/{session}/statements/{statement}/events}: a statement's events as Server-Sent Events, from the
 * history then live, ending with {@code result} (the statement's Livy JSON). {@code Last-Event-ID} (or the
 * {@code lastEventId} query parameter) resumes after that event.
 *
 * <p>Each connection is written by its own HTTP thread, which waits on the statement's next event outside the
 * session's lock: a slow client only ever holds up itself, never the engine's channel reader or another client.
 */
public final class StatementEventStream implements AutoCloseable {

    /** Proxies and clients drop a silent connection; a comment line every this often keeps it open. */
    public static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private static final byte[] KEEP_ALIVE_LINE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);
    private static final int RESULT_BUFFER_CHARS = 64 * 1024;

    private final RestApi api;
    private final Gson gson;
    private final Duration keepAlive;
    /** What each open stream is waiting on, so that closing the gateway can wake them all. */
    private final Set<CompletableFuture<Void>> waiting = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public StatementEventStream(RestApi api, Gson gson, Duration keepAlive) {
        this.api = api;
        this.gson = gson;
        this.keepAlive = keepAlive;
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
    private void submit(Context ctx) throws InterruptedException {
        Statement submitted = api.submit(ctx);
        if (!AcceptHeader.prefersEventStream(ctx.header("Accept"))) {
            api.statement(ctx, 201, submitted);
            return;
        }
        Session session = api.session(ctx);
        // The statement was just added, and statements are never removed from a session.
        follow(ctx, session, submitted.id(), 0, 201, session.events(submitted.id(), 0).orElseThrow());
    }

    private void stream(Context ctx) throws InterruptedException {
        Session session = api.session(ctx);
        int statementId = RestApi.statementId(ctx);
        long after = lastEventId(ctx);
        follow(ctx, session, statementId, after, 200,
                session.events(statementId, after).orElseThrow(() -> RestApi.noStatement(ctx)));
    }

    /** Writes {@code page} and every later event of the statement, until its {@code result}. */
    private void follow(Context ctx, Session session, int statementId, long after, int status,
                        StatementEventLog.Page first) throws InterruptedException {
        StatementEventLog.Page page = first;
        HttpServletResponse res = ctx.res();
        res.setStatus(status);
        res.setContentType("text/event-stream;charset=utf-8");
        res.setHeader("Cache-Control", "no-cache");
        try {
            // The servlet stream itself: Javalin's compressing wrapper would hold events back.
            OutputStream out = res.getOutputStream();
            out.flush();
            while (!closed) {
                for (StatementEvent e : page.events()) {
                    writeFrame(out, e, session, statementId);
                    after = e.id();
                }
                out.flush();
                if (page.complete()) {
                    return;
                }
                if (page.events().isEmpty() && !awaitChange(page.changed())) {
                    out.write(KEEP_ALIVE_LINE);
                    out.flush();
                }
                page = session.events(statementId, after).orElseThrow();
            }
        } catch (IOException e) {
            // The client went away; it resumes with Last-Event-ID if it wants the rest.
        }
    }

    /** True when something changed (or the gateway is closing), false when the keep-alive interval passed first. */
    private boolean awaitChange(CompletableFuture<Void> changed) throws InterruptedException {
        CompletableFuture<Void> wake = new CompletableFuture<>();
        changed.thenRun(() -> wake.complete(null));
        waiting.add(wake);
        try {
            if (closed) {
                return true;
            }
            wake.get(keepAlive.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } finally {
            waiting.remove(wake);
        }
    }

    /**
     * One event; the {@code result}'s data, the statement's JSON, is written as it is produced (it can be tens of
     * megabytes). JSON has no raw newline, so the data is one SSE line.
     */
    private void writeFrame(OutputStream out, StatementEvent e, Session session, int statementId) throws IOException {
        String head = "id: " + e.id() + "\nevent: " + e.type() + "\ndata: ";
        if (!e.isResult()) {
            out.write((head + gson.toJson(view(e.data())) + "\n\n").getBytes(StandardCharsets.UTF_8));
            return;
        }
        out.write(head.getBytes(StandardCharsets.UTF_8));
        Writer data = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), RESULT_BUFFER_CHARS);
        api.statementJson().write(data, session.statement(statementId).orElseThrow());
        data.write("\n\n");
        data.flush();
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
        waiting.forEach(w -> w.complete(null));
    }
}
