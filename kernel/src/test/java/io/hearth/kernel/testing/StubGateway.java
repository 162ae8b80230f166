package io.hearth.kernel.testing;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A stub of the gateway, not the gateway: an in-process HTTP server on loopback (the JDK's com.sun.net.httpserver)
 * that answers the Livy calls the kernel makes at once, with canned results, and records every request. It serves
 * tests of the kernel's own logic (magics, switching gateways, which language a cell's completion goes to, error
 * wording), which then need no Spark and finish in seconds. Its answers say what was asked: a statement's result is
 * {@code "<kind>: <code>"}, a completion's candidate {@code "<kind>:<code>@<cursor>"}. The real path (real gateway,
 * real engines) is covered by the Python-side tests: test_magics.py, test_gateway_switch.py and
 * test_kernel_execution.py. Given a TLS context it serves HTTPS instead (the JDK's HttpsServer), for the kernel's
 * certificate checks: those all happen in the handshake, before any answer.
 */
public final class StubGateway implements AutoCloseable {

    /** One request the stub received. */
    public record Request(String method, String path, String body) {

        /** The body as a JSON object. */
        public JsonObject json() {
            return JsonParser.parseString(body).getAsJsonObject();
        }
    }

    private static final Pattern SESSION = Pattern.compile("/sessions/(\\d+)(/.*)?");

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<Integer, JsonObject> sessions = new ConcurrentSkipListMap<>();
    private final AtomicInteger nextSession = new AtomicInteger();
    private final AtomicInteger nextStatement = new AtomicInteger();

    /** Starts the stub on a free loopback port. */
    public StubGateway() throws IOException {
        this(null);
    }

    /** Starts the stub on a free loopback port, serving HTTPS with {@code tls} (plain HTTP when null). */
    public StubGateway(SSLContext tls) throws IOException {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            server = HttpServer.create(loopback, 0);
        } else {
            HttpsServer https = HttpsServer.create(loopback, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        server.createContext("/", this::handle);
        server.start();
    }

    /** The stub's base URL. */
    public String url() {
        return url("127.0.0.1");
    }

    /** The stub's base URL with {@code host} as its host (a name of loopback). */
    public String url(String host) {
        return (server instanceof HttpsServer ? "https://" : "http://") + host + ":" + server.getAddress().getPort();
    }

    /** Every request so far, in order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests whose path starts with {@code pathPrefix}, in order. */
    public List<Request> requests(String method, String pathPrefix) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix)).toList();
    }

    /** Adds an idle session, as another client would; returns its id. */
    public int addSession(String kind) {
        JsonObject body = new JsonObject();
        body.addProperty("kind", kind);
        return create(body).get("id").getAsInt();
    }

    /** The ids of the sessions the stub holds. */
    public List<Integer> sessionIds() {
        return List.copyOf(sessions.keySet());
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Request(method, path, body));
        Matcher m = SESSION.matcher(path);
        if (path.equals("/sessions")) {
            if (method.equals("POST")) {
                send(exchange, 201, create(JsonParser.parseString(body).getAsJsonObject()));
            } else {
                send(exchange, 200, list());
            }
            return;
        }
        if (!m.matches() || !sessions.containsKey(Integer.parseInt(m.group(1)))) {
            send(exchange, 404, message(m.matches() ? "Session '" + m.group(1) + "' not found." : "no route"));
            return;
        }
        int id = Integer.parseInt(m.group(1));
        String rest = m.group(2) == null ? "" : m.group(2);
        switch (method + " " + rest) {
            case "GET " -> send(exchange, 200, sessions.get(id));
            case "DELETE " -> {
                sessions.remove(id);
                send(exchange, 200, message("deleted"));
            }
            case "GET /log" -> send(exchange, 200, log(id));
            case "POST /statements" -> statement(exchange, id, JsonParser.parseString(body).getAsJsonObject());
            case "POST /completion" -> send(exchange, 200, completion(JsonParser.parseString(body).getAsJsonObject()));
            case "POST /inspect" -> send(exchange, 200, inspection(JsonParser.parseString(body).getAsJsonObject()));
            default -> send(exchange, 404, message("no route"));
        }
    }

    private JsonObject create(JsonObject body) {
        int id = nextSession.getAndIncrement();
        JsonObject session = new JsonObject();
        session.addProperty("id", id);
        session.add("name", body.has("name") ? body.get("name") : JsonNull.INSTANCE);
        session.add("owner", JsonNull.INSTANCE);
        session.addProperty("state", "idle");
        session.add("kind", body.get("kind"));
        session.addProperty("appId", "app-stub-" + id);
        session.add("appInfo", new JsonObject());
        session.add("log", new JsonArray());
        sessions.put(id, session);
        return session;
    }

    private JsonObject list() {
        JsonArray all = new JsonArray();
        sessions.values().forEach(all::add);
        JsonObject page = new JsonObject();
        page.addProperty("from", 0);
        page.addProperty("total", all.size());
        page.add("sessions", all);
        return page;
    }

    private static JsonObject log(int id) {
        JsonArray lines = new JsonArray();
        lines.add("stub log of session " + id);
        JsonObject log = new JsonObject();
        log.addProperty("id", id);
        log.addProperty("from", 0);
        log.addProperty("total", 1);
        log.add("log", lines);
        return log;
    }

    /** A finished statement whose result names its kind and code, sent as the events stream Hearth's POST gives. */
    private void statement(HttpExchange exchange, int sessionId, JsonObject body) throws IOException {
        int id = nextStatement.getAndIncrement();
        JsonObject data = new JsonObject();
        data.addProperty("text/plain", text(body, "kind") + ": " + text(body, "code"));
        JsonObject output = new JsonObject();
        output.addProperty("status", "ok");
        output.addProperty("execution_count", id);
        output.add("data", data);
        JsonObject statement = new JsonObject();
        statement.addProperty("id", id);
        statement.add("code", body.get("code"));
        statement.addProperty("state", "available");
        statement.add("output", output);
        statement.addProperty("progress", 1.0);
        exchange.getResponseHeaders().add("Location", "/sessions/" + sessionId + "/statements/" + id);
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        byte[] events = ("id: 1\nevent: result\ndata: " + statement + "\n\n").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(201, events.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(events);
        }
    }

    private static JsonObject completion(JsonObject body) {
        int cursor = body.get("cursor").getAsInt();
        JsonArray candidates = new JsonArray();
        candidates.add(text(body, "kind") + ":" + text(body, "code") + "@" + cursor);
        JsonObject answer = new JsonObject();
        answer.add("candidates", candidates);
        answer.addProperty("cursor_start", cursor);
        answer.addProperty("cursor_end", cursor);
        return answer;
    }

    private static JsonObject inspection(JsonObject body) {
        JsonObject data = new JsonObject();
        data.addProperty("text/plain", text(body, "kind") + ":" + text(body, "code") + "@" + body.get("cursor"));
        JsonObject answer = new JsonObject();
        answer.addProperty("found", true);
        answer.add("data", data);
        return answer;
    }

    private static String text(JsonObject body, String key) {
        JsonElement value = body.get(key);
        return value == null || value.isJsonNull() ? "" : value.getAsString();
    }

    private static JsonObject message(String text) {
        JsonObject message = new JsonObject();
        message.addProperty("msg", text);
        return message;
    }

    private static void send(HttpExchange exchange, int status, JsonObject body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
