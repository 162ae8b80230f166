package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.hearth.gateway.channel.SessionSecrets;
import io.hearth.gateway.config.Settings;
import io.hearth.gateway.launch.SparkHome;
import io.hearth.gateway.session.StateStore;
import io.hearth.gateway.store.ConfCipher;
import io.hearth.gateway.store.SqliteStateStore;
import io.hearth.protocol.EngineEnvironment;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions in standalone cluster deploy mode on a real Master and Worker on 127.0.0.1 (the venv's pyspark
 * distribution): the engine is a driver the Worker starts (not a process of the gateway's), dials the gateway's
 * channel, and runs Python with tasks in the Worker's executor. Its secret reaches it in its environment only: in no
 * process's command line, the driver's log on the Worker, the Master's JSON or the session log. The driver killed on
 * its host makes its session dead with the cluster's word for it. One engine start; DELETE ending a driver on another
 * host is checked by test_node_engine.py.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandaloneClusterModeTest {

    /** spark-submit, the Worker starting the driver, the engine, then an executor, on a loaded 2-core machine. */
    private static final Duration START = TestEngine.START.plusSeconds(60);
    /** The standalone client learns of a driver's end at its next status poll, every 10 s. */
    private static final Duration DRIVER_END = Duration.ofSeconds(30);

    /** A driver (512m) and an executor (512m), one core each: what the Worker has. */
    private static final String SESSION = """
            {"kind": "pyspark", "driverMemory": "512m", "executorMemory": "512m",
             "conf": {"spark.cores.max": "1", "spark.ui.enabled": "false"}}""";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private StandaloneCluster cluster;
    private Gateway gateway;
    private LivyClient livy;
    private Path state;

    @BeforeAll
    void startClusterAndGateway(@TempDir Path dir) throws Exception {
        Path sparkHome = SparkHome.resolve(null, TestEngine.python())
                .orElseThrow(() -> new AssertionError("the venv's pyspark is a Spark distribution; not found"));
        // A driver (512m) and an executor (512m) at once.
        cluster = StandaloneCluster.start(sparkHome, dir, 2, "1536m");
        state = TestEngine.stateDir();
        gateway = Gateway.start(TestEngine.settings().with(Settings.STATE_DIR, state)
                .with(Settings.SPARK_MASTER, cluster.url()).with(Settings.DEPLOY_MODE, "cluster").build());
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
    void theEngineRunsAsADriverOnTheWorkerWithItsSecretOnlyInItsEnvironmentAndItsDeathIsTheClusters() throws Exception {
        int id = startSession();
        ProcessHandle driver = driverOf(id);
        assertTrue(TestProcesses.commandLine(driver).contains("org.apache.spark.deploy.worker.DriverWrapper"),
                "the Worker's DriverWrapper runs the engine: " + TestProcesses.commandLine(driver));
        for (ProcessHandle up = driver.parent().orElse(null); up != null; up = up.parent().orElse(null)) {
            assertFalse(TestProcesses.commandLine(up).contains("org.apache.spark.deploy.SparkSubmit"),
                    "the engine is not under the gateway's spark-submit");
        }

        JsonObject sum = run(id, "print(sc.parallelize(range(10), 2).map(lambda x: x * 2).sum())");
        assertEquals("90", text(sum).strip(), sum.toString());

        String secret = secretOf(id);
        assertTrue(TestProcesses.environment(driver).contains(EngineEnvironment.SECRET_ENV + "=" + secret),
                "the driver got the session's secret in its environment");
        List<ProcessHandle> all = ProcessHandle.allProcesses().toList();
        for (ProcessHandle p : all) {
            assertFalse(String.join(" ", TestProcesses.commandLine(p)).contains(secret),
                    "the secret is in no command line (ps on the node): pid " + p.pid());
        }
        List<ProcessHandle> engineChildren = driver.descendants().toList();
        assertFalse(engineChildren.isEmpty(), "the engine runs Python");
        for (ProcessHandle child : engineChildren) {
            assertFalse(String.join("\n", TestProcesses.environment(child)).contains(secret),
                    "no process the engine starts inherits the secret: pid " + child.pid());
        }
        Path driverDir = driverDir();
        try (Stream<Path> files = Files.walk(driverDir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".jar")).toList()) {
                assertFalse(Files.readString(f).contains(secret), "the secret is not in the Worker's " + f);
            }
        }
        String masterJson = http.send(HttpRequest.newBuilder(URI.create(cluster.webUi() + "/json/")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(masterJson.contains(driverDir.getFileName().toString()), "the Master lists the driver");
        assertFalse(masterJson.contains(secret), "the Master's JSON does not show the secret");
        assertFalse(livy.get("/sessions/" + id + "/log?size=-1").body().toString().contains(secret),
                "nor does the session log");

        // The driver killed on its host, as a machine's OOM killer would: the session hears the cluster's word.
        String driverId = driverDir.getFileName().toString();
        driver.destroyForcibly();
        JsonObject dead = livy.awaitSessionState(id, "dead", DRIVER_END);
        String log = livy.get("/sessions/" + id + "/log?size=-1").body().toString();
        assertTrue(log.contains("the standalone driver " + driverId + " ended FAILED"), log);
        assertTrue(dead.toString().contains(driverId), "the session says which driver died: " + dead);
        awaitMasterSays(driverId, "FAILED");
    }

    @Test
    void aSessionDeletedWhileItsDriverWaitsForRoomHasItsDriverKilledThroughTheMaster() throws Exception {
        // More memory than the Worker has: the Master keeps the driver waiting, and no engine will ever dial back.
        LivyClient.Response created = livy.post("/sessions", SESSION.replace("\"driverMemory\": \"512m\"",
                "\"driverMemory\": \"2g\""));
        assertEquals(201, created.status(), created.body().toString());
        int id = created.body().getAsJsonObject().get("id").getAsInt();
        String driverId = livy.awaitJson("/sessions/" + id + "/log?size=-1", l -> l.toString()
                .contains("Driver successfully submitted as"), START).toString()
                .replaceAll("(?s).*Driver successfully submitted as (driver-[\\w-]+).*", "$1");

        assertEquals(200, livy.delete("/sessions/" + id).status());
        // Left alone it would wait in the Master for good; spark-submit's end alone does not remove it.
        awaitMasterSays(driverId, "KILLED");
    }

    private int startSession() {
        LivyClient.Response created = livy.post("/sessions", SESSION);
        assertEquals(201, created.status(), created.body().toString());
        int id = created.body().getAsJsonObject().get("id").getAsInt();
        livy.awaitSessionState(id, "idle", START);
        return id;
    }

    private JsonObject run(int session, String code) {
        JsonObject body = new JsonObject();
        body.addProperty("code", code);
        LivyClient.Response posted = livy.post("/sessions/" + session + "/statements", body.toString());
        assertEquals(201, posted.status(), posted.body().toString());
        JsonObject st = livy.awaitStatementDone(session, posted.body().getAsJsonObject().get("id").getAsInt(), START);
        assertEquals("ok", st.getAsJsonObject("output").get("status").getAsString(), st.toString());
        return st;
    }

    private static String text(JsonObject statement) {
        return statement.getAsJsonObject("output").getAsJsonObject("data").get("text/plain").getAsString();
    }

    /** The session's engine: a descendant of the Worker, found by the session id in its environment. */
    private ProcessHandle driverOf(int session) {
        return TestProcesses.engineOfSession(cluster.worker().toHandle(), session);
    }

    /** The Worker's directory of the driver that runs now (the newest). */
    private Path driverDir() throws IOException {
        try (Stream<Path> dirs = Files.list(cluster.workDir())) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("driver-"))
                    .max(java.util.Comparator.comparing(d -> d.getFileName().toString()))
                    .orElseThrow(() -> new AssertionError("no driver directory in " + cluster.workDir()));
        }
    }

    private void awaitMasterSays(String driverId, String driverState) throws Exception {
        long deadline = System.nanoTime() + DRIVER_END.toNanos();
        String json = "";
        while (System.nanoTime() < deadline) {
            json = http.send(HttpRequest.newBuilder(URI.create(cluster.webUi() + "/json/")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            com.google.gson.JsonArray done = com.google.gson.JsonParser.parseString(json).getAsJsonObject()
                    .getAsJsonArray("completeddrivers");
            if (done != null && done.asList().stream().map(d -> d.getAsJsonObject())
                    .anyMatch(d -> d.get("id").getAsString().equals(driverId)
                            && d.get("state").getAsString().equals(driverState))) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the Master does not list " + driverId + " as " + driverState + ": " + json);
    }

    private String secretOf(int session) throws IOException {
        String nonce;
        SessionSecrets secrets = SessionSecrets.load(state.resolve("master.key"), new SecureRandom());
        try (StateStore store = SqliteStateStore.open(state.resolve("state.db"),
                new ConfCipher(secrets.stateStoreKey(), new SecureRandom()))) {
            nonce = store.loadSessions().stream().filter(s -> s.session().id() == session).findFirst().orElseThrow()
                    .session().secretNonce();
        }
        String secret = secrets.derive(session, nonce).value();
        assertTrue(secret.length() >= 32, "a real secret");
        return secret;
    }
}
