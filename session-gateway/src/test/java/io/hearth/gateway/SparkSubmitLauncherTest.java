package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.config.Settings;
import io.hearth.gateway.launch.SparkHome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
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
 * The spark-submit launcher against a real standalone cluster on 127.0.0.1 (a Master and a Worker from the venv's
 * pyspark distribution): a gateway with master {@code spark://...} and launcher {@code auto} starts a pyspark session
 * whose Python tasks run in the Worker's executor JVM, runs SQL, and every JVM started here is gone at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkSubmitLauncherTest {

    /** Engine start plus an executor registering with the Worker, on a shared 2-core machine. */
    private static final Duration START = TestEngine.START.plusSeconds(60);

    private Path dir;

    private StandaloneCluster cluster;
    private Gateway gateway;
    private LivyClient livy;

    @BeforeAll
    void startClusterAndGateway(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        Path sparkHome = SparkHome.resolve(null, TestEngine.python())
                .orElseThrow(() -> new AssertionError("the venv's pyspark is a Spark distribution; not found"));
        cluster = StandaloneCluster.start(sparkHome, dir, 2, "1g");
        String masterUrl = cluster.url();

        Map<String, String> cli = new LinkedHashMap<>();
        cli.put(Settings.ENGINE_JAR.key(), TestEngine.jar().toString());
        cli.put(Settings.PYTHON.key(), TestEngine.python());
        cli.put(Settings.PORT.key(), "0");
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
    }

    @Test
    void aPysparkSessionRunsItsTasksInTheWorkersExecutorAndEveryJvmIsGoneAtTheEnd() throws Exception {
        LivyClient.Response created = livy.post("/sessions", """
                {"kind": "pyspark", "executorMemory": "512m", "conf": {"spark.driver.host": "127.0.0.1",
                 "spark.driver.bindAddress": "127.0.0.1", "spark.cores.max": "2", "spark.ui.enabled": "false"}}""");
        assertEquals(201, created.status(), String.valueOf(created.body()));
        int id = created.json().get("id").getAsInt();
        JsonObject session = livy.awaitSessionState(id, "idle", START);
        assertTrue(session.get("appId").getAsString().startsWith("app-"), "a standalone application: " + session);
        String log = String.join("\n", livy.get("/sessions/" + id + "/log?size=-1").json().getAsJsonArray("log")
                .asList().stream().map(e -> e.getAsString()).toList());
        assertTrue(log.contains("launching engine with spark-submit"), log);

        ProcessHandle engine = TestProcesses.engineOfSession(ProcessHandle.current(), id);
        List<String> argv = List.of(engine.info().arguments().orElseThrow());
        assertFalse(argv.stream().anyMatch(a -> a.contains("spark.cores.max") || a.contains("spark.driver.host")),
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

        assertEquals(200, livy.delete("/sessions/" + id).status());
        assertFalse(engine.isAlive(), "the engine (spark-submit's driver JVM) is gone after delete");

        List<ProcessHandle> clusterProcesses = cluster.processes();
        cluster.close();
        for (ProcessHandle p : clusterProcesses) {
            assertFalse(p.isAlive(), "pid " + p.pid() + " " + p.info().command().orElse("") + " outlived the test");
        }
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
