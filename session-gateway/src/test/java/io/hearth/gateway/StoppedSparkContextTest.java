package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A statement that stops the session's SparkContext past every guard (Python through {@code spark._jsc}, Scala and
 * Java by reflection) ends its session {@code dead}, saying which statement did it; the statement queued behind it and
 * every later one are refused with that reason, and the gateway serves on. Scala's plain {@code spark.stop()} and
 * {@code sc.stop()} are refused before they run, leaving the session usable. One gateway and three real engines
 * (local Spark), started together; each stopping way needs an engine of its own, as it ends it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StoppedSparkContextTest {

    private static final Duration RUN = Duration.ofSeconds(90);
    /** A stopped context is seen after the statement: the session is dead within a moment, not a timeout. */
    private static final Duration NOTICED = Duration.ofSeconds(20);

    private Gateway gateway;
    private LivyClient livy;
    private final List<Integer> sessions = new ArrayList<>();

    @BeforeAll
    void startThreeSessions() throws Exception {
        gateway = Gateway.start(TestEngine.config());
        livy = new LivyClient(gateway.baseUrl());
        for (int i = 0; i < 3; i++) {
            sessions.add(livy.post("/sessions", "{\"kind\": \"pyspark\", \"conf\": {\"spark.ui.enabled\": \"false\"}}")
                    .json().get("id").getAsInt());
        }
        for (int id : sessions) {
            livy.awaitSessionState(id, "idle", TestEngine.START);
        }
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @Test
    @Order(1)
    void scalaStopCallsAreRefusedBeforeTheyRunAndTheSessionStaysUsable() {
        int session = sessions.get(1);
        for (String[] call : new String[][] {{"spark.stop()", "SparkSession.stop"}, {"sc.stop()", "SparkContext.stop"},
                {"spark.sparkContext.stop()", "SparkContext.stop"}, {"def end(): Unit = spark.close()",
                "SparkSession.close"}}) {
            JsonObject out = run(session, "spark", call[0]).getAsJsonObject("output");
            assertEquals("error", out.get("status").getAsString(), call[0] + ": " + out);
            assertEquals("SharedSparkContextError", out.get("ename").getAsString(), call[0] + ": " + out);
            String evalue = out.get("evalue").getAsString();
            assertTrue(evalue.contains(call[1]) && evalue.contains("delete the session instead"), evalue);
        }
        JsonObject out = run(session, "spark", "spark.range(5).count()").getAsJsonObject("output");
        assertEquals("ok", out.get("status").getAsString(), out.toString());
        assertTrue(out.getAsJsonObject("data").get("text/plain").getAsString().endsWith("= 5"), out.toString());
        assertEquals("idle", livy.get("/sessions/" + session).json().get("state").getAsString());
    }

    @Test
    @Order(2)
    void pythonStoppingTheContextThroughJscEndsTheSessionDead() {
        stoppedBy(sessions.get(0), "pyspark", "spark._jsc.stop()", "spark.range(3).count()");
    }

    @Test
    @Order(3)
    void scalaStoppingTheContextByReflectionEndsTheSessionDead() {
        stoppedBy(sessions.get(1), "spark", "sc.getClass.getMethod(\"stop\").invoke(sc)", "spark.range(3).count()");
    }

    @Test
    @Order(4)
    void javaStoppingTheContextByReflectionEndsTheSessionDead() {
        stoppedBy(sessions.get(2), "java", "var ctx = spark.sparkContext();\nctx.getClass().getMethod(\"stop\").invoke(ctx);",
                "spark.range(3).count()");
    }

    /**
     * Runs {@code stopper} with {@code next} queued behind it: the session ends dead with the reason, {@code next}
     * fails with it, a later statement is a 400 quoting it, and the gateway answers as before.
     */
    private void stoppedBy(int session, String kind, String stopper, String next) {
        int stopping = post(session, kind, stopper);
        int queued = post(session, kind, next);
        livy.awaitJson("/sessions/" + session, s -> s.get("state").getAsString().equals("dead"), NOTICED);
        String reason = "the SparkContext was stopped by statement " + stopping + "; start a new session";

        JsonObject stopped = livy.awaitStatementDone(session, stopping, RUN);
        assertEquals("available", stopped.get("state").getAsString(), stopped.toString());
        assertTrue(stopped.toString().contains("this statement stopped the session's SparkContext"),
                "the cell itself says so: " + stopped);
        JsonObject behind = livy.awaitStatementDone(session, queued, RUN);
        JsonObject behindOut = behind.getAsJsonObject("output");
        assertEquals("error", behindOut.get("status").getAsString(), behind.toString());
        assertTrue(behindOut.get("evalue").getAsString().contains(reason), behind.toString());

        LivyClient.Response refused = livy.post("/sessions/" + session + "/statements", code(kind, next));
        assertEquals(400, refused.status(), String.valueOf(refused.body()));
        assertTrue(refused.msg().contains("dead") && refused.msg().contains(reason), refused.msg());
        String log = livy.get("/sessions/" + session + "/log?size=-1").body().toString();
        assertTrue(log.contains(reason), log);

        assertEquals(200, livy.get("/health").status());
        assertEquals(200, livy.get("/sessions").status());
    }

    private JsonObject run(int session, String kind, String code) {
        return livy.awaitStatementDone(session, post(session, kind, code), RUN);
    }

    private int post(int session, String kind, String code) {
        LivyClient.Response r = livy.post("/sessions/" + session + "/statements", code(kind, code));
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.json().get("id").getAsInt();
    }

    private static String code(String kind, String code) {
        JsonObject body = new JsonObject();
        body.addProperty("code", code);
        body.addProperty("kind", kind);
        return body.toString();
    }
}
