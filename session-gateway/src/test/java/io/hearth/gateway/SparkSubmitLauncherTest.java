package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.config.Settings;
import io.hearth.gateway.launch.SparkHome;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
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
 * whose Python tasks run in the Worker's executor JVM, runs SQL, and every JVM started here is gone at the end. On the
 * same cluster: a statement that the cluster cannot serve (an executor larger than the Worker, the Worker killed while
 * the statement runs) says so in its JSON and its event stream. The test that stops the cluster runs last.
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

    private Path sparkHome;
    private Process master;
    private Process worker;
    private String masterUrl;
    private int workersStarted;
    private Gateway gateway;
    private LivyClient livy;

    @BeforeAll
    void startClusterAndGateway(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        sparkHome = SparkHome.resolve(null, TestEngine.python())
                .orElseThrow(() -> new AssertionError("the venv's pyspark is a Spark distribution; not found"));
        int masterPort = freePort();
        master = sparkClass("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(freePort()));
        awaitLog("master", "Starting Spark master");
        String masterUrl = "spark://127.0.0.1:" + masterPort;
        this.masterUrl = masterUrl;
        startWorker();

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
        stopTree(worker);
        stopTree(master);
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

        stopTree(worker, Duration.ZERO);
        JsonObject lost = awaitWarning(id, statement, "executor-lost");
        assertTrue(lost.get("message").getAsString().startsWith("Lost executor"), lost.toString());
        JsonObject waiting = awaitWarning(id, statement, "waiting-for-executors");
        assertTrue(waiting.get("message").getAsString().contains("0 executors"), waiting.toString());

        assertEquals(200, livy.post("/sessions/" + id + "/statements/" + statement + "/cancel", "{}").status());
        livy.awaitStatementDone(id, statement, START);
        assertEquals(200, livy.delete("/sessions/" + id).status());
        startWorker();
    }

    @Test
    @Order(3)
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
            assertTrue(isDescendant(task, worker.toHandle()), "Python task " + pid + " runs under the Worker's executor");
            assertFalse(isDescendant(task, engine), "not under the engine (driver) " + engine.pid());
        }

        JsonObject sql = runJson(id, "SELECT sum(id) AS s FROM range(10)", "sql");
        assertEquals(45, sql.getAsJsonObject("data").getAsJsonObject("application/json").getAsJsonArray("data")
                .get(0).getAsJsonArray().get(0).getAsInt(), sql.toString());

        assertEquals(200, livy.delete("/sessions/" + id).status());
        assertFalse(engine.isAlive(), "the engine (spark-submit's driver JVM) is gone after delete");

        List<ProcessHandle> cluster = new ArrayList<>();
        for (Process p : List.of(worker, master)) {
            cluster.add(p.toHandle());
            cluster.addAll(p.descendants().toList());
        }
        stopTree(worker);
        stopTree(master);
        for (ProcessHandle p : cluster) {
            assertFalse(p.isAlive(), "pid " + p.pid() + " " + p.info().command().orElse("") + " outlived the test");
        }
    }

    private void startWorker() throws Exception {
        worker = sparkClass("worker", "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                "--webui-port", Integer.toString(freePort()), "--cores", "2", "--memory", "1g",
                "--work-dir", Files.createDirectories(dir.resolve("work")).toString(), masterUrl);
        workersStarted++;
        awaitLog("master", "Registering worker", workersStarted);
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

    private Process sparkClass(String name, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(sparkHome.resolve("bin/spark-class").toString(), mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    private void awaitLog(String name, String text) throws Exception {
        awaitLog(name, text, 1);
    }

    /** Waits until the log has {@code text} at least {@code times} times. */
    private void awaitLog(String name, String text, int times) throws Exception {
        Path log = dir.resolve(name + ".log");
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).split(java.util.regex.Pattern.quote(text), -1).length > times) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no '" + text + "' in the " + name + " log:\n" + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** SIGTERM to the process and its descendants (executors), then SIGKILL to whatever is left. */
    private static void stopTree(Process p) throws InterruptedException {
        stopTree(p, Duration.ofSeconds(10));
    }

    /** As {@link #stopTree(Process)}, SIGKILL after {@code grace} (zero: at once, as a machine that dies). */
    private static void stopTree(Process p, Duration grace) throws InterruptedException {
        if (p == null) {
            return;
        }
        List<ProcessHandle> family = new ArrayList<>(p.descendants().toList());
        family.add(p.toHandle());
        family.forEach(grace.isZero() ? ProcessHandle::destroyForcibly : ProcessHandle::destroy);
        for (ProcessHandle h : family) {
            try {
                h.onExit().get(Math.max(1, grace.toSeconds()), java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                h.destroyForcibly();
            }
        }
        p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    }
}
