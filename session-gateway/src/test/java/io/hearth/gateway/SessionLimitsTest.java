package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.config.Settings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The operator's session rules with real engines over real HTTP: the caps on live and starting sessions (429), the
 * master override switch, and the gateway ending sessions for idleness (never while busy), lost heartbeat and ttl,
 * saying why in their logs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionLimitsTest {

    private Gateway gateway;
    private LivyClient livy;

    @BeforeAll
    void start() throws Exception {
        Map<String, String> cli = new LinkedHashMap<>();
        cli.put(Settings.ENGINE_JAR.key(), TestEngine.jar().toString());
        cli.put(Settings.PYTHON.key(), TestEngine.python());
        cli.put(Settings.PORT.key(), "0");
        cli.put(Settings.POOL_SIZE.key(), "0"); // no engines beyond the ones the test asks for
        cli.put(Settings.MAX_SESSIONS.key(), "2");
        cli.put(Settings.MAX_STARTING.key(), "1");
        cli.put(Settings.ALLOW_MASTER_OVERRIDE.key(), "true");
        cli.put(Settings.STATE_DIR.key(), TestEngine.stateDir().toString());
        gateway = Gateway.start(GatewayConfig.resolve(cli, Map.of(), new Properties()));
        livy = new LivyClient(gateway.baseUrl());
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @Test
    void capsRefuseWith429AndTheGatewayEndsIdleHeartbeatLessAndExpiredSessionsButNeverABusyOneForIdleness() {
        assertBadRequest("{\"ttl\": \"soon\"}", "'ttl' must be a duration");
        assertBadRequest("{\"idleTimeout\": \"5 minutes\"}", "'idleTimeout' must be a duration");
        assertBadRequest("{\"heartbeatTimeoutInSecond\": -1}", "heartbeatTimeoutInSecond");

        int a = create("{\"kind\": \"pyspark\", \"name\": \"a\", \"idleTimeout\": \"6s\","
                + " \"conf\": {\"spark.master\": \"local[1]\", \"spark.ui.enabled\": \"false\"}}");
        LivyClient.Response tooFast = livy.post("/sessions", "{\"kind\": \"pyspark\"}");
        assertEquals(429, tooFast.status(), String.valueOf(tooFast.body()));
        assertTrue(tooFast.msg().contains("hearth.session.max-starting"), tooFast.msg());
        assertEquals("5", retryAfter("/sessions", "{\"kind\": \"pyspark\"}"));

        livy.awaitSessionState(a, "idle", TestEngine.START);
        assertTrue(log(a).contains("master local[1]"), "the operator allows a master override: " + log(a));
        int b = create("{\"kind\": \"pyspark\", \"name\": \"b\", \"heartbeatTimeoutInSecond\": 5,"
                + " \"conf\": {\"spark.ui.enabled\": \"false\"}}");
        // Each call on a (here: its state) keeps it from its 6 s idle timeout while b starts.
        livy.awaitJson("/sessions/" + b, s -> livy.get("/sessions/" + a + "/state").json().get("state").getAsString()
                .equals("idle") && s.get("state").getAsString().equals("idle"), TestEngine.START);
        LivyClient.Response tooMany = livy.post("/sessions", "{\"kind\": \"pyspark\"}");
        assertEquals(429, tooMany.status());
        assertTrue(tooMany.msg().contains("hearth.session.max") && tooMany.msg().contains("limit is 2"), tooMany.msg());

        // Session a runs for longer than its idle timeout; from here on only the list (not a call on a session) looks
        // at it, while b is kept alive by a call every second.
        ProcessHandle engineA = TestProcesses.engineOfSession(ProcessHandle.current(), a);
        livy.post("/sessions/" + a + "/statements", "{\"code\": \"import time\\ntime.sleep(10)\\n'slept'\"}");
        long t0 = System.nanoTime();
        boolean sawBusy = false;
        while (!listed(a).equals("idle")) {
            assertFalse(listed(a).equals("killed"), "a busy session is never ended for idleness");
            sawBusy |= listed(a).equals("busy");
            assertEquals(200, livy.get("/sessions/" + b + "/state").status());
            LivyClient.sleep(1000);
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(60).toNanos(), "the statement ends");
        }
        assertTrue(sawBusy);
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).toSeconds() >= 9, "a was busy past its idle timeout");
        long idleSince = System.nanoTime();
        while (!listed(a).equals("killed")) {
            assertEquals(200, livy.get("/sessions/" + b + "/state").status());
            LivyClient.sleep(1000);
            assertTrue(System.nanoTime() - idleSince < Duration.ofSeconds(15).toNanos(), "a ends once idle for 6 s");
        }
        assertTrue(Duration.ofNanos(System.nanoTime() - idleSince).toSeconds() >= 4, "not before its idle timeout");
        assertTrue(log(a).contains("idle for 6s (its idleTimeout)"), log(a));
        awaitGone(engineA);
        LivyClient.Response refused = livy.post("/sessions/" + a + "/statements", "{\"code\": \"1\"}");
        assertEquals(400, refused.status());
        assertTrue(refused.msg().contains("stopped by the gateway"), refused.msg());
        assertEquals("idle", listed(b), "b was kept alive by its client's calls");

        // b's client goes away: no call for heartbeatTimeoutInSecond ends it.
        long silentSince = System.nanoTime();
        while (!listed(b).equals("killed")) {
            LivyClient.sleep(250);
            assertTrue(System.nanoTime() - silentSince < Duration.ofSeconds(15).toNanos(), "b ends without heartbeat");
        }
        assertTrue(Duration.ofNanos(System.nanoTime() - silentSince).toSeconds() >= 4);
        assertTrue(log(b).contains("no client call for 5 s (heartbeatTimeoutInSecond)"), log(b));

        // A ttl is a hard cap: even a busy session (kept alive by its client) ends.
        int c = create("{\"kind\": \"pyspark\", \"ttl\": \"40s\", \"conf\": {\"spark.ui.enabled\": \"false\"}}");
        livy.post("/sessions/" + c + "/statements", "{\"code\": \"import time\\ntime.sleep(600)\"}");
        long created = System.nanoTime();
        livy.awaitJson("/sessions/" + c, s -> s.get("state").getAsString().equals("killed"), Duration.ofSeconds(60));
        assertTrue(Duration.ofNanos(System.nanoTime() - created).toSeconds() >= 38, "not before its ttl");
        assertTrue(log(c).contains("its ttl of 40s has passed"), log(c));
        assertEquals("cancelled", livy.get("/sessions/" + c + "/statements/0").json().get("state").getAsString());
    }

    private int create(String body) {
        LivyClient.Response r = livy.post("/sessions", body);
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.json().get("id").getAsInt();
    }

    private void assertBadRequest(String body, String fragment) {
        LivyClient.Response r = livy.post("/sessions", body);
        assertEquals(400, r.status(), body + " -> " + r.body());
        assertTrue(r.msg().contains(fragment), r.msg());
    }

    /** A session's state as the list shows it: looking at the list is not a call on the session. */
    private String listed(int id) {
        for (JsonElement e : livy.get("/sessions").json().getAsJsonArray("sessions")) {
            JsonObject s = e.getAsJsonObject();
            if (s.get("id").getAsInt() == id) {
                return s.get("state").getAsString();
            }
        }
        throw new AssertionError("session " + id + " is not listed");
    }

    private String log(int id) {
        return String.join("\n", livy.get("/sessions/" + id + "/log?size=-1").json().getAsJsonArray("log")
                .asList().stream().map(JsonElement::getAsString).toList());
    }

    private String retryAfter(String path, String body) {
        try {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateway.baseUrl() + path))
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(429, r.statusCode(), r.body());
            return r.headers().firstValue("Retry-After").orElse(null);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void awaitGone(ProcessHandle p) {
        for (int i = 0; i < 100 && p.isAlive(); i++) {
            LivyClient.sleep(100);
        }
        assertFalse(p.isAlive(), "the engine of an ended session is gone");
    }
}
