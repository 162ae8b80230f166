package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Thousands of generated bad requests against a real gateway with a real session: every one must get a 4xx with a JSON
 * {@code msg}, none may launch an engine, and afterwards the session must still run statements as before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadRequestFuzzTest {

    private static final int REQUESTS = 10_000;
    private static final long SEED = 20261130L;

    private Gateway gateway;
    private LivyClient livy;
    private HttpClient http;
    private int session;
    private int lastSent;
    private String previous;

    @BeforeAll
    void start() throws Exception {
        gateway = Gateway.start(TestEngine.config());
        livy = new LivyClient(gateway.baseUrl());
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        session = livy.post("/sessions", "{\"kind\": \"pyspark\"}").json().get("id").getAsInt();
        livy.awaitSessionState(session, "idle", TestEngine.START);
        assertEquals("2", runStatement("1 + 1"));
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void tenThousandBadRequestsGetA4xxWithAMessageAndTheSessionStillWorks() {
        BadRequests generator = new BadRequests(new Random(SEED), session);
        Map<String, Integer> perKind = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        long started = System.nanoTime();
        int sent = 0;
        for (BadRequests.Request r : generator.oversized()) {
            check(r, perKind, failures);
            sent++;
        }
        while (sent < REQUESTS) {
            check(generator.next(), perKind, failures);
            sent++;
            lastSent = sent;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        System.out.printf("fuzz: %d bad requests in %d ms; per kind: %s%n", sent, took.toMillis(), perKind);

        assertTrue(failures.isEmpty(), failures.size() + " of " + sent + " bad requests were not answered with a 4xx"
                + " and a JSON msg; the first ones:\n" + String.join("\n", failures.subList(0, Math.min(40,
                failures.size()))));
        assertTrue(took.toSeconds() < 60, "the bad requests took " + took.toSeconds() + " s");

        JsonObject all = livy.get("/sessions").json();
        assertEquals(1, all.get("total").getAsInt(), "a bad POST /sessions launched an engine: " + all);
        assertEquals("idle", livy.get("/sessions/" + session + "/state").json().get("state").getAsString());
        assertEquals("2", runStatement("1 + 1"));
        JsonObject statements = livy.get("/sessions/" + session + "/statements").json();
        assertEquals(2, statements.get("total_statements").getAsInt(), statements.toString());
        for (JsonElement st : statements.getAsJsonArray("statements")) {
            assertEquals("1 + 1", st.getAsJsonObject().get("code").getAsString());
            assertEquals("available", st.getAsJsonObject().get("state").getAsString());
        }
    }

    private String runStatement(String code) {
        LivyClient.Response posted = livy.post("/sessions/" + session + "/statements",
                "{\"code\": \"" + code + "\"}");
        assertEquals(201, posted.status(), String.valueOf(posted.body()));
        JsonObject done = livy.awaitStatementDone(session, posted.json().get("id").getAsInt(), Duration.ofSeconds(120));
        return done.getAsJsonObject("output").getAsJsonObject("data").get("text/plain").getAsString();
    }

    private void check(BadRequests.Request r, Map<String, Integer> perKind, List<String> failures) {
        perKind.merge(r.kind(), 1, Integer::sum);
        HttpResponse<String> answer;
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + r.path()))
                    .timeout(Duration.ofSeconds(30))
                    .method(r.method(), r.body() == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(r.body()));
            if (r.contentType() != null) {
                b.header("Content-Type", r.contentType());
            }
            answer = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            failures.add("#" + lastSent + " " + r.describe() + " -> " + e + " AFTER " + previous);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        previous = r.describe() + " -> " + answer.statusCode() + " " + answer.headers().map();
        String problem = problem(answer);
        if (problem != null) {
            failures.add("#" + lastSent + " " + r.describe() + " -> " + answer.statusCode() + " " + problem + ": "
                    + abbreviate(answer.body(), 300));
        }
    }

    /** Why an answer is not a proper refusal, or null when it is. */
    private static String problem(HttpResponse<String> answer) {
        if (answer.statusCode() < 400 || answer.statusCode() >= 500) {
            return "not a 4xx";
        }
        try {
            JsonElement body = JsonParser.parseString(answer.body());
            if (!body.isJsonObject() || !body.getAsJsonObject().has("msg")
                    || !body.getAsJsonObject().get("msg").isJsonPrimitive()
                    || body.getAsJsonObject().get("msg").getAsString().isBlank()) {
                return "no msg";
            }
        } catch (RuntimeException e) {
            return "not JSON";
        }
        return null;
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }

    /** A seeded generator of requests that must all be refused; none of them is valid, whatever the random draw. */
    static final class BadRequests {

        /** One request: what kind of mistake it is, and the HTTP parts. */
        record Request(String kind, String method, String path, String contentType, byte[] body) {
            String describe() {
                String text = body == null ? "" : new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
                return "[" + kind + "] " + method + " " + path + (contentType == null ? "" : " (" + contentType + ")")
                        + (body == null ? "" : " " + text + (body.length > 200 ? "... (" + body.length + " bytes)" : ""));
            }
        }

        /** Every field of every body, with the JSON type it must have. */
        private static final Map<String, String> SESSION_FIELDS = fields(
                "kind:kind", "proxyUser:nonstring", "name:name", "driverMemory:memory", "driverCores:count",
                "executorMemory:memory", "executorCores:count", "numExecutors:executors", "queue:string",
                "jars:list", "pyFiles:list", "files:list", "archives:list", "conf:conf",
                "heartbeatTimeoutInSecond:nonnegative", "ttl:string", "idleTimeout:string");
        private static final Map<String, String> STATEMENT_FIELDS = fields("code:code", "kind:statementKind");
        private static final Map<String, String> COMPLETION_FIELDS = fields("code:code", "kind:statementKind",
                "cursor:cursor");
        private static final Map<String, String> INSPECT_FIELDS = fields("code:code", "kind:statementKind",
                "cursor:cursor", "detail_level:detail");

        private static final String[] GARBAGE_IDS = {"-1", "99999999999999999999", "2147483648", "1e3", "0x10", "+1",
            "\u0663", "\u2603", "\u00e9t\u00e9", "null", "undefined", "%20", "a%20b", "%00", "%2F", "..", "%2e%2e",
            "%252F", "'", "\"", "<script>", "\u202e", "\ud83d\udd25", "x".repeat(2000), "9".repeat(300), "NaN",
            "1.5", " 1", "\t"};
        private static final String[] WRONG_TYPES = {"1", "-1", "0", "1.5", "1e309", "-1e309", "true", "false", "[]",
            "{}", "[1, 2]", "{\"a\": 1}", "\"\"", "\"x\"", "99999999999999999999999", "[[]]", "[null]", "{\"\": []}"};
        private static final String[] MALFORMED = {"{", "}", "{\"kind\": ", "{\"kind\": \"pyspark\"", "[", "not json",
            "{kind: 'pyspark'}", "{'kind': 'pyspark'}", "{\"kind\": \"pyspark\",}", "{\"a\" 1}", "nul", "tru",
            "{\"code\": \"1\"} trailing", "{\"code\": \"1\"}{\"code\": \"2\"}", "\"\\u12\"", "{\"code\": \"\\x\"}",
            "{\"code\": NaN}", "{\"code\": Infinity}", "/* c */ {}", "\u0000", "\ufeff{", "{\"code\": \"1\"",
            "{{}}", "[1,]", "{\"n\": 01}", "{\"n\": -}", "{\"n\": 1.}", "{\"\\ud800\": 1}"};
        private static final String[] SCALARS = {"1", "\"code\"", "null", "true", "[]", "[{\"code\": \"1\"}]", "3.5"};
        private static final String[] UNKNOWN_ROUTES = {"/", "/session", "/sessionz", "/livy/v1/sessions",
            "/sessions/%d/statement", "/sessions/%d/statements/1/cancel/now", "/sessions/%d/logs", "/sessions/%d/x",
            "/sessions/%d/statements/1/output", "/sessions/%d/completions", "/../etc/passwd", "/sessions/%d/state/x"};
        private static final String[][] WRONG_METHODS = {{"PUT", "/sessions"}, {"PATCH", "/sessions"},
            {"DELETE", "/sessions"}, {"PUT", "/sessions/%d"}, {"PATCH", "/sessions/%d"}, {"POST", "/sessions/%d/state"},
            {"DELETE", "/sessions/%d/state"}, {"PUT", "/sessions/%d/log"}, {"DELETE", "/sessions/%d/statements"},
            {"PUT", "/sessions/%d/statements/0"}, {"DELETE", "/sessions/%d/statements/0"},
            {"GET", "/sessions/%d/statements/0/cancel"}, {"GET", "/sessions/%d/completion"},
            {"GET", "/sessions/%d/inspect"}, {"DELETE", "/sessions/%d/completion"}, {"POST", "/sessions/%d/log"}};
        private static final String[] BAD_CONTENT_TYPES = {"text/plain", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "application/xml", "image/png", "text/html; charset=utf-8"};

        private final Random random;
        private final int liveSession;
        private final List<Supplier<Request>> kinds;

        BadRequests(Random random, int liveSession) {
            this.random = random;
            this.liveSession = liveSession;
            this.kinds = List.of(this::malformedJson, this::wrongTypeInSessionBody, this::wrongTypeInOtherBodies,
                    this::unknownField, this::absurdResources, this::reservedConf, this::badIds, this::badPaging,
                    this::unknownRoute, this::wrongMethod, this::wrongContentType, this::unknownKind);
        }

        Request next() {
            return kinds.get(random.nextInt(kinds.size())).get();
        }

        /** Bodies above the gateway's 16 MiB cap, to each body-taking route. */
        List<Request> oversized() {
            byte[] big = ("{\"code\": \"" + "x".repeat(17 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
            return List.of(post("oversized", "/sessions", big),
                    post("oversized", "/sessions/" + liveSession + "/statements", big),
                    post("oversized", "/sessions/" + liveSession + "/completion", big));
        }

        private Request malformedJson() {
            int draw = random.nextInt(4);
            String body = draw == 0 ? truncated() : draw == 1 ? pick(SCALARS) : pick(MALFORMED);
            return post("malformed JSON", pick(bodyRoutes()), body);
        }

        /** A prefix of a valid body, which is never valid JSON itself. */
        private String truncated() {
            String full = "{\"kind\": \"pyspark\", \"conf\": {\"spark.x\": \"1\"}, \"jars\": [\"a.jar\"]}";
            return full.substring(0, 1 + random.nextInt(full.length() - 1));
        }

        private Request wrongTypeInSessionBody() {
            List<String> names = new ArrayList<>(SESSION_FIELDS.keySet());
            String field = names.get(random.nextInt(names.size()));
            String value = wrongValue(SESSION_FIELDS.get(field));
            return post("wrong type: session." + field, "/sessions", withValidOthers(field, value));
        }

        private Request wrongTypeInOtherBodies() {
            int which = random.nextInt(3);
            Map<String, String> fields = which == 0 ? STATEMENT_FIELDS : which == 1 ? COMPLETION_FIELDS : INSPECT_FIELDS;
            String route = which == 0 ? "statements" : which == 1 ? "completion" : "inspect";
            List<String> names = new ArrayList<>(fields.keySet());
            String field = names.get(random.nextInt(names.size()));
            Map<String, String> body = new LinkedHashMap<>();
            body.put("code", "\"x = 1\"");
            if (which > 0) {
                body.put("cursor", "1");
            }
            body.put(field, wrongValue(fields.get(field)));
            return post("wrong type: " + route + "." + field, "/sessions/" + sessionRef() + "/" + route, json(body));
        }

        private Request unknownField() {
            String[] typos = {"kidn", "driver_memory", "Kind", "numexecutors", "confs", "statement", "language",
                "cursor_pos", "detailLevel", ""};
            String typo = pick(typos);
            String route = pick(bodyRoutes());
            String base = route.equals("/sessions") ? "\"kind\": \"pyspark\"" : "\"code\": \"1\", \"cursor\": 0";
            return post("unknown field", route, "{" + base + ", \"" + typo + "\": 1}");
        }

        private Request absurdResources() {
            String[] bodies = {"{\"driverMemory\": \"999999t\"}", "{\"executorMemory\": \"99999999999999999999g\"}",
                "{\"driverMemory\": \"0\"}", "{\"executorMemory\": \"65g\"}", "{\"numExecutors\": 1000000000}",
                "{\"numExecutors\": 1001}", "{\"driverCores\": -1}", "{\"driverCores\": 0}",
                "{\"driverCores\": 1000000}", "{\"executorCores\": 65}", "{\"numExecutors\": -3}",
                "{\"conf\": {\"spark.executor.instances\": \"1000000000\"}}",
                "{\"conf\": {\"spark.driver.memory\": \"999999t\"}}", "{\"conf\": {\"spark.driver.cores\": \"-1\"}}",
                "{\"conf\": {\"spark.executor.cores\": \"many\"}}", "{\"conf\": {\"spark.executor.memory\": \"lots\"}}",
                "{\"driverMemory\": \"1g\", \"conf\": {\"spark.executor.instances\": \"1e9\"}}",
                "{\"heartbeatTimeoutInSecond\": -5}", "{\"heartbeatTimeoutInSecond\": 1e12}"};
            return post("absurd resources", "/sessions", pick(bodies));
        }

        private Request reservedConf() {
            String key = pick(new String[] {"spark.master", "spark.submit.deployMode"});
            return post("reserved conf", "/sessions", "{\"conf\": {\"" + key + "\": \"" + pick(new String[] {"yarn",
                "local[*]", "cluster", "k8s://x"}) + "\"}}");
        }

        private Request badIds() {
            String id = encode(pick(GARBAGE_IDS));
            String statement = encode(random.nextBoolean() ? pick(GARBAGE_IDS) : String.valueOf(1000 + random.nextInt(1_000_000)));
            String sessionPart = random.nextBoolean() ? id : String.valueOf(liveSession);
            return switch (random.nextInt(9)) {
                case 0 -> get("unknown id", "/sessions/" + id);
                case 1 -> get("unknown id", "/sessions/" + id + "/state");
                case 2 -> get("unknown id", "/sessions/" + id + "/log");
                case 3 -> get("unknown id", "/sessions/" + id + "/statements");
                case 4 -> get("unknown id", "/sessions/" + sessionPart + "/statements/" + statement);
                case 5 -> post("unknown id", "/sessions/" + sessionPart + "/statements/" + statement + "/cancel", "{}");
                case 6 -> new Request("unknown id", "DELETE", "/sessions/" + id, null, null);
                case 7 -> post("unknown id", "/sessions/" + id + "/statements", "{\"code\": \"1 + 1\"}");
                default -> post("unknown id", "/sessions/" + id + "/completion", "{\"code\": \"x\", \"cursor\": 1}");
            };
        }

        private Request badPaging() {
            String[] bad = {"-1", "-100", "abc", "1e3", "99999999999", "-99999999999", "1.5", "%00", "0x1", "--1",
                "\u0663", "%C3%28", "%FF"};
            String[] hugeOrBad = {"abc", "99999999999", "-99999999999", "1.5", "1e3", "%00", "0x1", "--1", "\u0663",
                "%C3%28", "%FF"};
            String param = random.nextBoolean() ? "from" : "size";
            return switch (random.nextInt(4)) {
                case 0 -> get("bad paging", "/sessions?" + param + "=" + pick(bad));
                case 1 -> get("bad paging", "/sessions/" + liveSession + "/statements?" + param + "=" + pick(bad));
                case 2 -> get("bad paging", "/sessions/" + liveSession + "/statements?order=" + pick(new String[] {
                    "sideways", "1", "DESCENDING", "%00", "%C3%28"}));
                // In the log, negative numbers are Livy's "tail"/"all" sentinels and so valid: only the unreadable.
                default -> get("bad paging", "/sessions/" + liveSession + "/log?" + param + "=" + pick(hugeOrBad));
            };
        }

        private Request unknownRoute() {
            String path = String.format(pick(UNKNOWN_ROUTES), liveSession);
            return random.nextBoolean() ? get("unknown route", path) : post("unknown route", path, "{}");
        }

        private Request wrongMethod() {
            String[] m = WRONG_METHODS[random.nextInt(WRONG_METHODS.length)];
            String path = String.format(m[1], liveSession);
            byte[] body = m[0].equals("GET") || m[0].equals("DELETE") ? null : "{}".getBytes(StandardCharsets.UTF_8);
            return new Request("wrong method", m[0], path, body == null ? null : "application/json", body);
        }

        private Request wrongContentType() {
            // What the declared type says the body is, and not JSON: a JSON body is read whatever its declared type.
            String route = pick(new String[] {"/sessions", "/sessions/" + liveSession + "/statements",
                "/sessions/" + liveSession + "/completion"});
            String body = route.equals("/sessions") ? "kind=pyspark" : "code=1+%2B+1&cursor=1";
            String type = pick(BAD_CONTENT_TYPES);
            return new Request("wrong content type", "POST", route, type, body.getBytes(StandardCharsets.UTF_8));
        }

        private Request unknownKind() {
            String kind = pick(new String[] {"fortran", "", " ", "PYSPARK2", "shared2", "sql;", "\u2603", "java8",
                "x".repeat(500)});
            if (random.nextBoolean()) {
                return post("unknown kind", "/sessions", "{\"kind\": \"" + kind + "\"}");
            }
            String route = pick(new String[] {"statements", "completion", "inspect"});
            String statementKind = random.nextBoolean() ? kind : "shared";
            return post("unknown kind", "/sessions/" + liveSession + "/" + route,
                    "{\"code\": \"1\", \"cursor\": 1, \"kind\": \"" + statementKind + "\"}");
        }

        /** A value that is wrong for a field of the given type. */
        private String wrongValue(String type) {
            List<String> candidates = new ArrayList<>();
            for (String v : WRONG_TYPES) {
                if (!fits(type, v)) {
                    candidates.add(v);
                }
            }
            candidates.addAll(switch (type) {
                case "kind" -> List.of("\"fortran\"", "\"shared2\"");
                case "name" -> List.of("\"\"", "\"42\"", "\"a/b\"", "\" \"");
                case "memory" -> List.of("\"lots\"", "\"1 gigabyte\"", "\"-1g\"", "\"999999t\"");
                case "count" -> List.of("0", "-5", "1000000");
                case "executors" -> List.of("-1", "1000000000");
                case "list" -> List.of("[1]", "[\"a\", 2]", "[[\"a\"]]", "\"a.jar\"");
                case "conf" -> List.of("{\"a\": {}}", "{\"a\": []}", "[\"a\"]", "{\"spark.master\": \"yarn\"}");
                case "cursor" -> List.of("-1", "999", "1.5", "\"1\"");
                case "detail" -> List.of("2", "-1", "\"1\"");
                case "statementKind" -> List.of("\"fortran\"", "\"shared\"");
                default -> List.of();
            });
            return candidates.get(random.nextInt(candidates.size()));
        }

        /** Whether a generic value happens to be valid for the type (then it is not used as a wrong one). */
        private static boolean fits(String type, String v) {
            return switch (type) {
                case "count" -> v.equals("1");
                case "nonstring" -> v.startsWith("\"");
                case "name" -> v.equals("\"x\"");
                case "executors", "nonnegative" -> v.equals("1") || v.equals("0");
                case "list" -> v.equals("[]");
                case "conf" -> v.equals("{}") || v.equals("{\"a\": 1}");
                case "string" -> v.equals("\"\"") || v.equals("\"x\"");
                case "code" -> v.equals("\"\"") || v.equals("\"x\"");
                case "cursor" -> v.equals("1") || v.equals("0");
                case "detail" -> v.equals("1") || v.equals("0");
                default -> false;
            };
        }

        /** A session body valid in every field but the one given. */
        private String withValidOthers(String field, String value) {
            Map<String, String> body = new LinkedHashMap<>();
            String[] valid = {"kind:\"pyspark\"", "driverMemory:\"512m\"", "executorCores:1", "queue:\"q\"",
                "jars:[]", "conf:{\"spark.ui.enabled\": \"false\"}", "ttl:\"10m\""};
            for (String pair : valid) {
                String[] kv = pair.split(":", 2);
                if (random.nextBoolean()) {
                    body.put(kv[0], kv[1]);
                }
            }
            body.put(field, value);
            return json(body);
        }

        private String sessionRef() {
            return random.nextInt(4) == 0 ? encode(pick(GARBAGE_IDS)) : String.valueOf(liveSession);
        }

        private String[] bodyRoutes() {
            return new String[] {"/sessions", "/sessions/" + liveSession + "/statements",
                "/sessions/" + liveSession + "/completion", "/sessions/" + liveSession + "/inspect",
                "/sessions/" + liveSession + "/statements/0/cancel"};
        }

        private String pick(String[] options) {
            return options[random.nextInt(options.length)];
        }

        private static Map<String, String> fields(String... nameColonType) {
            Map<String, String> m = new LinkedHashMap<>();
            for (String s : nameColonType) {
                String[] kv = s.split(":", 2);
                m.put(kv[0], kv[1]);
            }
            return m;
        }

        private static String json(Map<String, String> rawValues) {
            StringBuilder b = new StringBuilder("{");
            rawValues.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append('"').append(k).append("\": ")
                    .append(v));
            return b.append('}').toString();
        }

        /**
         * Percent-encodes what a URI may not carry as is (so the request reaches the gateway), but keeps the
         * escapes the garbage already holds ({@code %2F}, {@code %00}): those are the oddities under test.
         */
        private static String encode(String segment) {
            StringBuilder b = new StringBuilder();
            for (byte c : segment.getBytes(StandardCharsets.UTF_8)) {
                int u = c & 0xff;
                if (u > 0x20 && u < 0x7f && "\"<>\\^`{|}# ?".indexOf(u) < 0) {
                    b.append((char) u);
                } else {
                    b.append('%').append(String.format("%02X", u));
                }
            }
            return b.toString();
        }

        private static Request get(String kind, String path) {
            return new Request(kind, "GET", path, null, null);
        }

        private static Request post(String kind, String path, String body) {
            return post(kind, path, body.getBytes(StandardCharsets.UTF_8));
        }

        private static Request post(String kind, String path, byte[] body) {
            return new Request(kind, "POST", path, "application/json", body);
        }
    }
}
