package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestInstance;

/** {@code GET .../statements/{sid}?wait=...} against a real gateway and one real engine shared by the tests. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatementLongPollTest {

    private Gateway gateway;
    private LivyClient livy;
    private int session;

    @BeforeAll
    void startSession() throws IOException {
        gateway = Gateway.start(TestEngine.config());
        livy = new LivyClient(gateway.baseUrl());
        session = livy.post("/sessions", "{\"kind\": \"pyspark\", \"conf\": {\"spark.ui.enabled\": \"false\"}}")
                .json().get("id").getAsInt();
        livy.awaitSessionState(session, "idle", TestEngine.START);
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @Test
    void aWaitingGetAnswersAsSoonAsTheStatementFinishesWellBeforeTheWait() {
        int sid = post("import time\ntime.sleep(2)\n'slept'");
        long start = System.nanoTime();
        LivyClient.Response r = livy.get(path(sid) + "?wait=30s");
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(200, r.status());
        assertEquals("available", r.json().get("state").getAsString());
        assertEquals("'slept'", r.json().getAsJsonObject("output").getAsJsonObject("data").get("text/plain").getAsString());
        assertTrue(tookMillis >= 1000 && tookMillis < 10_000, "answered after " + tookMillis + " ms");
        // The same JSON as a plain GET.
        assertEquals(livy.get(path(sid)).body(), r.body());
    }

    @Test
    void aWaitingGetAnswersWithTheCurrentStateWhenTheWaitIsOver() {
        int sid = post("import time\ntime.sleep(6)");
        long start = System.nanoTime();
        LivyClient.Response r = livy.get(path(sid) + "?wait=1500ms");
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(200, r.status());
        assertTrue(List.of("waiting", "running").contains(r.json().get("state").getAsString()), r.body().toString());
        assertTrue(tookMillis >= 1400 && tookMillis < 5000, "answered after " + tookMillis + " ms");
        livy.awaitStatementDone(session, sid, Duration.ofSeconds(60));
    }

    @Test
    void aWaitLongerThanTheHttpServersIdleTimeoutIsNotCutShort() {
        // Jetty's connections time out after 30 s without traffic; a long-poll is silent for up to 60 s.
        int sid = post("import time\ntime.sleep(45)");
        long start = System.nanoTime();
        LivyClient.Response r = livy.get(path(sid) + "?wait=36s");
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(200, r.status());
        assertEquals("running", r.json().get("state").getAsString());
        assertTrue(tookMillis >= 35_000 && tookMillis < 40_000, "answered after " + tookMillis + " ms");
        livy.post(path(sid) + "/cancel", "");
        livy.awaitStatementDone(session, sid, Duration.ofSeconds(60));
    }

    @Test
    void waitForChangeAnswersOnTheNextOutputLongBeforeTheEnd() {
        int sid = post("import time\ntime.sleep(1)\nprint('tick', flush=True)\ntime.sleep(4)\n'end'");
        livy.awaitJson(path(sid), st -> st.get("state").getAsString().equals("running"), Duration.ofSeconds(30));
        long start = System.nanoTime();
        LivyClient.Response r = livy.get(path(sid) + "?wait=30s&waitFor=change");
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals("running", r.json().get("state").getAsString(), r.body().toString());
        assertEquals("tick\n", r.json().getAsJsonObject("hearth").getAsJsonArray("streams").get(0).getAsJsonObject()
                .get("text").getAsString());
        assertTrue(tookMillis < 3000, "answered after " + tookMillis + " ms");
        assertEquals(400, livy.get(path(sid) + "?wait=1s&waitFor=soon").status());
        livy.awaitStatementDone(session, sid, Duration.ofSeconds(60));
    }

    @Test
    void manyWaitingClientsAreAllAnsweredByOneFinish() {
        int sid = post("import time\ntime.sleep(2)\n'many'");
        List<CompletableFuture<LivyClient.Response>> waits = java.util.stream.IntStream.range(0, 20)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> livy.get(path(sid) + "?wait=1m"))).toList();
        for (CompletableFuture<LivyClient.Response> w : waits) {
            JsonObject st = w.join().json();
            assertEquals("available", st.get("state").getAsString());
        }
    }

    @Test
    void aFinishedStatementOrNoWaitAnswersAtOnce() {
        int sid = post("'quick'");
        livy.awaitStatementDone(session, sid, Duration.ofSeconds(60));
        long start = System.nanoTime();
        assertEquals("available", livy.get(path(sid) + "?wait=60s").json().get("state").getAsString());
        assertEquals("available", livy.get(path(sid) + "?wait=0").json().get("state").getAsString());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos());
    }

    @Test
    void aBadWaitIs400SayingWhatToSendAndAnUnknownStatementIs404() {
        for (String bad : List.of("soon", "-1s", "3days", "99999999999999999999h", "1.5s")) {
            LivyClient.Response r = livy.get(path(0) + "?wait=" + bad);
            assertEquals(400, r.status(), bad);
            assertTrue(r.msg().contains("wait must be a duration like 30s"), r.msg());
        }
        LivyClient.Response missing = livy.get(path(999) + "?wait=1s");
        assertEquals(404, missing.status());
        assertTrue(missing.msg().contains("Statement 999 not found"), missing.msg());
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void closingTheGatewayAnswersWaitingClientsAtOnce() throws Exception {
        int sid = post("import time\ntime.sleep(600)");
        CompletableFuture<LivyClient.Response> waiting = CompletableFuture.supplyAsync(() -> livy.get(path(sid) + "?wait=60s"));
        livy.awaitJson(path(sid), st -> st.get("state").getAsString().equals("running"), Duration.ofSeconds(30));
        LivyClient.sleep(300);
        long start = System.nanoTime();
        gateway.close();
        long closeMillis = (System.nanoTime() - start) / 1_000_000;
        LivyClient.Response r = waiting.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(200, r.status());
        assertEquals("running", r.json().get("state").getAsString());
        assertTrue(closeMillis < 15_000, "closing took " + closeMillis + " ms");
        assertEquals(List.of(), Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("hearth-long-poll")).toList());
    }

    private int post(String code) {
        JsonObject body = new JsonObject();
        body.addProperty("code", code);
        LivyClient.Response r = livy.post("/sessions/" + session + "/statements", body.toString());
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.json().get("id").getAsInt();
    }

    private String path(int sid) {
        return "/sessions/" + session + "/statements/" + sid;
    }
}
