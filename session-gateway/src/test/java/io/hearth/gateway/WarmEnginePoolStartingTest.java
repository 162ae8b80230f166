package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import io.hearth.gateway.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * On one real gateway with real engines: a session requested as soon as the gateway answers, while the pool's only
 * engine is still starting (or not yet launched), takes that engine instead of launching a second JVM beside it (listed {@code starting}, then idle, its start mode
 * {@code warming}), and the pool refills only once that session's first statement has finished.
 */
class WarmEnginePoolStartingTest {

    /** Longer than the fixed pause after which the pool used to refill (5 s). */
    private static final Duration NO_REFILL_YET = Duration.ofSeconds(8);
    private static final Duration REFILL = Duration.ofSeconds(15);

    @Test
    void aRequestWhileThePooledEngineStartsTakesItAndThePoolRefillsAfterTheFirstStatement() throws Exception {
        Path stateDir = TestEngine.stateDir();
        try (Gateway gateway = Gateway.start(TestEngine.settings().with(Settings.STATE_DIR, stateDir)
                .with(Settings.POOL_SIZE, 1).build())) {
            LivyClient livy = new LivyClient(gateway.baseUrl());
            // At once: the pool's first engine may not even be launched yet, and the request waits for that launch.
            LivyClient.Response created = livy.post("/sessions", "{\"kind\": \"pyspark\"}");
            assertEquals(201, created.status(), String.valueOf(created.body()));
            JsonObject s = created.json();
            int id = s.get("id").getAsInt();
            assertEquals("starting", s.get("state").getAsString());
            assertEquals("warming", s.getAsJsonObject("start").get("mode").getAsString());
            assertTrue(s.getAsJsonObject("start").get("millis").isJsonNull(), "no start time while it starts");
            assertEquals(List.of(), PoolGauges.pooledPids(stateDir), "the pool gave its engine to the session");

            JsonObject idle = livy.awaitSessionState(id, "idle", TestEngine.START);
            assertEquals("warming", idle.getAsJsonObject("start").get("mode").getAsString());
            long millis = idle.getAsJsonObject("start").get("millis").getAsLong();
            System.out.println("session on a starting pooled engine, POST to idle: " + millis + " ms");
            Map<String, Double> m = PoolGauges.metrics(gateway);
            assertEquals(1.0, m.get("hearth_engine_launches_total"), "no second engine was launched");
            assertEquals(1.0, m.get("hearth_pool_hits_total"));
            // Refill count minus hits is what the pool has ready: the start benchmark waits on that.
            assertEquals(1.0, m.get("hearth_pool_refill_duration_seconds_count"), "its start counts as the pool's");
            assertTrue(livy.get("/sessions/" + id + "/log?size=1000").body().toString()
                    .contains("still starting, is now session " + id), "its log says it was handed over starting");

            Thread.sleep(NO_REFILL_YET.toMillis());
            assertEquals(List.of(), PoolGauges.pooledPids(stateDir), "no refill before the session's first statement");
            assertEquals(1.0, PoolGauges.metrics(gateway).get("hearth_engine_launches_total"));

            JsonObject code = new JsonObject();
            code.addProperty("code", "1 + 1");
            int st = livy.post("/sessions/" + id + "/statements", code.toString()).json().get("id").getAsInt();
            JsonObject done = livy.awaitStatementDone(id, st, Duration.ofSeconds(60));
            assertEquals("2", done.getAsJsonObject("output").getAsJsonObject("data").get("text/plain").getAsString());
            awaitPooledPid(stateDir, REFILL);
            assertEquals(2.0, PoolGauges.metrics(gateway).get("hearth_engine_launches_total"));
            assertEquals(200, livy.delete("/sessions/" + id).status());
        }
    }

    private static long awaitPooledPid(Path stateDir, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<Long> pids = PoolGauges.pooledPids(stateDir);
            if (!pids.isEmpty()) {
                return pids.get(0);
            }
            Thread.sleep(20);
        }
        return fail("no pooled engine in the pool's record within " + timeout.toSeconds() + " s");
    }
}
