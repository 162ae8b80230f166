package io.hearth.gateway.rest;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import io.hearth.gateway.auth.Caller;
import io.hearth.gateway.auth.Security;
import io.hearth.gateway.http.ApiException;
import io.hearth.gateway.launch.LocalPaths;
import io.hearth.gateway.http.IdOrName;
import io.hearth.gateway.launch.SessionLog;
import io.hearth.gateway.rest.LivyViews.Message;
import io.hearth.gateway.session.Introspection;
import io.hearth.gateway.session.Kind;
import io.hearth.gateway.session.ResourceLimits;
import io.hearth.gateway.session.Session;
import io.hearth.gateway.session.SessionSpec;
import io.hearth.gateway.session.Sessions;
import io.hearth.gateway.session.Statement;
import io.hearth.protocol.ChannelMessage;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Livy's interactive-session REST API over {@link Sessions}: routing, request checks and status codes. */
public final class RestApi {

    private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);

    /** Livy's default page sizes. */
    private static final int DEFAULT_SESSION_PAGE = 100;
    private static final int DEFAULT_LOG_PAGE = 100;

    /** Large enough that a statement of tens of megabytes goes out in few writes, small beside it. */
    private static final int RESPONSE_BUFFER_CHARS = 64 * 1024;

    private final Sessions sessions;
    private final Gson gson;
    private final StatementJson statementJson;
    private final StatementBytes statementBytes;
    private final ResourceLimits limits;
    private final LocalPaths localPaths;
    private final LivyViews.VersionView version;

    public RestApi(Sessions sessions, Gson gson, ResourceLimits limits, LocalPaths localPaths, BuildInfo build) {
        this.localPaths = localPaths;
        this.sessions = sessions;
        this.gson = gson;
        this.statementJson = new StatementJson(gson);
        this.statementBytes = new StatementBytes(statementJson);
        this.limits = limits;
        this.version = LivyViews.version(build);
    }

    public void register(RoutesConfig routes) {
        routes.before(ReadBodyFirst::read);
        routes.before(JsonContentType::require);
        routes.get("/version", ctx -> json(ctx, 200, version));
        routes.get("/sessions", this::listSessions);
        routes.post("/sessions", this::createSession);
        routes.get("/sessions/{session}", ctx -> json(ctx, 200, sessionView(session(ctx))));
        routes.delete("/sessions/{session}", this::deleteSession);
        routes.get("/sessions/{session}/state", ctx -> {
            Session s = session(ctx);
            json(ctx, 200, new LivyViews.SessionStateView(s.id(), s.state().wireName()));
        });
        routes.get("/sessions/{session}/log", this::sessionLog);
        routes.get("/sessions/{session}/statements", this::listStatements);
        // POST /sessions/{session}/statements is StatementEventStream's (it may answer with the events), via submit().
        // GET /sessions/{session}/statements/{statement} (with its long-poll) is StatementLongPoll's.
        routes.post("/sessions/{session}/completion", this::complete);
        routes.post("/sessions/{session}/inspect", this::inspect);
        routes.post("/sessions/{session}/statements/{statement}/cancel", ctx -> {
            Session s = session(ctx);
            LivyRequests.cancel(ctx.body());
            if (!s.cancel(statementId(ctx))) {
                throw noStatement(ctx);
            }
            json(ctx, 200, new Message("canceled"));
        });

        new SessionConnect(sessions, gson).register(routes);

        routes.exception(ApiException.class, (e, ctx) -> {
            if (e.retryAfterSeconds() > 0) {
                ctx.header("Retry-After", Integer.toString(e.retryAfterSeconds()));
            }
            json(ctx, e.status(), new Message(e.getMessage()));
        });

        routes.exception(JsonParseException.class, (e, ctx) -> json(ctx, 400, new Message("malformed JSON: " + e.getMessage())));
        // Javalin's own answers (no such route, wrong method) keep their status but speak JSON like everything else.
        routes.exception(HttpResponseException.class, (e, ctx) -> json(ctx, e.getStatus(), new Message(e.getMessage())));
        routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("Bug while handling {} {}", ctx.method(), ctx.path(), e);
            json(ctx, 500, new Message("internal error: " + e));
        });
    }

    private void listSessions(Context ctx) {
        Caller caller = Security.caller(ctx);
        List<Session> all = sessions.list().stream().filter(s -> caller.mayAccess(s.info().spec().owner())).toList();
        int from = nonNegativeParam(ctx, "from", 0);
        int size = nonNegativeParam(ctx, "size", DEFAULT_SESSION_PAGE);
        List<LivyViews.SessionView> page = all.stream().skip(from).limit(size)
                .map(this::sessionView).toList();
        json(ctx, 200, new LivyViews.SessionList(from, all.size(), page));
    }

    private void createSession(Context ctx) {
        Caller caller = Security.caller(ctx);
        SessionSpec spec = LivyRequests.createSession(ctx.body(), sessions.policy().allowMasterOverride());
        limits.check(spec);
        if (spec.proxyUser() != null && !caller.mayActAs(spec.proxyUser())) {
            throw new ApiException(403, "User '" + caller.user() + "' not allowed to impersonate '" + spec.proxyUser()
                    + "': only superusers may set a proxyUser other than themselves");
        }
        localPaths.check(spec.sparkConf(0));
        Session s = sessions.create(spec.withOwner(caller.user()));
        ctx.header("Location", "/sessions/" + s.id());
        json(ctx, 201, sessionView(s));
    }

    private void deleteSession(Context ctx) {
        String id = ctx.pathParam("session");
        if (!sessions.delete(session(ctx))) {
            throw ApiException.noSession(id);
        }
        json(ctx, 200, new Message("deleted"));
    }

    private void sessionLog(Context ctx) {
        Session s = session(ctx);
        // Livy's sentinels: a negative 'from' (or none) means "the last 'size' lines", a negative 'size' every line.
        int fromParam = intParam(ctx, "from", -1);
        Integer from = fromParam < 0 ? null : fromParam;
        SessionLog.Page page = s.log().page(from, intParam(ctx, "size", DEFAULT_LOG_PAGE));
        json(ctx, 200, new LivyViews.LogView(s.id(), page.from(), page.total(), page.lines()));
    }

    /**
     * Livy's list, {@code from}/{@code size} (default: all) in id order or {@code order=desc}. Written as it is read:
     * each finished statement comes from the store (or its cache) just before it is written, so a session of thousands
     * of large statements is listed in the memory of one.
     */
    private void listStatements(Context ctx) {
        Session s = session(ctx);
        int total = s.statementCount();
        int from = nonNegativeParam(ctx, "from", 0);
        int size = nonNegativeParam(ctx, "size", total);
        String order = queryParam(ctx, "order");
        if (order != null && !order.equalsIgnoreCase("asc") && !order.equalsIgnoreCase("desc")) {
            throw ApiException.badRequest("'order' must be asc or desc, not '" + order + "'");
        }
        int first = Math.min(from, total);
        int end = (int) Math.min(total, (long) first + size);
        boolean desc = "desc".equalsIgnoreCase(order);
        IntStream ids = IntStream.range(first, end).map(i -> desc ? end - 1 - (i - first) : i);
        // Lazy: a statement is read when the writer reaches it. One deleted meanwhile (with its session) is left out.
        Iterator<Statement> shown = ids.mapToObj(s::statement).flatMap(Optional::stream).iterator();
        writeJson(ctx, 200, out -> statementJson.writeList(out, total, shown));
    }

    /** {@code POST /sessions/{session}/statements} up to the answer's body: checks, submits, sets Location. */
    Statement submit(Context ctx) {
        Session s = session(ctx);
        LivyRequests.StatementRequest req = LivyRequests.statement(ctx.body());
        Statement st = s.submit(req.code(), statementKind(s, req.kind()));
        ctx.header("Location", "/sessions/" + s.id() + "/statements/" + st.id());
        return st;
    }

    private void complete(Context ctx) {
        Session s = session(ctx);
        LivyRequests.CompletionRequest req = LivyRequests.completion(ctx.body());
        ChannelMessage.CompleteReply reply = new Introspection(s).complete(statementKind(s, req.kind()), req.code(), req.cursor());
        json(ctx, 200, new LivyViews.CompletionView(reply.matches(), reply.cursorStart(), reply.cursorEnd()));
    }

    private void inspect(Context ctx) {
        Session s = session(ctx);
        LivyRequests.InspectRequest req = LivyRequests.inspect(ctx.body());
        ChannelMessage.InspectReply reply = new Introspection(s).inspect(statementKind(s, req.kind()), req.code(), req.cursor(),
                req.detailLevel());
        json(ctx, 200, new LivyViews.InspectView(reply.found(), reply.data()));
    }

    /** The statement's own kind, else the session's; a shared session runs Python by default, as Livy's does. */
    private static Kind statementKind(Session s, Kind requested) {
        Kind kind = requested != null ? requested : s.info().spec().kind();
        if (kind == Kind.SHARED) {
            kind = Kind.defaultStatementKind();
        }
        if (!kind.isRunnable()) {
            throw ApiException.badRequest("statements of kind " + kind.wireName() + " are not supported; supported: "
                    + Kind.describe(Kind.RUNNABLE));
        }
        return kind;
    }

    private LivyViews.SessionView sessionView(Session s) {
        return LivyViews.session(s.info(), s.log().tail(LivyViews.SESSION_LOG_LINES));
    }

    Session session(Context ctx) {
        String id = ctx.pathParam("session");
        Caller caller = Security.caller(ctx);
        Session s = sessions.find(id, caller.user(), caller.superuser()).orElseThrow(() -> ApiException.noSession(id));
        // Every call on a session is a heartbeat, as in Livy.
        s.touch();
        return s;
    }

    static int statementId(Context ctx) {
        String id = ctx.pathParam("statement");
        if (!IdOrName.isNumericId(id)) {
            throw noStatement(ctx);
        }
        try {
            return Integer.parseInt(id);
        } catch (NumberFormatException e) {
            throw noStatement(ctx);
        }
    }

    static ApiException noStatement(Context ctx) {
        return ApiException.noStatement(ctx.pathParam("statement"), ctx.pathParam("session"));
    }

    static int nonNegativeParam(Context ctx, String name, int fallback) {
        int value = intParam(ctx, name, fallback);
        if (value < 0) {
            throw ApiException.badRequest("'" + name + "' must not be negative, not " + value);
        }
        return value;
    }

    /** A query parameter, or null when absent; one whose percent-encoding cannot be decoded is a 400, not absent. */
    private static String queryParam(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value != null || ctx.queryString() == null) {
            return value;
        }
        for (String part : ctx.queryString().split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).equals(name) && eq < part.length() - 1) {
                throw ApiException.badRequest("'" + name + "' has a broken percent-encoding: '" + part.substring(eq + 1)
                        + "'");
            }
        }
        return null;
    }

    static int intParam(Context ctx, String name, int fallback) {
        String v = queryParam(ctx, name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        String t = v.trim();
        ApiException notAnInteger = ApiException.badRequest("'" + name + "' must be an integer, not '" + v + "'");
        // ASCII digits only: parseInt would also take other scripts' digits and a leading '+'.
        if (!IdOrName.isNumericId(t.startsWith("-") ? t.substring(1) : t)) {
            throw notAnInteger;
        }
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw notAnInteger;
        }
    }

    void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(gson.toJson(body));
    }

    /** A statement's JSON ({@link StatementJson}), written straight to the response. */
    void statement(Context ctx, int status, Statement st) {
        writeJson(ctx, status, out -> statementJson.write(out, st));
    }

    StatementBytes statementBytes() {
        return statementBytes;
    }

    /** Writes JSON to the response as it is produced, never as one string: a statement can be tens of megabytes. */
    private static void writeJson(Context ctx, int status, JsonBody body) {
        ctx.status(status).contentType("application/json");
        Writer out = new BufferedWriter(new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8),
                RESPONSE_BUFFER_CHARS);
        try {
            body.writeTo(out);
            out.flush();
        } catch (IOException e) {
            // The client went away mid-answer: nobody is left to tell.
            LOG.debug("a JSON answer was cut short: {}", e.toString());
        }
    }

    /** JSON written to a writer. */
    @FunctionalInterface
    interface JsonBody {
        void writeTo(Writer out) throws IOException;
    }
}
