package io.hearth.kernel.gateway;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.hearth.kernel.livy.RemoteCompletions;
import io.hearth.kernel.livy.RemoteInspection;
import io.hearth.kernel.livy.RemoteSession;
import io.hearth.kernel.livy.RemoteSessionLog;
import io.hearth.kernel.livy.RemoteSessionPage;
import io.hearth.kernel.livy.RemoteStatement;
import io.hearth.kernel.livy.StatementKind;
import io.hearth.kernel.livy.WireJson;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpDelete;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.routing.RoutingSupport;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.ParseException;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The kernel's HTTP client for the gateway's Livy-compatible REST API (sessions and statements), over http:// or
 * https:// (certificate and host name checked by {@link GatewayTls}; a TLS failure is explained by {@link TlsDiagnosis}).
 */
public final class GatewayClient implements Closeable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    // Used on shutdown: Jupyter kills a kernel that takes more than a few seconds to exit.
    private static final Duration QUICK_TIMEOUT = Duration.ofSeconds(3);

    private final String baseUrl;
    private final String urlProblem;
    private final Optional<GatewayTlsException> tlsProblem;
    private final TlsDiagnosis tlsDiagnosis;
    private final CloseableHttpClient http;
    // Sessions whose server answered 404 for a statement's events (a plain Livy server): their statements are polled.
    private final Set<Integer> sessionsWithoutEvents = ConcurrentHashMap.newKeySet();

    /** A client for the gateway at {@code baseUrl} (e.g. {@code http://127.0.0.1:8998}), without credentials. */
    public GatewayClient(String baseUrl) {
        this(GatewaySettings.of(baseUrl));
    }

    /** A client for the gateway {@code settings} name, sending their credentials with every request. */
    public GatewayClient(GatewaySettings settings) {
        this.baseUrl = GatewayUrl.normalized(settings.url());
        // A bad URL or config file is a user mistake: report it at the first cell rather than killing the kernel at
        // start, where the notebook would only say "kernel died".
        String bad = GatewayUrl.problem(this.baseUrl);
        this.urlProblem = settings.problem().orElse(bad == null ? null : bad.replace("(HEARTH_GATEWAY_URL)",
                "(" + settings.urlFrom() + ")"));
        // The JDK's trust store takes a few hundred ms to load at a kernel's start: an http:// gateway never needs it.
        LazyTls tls = new LazyTls(settings.caFile());
        this.tlsProblem = baseUrl.startsWith("https:") ? tls.get().problem() : Optional.empty();
        this.tlsDiagnosis = new TlsDiagnosis(baseUrl, settings.urlFrom(), settings.caFile(), () -> tls.get().context());
        List<BasicHeader> headers = new java.util.ArrayList<>();
        // Livy with CSRF protection refuses POST/DELETE without this header; any value will do.
        headers.add(new BasicHeader("X-Requested-By", "hearth-kernel"));
        settings.authorization().ifPresent(value -> headers.add(new BasicHeader("Authorization", value, true)));
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setTlsSocketStrategy(tls)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(CONNECT_TIMEOUT))
                                .setSocketTimeout(Timeout.of(RESPONSE_TIMEOUT))
                                // A restarted gateway leaves stale pooled connections behind; check idle ones.
                                .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                                .build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(RESPONSE_TIMEOUT)).build())
                .setDefaultHeaders(headers)
                .setUserAgent("hearth-kernel")
                .build();
    }

    /** The gateway address this client talks to, as configured. */
    public String baseUrl() {
        return baseUrl;
    }

    /** {@code POST /sessions} with {@code body} (a {@code %%configure}'s settings plus the kind). */
    public RemoteSession createSession(JsonObject body) throws GatewayException {
        HttpPost post = new HttpPost(uri("/sessions"));
        post.setEntity(new StringEntity(body.toString(), ContentType.APPLICATION_JSON));
        return call(post, RemoteSession.class);
    }

    /** {@code GET /sessions/{id}}. */
    public RemoteSession session(int id) throws GatewayException {
        return call(new HttpGet(uri("/sessions/" + id)), RemoteSession.class);
    }

    /** {@code GET /sessions/{id}/log}: the gateway's default tail of the session's log. */
    public RemoteSessionLog sessionLog(int id) throws GatewayException {
        return call(new HttpGet(uri("/sessions/" + id + "/log")), RemoteSessionLog.class);
    }

    /** {@code DELETE /sessions/{id}}; a session that is already gone (404) counts as deleted. */
    public void deleteSession(int id) throws GatewayException {
        HttpDelete delete = new HttpDelete(uri("/sessions/" + id));
        delete.setConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(QUICK_TIMEOUT)).build());
        try {
            send(delete);
        } catch (GatewayException e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }

    /**
     * {@code POST /sessions/{id}/statements {"code", "kind"}} asking for the statement's events as the answer
     * ({@code Accept: text/event-stream}, a Hearth extension), which spares the request that would open them; a gateway
     * that answers JSON instead (a plain Livy) gives a statement without a stream.
     */
    public PostedStatement postStatement(int sessionId, String code, StatementKind kind) throws GatewayException {
        HttpPost post = post("/sessions/" + sessionId + "/statements", Map.of("code", code, "kind", kind.wireName()));
        // JSON is accepted too, so that a server or proxy without the stream answers rather than refusing (406).
        post.addHeader("Accept", "text/event-stream, application/json;q=0.5");
        ClassicHttpResponse response;
        try {
            // Opened, not handled: the caller reads the stream on another thread, after this returns.
            response = http.executeOpen(RoutingSupport.determineHost(post), post, null);
        } catch (IOException e) {
            throw failure(post, e);
        } catch (HttpException e) {
            throw new GatewayException(0, "The Hearth gateway URL " + baseUrl + " names no host (" + e.getMessage() + ").");
        }
        boolean handedOver = false;
        boolean readToEnd = false;
        try {
            if (response.getCode() / 100 == 2 && isEventStream(response)) {
                PostedStatement posted = new PostedStatement(statementId(post, response), response, post);
                handedOver = true;
                return posted;
            }
            Answer answer = read(response);
            readToEnd = true;
            return new PostedStatement(parse(post, checked(post, answer), RemoteStatement.class).id(), null, post);
        } catch (IOException e) {
            throw failure(post, e);
        } finally {
            if (!handedOver) {
                if (!readToEnd) {
                    // Closing an unfinished answer would read it to its end.
                    post.cancel();
                }
                closeQuietly(response);
            }
        }
    }

    /** {@code POST /sessions/{id}/completion {"code", "kind", "cursor"}}; the cursor counts code points. */
    public RemoteCompletions complete(int sessionId, String code, StatementKind kind, int cursor)
            throws GatewayException {
        JsonObject answer = call(post("/sessions/" + sessionId + "/completion",
                Map.of("code", code, "kind", kind.wireName(), "cursor", cursor)), JsonObject.class);
        RemoteCompletions completions = WireJson.parse(answer.toString(), RemoteCompletions.class);
        return answer.has("cursor_start") ? completions
                : RemoteCompletions.withoutCursors(completions.candidates(), code, cursor);
    }

    /** {@code POST /sessions/{id}/inspect {"code", "kind", "cursor", "detail_level"}}. */
    public RemoteInspection inspect(int sessionId, String code, StatementKind kind, int cursor, int detailLevel)
            throws GatewayException {
        return call(post("/sessions/" + sessionId + "/inspect",
                Map.of("code", code, "kind", kind.wireName(), "cursor", cursor, "detail_level", detailLevel)),
                RemoteInspection.class);
    }

    /** {@code GET /sessions/{id}/statements/{sid}}. */
    public RemoteStatement statement(int sessionId, int statementId) throws GatewayException {
        return call(new HttpGet(uri("/sessions/" + sessionId + "/statements/" + statementId)), RemoteStatement.class);
    }

    /**
     * {@code GET /sessions/{id}/statements/{sid}?wait=...} as the server's JSON text: a Hearth gateway answers when
     * the statement has finished or {@code wait} is over; a Livy server ignores the parameter and answers at once.
     * The request is handed to {@code opened} first, so that another thread can abort it.
     */
    public String statementJson(int sessionId, int statementId, Duration wait, Consumer<Cancellable> opened)
            throws GatewayException {
        HttpGet get = new HttpGet(uri("/sessions/" + sessionId + "/statements/" + statementId + "?wait="
                + wait.toSeconds() + "s"));
        opened.accept(get);
        return send(get);
    }

    /** False once session {@code sessionId}'s server has shown it has no statement events endpoint. */
    public boolean hasEventsEndpoint(int sessionId) {
        return !sessionsWithoutEvents.contains(sessionId);
    }

    /** Remembers that session {@code sessionId}'s server has no statement events endpoint (a plain Livy server). */
    public void noEventsEndpoint(int sessionId) {
        sessionsWithoutEvents.add(sessionId);
    }

    /** {@code POST /sessions/{id}/statements/{sid}/cancel}. */
    public void cancelStatement(int sessionId, int statementId) throws GatewayException {
        send(post("/sessions/" + sessionId + "/statements/" + statementId + "/cancel", Map.of()));
    }

    /**
     * {@code GET /sessions/{id}/statements/{sid}/events}: reads the statement's Server-Sent Events after
     * {@code lastEventId} (0 = all), handing each to {@code listener}, until the gateway ends the stream or
     * {@code listener} aborts the request it was given.
     */
    public void events(int sessionId, int statementId, long lastEventId, SseListener listener) throws GatewayException {
        HttpGet get = new HttpGet(uri("/sessions/" + sessionId + "/statements/" + statementId + "/events"));
        get.addHeader("Accept", "text/event-stream");
        if (lastEventId > 0) {
            get.addHeader("Last-Event-ID", Long.toString(lastEventId));
        }
        listener.opened(get);
        Answer answer;
        try {
            answer = http.execute(get, response -> {
                if (response.getCode() != 200 || response.getEntity() == null) {
                    return read(response);
                }
                SseParser.parse(response.getEntity().getContent(), listener::event);
                return new Answer(200, "");
            });
        } catch (ConnectException | ConnectTimeoutException | UnknownHostException | NoRouteToHostException e) {
            throw new GatewayUnreachableException(
                    "Cannot reach the Hearth gateway at " + baseUrl + " (" + connectProblem(e) + ").");
        } catch (IOException e) {
            Optional<GatewayTlsException> tls = e instanceof SSLException ? tlsDiagnosis.of(e) : Optional.empty();
            if (tls.isPresent()) {
                throw tls.get();
            }
            throw new GatewayException(0, "The event stream of statement " + statementId + " from " + baseUrl
                    + " broke (" + e.getMessage() + ").");
        }
        if (answer.status() != 200) {
            throw new GatewayException(answer.status(), "The Hearth gateway at " + baseUrl + " refused " + describe(get)
                    + ": " + answer.status() + " " + errorMessage(answer.body()));
        }
    }

    @Override
    public void close() throws IOException {
        http.close();
    }

    private HttpPost post(String path, Map<String, ?> body) throws GatewayException {
        HttpPost post = new HttpPost(uri(path));
        post.setEntity(new StringEntity(WireJson.write(body), ContentType.APPLICATION_JSON));
        return post;
    }

    private URI uri(String path) throws GatewayException {
        if (urlProblem != null) {
            throw new GatewayException(0, urlProblem);
        }
        if (tlsProblem.isPresent()) {
            throw tlsProblem.get();
        }
        return URI.create(baseUrl + path);
    }

    private <T> T call(HttpUriRequestBase request, Class<T> type) throws GatewayException {
        return parse(request, send(request), type);
    }

    private <T> T parse(HttpUriRequestBase request, String body, Class<T> type) throws GatewayException {
        try {
            return WireJson.parse(body, type);
        } catch (JsonParseException e) {
            throw new GatewayException(0, "The Hearth gateway at " + baseUrl + " answered " + describe(request)
                    + " with something that is not the expected JSON (" + e.getMessage() + ").");
        }
    }

    /** Sends {@code request}; returns the body of a 2xx answer, else throws with the gateway's message. */
    private String send(HttpUriRequestBase request) throws GatewayException {
        Answer answer;
        try {
            answer = http.execute(request, GatewayClient::read);
        } catch (IOException e) {
            throw failure(request, e);
        }
        return checked(request, answer);
    }

    /** What a request that failed with {@code e} tells the user. */
    private GatewayException failure(HttpUriRequestBase request, IOException e) {
        if (e instanceof ConnectException || e instanceof UnknownHostException || e instanceof NoRouteToHostException) {
            return new GatewayUnreachableException(
                    "Cannot reach the Hearth gateway at " + baseUrl + " (" + connectProblem(e) + ").");
        }
        // A TLS handshake that times out ends as a connect timeout: a plain HTTP server may be waiting for a request.
        if (!(e instanceof InterruptedIOException) || e instanceof ConnectTimeoutException) {
            Optional<GatewayTlsException> tls = tlsDiagnosis.of(e);
            if (tls.isPresent()) {
                return tls.get();
            }
        }
        if (e instanceof ConnectTimeoutException) {
            return new GatewayUnreachableException(
                    "Cannot reach the Hearth gateway at " + baseUrl + " (" + connectProblem(e) + ").");
        }
        if (e instanceof SocketTimeoutException) {
            return new GatewayException(0, "The Hearth gateway at " + baseUrl + " did not answer " + describe(request) + " in time.");
        }
        if (e instanceof InterruptedIOException) {
            Thread.currentThread().interrupt();
            return new GatewayException(0, "Interrupted while waiting for the Hearth gateway at " + baseUrl + ".");
        }
        return new GatewayException(0, "Talking to the Hearth gateway at " + baseUrl + " failed (" + e.getMessage() + ").");
    }

    /** The body of a 2xx answer; anything else is thrown with the gateway's message. */
    private String checked(HttpUriRequestBase request, Answer answer) throws GatewayException {
        if (answer.status() == 400) {
            // A Hearth gateway's HTTPS port answers a plain HTTP request with 400: say so as for any scheme mismatch.
            Optional<GatewayTlsException> tls = tlsDiagnosis.ofBadRequest();
            if (tls.isPresent()) {
                throw tls.get();
            }
        }
        if (answer.status() / 100 != 2) {
            throw new GatewayException(answer.status(), "The Hearth gateway at " + baseUrl + " refused " + describe(request)
                    + ": " + answer.status() + " " + errorMessage(answer.body()));
        }
        return answer.body();
    }

    private static boolean isEventStream(ClassicHttpResponse response) {
        String type = response.getEntity() == null ? null : response.getEntity().getContentType();
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
    }

    /** The statement id at the end of the answer's {@code Location} ({@code /sessions/{id}/statements/{sid}}). */
    private int statementId(HttpUriRequestBase request, ClassicHttpResponse response) throws GatewayException {
        Header location = response.getFirstHeader("Location");
        String value = location == null ? "" : location.getValue();
        try {
            return Integer.parseInt(value.substring(value.lastIndexOf('/') + 1));
        } catch (NumberFormatException e) {
            throw new GatewayException(0, "The Hearth gateway at " + baseUrl + " answered " + describe(request)
                    + " without the statement's Location ('" + value + "').");
        }
    }

    private static void closeQuietly(ClassicHttpResponse response) {
        try {
            response.close();
        } catch (IOException e) {
            // The connection is dropped either way.
        }
    }

    private static String describe(HttpUriRequestBase request) {
        return request.getMethod() + " " + request.getRequestUri();
    }

    /** Status and body of one HTTP answer, read inside the response handler so the connection is released. */
    private record Answer(int status, String body) {}

    private static Answer read(ClassicHttpResponse response) throws IOException {
        try {
            String body = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
            return new Answer(response.getCode(), body);
        } catch (ParseException e) {
            throw new IOException("unreadable answer: " + e.getMessage(), e);
        }
    }

    /** Livy answers errors as {@code {"msg": "..."}}; anything else is shown as it came, cut short. */
    static String errorMessage(String body) {
        try {
            JsonElement parsed = JsonParser.parseString(body);
            if (parsed.isJsonObject()) {
                JsonObject object = parsed.getAsJsonObject();
                if (object.has("msg") && object.get("msg").isJsonPrimitive()) {
                    return object.get("msg").getAsString();
                }
            }
        } catch (JsonParseException e) {
            // Not JSON: fall through to the raw text.
        }
        String text = body.strip();
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static String connectProblem(IOException e) {
        if (e instanceof UnknownHostException) {
            return "unknown host " + e.getMessage();
        }
        if (e instanceof ConnectTimeoutException) {
            return "connection timed out";
        }
        if (e instanceof NoRouteToHostException) {
            return "no route to host";
        }
        return "connection refused";
    }

    // Calls the magics need: listing sessions, reading a log, deleting a session the user names.

    /** {@code GET /sessions}, every page: the sessions the caller may see. */
    public List<RemoteSession> listSessions() throws GatewayException {
        List<RemoteSession> all = new java.util.ArrayList<>();
        while (true) {
            RemoteSessionPage page = call(new HttpGet(uri("/sessions?from=" + all.size() + "&size=100")),
                    RemoteSessionPage.class);
            all.addAll(page.sessionsOrEmpty());
            if (page.sessionsOrEmpty().isEmpty() || all.size() >= page.total()) {
                return all;
            }
        }
    }

    /** {@code GET /sessions/{id}/log?size=N}: the last {@code lines} lines of the session's log. */
    public RemoteSessionLog sessionLog(int id, int lines) throws GatewayException {
        return call(new HttpGet(uri("/sessions/" + id + "/log?size=" + lines)), RemoteSessionLog.class);
    }

    /**
     * {@code DELETE /sessions/{id}}, waiting as long as the gateway takes to stop the engine; unlike
     * {@link #deleteSession}, a missing session (404) is an error, since the user named it.
     */
    public void removeSession(int id) throws GatewayException {
        send(new HttpDelete(uri("/sessions/" + id)));
    }
}
