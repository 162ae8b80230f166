package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.hearth.gateway.config.Settings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A hand-over that waits for its pooled engine to confirm runtime settings (here a real engine, ready, then stopped
 * with SIGSTOP so that it never answers) keeps nobody else waiting: listing sessions and creating another answer at
 * once, the caps count the request being handed over, and after the wait the request starts cold.
 */
class WarmEngineHandOverWaitTest {

    /** Far below the hand-over's 30 s wait for the engine's answer. */
    private static final Duration PROMPT = Duration.ofSeconds(5);

    @Test
    void aHandOverWaitingForItsEngineHoldsUpNoOtherRequestAndCountsAgainstTheCaps() throws Exception {
        Path stateDir = TestEngine.stateDir();
        ExecutorService client = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-hand-over-client"));
        long pooled = 0;
        try (Gateway gateway = Gateway.start(TestEngine.settings().with(Settings.STATE_DIR, stateDir)
                .with(Settings.POOL_SIZE, 1).with(Settings.MAX_SESSIONS, 2).build())) {
            LivyClient livy = new LivyClient(gateway.baseUrl());
            pooled = awaitReadyPooledPid(gateway, stateDir);
            signal("STOP", pooled);

            CompletableFuture<LivyClient.Response> handedOver = CompletableFuture.supplyAsync(() -> livy.post(
                    "/sessions", "{\"kind\": \"pyspark\", \"conf\": {\"spark.sql.shuffle.partitions\": \"7\"}}"), client);
            awaitTaken(gateway);
            assertTrue(Files.readAllLines(stateDir.resolve("pool-engines")).stream().allMatch(String::isBlank),
                    "the request took the pool's engine and waits for its answer");

            long t0 = System.nanoTime();
            assertEquals(0, livy.get("/sessions").json().get("total").getAsInt());
            LivyClient.Response other = livy.post("/sessions", "{\"kind\": \"pyspark\", \"driverMemory\": \"700m\"}");
            assertEquals(201, other.status(), String.valueOf(other.body()));
            LivyClient.Response third = livy.post("/sessions", "{\"kind\": \"pyspark\", \"driverMemory\": \"700m\"}");
            assertEquals(429, third.status(), "the request being handed over counts: " + third.body());
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertTrue(took.compareTo(PROMPT) < 0, "others waited behind the hand-over: " + took.toMillis() + " ms");
            assertFalse(handedOver.isDone(), "the hand-over still waits for the stopped engine");

            LivyClient.Response late = handedOver.get(60, TimeUnit.SECONDS);
            assertEquals(201, late.status(), String.valueOf(late.body()));
            assertEquals("cold", late.json().getAsJsonObject("start").get("mode").getAsString(),
                    "an engine that does not confirm its settings serves nobody");
            assertEquals(200, livy.delete("/sessions/" + late.json().get("id").getAsInt()).status());
            assertEquals(200, livy.delete("/sessions/" + other.json().get("id").getAsInt()).status());
        } finally {
            if (pooled != 0) {
                signal("CONT", pooled);
            }
            client.shutdownNow();
        }
    }

    /** The pooled engine's pid once the pool has it ready. */
    private static long awaitReadyPooledPid(Gateway gateway, Path stateDir) throws Exception {
        long deadline = System.nanoTime() + TestEngine.START.toNanos();
        while (System.nanoTime() < deadline) {
            if (metrics(gateway).contains("hearth_pool_engines{state=\"ready\"} 1")) {
                return Long.parseLong(Files.readAllLines(stateDir.resolve("pool-engines")).get(0).split(" ")[0]);
            }
            Thread.sleep(100);
        }
        return fail("the pool's engine did not get ready");
    }

    /** Waits until the request has taken the pool's engine: the pool has none ready. */
    private static void awaitTaken(Gateway gateway) throws Exception {
        long deadline = System.nanoTime() + PROMPT.toNanos();
        while (System.nanoTime() < deadline) {
            if (metrics(gateway).contains("hearth_pool_engines{state=\"ready\"} 0")) {
                return;
            }
            Thread.sleep(20);
        }
        fail("the request did not take the pool's engine within " + PROMPT.toSeconds() + " s");
    }

    private static void signal(String signal, long pid) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor());
    }

    private static String metrics(Gateway gateway) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
