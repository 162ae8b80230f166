package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches outlive a SIGKILL of the gateway: real PySpark batches (spark-submit, local master), one finished before the
 * kill and one running across it. After the restart both are listed under their ids, the running one is followed to
 * its real end (success, from its exit code), a new batch gets a fresh id, and the old ids still answer the old
 * batches. A batch whose driver is gone at the restart, without an exit code (its wrapper was killed too), is dead and
 * says it was lost. A batch's secret setting is in the state store only encrypted.
 */
class BatchRestartTest {

    private static final Duration RUN = Duration.ofSeconds(150);

    @TempDir
    Path dir;

    @Test
    void batchesKeepTheirIdsAndStatesAcrossAKillDashNineAndIdsAreNeverReused() throws Exception {
        Path state = dir.resolve("state");
        Path go = dir.resolve("go");
        Path quick = Files.writeString(dir.resolve("quick.py"), """
                import sys
                from pyspark.sql import SparkSession
                spark = SparkSession.builder.getOrCreate()
                print("quick sum %d" % spark.sparkContext.parallelize(range(1, int(sys.argv[1]) + 1), 2).sum())
                spark.stop()
                """);
        // Runs until the test lets it finish, after the gateway's restart.
        Path waiting = Files.writeString(dir.resolve("waiting.py"), """
                import os, sys, time
                from pyspark.sql import SparkSession
                spark = SparkSession.builder.getOrCreate()
                print("waiting for", sys.argv[1], flush=True)
                while not os.path.exists(sys.argv[1]):
                    time.sleep(0.2)
                print("waited, count %d" % spark.range(7).count(), flush=True)
                spark.stop()
                """);
        // No Spark: spark-submit's Python runner alone, killed with its wrapper while the gateway is down.
        Path sleeper = Files.writeString(dir.resolve("sleeper.py"), """
                import time
                print("sleeping", flush=True)
                time.sleep(600)
                """);
        // Submitted after the restart; it need not run to its end.
        Path freshFile = Files.writeString(dir.resolve("fresh.py"), "import time\ntime.sleep(600)\n");
        String secret = "batch-secret-" + UUID.randomUUID();
        Map<String, String> env = TestEngine.gatewayEnv(state);
        env.put("HEARTH_SESSION_ALLOWED_LOCAL_DIRS", dir.toString());

        GatewayProcess first = GatewayProcess.start(0, env, dir.resolve("gateway-1.log"), RUN);
        int done;
        int running;
        int lost;
        try {
            LivyClient livy = new LivyClient(first.baseUrl());
            // All three at once: the test's time is mostly spark-submit starting.
            done = submit(livy, quick, "10", Map.of());
            running = submit(livy, waiting, go.toString(), Map.of("spark.hadoop.fs.s3a.secret.key", secret));
            lost = submit(livy, sleeper, "x", Map.of());
            livy.awaitJson("/batches/" + done, b -> finished(b, "success"), RUN);
            livy.awaitJson("/batches/" + running + "/log?size=1000",
                    b -> b.get("log").toString().contains("waiting for"), RUN);
            assertEquals("running", livy.get("/batches/" + running).json().get("state").getAsString());
            livy.awaitJson("/batches/" + lost + "/log?size=1000", b -> b.get("log").toString().contains("sleeping"),
                    RUN);
            // The lost batch's processes: the gateway's child first (whatever it is), so that it leaves no exit code.
            List<ProcessHandle> lostTree = first.handle().descendants()
                    .filter(p -> String.join(" ", TestProcesses.commandLine(p)).contains(sleeper.toString()))
                    .sorted(java.util.Comparator.comparing(p -> p.parent().map(first.handle()::equals).orElse(false)
                            ? 0 : 1))
                    .toList();
            assertFalse(lostTree.isEmpty(), "the lost batch's processes are found by their file");
            first.kill();
            for (ProcessHandle p : lostTree) {
                p.destroyForcibly();
                p.onExit().get();
            }
        } finally {
            first.kill();
        }
        assertFalse(rawStore(state).contains(secret), "the batch's secret setting is stored encrypted");

        GatewayProcess second = GatewayProcess.start(0, env, dir.resolve("gateway-2.log"), RUN);
        try {
            LivyClient livy = new LivyClient(second.baseUrl());
            Map<Integer, String> listed = new LinkedHashMap<>();
            for (JsonElement b : livy.get("/batches").json().getAsJsonArray("sessions")) {
                listed.put(b.getAsJsonObject().get("id").getAsInt(), b.getAsJsonObject().get("state").getAsString());
            }
            assertEquals(Map.of(done, "success", running, "running", lost, "dead"), listed,
                    "every batch, under its id");
            String lostLog = livy.get("/batches/" + lost + "/log?size=1000").json().get("log").toString();
            assertTrue(lostLog.contains("lost: its driver process"), lostLog);

            Files.writeString(go, "");
            livy.awaitJson("/batches/" + running, b -> finished(b, "success"), RUN);
            String log = livy.get("/batches/" + running + "/log?size=1000").json().get("log").toString();
            assertTrue(log.contains("still runs and is followed again"), log);
            assertTrue(log.contains("waited, count 7"), log);
            assertTrue(log.contains("exited with code 0"), log);

            int fresh = submit(livy, freshFile, "20", Map.of());
            assertEquals(lost + 1, fresh, "a new batch never takes an old batch's id");
            assertTrue(livy.get("/batches/" + done + "/log?size=1000").json().get("log").toString()
                    .contains("quick sum 55"), "the old id answers the old batch");
            String freshLog = livy.get("/batches/" + fresh + "/log?size=1000").json().get("log").toString();
            assertTrue(freshLog.contains("fresh.py") && !freshLog.contains("quick"), "the new id answers the new batch: "
                    + freshLog);
            assertEquals("success", livy.get("/batches/" + done + "/state").json().get("state").getAsString());
        } finally {
            second.stop();
        }
        assertFalse(rawStore(state).contains(secret), "still encrypted after the restart");
    }

    private static int submit(LivyClient livy, Path file, String arg, Map<String, String> extraConf) {
        StringBuilder conf = new StringBuilder("\"spark.ui.enabled\": \"false\"");
        extraConf.forEach((k, v) -> conf.append(", \"").append(k).append("\": \"").append(v).append('"'));
        LivyClient.Response r = livy.post("/batches", "{\"file\": \"" + file + "\", \"args\": [\"" + arg + "\"],"
                + " \"conf\": {" + conf + "}}");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.json().get("id").getAsInt();
    }

    private static boolean finished(JsonObject batch, String expected) {
        String s = batch.get("state").getAsString();
        if (!List.of("starting", "running").contains(s) && !s.equals(expected)) {
            throw new AssertionError("batch ended " + s + ", not " + expected + ": " + batch);
        }
        return s.equals(expected);
    }

    /** The state store's bytes, its write-ahead log's included, as text. */
    static String rawStore(Path state) throws java.io.IOException {
        StringBuilder all = new StringBuilder();
        for (String name : List.of("state.db", "state.db-wal")) {
            Path p = state.resolve(name);
            if (Files.exists(p)) {
                all.append(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }
}
