package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.config.Settings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Livy's batch API end to end: a real gateway over HTTP submitting real PySpark applications with the spark-submit of
 * the venv's pyspark distribution, in local mode.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchesTest {

    private static final Duration RUN = Duration.ofSeconds(150);

    @TempDir
    Path dir;

    private Gateway gateway;
    private LivyClient livy;

    @BeforeAll
    void start() throws Exception {
        // The applications are files of the gateway's host, in the temp dir: allowed for these batches.
        gateway = Gateway.start(TestEngine.settings().with(Settings.ALLOWED_LOCAL_DIRS, tmp()).build());
        livy = new LivyClient(gateway.baseUrl());
    }

    private static Path tmp() {
        return Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @Test
    void aSucceedingBatchPrintsItsResultAndAFailingOneIsDeadWithItsTraceback() throws Exception {
        Path sum = Files.writeString(dir.resolve("sum.py"), """
                import sys
                from pyspark.sql import SparkSession
                spark = SparkSession.builder.getOrCreate()
                n = int(sys.argv[1])
                print("sum of 1..%d is %d" % (n, spark.sparkContext.parallelize(range(1, n + 1), 4).sum()))
                spark.stop()
                """);
        Path boom = Files.writeString(dir.resolve("boom.py"), """
                def explode():
                    raise ValueError("the batch failed on purpose")
                explode()
                """);
        LivyClient.Response ok = livy.post("/batches", "{\"file\": \"" + sum + "\", \"args\": [\"1000\"],"
                + " \"name\": \"summer\", \"conf\": {\"spark.ui.enabled\": \"false\"}}");
        assertEquals(201, ok.status(), String.valueOf(ok.body()));
        int okId = ok.json().get("id").getAsInt();
        assertEquals("/batches/" + okId, ok.location().orElseThrow());
        assertEquals("summer", ok.json().get("name").getAsString());
        LivyClient.Response bad = livy.post("/batches", "{\"file\": \"" + boom + "\"}");
        assertEquals(201, bad.status(), String.valueOf(bad.body()));
        int badId = bad.json().get("id").getAsInt();

        JsonObject done = awaitEnded(okId);
        assertEquals("success", done.get("state").getAsString(), log(okId));
        assertTrue(done.getAsJsonObject("appInfo").get("sparkUiUrl").isJsonNull(), "no UI, no link: " + done);
        assertTrue(log(okId).contains("sum of 1..1000 is 500500"), log(okId));
        assertEquals("success", livy.get("/batches/summer/state").json().get("state").getAsString(), "by name too");

        JsonObject failed = awaitEnded(badId);
        assertEquals("dead", failed.get("state").getAsString(), log(badId));
        String badLog = log(badId);
        assertTrue(badLog.contains("Traceback") && badLog.contains("ValueError: the batch failed on purpose"), badLog);

        JsonObject list = livy.get("/batches?from=1&size=5").json();
        assertEquals(2, list.get("total").getAsInt());
        assertEquals(1, list.get("from").getAsInt());
        assertEquals(1, list.getAsJsonArray("sessions").size());
        assertEquals(badId, list.getAsJsonArray("sessions").get(0).getAsJsonObject().get("id").getAsInt());
        JsonObject page = livy.get("/batches/" + okId + "/log?from=0&size=2").json();
        assertEquals(2, page.getAsJsonArray("log").size());
        assertEquals(okId, page.get("id").getAsInt());

        // An ended batch is forgotten on delete.
        assertEquals(200, livy.delete("/batches/" + badId).status());
        assertEquals(404, livy.get("/batches/" + badId).status());
    }

    @Test
    void aRunningBatchLinksItsLiveSparkUiAndDeletingItKillsItsWholeProcessTree() throws Exception {
        Path forever = Files.writeString(dir.resolve("forever.py"), """
                import time
                from pyspark.sql import SparkSession
                spark = SparkSession.builder.getOrCreate()
                print("started, sleeping", flush=True)
                time.sleep(600)
                """);
        int id = livy.post("/batches", "{\"file\": \"" + forever + "\"}").json().get("id").getAsInt();
        livy.awaitJson("/batches/" + id, b -> log(id).contains("started, sleeping"), RUN);
        assertEquals("running", livy.get("/batches/" + id + "/state").json().get("state").getAsString());
        JsonObject appInfo = livy.get("/batches/" + id).json().getAsJsonObject("appInfo");
        assertTrue(appInfo.get("sparkUiUrl").isJsonPrimitive(), "sparkUiUrl while the driver's UI runs: " + appInfo);
        String ui = appInfo.get("sparkUiUrl").getAsString();
        HttpResponse<String> page = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()
                .send(HttpRequest.newBuilder(URI.create(ui + "/jobs/")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode(), ui);
        assertTrue(page.body().contains("Spark Jobs"), "the link is the batch's own Spark UI: " + ui);
        List<ProcessHandle> family = ProcessHandle.current().descendants()
                .filter(p -> p.info().arguments().map(List::of).orElse(List.of()).stream()
                        .anyMatch(a -> a.contains("forever.py")))
                .toList();
        assertFalse(family.isEmpty(), "the batch's processes are found by their file");

        assertEquals(200, livy.delete("/batches/" + id).status());
        JsonObject killed = livy.get("/batches/" + id).json();
        assertEquals("killed", killed.get("state").getAsString());
        for (ProcessHandle p : family) {
            assertFalse(p.isAlive(), "pid " + p.pid() + " outlived the kill");
        }
        assertTrue(log(id).contains("killed on request"), log(id));
    }

    @Test
    void runningBatchesAreCappedByHearthSessionMax() throws Exception {
        Path sleeper = Files.writeString(dir.resolve("sleeper.py"), "import time\ntime.sleep(600)\n");
        Map<String, String> cli = new LinkedHashMap<>();
        cli.put(Settings.ENGINE_JAR.key(), TestEngine.jar().toString());
        cli.put(Settings.PYTHON.key(), TestEngine.python());
        cli.put(Settings.PORT.key(), "0");
        cli.put(Settings.POOL_SIZE.key(), "0"); // no engines beyond the ones the test asks for
        cli.put(Settings.MAX_SESSIONS.key(), "1");
        cli.put(Settings.ALLOWED_LOCAL_DIRS.key(), tmp().toString());
        cli.put(Settings.STATE_DIR.key(), TestEngine.stateDir().toString());
        try (Gateway small = Gateway.start(GatewayConfig.resolve(cli, Map.of(), new Properties()))) {
            LivyClient client = new LivyClient(small.baseUrl());
            String body = "{\"file\": \"" + sleeper + "\"}";
            LivyClient.Response first = client.post("/batches", body);
            assertEquals(201, first.status(), String.valueOf(first.body()));
            LivyClient.Response second = client.post("/batches", body);
            assertEquals(429, second.status(), String.valueOf(second.body()));
            assertTrue(second.msg().contains("hearth.session.max"), second.msg());
            assertEquals(200, client.delete("/batches/" + first.json().get("id").getAsInt()).status());
            LivyClient.Response third = client.post("/batches", body);
            assertEquals(201, third.status(), "a killed batch no longer counts: " + third.body());
        }
    }

    @Test
    void unknownBatchesAre404AndBadBodiesAre400WithAMessage() {
        for (String path : List.of("/batches/99", "/batches/99/state", "/batches/99/log", "/batches/nobody")) {
            LivyClient.Response r = livy.get(path);
            assertEquals(404, r.status(), path);
            assertTrue(r.msg().startsWith("Batch "), r.msg());
        }
        assertEquals(404, livy.delete("/batches/99").status());
        assertBadRequest("{}", "'file' is required");
        assertBadRequest("", "'file'");
        assertBadRequest("{\"file\": 3}", "file");
        assertBadRequest("{\"file\": \"a.py\", \"args\": \"x\"}", "args");
        assertBadRequest("{\"file\": \"a.py\", \"conf\": {\"spark.master\": \"yarn\"}}", "allow-master-override");
        assertBadRequest("{\"file\": \"a.py\", \"driverMemory\": \"lots\"}", "driverMemory");
        assertBadRequest("{\"file\": ", "malformed JSON");
        assertEquals(400, livy.get("/batches?size=x").status());
    }

    private void assertBadRequest(String body, String fragment) {
        LivyClient.Response r = livy.post("/batches", body);
        assertEquals(400, r.status(), body + " -> " + r.body());
        assertTrue(r.msg().contains(fragment), r.msg());
    }

    private JsonObject awaitEnded(int id) {
        return livy.awaitJson("/batches/" + id, b -> List.of("success", "dead", "killed")
                .contains(b.get("state").getAsString()), RUN);
    }

    private String log(int id) {
        return String.join("\n", livy.get("/batches/" + id + "/log?size=-1").json().getAsJsonArray("log")
                .asList().stream().map(e -> e.getAsString()).toList());
    }
}
