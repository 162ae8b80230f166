package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Statements on one real engine (local Spark, real Python), shared by every test here because a Spark start is the
 * expensive part; the order matters only for the first tests (which watch the start) and the last (which deletes).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatementsTest {

    private static final Duration RUN = Duration.ofSeconds(60);
    private static final String NAME = "statements-test";

    private Gateway gateway;
    private LivyClient livy;
    private LivyClient.Response created;
    private int id;
    private final List<LivyClient.Response> postedWhileStarting = new ArrayList<>();

    @BeforeAll
    void startSessionAndQueueStatements() throws Exception {
        gateway = Gateway.start(TestEngine.config());
        livy = new LivyClient(gateway.baseUrl());
        created = livy.post("/sessions", "{\"kind\": \"pyspark\", \"name\": \"" + NAME + "\","
                + " \"conf\": {\"spark.ui.enabled\": \"false\"}}");
        id = created.json().get("id").getAsInt();
        // Posted at once, while the engine JVM is still starting.
        for (String code : List.of("order = []", "order.append('a')", "order.append('b')\norder")) {
            postedWhileStarting.add(livy.post("/sessions/" + id + "/statements", json("code", code)));
        }
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @Test
    @Order(1)
    void aNewSessionIs201WithLocationAndLivysSessionFields() {
        assertEquals(201, created.status());
        assertEquals("/sessions/" + id, created.location().orElseThrow());
        JsonObject s = created.json();
        assertEquals(Set.of("id", "name", "appId", "owner", "proxyUser", "state", "kind", "appInfo", "log", "ttl",
                "idleTimeout", "driverMemory", "driverCores", "executorMemory", "executorCores", "conf", "archives",
                "files", "heartbeatTimeoutInSecond", "jars", "numExecutors", "pyFiles", "queue", "start"), s.keySet());
        assertEquals("cold", s.getAsJsonObject("start").get("mode").getAsString(), "no pool on this gateway");
        assertEquals("starting", s.get("state").getAsString());
        assertEquals("pyspark", s.get("kind").getAsString());
        assertEquals(NAME, s.get("name").getAsString());
        assertEquals("false", s.getAsJsonObject("conf").get("spark.ui.enabled").getAsString());
        assertTrue(s.getAsJsonObject("appInfo").has("sparkUiUrl"));
        assertTrue(s.get("log").isJsonArray());
    }

    @Test
    @Order(2)
    void statementsPostedWhileStartingWaitThenRunInOrderOnceTheEngineIsReady() {
        for (int i = 0; i < postedWhileStarting.size(); i++) {
            LivyClient.Response r = postedWhileStarting.get(i);
            assertEquals(201, r.status(), String.valueOf(r.body()));
            assertEquals("/sessions/" + id + "/statements/" + i, r.location().orElseThrow());
            assertEquals("waiting", r.json().get("state").getAsString());
        }
        JsonObject ready = livy.awaitSessionState(id, "idle", TestEngine.START);
        assertFalse(ready.get("appId").isJsonNull(), "the engine reported its Spark application id");

        JsonObject last = livy.awaitStatementDone(id, 2, RUN);
        assertEquals("['a', 'b']", text(last));
        long previousCompleted = 0;
        for (int i = 0; i < 3; i++) {
            JsonObject st = livy.get("/sessions/" + id + "/statements/" + i).json();
            assertEquals("available", st.get("state").getAsString());
            assertTrue(st.get("started").getAsLong() >= previousCompleted, "statement " + i + " started after the one before");
            previousCompleted = st.get("completed").getAsLong();
        }
    }

    @Test
    @Order(3)
    void onePlusOneIsTwo() {
        JsonObject st = run("1 + 1");
        assertEquals("available", st.get("state").getAsString());
        assertEquals("ok", st.getAsJsonObject("output").get("status").getAsString());
        assertEquals("2", text(st));
        assertEquals(1.0, st.get("progress").getAsDouble());
    }

    @Test
    @Order(4)
    void printedTextAndTheResultComposeLivysTextPlainWhileHearthKeepsThemApart() {
        JsonObject st = run("print('hello')\n1 + 1");
        assertEquals("hello\n2", text(st));
        JsonObject hearth = st.getAsJsonObject("hearth");
        JsonArray streams = hearth.getAsJsonArray("streams");
        assertEquals(1, streams.size());
        assertEquals("stdout", streams.get(0).getAsJsonObject().get("name").getAsString());
        assertEquals("hello\n", streams.get(0).getAsJsonObject().get("text").getAsString());
        assertEquals("2", hearth.getAsJsonObject("data").get("text/plain").getAsString());
    }

    @Test
    @Order(5)
    void aFailingStatementIsAvailableWithAnErrorOutputAndTheUsersTraceback() {
        JsonObject st = run("def explode():\n    raise ValueError('boom')\n\nexplode()");
        assertEquals("available", st.get("state").getAsString());
        JsonObject out = st.getAsJsonObject("output");
        assertEquals("error", out.get("status").getAsString());
        assertEquals("ValueError", out.get("ename").getAsString());
        assertEquals("boom", out.get("evalue").getAsString());
        String traceback = out.getAsJsonArray("traceback").toString();
        assertTrue(traceback.contains("explode"), traceback);
        assertFalse(out.has("data"));
    }

    @Test
    @Order(6)
    void statementsStateAndLogAnswerInLivysShapes() {
        LivyClient.Response posted = livy.post("/sessions/" + id + "/statements", json("code", "'shape'"));
        assertEquals(201, posted.status());
        int sid = posted.json().get("id").getAsInt();
        assertEquals("/sessions/" + id + "/statements/" + sid, posted.location().orElseThrow());
        assertEquals(Set.of("id", "code", "state", "output", "progress", "started", "completed", "hearth"),
                posted.json().keySet());
        livy.awaitStatementDone(id, sid, RUN);

        JsonObject list = livy.get("/sessions/" + id + "/statements").json();
        assertEquals(Set.of("total_statements", "statements"), list.keySet());
        assertEquals(sid + 1, list.get("total_statements").getAsInt());
        assertEquals(sid + 1, list.getAsJsonArray("statements").size());

        JsonObject state = livy.get("/sessions/" + NAME + "/state").json();
        assertEquals(Set.of("id", "state"), state.keySet());
        assertEquals(id, state.get("id").getAsInt());
        assertEquals("idle", state.get("state").getAsString());

        JsonObject log = livy.get("/sessions/" + id + "/log").json();
        assertEquals(Set.of("id", "from", "total", "log"), log.keySet());
        assertTrue(log.get("total").getAsInt() > 0);
        assertTrue(log.getAsJsonArray("log").toString().contains("engine ready"), log.toString());
    }

    @Test
    @Order(7)
    void badStatementRequestsAre400AndUnknownStatementsAre404() {
        String path = "/sessions/" + id + "/statements";
        assertBadRequest(path, "{}", "code");
        assertBadRequest(path, "{\"code\": 42}", "code");
        assertBadRequest(path, "{\"code\": \"1\", \"kind\": \"sparkr\"}", "pyspark");
        assertBadRequest(path, "{\"code\": \"1\", \"kind\": \"klingon\"}", "klingon");
        assertBadRequest(path, "{\"code\": ", "malformed JSON");
        LivyClient.Response missing = livy.get(path + "/999");
        assertEquals(404, missing.status());
        assertTrue(missing.msg().contains("999"), missing.msg());
        assertEquals(404, livy.post(path + "/999/cancel", "").status());
    }

    @Test
    @Order(8)
    void theSessionIsBusyWhileAStatementRunsAndCancelStopsIt() {
        LivyClient.Response posted = livy.post("/sessions/" + id + "/statements",
                json("code", "import time\ntime.sleep(600)"));
        int sid = posted.json().get("id").getAsInt();
        livy.awaitJson("/sessions/" + id + "/statements/" + sid,
                st -> st.get("state").getAsString().equals("running"), RUN);
        assertEquals("busy", livy.get("/sessions/" + id + "/state").json().get("state").getAsString());

        LivyClient.Response cancel = livy.post("/sessions/" + id + "/statements/" + sid + "/cancel", "");
        assertEquals(200, cancel.status());
        assertEquals("canceled", cancel.msg());
        JsonObject done = livy.awaitStatementDone(id, sid, Duration.ofSeconds(30));
        assertEquals("cancelled", done.get("state").getAsString());
        livy.awaitSessionState(id, "idle", Duration.ofSeconds(10));
        assertEquals("2", text(run("1 + 1")), "the session goes on after a cancel");
    }

    @Test
    @Order(9)
    void progressRisesWhileSparkJobsRunAndTheJobsAreListedWithTheirTaskCounts() throws Exception {
        int sid = livy.post("/sessions/" + id + "/statements",
                json("code", "import time\nsc.parallelize(range(6), 6).map(lambda x: time.sleep(0.4) or x).sum()"))
                .json().get("id").getAsInt();
        List<Double> seen = new ArrayList<>();
        boolean sawRunningJob = false;
        JsonObject st;
        long deadline = System.nanoTime() + RUN.toNanos();
        do {
            Thread.sleep(100);
            st = livy.get("/sessions/" + id + "/statements/" + sid).json();
            seen.add(st.get("progress").getAsDouble());
            JsonArray jobs = st.getAsJsonObject("hearth").getAsJsonArray("jobs");
            if (!jobs.isEmpty() && "RUNNING".equals(jobs.get(0).getAsJsonObject().get("status").getAsString())) {
                sawRunningJob = true;
            }
        } while (!"available".equals(st.get("state").getAsString()) && System.nanoTime() < deadline);

        assertEquals("15", text(st));
        assertTrue(sawRunningJob, "a poll while the job ran showed it RUNNING");
        assertTrue(seen.stream().anyMatch(p -> p > 0 && p < 1), "progress between 0 and 1 was seen: " + seen);
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i) >= seen.get(i - 1), "progress never goes back: " + seen);
        }
        assertEquals(1.0, st.get("progress").getAsDouble());
        JsonObject job = st.getAsJsonObject("hearth").getAsJsonArray("jobs").get(0).getAsJsonObject();
        assertEquals("SUCCEEDED", job.get("status").getAsString());
        assertEquals(6, job.get("num_tasks").getAsInt());
        assertEquals(6, job.get("completed_tasks").getAsInt());
        assertEquals(1, job.get("num_stages").getAsInt());
    }

    @Test
    @Order(20)
    void sqlStatementsAnswerLivysSchemaAndDataAndSeePythonsTempViews() {
        run("spark.range(3).toDF('n').createOrReplaceTempView('numbers')");
        JsonObject st = run("sql", "SELECT n * 2 AS doubled FROM numbers WHERE n > 0");
        JsonObject data = st.getAsJsonObject("output").getAsJsonObject("data");
        JsonObject json = data.getAsJsonObject("application/json");
        assertEquals("doubled", json.getAsJsonObject("schema").getAsJsonArray("fields").get(0).getAsJsonObject()
                .get("name").getAsString());
        assertEquals("[[2],[4]]", json.get("data").toString());
        assertTrue(data.get("text/html").getAsString().contains("<td>4</td>"), data.toString());
        assertTrue(data.get("text/plain").getAsString().contains("|doubled|"), data.toString());
    }

    @Test
    @Order(10)
    void printedTextReachesTheGatewayWithin100MsWhileTheStatementRunsOn() throws Exception {
        int sid = livy.post("/sessions/" + id + "/statements",
                json("code", "import time\nprint('printed at', time.time())\ntime.sleep(4)\n'slept'"))
                .json().get("id").getAsInt();
        String printed = null;
        long seenAtMillis = 0;
        long deadline = System.nanoTime() + RUN.toNanos();
        while (printed == null && System.nanoTime() < deadline) {
            JsonArray streams = livy.get("/sessions/" + id + "/statements/" + sid).json()
                    .getAsJsonObject("hearth").getAsJsonArray("streams");
            seenAtMillis = System.currentTimeMillis();
            if (!streams.isEmpty()) {
                printed = streams.get(0).getAsJsonObject().get("text").getAsString();
            } else {
                Thread.sleep(5);
            }
        }
        assertNotNull(printed, "the printed line never reached the gateway");
        double printedAtMillis = Double.parseDouble(printed.trim().split(" ")[2]) * 1000;
        // Same machine, same clock: print time in the engine's Python versus the moment a client saw it.
        assertTrue(seenAtMillis - printedAtMillis <= 100,
                "the line took " + (seenAtMillis - printedAtMillis) + " ms to reach the gateway");
        JsonObject running = livy.get("/sessions/" + id + "/statements/" + sid).json();
        assertEquals("running", running.get("state").getAsString(), "the statement is still sleeping");
        assertEquals("'slept'", text(livy.awaitStatementDone(id, sid, RUN)).lines().reduce((a, b) -> b).orElseThrow());
    }

    @Test
    @Order(21)
    void everyStatementKindIsAcceptedAndRunByTheEngine() {
        for (String kind : List.of("spark", "scala", "java", "python", "pyspark", "sql")) {
            LivyClient.Response r = livy.post("/sessions/" + id + "/statements",
                    "{\"code\": \"" + ("sql".equals(kind) ? "SELECT 1" : "1") + "\", \"kind\": \"" + kind + "\"}");
            assertEquals(201, r.status(), kind + " -> " + r.body());
            JsonObject done = livy.awaitStatementDone(id, r.json().get("id").getAsInt(), RUN);
            assertEquals("available", done.get("state").getAsString(), done.toString());
            // The engine has an interpreter for every kind the gateway accepts.
            assertEquals("ok", done.getAsJsonObject("output").get("status").getAsString(), kind + " -> " + done);
        }
    }

    @Test
    @Order(11)
    void completionOffersNamesFromTheSessionInLivysShape() {
        run("completion_target = 1");
        LivyClient.Response r = livy.post("/sessions/" + id + "/completion",
                "{\"code\": \"x = completion_ta\", \"kind\": \"pyspark\", \"cursor\": 16}");
        assertEquals(200, r.status(), String.valueOf(r.body()));
        JsonObject c = r.json();
        assertTrue(c.getAsJsonArray("candidates").contains(new com.google.gson.JsonPrimitive("completion_target")),
                c.toString());
        assertEquals(4, c.get("cursor_start").getAsInt());
        assertEquals(16, c.get("cursor_end").getAsInt());
    }

    @Test
    @Order(11)
    void aCompletionCursorSentAsAStringIsReadAsLivyReadsIt() {
        run("completion_string_cursor = 1");
        LivyClient.Response r = livy.post("/sessions/" + id + "/completion",
                "{\"code\": \"x = completion_st\", \"kind\": \"pyspark\", \"cursor\": \"17\"}");
        assertEquals(200, r.status(), String.valueOf(r.body()));
        assertTrue(r.json().getAsJsonArray("candidates")
                .contains(new com.google.gson.JsonPrimitive("completion_string_cursor")), r.body().toString());
    }

    @Test
    @Order(12)
    void completionWithoutACursorOrBeyondTheCodeIs400() {
        LivyClient.Response missing = livy.post("/sessions/" + id + "/completion", json("code", "sc."));
        assertEquals(400, missing.status());
        assertTrue(missing.json().get("msg").getAsString().contains("cursor"));
        LivyClient.Response beyond = livy.post("/sessions/" + id + "/completion", "{\"code\": \"sc\", \"cursor\": 9}");
        assertEquals(400, beyond.status());
        assertTrue(beyond.json().get("msg").getAsString().contains("only 2 characters"));
    }

    @Test
    @Order(13)
    void inspectionDocumentsTheNameAtTheCursor() {
        run("def documented(x):\n    \"\"\"Doubles x.\"\"\"\n    return 2 * x");
        LivyClient.Response r = livy.post("/sessions/" + id + "/inspect",
                "{\"code\": \"documented(3)\", \"cursor\": 4, \"detail_level\": 0}");
        assertEquals(200, r.status(), String.valueOf(r.body()));
        assertTrue(r.json().get("found").getAsBoolean());
        assertTrue(r.json().getAsJsonObject("data").get("text/plain").getAsString().contains("Doubles x."));

        LivyClient.Response nothing = livy.post("/sessions/" + id + "/inspect", "{\"code\": \"zzz\", \"cursor\": 1}");
        assertEquals(false, nothing.json().get("found").getAsBoolean());
        assertEquals(400, livy.post("/sessions/" + id + "/inspect",
                "{\"code\": \"zzz\", \"cursor\": 1, \"detail_level\": 5}").status());
    }

    @Test
    @Order(22)
    void displaysArriveInOrderInTheHearthExtensionWhileLivysOutputStaysTheResult() {
        JsonObject st = run("print('p')\ndisplay(1)\ndisplay('two')\n3");
        JsonArray displays = st.getAsJsonObject("hearth").getAsJsonArray("displays");
        assertEquals(2, displays.size(), st.toString());
        assertEquals("1", displays.get(0).getAsJsonObject().getAsJsonObject("data").get("text/plain").getAsString());
        assertEquals("'two'", displays.get(1).getAsJsonObject().getAsJsonObject("data").get("text/plain")
                .getAsString());
        assertEquals("p\n3", text(st));
        assertEquals(0, run("4").getAsJsonObject("hearth").getAsJsonArray("displays").size());
    }

    @Test
    @Order(100)
    void deletingTheSessionStopsItsEngineProcessTreeAndASecondDeleteIs404() {
        List<ProcessHandle> engines = TestProcesses.engines(ProcessHandle.current());
        assertEquals(1, engines.size(), "one engine JVM runs for this class: " + engines);
        List<ProcessHandle> family = new ArrayList<>(engines.get(0).descendants().toList());
        family.add(engines.get(0));
        assertTrue(family.size() >= 2, "the engine runs a Python interpreter");

        LivyClient.Response deleted = livy.delete("/sessions/" + NAME);
        assertEquals(200, deleted.status());
        assertEquals("deleted", deleted.msg());
        // DELETE answers once the engine is gone, so no waiting here.
        for (ProcessHandle p : family) {
            assertFalse(p.isAlive(), "pid " + p.pid() + " " + p.info().command().orElse("") + " outlived its session");
        }
        assertEquals(404, livy.get("/sessions/" + id).status());
        assertEquals(404, livy.delete("/sessions/" + id).status());
        assertEquals(0, livy.get("/sessions").json().get("total").getAsInt());
    }

    private JsonObject run(String code) {
        return run(null, code);
    }

    private JsonObject run(String kind, String code) {
        JsonObject body = new JsonObject();
        body.addProperty("code", code);
        if (kind != null) {
            body.addProperty("kind", kind);
        }
        LivyClient.Response r = livy.post("/sessions/" + id + "/statements", body.toString());
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return livy.awaitStatementDone(id, r.json().get("id").getAsInt(), RUN);
    }

    private static String text(JsonObject statement) {
        JsonObject out = statement.getAsJsonObject("output");
        assertNotNull(out, "no output in " + statement);
        assertEquals("ok", out.get("status").getAsString(), statement.toString());
        return out.getAsJsonObject("data").get("text/plain").getAsString();
    }

    private void assertBadRequest(String path, String body, String mentioned) {
        LivyClient.Response r = livy.post(path, body);
        assertEquals(400, r.status(), body + " -> " + r.body());
        assertTrue(r.msg().contains(mentioned), "'" + r.msg() + "' should mention " + mentioned);
    }

    private static String json(String key, String value) {
        JsonObject o = new JsonObject();
        o.addProperty(key, value);
        return o.toString();
    }
}
