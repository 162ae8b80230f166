package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.config.Settings;
import io.hearth.gateway.launch.SparkHome;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spark-submit launcher against a real standalone cluster on 127.0.0.1 (a Master and a Worker from the venv's
 * pyspark distribution): a gateway with master {@code spark://...} and launcher {@code auto} starts a pyspark session
 * whose Python tasks run in the Worker's executor JVM, runs SQL, reads and writes {@code s3a://} and {@code s3://}
 * paths on a real S3-compatible server from those executors with the keys the session gave (never shown back), and
 * every JVM started here is gone at the end. On the same cluster: a statement that the cluster cannot serve (an
 * executor larger than the Worker, the Worker killed while the statement runs) says so in its JSON and its event
 * stream. The test that stops the cluster runs last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkSubmitLauncherTest {

    /** Short, so that the tests hear of waiting tasks soon; Spark's default is 15 s. */
    private static final String STARVATION = "\"spark.starvation.timeout\": \"2s\"";
    private static final String LOOPBACK_DRIVER = "\"spark.driver.host\": \"127.0.0.1\","
            + " \"spark.driver.bindAddress\": \"127.0.0.1\", \"spark.ui.enabled\": \"false\"";

    /** Engine start plus an executor registering with the Worker, on a shared 2-core machine. */
    private static final Duration START = TestEngine.START.plusSeconds(60);

    private Path dir;

    private StandaloneCluster cluster;
    private Gateway gateway;
    private LivyClient livy;
    private S3TestServer s3;

    @BeforeAll
    void startClusterAndGateway(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        Path sparkHome = SparkHome.resolve(null, TestEngine.python())
                .orElseThrow(() -> new AssertionError("the venv's pyspark is a Spark distribution; not found"));
        cluster = StandaloneCluster.start(sparkHome, dir, 2, "1g");
        String masterUrl = cluster.url();
        s3 = S3TestServer.start(dir);
        s3.createBucket("data");

        Map<String, String> cli = new LinkedHashMap<>();
        cli.put(Settings.ENGINE_JAR.key(), TestEngine.jar().toString());
        cli.put(Settings.PYTHON.key(), TestEngine.python());
        cli.put(Settings.PORT.key(), "0");
        cli.put(Settings.POOL_SIZE.key(), "0"); // no engines beyond the ones the test asks for
        cli.put(Settings.SPARK_MASTER.key(), masterUrl);
        cli.put(Settings.LAUNCHER.key(), "auto");
        cli.put(Settings.STATE_DIR.key(), TestEngine.stateDir().toString());
        gateway = Gateway.start(GatewayConfig.resolve(cli, Map.of(), new Properties()));
        livy = new LivyClient(gateway.baseUrl());
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    @Order(1)
    void aStatementWhoseExecutorIsLargerThanAnyWorkerWarnsThatItWaitsForExecutors() throws Exception {
        int id = startSession("{\"kind\": \"pyspark\", \"executorMemory\": \"2g\", \"conf\": {" + LOOPBACK_DRIVER
                + ", " + STARVATION + "}}");
        int statement = post(id, "sc.parallelize(range(4), 2).count()");

        JsonObject waiting = awaitWarning(id, statement, "waiting-for-executors");
        String message = waiting.get("message").getAsString();
        assertTrue(message.startsWith("Waiting for executors") && message.contains("spark.executor.memory=2g")
                && message.contains("0 executors"), message);
        JsonObject st = livy.get("/sessions/" + id + "/statements/" + statement).json();
        assertEquals("running", st.get("state").getAsString(), "still waiting, not failed: " + st);

        assertEquals(200, livy.post("/sessions/" + id + "/statements/" + statement + "/cancel", "{}").status());
        livy.awaitStatementDone(id, statement, START);
        assertTrue(eventTypes(id, statement).contains("warning"), "the event stream carries the warning too");
        assertEquals(200, livy.delete("/sessions/" + id).status());
    }

    @Test
    @Order(2)
    void aWorkerKilledWhileAStatementRunsIsAnExecutorLostThenAWaitForExecutors() throws Exception {
        int id = startSession("{\"kind\": \"pyspark\", \"executorMemory\": \"512m\", \"conf\": {"
                + LOOPBACK_DRIVER + ", " + STARVATION + "}}");
        int statement = post(id, "import time\nsc.parallelize(range(2), 2).map(lambda x: time.sleep(600)).count()");
        livy.awaitJson("/sessions/" + id + "/statements/" + statement, st -> st.getAsJsonObject("hearth")
                .getAsJsonArray("jobs").asList().stream()
                .anyMatch(j -> j.getAsJsonObject().get("active_tasks").getAsInt() > 0), START);

        cluster.killWorker();
        JsonObject lost = awaitWarning(id, statement, "executor-lost");
        assertTrue(lost.get("message").getAsString().startsWith("Lost executor"), lost.toString());
        JsonObject waiting = awaitWarning(id, statement, "waiting-for-executors");
        assertTrue(waiting.get("message").getAsString().contains("0 executors"), waiting.toString());

        assertEquals(200, livy.post("/sessions/" + id + "/statements/" + statement + "/cancel", "{}").status());
        livy.awaitStatementDone(id, statement, START);
        assertEquals(200, livy.delete("/sessions/" + id).status());
        cluster.startWorker();
    }

    @Test
    @Order(3)
    void aPysparkSessionRunsItsTasksInTheWorkersExecutorAndEveryJvmIsGoneAtTheEnd() throws Exception {
        LivyClient.Response created = livy.post("/sessions", """
                {"kind": "pyspark", "executorMemory": "512m", "conf": {"spark.driver.host": "127.0.0.1",
                 "spark.driver.bindAddress": "127.0.0.1", "spark.cores.max": "2", "spark.ui.enabled": "false",
                 "spark.hadoop.fs.s3a.endpoint": "%s", "spark.hadoop.fs.s3a.endpoint.region": "us-east-1",
                 "spark.hadoop.fs.s3a.path.style.access": "true", "spark.hadoop.fs.s3a.connection.ssl.enabled": "false",
                 "spark.hadoop.fs.s3a.access.key": "%s", "spark.hadoop.fs.s3a.secret.key": "%s"}}"""
                .formatted(s3.endpoint(), S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY));
        assertEquals(201, created.status(), String.valueOf(created.body()));
        int id = created.json().get("id").getAsInt();
        JsonObject session = livy.awaitSessionState(id, "idle", START);
        assertTrue(session.get("appId").getAsString().startsWith("app-"), "a standalone application: " + session);
        String log = String.join("\n", livy.get("/sessions/" + id + "/log?size=-1").json().getAsJsonArray("log")
                .asList().stream().map(e -> e.getAsString()).toList());
        assertTrue(log.contains("launching engine with spark-submit"), log);

        ProcessHandle engine = TestProcesses.engineOfSession(ProcessHandle.current(), id);
        List<String> argv = TestProcesses.commandLine(engine);
        assertFalse(argv.isEmpty(), "the engine's command line is readable");
        assertFalse(argv.stream().anyMatch(a -> a.contains("spark.cores.max") || a.contains("spark.driver.host")
                        || a.contains(S3TestServer.SECRET_KEY)),
                "the session's conf is not in the engine's argv: " + argv);

        String text = run(id, """
                import os
                pids = sorted(sc.parallelize(range(8), 4).map(lambda _: os.getpid()).distinct().collect())
                executors = sc._jsc.sc().statusTracker().getExecutorInfos()
                print("driver", os.getpid())
                print("tasks", ",".join(str(p) for p in pids))
                print("executors", len(executors))
                """, "pyspark");
        long driverPid = Long.parseLong(line(text, "driver"));
        List<Long> taskPids = Arrays.stream(line(text, "tasks").split(",")).map(Long::parseLong).toList();
        assertFalse(taskPids.contains(driverPid), text);
        assertEquals("2", line(text, "executors"), "the driver and one executor: " + text);
        for (long pid : taskPids) {
            ProcessHandle task = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("task pid " + pid + " gone"));
            assertTrue(isDescendant(task, cluster.worker().toHandle()),
                    "Python task " + pid + " runs under the Worker's executor");
            assertFalse(isDescendant(task, engine), "not under the engine (driver) " + engine.pid());
        }

        JsonObject sql = runJson(id, "SELECT sum(id) AS s FROM range(10)", "sql");
        assertEquals(45, sql.getAsJsonObject("data").getAsJsonObject("application/json").getAsJsonArray("data")
                .get(0).getAsJsonArray().get(0).getAsInt(), sql.toString());

        // Object storage from the executors, with the libraries the launcher put on their class path.
        String stored = run(id, """
                rows = [(i, "Vienna" if i % 2 else "Prague", 'Bread, "sourdough"') for i in range(100)]
                spark.createDataFrame(rows, "id int, city string, product string").write.mode("overwrite") \
                    .option("header", True).csv("s3a://data/orders")
                lines = sc.textFile("s3a://data/orders/*.csv").filter(lambda l: not l.startswith("id,"))
                print("count", lines.count(), sc.textFile("s3://data/orders/*.csv").count())
                print("tasks", ",".join(str(p) for p in sorted(set(lines.map(lambda _: os.getpid()).collect()))))
                """, "pyspark");
        int files = Integer.parseInt(run(id, "print(len(spark.read.csv('s3a://data/orders').inputFiles()))", "pyspark")
                .strip());
        assertEquals("100 " + (100 + files), line(stored, "count"), "rows, and with one header per file: " + stored);
        for (String pid : line(stored, "tasks").split(",")) {
            ProcessHandle task = ProcessHandle.of(Long.parseLong(pid)).orElseThrow();
            assertTrue(isDescendant(task, cluster.worker().toHandle()), "s3a:// read under the Worker's executor: " + stored);
        }
        String shown = livy.get("/sessions/" + id).body().toString() + livy.get("/sessions/" + id + "/log?size=-1")
                .body().toString();
        assertFalse(shown.contains(S3TestServer.SECRET_KEY), "the session's storage key is never shown back");

        assertEquals(200, livy.delete("/sessions/" + id).status());
        assertFalse(engine.isAlive(), "the engine (spark-submit's driver JVM) is gone after delete");

        List<ProcessHandle> clusterProcesses = cluster.processes();
        cluster.close();
        for (ProcessHandle p : clusterProcesses) {
            assertFalse(p.isAlive(), "pid " + p.pid() + " " + p.info().command().orElse("") + " outlived the test");
        }
    }

    private int startSession(String body) {
        LivyClient.Response created = livy.post("/sessions", body);
        assertEquals(201, created.status(), String.valueOf(created.body()));
        int id = created.json().get("id").getAsInt();
        livy.awaitSessionState(id, "idle", START);
        return id;
    }

    private int post(int session, String code) {
        JsonObject body = new JsonObject();
        body.addProperty("code", code);
        LivyClient.Response r = livy.post("/sessions/" + session + "/statements", body.toString());
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.json().get("id").getAsInt();
    }

    /** The statement's first warning of this reason, as its JSON shows it. */
    private JsonObject awaitWarning(int session, int statement, String reason) {
        JsonObject st = livy.awaitJson("/sessions/" + session + "/statements/" + statement,
                s -> warning(s, reason) != null, START);
        return warning(st, reason);
    }

    private static JsonObject warning(JsonObject statement, String reason) {
        return statement.getAsJsonObject("hearth").getAsJsonArray("warnings").asList().stream()
                .map(w -> w.getAsJsonObject()).filter(w -> reason.equals(w.get("reason").getAsString()))
                .findFirst().orElse(null);
    }

    /** The event types of a finished statement's stream, in order. */
    private List<String> eventTypes(int session, int statement) throws IOException {
        List<String> types = new ArrayList<>();
        try (EventStreamClient events = EventStreamClient.open(gateway.baseUrl(),
                "/sessions/" + session + "/statements/" + statement + "/events", Optional.empty())) {
            for (Optional<EventStreamClient.Event> e = events.next(); e.isPresent(); e = events.next()) {
                types.add(e.get().type());
            }
        }
        return types;
    }

    private String run(int session, String code, String kind) {
        JsonObject out = runJson(session, code, kind);
        return out.getAsJsonObject("data").get("text/plain").getAsString();
    }

    private JsonObject runJson(int session, String code, String kind) {
        JsonObject body = new JsonObject();
        body.addProperty("code", code);
        body.addProperty("kind", kind);
        LivyClient.Response r = livy.post("/sessions/" + session + "/statements", body.toString());
        assertEquals(201, r.status(), String.valueOf(r.body()));
        JsonObject done = livy.awaitStatementDone(session, r.json().get("id").getAsInt(), START);
        JsonObject out = done.getAsJsonObject("output");
        assertEquals("ok", out.get("status").getAsString(), done.toString());
        return out;
    }

    private static String line(String text, String key) {
        return text.lines().filter(l -> l.startsWith(key + " ")).map(l -> l.substring(key.length() + 1)).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + key + "' line in " + text));
    }

    private static boolean isDescendant(ProcessHandle p, ProcessHandle ancestor) {
        for (ProcessHandle h = p; h != null; h = h.parent().orElse(null)) {
            if (h.pid() == ancestor.pid()) {
                return true;
            }
        }
        return false;
    }
}
