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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The warm engine pool of one real gateway with real engines: a matching request gets a started engine at once with
 * its runtime settings set, another starts cold and says so, and pooled engines are never sessions. The tests run in
 * order on the one pool. (Replacements over the pool's life: {@link WarmEnginePoolLifecycleTest}.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WarmEnginePoolTest {


    private Gateway gateway;
    private LivyClient livy;
    private Path stateDir;

    @BeforeAll
    void start() throws Exception {
        stateDir = TestEngine.stateDir();
        gateway = Gateway.start(TestEngine.settings().with(Settings.STATE_DIR, stateDir).with(Settings.POOL_SIZE, 1)
                .build());
        livy = new LivyClient(gateway.baseUrl());
        awaitPoolReady(1);
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @Test
    @Order(1)
    void aPooledEngineIsNeitherListedNorStoredAsASession() throws Exception {
        assertEquals(0, livy.get("/sessions").json().get("total").getAsInt());
        assertEquals(404, livy.get("/sessions/0").status(), "the pooled engine was launched under id 0: no session");
        assertEquals(1.0, PoolGauges.metrics(gateway).get("hearth_pool_engines{state=\"ready\"}"));
        List<Long> pids = PoolGauges.pooledPids(stateDir);
        assertEquals(1, pids.size(), "the pool's record names its one engine");
        assertTrue(ProcessHandle.of(pids.get(0)).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    @Order(2)
    void aMatchingRequestGetsAPooledEngineIdleAtOnceWithItsRuntimeSettingsSet() throws Exception {
        awaitPoolReady(1);
        LivyClient.Response created = livy.post("/sessions",
                "{\"kind\": \"pyspark\", \"conf\": {\"spark.sql.shuffle.partitions\": \"7\"}}");
        assertEquals(201, created.status(), String.valueOf(created.body()));
        JsonObject s = created.json();
        assertEquals("idle", s.get("state").getAsString(), "a warm session is idle in its POST's answer");
        assertEquals("warm", s.getAsJsonObject("start").get("mode").getAsString());
        long millis = s.getAsJsonObject("start").get("millis").getAsLong();
        System.out.println("warm hand-over, POST to idle: " + millis + " ms");
        int id = s.get("id").getAsInt();
        JsonObject code = new JsonObject();
        code.addProperty("code", "spark.conf.get('spark.sql.shuffle.partitions')");
        int st = livy.post("/sessions/" + id + "/statements", code.toString()).json().get("id").getAsInt();
        JsonObject done = livy.awaitStatementDone(id, st, Duration.ofSeconds(60));
        assertEquals("'7'", done.getAsJsonObject("output").getAsJsonObject("data").get("text/plain").getAsString());
        JsonObject listed = livy.get("/sessions").json();
        assertEquals(1, listed.get("total").getAsInt(), "the refilling pool's engine is not listed: " + listed);
        assertEquals("warm", listed.getAsJsonArray("sessions").get(0).getAsJsonObject().getAsJsonObject("start")
                .get("mode").getAsString());
        assertEquals(1.0, PoolGauges.metrics(gateway).get("hearth_pool_hits_total"));
        assertEquals(200, livy.delete("/sessions/" + id).status());
    }

    @Test
    @Order(3)
    void aRequestWithOtherLaunchSettingsStartsColdAndSaysSoLeavingThePoolAsItWas() throws Exception {
        awaitPoolReady(2); // the refill after the hand-over before, which waits a few seconds by design
        List<Long> before = PoolGauges.pooledPids(stateDir);
        LivyClient.Response created = livy.post("/sessions", "{\"kind\": \"pyspark\", \"driverMemory\": \"700m\"}");
        assertEquals(201, created.status(), String.valueOf(created.body()));
        JsonObject s = created.json();
        assertEquals("starting", s.get("state").getAsString());
        assertEquals("cold", s.getAsJsonObject("start").get("mode").getAsString());
        assertTrue(s.getAsJsonObject("start").get("millis").isJsonNull(), "no start time while it starts");
        assertEquals(200, livy.delete("/sessions/" + s.get("id").getAsInt()).status());
        assertEquals(before, PoolGauges.pooledPids(stateDir), "the engine that could not serve it is still the pool's");
        Map<String, Double> m = PoolGauges.metrics(gateway);
        assertEquals(1.0, m.get("hearth_pool_misses_total"));
        assertEquals(1.0, m.get("hearth_pool_engines{state=\"ready\"}") + m.get("hearth_pool_engines{state=\"starting\"}"));
    }

    /** Waits until {@code refills} pooled engines have become ready since the start, and the pool holds a ready one. */
    private void awaitPoolReady(int refills) throws Exception {
        long deadline = System.nanoTime() + TestEngine.START.toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Double> m = PoolGauges.metrics(gateway);
            if (m.getOrDefault("hearth_pool_refill_duration_seconds_count", 0.0) >= refills
                    && m.getOrDefault("hearth_pool_engines{state=\"ready\"}", 0.0) >= 1) {
                return;
            }
            Thread.sleep(100);
        }
        fail("the pool did not get its engine number " + refills + " ready; metrics: " + PoolGauges.metrics(gateway));
    }
}
