package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.hearth.gateway.config.Settings;
import io.hearth.gateway.launch.SparkHome;
import io.hearth.gateway.yarn.YarnTestBed;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestInstance;

/**
 * Sessions on a real YARN (the shared test bed) in client deploy mode: the engine beside the gateway, executors in
 * YARN containers. One session serves every test here that is not about the lifecycle: Python, Scala, SQL and Java
 * statements on the same data in HDFS and in S3 (a real S3-compatible server), checked against Python's own {@code csv}
 * module on the same files. Two more start beside it: one that YARN kills, one with dynamic allocation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class YarnSessionTest {

    /** An engine, then an ApplicationMaster container, then an executor container, on a shared 2-core machine. */
    static final Duration START = TestEngine.START.plusSeconds(90);
    private static final Duration STATEMENT = Duration.ofSeconds(180);
    private static final Path DATA = Path.of("..", "notebooks", "data").toAbsolutePath().normalize();

    private final YarnTestBed bed = YarnTestBed.shared();
    private Gateway gateway;
    private LivyClient livy;
    private int session;
    private int doomed;
    private int elastic;
    private OrdersOnS3 s3;
    private UserLibraries libraries;
    private JsonObject started;

    @BeforeAll
    void startGatewayAndSession() throws Exception {
        for (Path csv : csvFiles()) {
            bed.put("/data/orders/" + csv.getFileName(), Files.readAllBytes(csv));
        }
        // The wildcard must not match this one.
        bed.put("/data/orders/README.txt", "orders, one CSV file per month\n".getBytes(StandardCharsets.UTF_8));
        Path dir = Files.createTempDirectory("hearth-yarn-client-");
        s3 = OrdersOnS3.start(dir);
        libraries = UserLibraries.build(dir, sparkHome().resolve("jars"));
        gateway = Gateway.start(yarnGateway(bed).with(Settings.ALLOWED_LOCAL_DIRS, libraries.dir()).build());
        livy = new LivyClient(gateway.baseUrl());
        // Three sessions start side by side: the shared one (its S3A pointed at the test's S3 server), one that a test
        // kills through YARN, and one with dynamic allocation and the code a user adds.
        JsonObject sharedConf = s3.sessionConf();
        sharedConf.addProperty("spark.yarn.am.memory", "256m");
        session = create("""
                {"kind": "pyspark", "driverMemory": "512m", "executorMemory": "512m", "numExecutors": 1,
                 "conf": %s}""".formatted(sharedConf));
        doomed = create("""
                {"kind": "pyspark", "driverMemory": "512m", "executorMemory": "512m", "executorCores": 2,
                 "numExecutors": 2, "queue": "etl", "proxyUser": "alice",
                 "conf": {"spark.yarn.am.memory": "256m", "spark.ui.enabled": "false"}}""");
        JsonObject elasticConf = new JsonObject();
        elasticConf.addProperty("spark.yarn.am.memory", "256m");
        // Only the shared session's UI is tested. A UI in YARN client mode can lose a race in Spark: the
        // ApplicationMaster's proxy filter is added while the driver still starts the UI's handlers, and
        // SparkContext fails with a ConcurrentModificationException (seen once under load).
        elasticConf.addProperty("spark.ui.enabled", "false");
        DynamicAllocationOnYarn.addConf(elasticConf);
        JsonObject elasticBody = JsonParser.parseString("""
                {"kind": "pyspark", "driverMemory": "512m", "executorMemory": "512m"}""").getAsJsonObject();
        elasticBody.add("conf", elasticConf);
        libraries.addTo(elasticBody);
        elastic = create(elasticBody.toString());
        started = livy.awaitSessionState(session, "idle", START);
        livy.awaitSessionState(doomed, "idle", START);
        livy.awaitSessionState(elastic, "idle", START);
    }

    private int create(String body) {
        LivyClient.Response created = livy.post("/sessions", body);
        assertEquals(201, created.status(), String.valueOf(created.body()));
        return created.json().get("id").getAsInt();
    }

    /** A gateway configured as an operator would for this YARN: master, Hadoop client configuration, Spark's jars. */
    static TestConfig yarnGateway(YarnTestBed bed) {
        return TestEngine.settings().with(Settings.SPARK_MASTER, "yarn")
                .with(Settings.HADOOP_CONF_DIR, bed.hadoopConfDir())
                .with(Settings.YARN_JARS, "local:" + sparkHome().resolve("jars") + "/*");
    }

    private static Path sparkHome() {
        return SparkHome.resolve(null, TestEngine.python())
                .orElseThrow(() -> new AssertionError("the venv's pyspark is a Spark distribution; not found"));
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (libraries != null) {
            libraries.close();
        }
    }

    @Test
    @Order(1)
    void theSessionIsAYarnApplicationWhoseTasksRunInYarnContainers() {
        String appId = started.get("appId").getAsString();
        assertTrue(appId.matches("application_\\d+_\\d+"), "a YARN application id: " + started);
        JsonObject app = bed.application(appId);
        assertEquals("RUNNING", app.get("state").getAsString(), app.toString());
        assertEquals("SPARK", app.get("applicationType").getAsString(), app.toString());

        String text = run("""
                import os
                pids = sorted(sc.parallelize(range(8), 4).map(lambda _: os.getpid()).distinct().collect())
                print("master", sc.master)
                print("driver", os.getpid())
                print("tasks", ",".join(str(p) for p in pids))
                """, "pyspark");
        assertEquals("yarn", line(text, "master"), text);
        for (long pid : Arrays.stream(line(text, "tasks").split(",")).map(Long::parseLong).toList()) {
            ProcessHandle task = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("task pid " + pid + " gone"));
            assertTrue(isDescendant(task, bed.process()), "Python task " + pid + " runs in a YARN container: " + text);
        }
    }

    @Test
    @Order(2)
    void appInfoLinksTheSparkUiThroughTheResourceManagersProxyAndTheApplicationMastersLog() {
        String appId = started.get("appId").getAsString();
        JsonObject s = livy.awaitJson("/sessions/" + session, j -> {
            JsonObject info = j.getAsJsonObject("appInfo");
            return !info.get("driverLogUrl").isJsonNull() && info.get("sparkUiUrl").getAsString().contains("/proxy/");
        }, Duration.ofSeconds(15));
        JsonObject info = s.getAsJsonObject("appInfo");
        JsonObject app = bed.application(appId);
        assertEquals(app.get("trackingUrl").getAsString(), info.get("sparkUiUrl").getAsString(), s.toString());
        assertEquals(app.get("amContainerLogs").getAsString(), info.get("driverLogUrl").getAsString(), s.toString());
        assertTrue(info.get("driverLogUrl").getAsString().contains("/containerlogs/container_"), s.toString());
        // The tracking URL is usable: the ResourceManager's proxy serves the driver's Spark UI through it.
        HttpResponse<String> ui = httpGet(info.get("sparkUiUrl").getAsString());
        assertEquals(200, ui.statusCode(), ui.body());
        assertTrue(ui.body().contains("Spark"), ui.body());
    }

    @Test
    @Order(3)
    void pythonScalaSqlAndJavaReadTheOrdersInHdfsAndAgreeWithPythonsCsvModule() throws Exception {
        JsonObject expected = expectedFromPythonsCsvModule();
        String python = run("""
                import csv
                FIELDS = ["order_id", "date", "city", "product", "quantity", "unit_price"]
                def parse(line):
                    return next(csv.DictReader([line], fieldnames=FIELDS))
                orders = sc.textFile("hdfs:///data/orders/*.csv") \\
                    .filter(lambda line: not line.startswith("order_id")).map(parse)
                print("count", orders.count())
                for city, revenue in sorted(orders.map(lambda o: (o["city"], int(o["quantity"]) * float(o["unit_price"])))
                                            .reduceByKey(lambda a, b: a + b).collect()):
                    print("revenue", city, f"{revenue:.2f}")
                df = spark.read.option("header", True).option("inferSchema", True).option("escape", '"') \\
                    .csv("hdfs:///data/orders/*.csv")
                df.createOrReplaceTempView("orders")
                """, "pyspark");
        assertEquals(expected.get("count").getAsString(), line(python, "count"), python);
        List<String> revenue = python.lines().filter(l -> l.startsWith("revenue ")).toList();
        List<String> expectedRevenue = expected.getAsJsonArray("revenue").asList().stream()
                .map(e -> "revenue " + e.getAsString()).toList();
        assertEquals(expectedRevenue, revenue, python);

        JsonObject sql = runJson("SELECT COUNT(*) AS orders, SUM(quantity) AS units FROM orders", "sql");
        var row = sql.getAsJsonObject("data").getAsJsonObject("application/json").getAsJsonArray("data").get(0)
                .getAsJsonArray();
        assertEquals(expected.get("count").getAsLong(), row.get(0).getAsLong(), sql.toString());
        assertEquals(expected.get("units").getAsLong(), row.get(1).getAsLong(), sql.toString());

        // A closure compiled by the Scala REPL, run by executors in YARN containers (REPL classes served by the driver).
        String scala = run("""
                val factor = 3
                val units = spark.table("orders").select("quantity").rdd.map(r => r.getInt(0).toLong * factor).sum().toLong
                println("units3 " + units)
                """, "spark");
        assertEquals(Long.toString(expected.get("units").getAsLong() * 3), line(scala, "units3"), scala);

        // A Java lambda from JShell, shipped the same way.
        String java = run("""
                import org.apache.spark.api.java.function.MapFunction;
                import org.apache.spark.api.java.function.ReduceFunction;
                import org.apache.spark.sql.Encoders;
                long units = spark.table("orders").select("quantity").as(Encoders.INT())
                    .map((MapFunction<Integer, Long>) q -> q * 2L, Encoders.LONG()).reduce((ReduceFunction<Long>) (a, b) -> a + b);
                System.out.println("units2 " + units);
                """, "java");
        assertEquals(Long.toString(expected.get("units").getAsLong() * 2), line(java, "units2"), java);
    }

    @Test
    @Order(4)
    void theS3SeedFlowRunsOnExecutorsInYarnContainersAsPythonsCsvModuleReadsTheFiles() throws Exception {
        OrdersOnS3.assertSeedFlow(run(OrdersOnS3.seedFlow("hdfs:///data/orders"), "pyspark"));
        // The S3A connector reached the executors through YARN, not by paths that exist only on the gateway's host.
        String executorClassPath = run("print(sc.getConf().get('spark.executor.extraClassPath', ''))", "pyspark");
        assertFalse(executorClassPath.contains(TestEngine.jar().toAbsolutePath().getParent().toString()),
                executorClassPath);
    }

    @Test
    @Order(5)
    void dynamicAllocationTakesExecutorContainersFromYarnForAJobAndGivesThemBack() {
        String appId = livy.get("/sessions/" + elastic).json().get("appId").getAsString();
        DynamicAllocationOnYarn.assertExecutorsFollowTheWork(bed, appId, code -> run(elastic, code, "pyspark"));
    }

    @Test
    @Order(6)
    void packagesJarsPyFilesFilesAndArchivesReachTheDriverAndTheExecutorsInYarnContainers() {
        UserLibraries.assertProbe(run(elastic, UserLibraries.probe(), "pyspark"));
        assertEquals(200, livy.delete("/sessions/" + elastic).status());
    }

    @Test
    @Order(7)
    void cancelStopsTheJobsTaskInItsYarnContainer() {
        String statements = "/sessions/" + session + "/statements";
        // One executor with one core: the next job can run only once the sleeping task is gone.
        int sid = post("import time\nsc.parallelize([1], 1).map(lambda x: time.sleep(600) or x).count()");
        String path = statements + "/" + sid;
        livy.awaitJson(path, st -> st.getAsJsonObject("hearth").getAsJsonArray("jobs").asList().stream()
                .anyMatch(j -> j.getAsJsonObject().get("active_tasks").getAsInt() == 1), STATEMENT);
        long t0 = System.nanoTime();
        assertEquals(200, livy.post(path + "/cancel", "").status());
        JsonObject cancelled = livy.awaitStatementDone(session, sid, Duration.ofSeconds(60));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("cancelled", cancelled.get("state").getAsString(), cancelled.toString());
        String next = run("print('after', sc.parallelize([1, 2], 1).count())", "pyspark");
        assertEquals("2", line(next, "after"), next + " (cancel took " + millis + " ms)");
    }

    @Test
    @Order(8)
    void queueExecutorSizesAndProxyUserReachYarn() {
        String appId = livy.get("/sessions/" + doomed).json().get("appId").getAsString();
        // Executors register a moment after the session is idle: wait for YARN to hold all three containers.
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        JsonObject app = bed.application(appId);
        while (app.get("runningContainers").getAsInt() < 3 && System.nanoTime() < deadline) {
            LivyClient.sleep(500);
            app = bed.application(appId);
        }
        assertEquals("root.etl", app.get("queue").getAsString(), app.toString());
        assertEquals("alice", app.get("user").getAsString(), app.toString());
        // The ApplicationMaster (1 vcore) and two executors of 2 vcores each.
        assertEquals(3, app.get("runningContainers").getAsInt(), app.toString());
        assertEquals(1 + 2 * 2, app.get("allocatedVCores").getAsInt(), app.toString());
        // 256m + 384m overhead for the ApplicationMaster, 512m + 384m for each executor.
        assertEquals(640 + 2 * 896, app.get("allocatedMB").getAsInt(), app.toString());
    }

    @Test
    @Order(9)
    void killingTheYarnApplicationFromOutsideMakesTheSessionDeadWithYarnsReasonWithinTenSeconds() {
        String appId = livy.get("/sessions/" + doomed).json().get("appId").getAsString();
        long killedAt = System.nanoTime();
        bed.killApplication(appId);
        livy.awaitJson("/sessions/" + doomed, j -> j.get("state").getAsString().equals("dead"), Duration.ofSeconds(10));
        Duration took = Duration.ofNanos(System.nanoTime() - killedAt);
        String log = String.join("\n", livy.get("/sessions/" + doomed + "/log?size=-1").json().getAsJsonArray("log")
                .asList().stream().map(e -> e.getAsString()).toList());
        assertTrue(log.contains("the YARN application " + appId + " ended KILLED"), log);
        LivyClient.Response refused = livy.post("/sessions/" + doomed + "/statements", "{\"code\": \"1\"}");
        assertTrue(refused.msg().contains("KILLED"), "a statement on it is refused with YARN's reason: " + refused.body()
                + " (dead after " + took.toMillis() + " ms)");
    }

    @Test
    @Order(10)
    void deletingTheSessionEndsItsYarnApplication() {
        String appId = started.get("appId").getAsString();
        assertEquals(200, livy.delete("/sessions/" + session).status());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String state = bed.application(appId).get("state").getAsString();
        while (!List.of("FINISHED", "KILLED", "FAILED").contains(state) && System.nanoTime() < deadline) {
            LivyClient.sleep(250);
            state = bed.application(appId).get("state").getAsString();
        }
        assertTrue(List.of("FINISHED", "KILLED", "FAILED").contains(state), appId + " is still " + state);
    }

    @Test
    @Order(11)
    void anExecutorLargerThanYarnsLargestContainerEndsTheStartWithYarnsReason() {
        int id = create("""
                {"kind": "pyspark", "driverMemory": "512m", "executorMemory": "5g", "numExecutors": 1,
                 "conf": {"spark.yarn.am.memory": "256m"}}""");
        livy.awaitJson("/sessions/" + id, j -> j.get("state").getAsString().equals("dead"), START);
        String log = String.join("\n", livy.get("/sessions/" + id + "/log?size=-1").json().getAsJsonArray("log")
                .asList().stream().map(e -> e.getAsString()).toList());
        assertTrue(log.contains("is above the max threshold (4096 MB) of this cluster"), log);
        LivyClient.Response refused = livy.post("/sessions/" + id + "/statements", "{\"code\": \"1\"}");
        assertTrue(refused.msg().contains("above the max threshold"), "the session's error says why: "
                + refused.body());
    }

    private static HttpResponse<String> httpGet(String url) {
        try {
            return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(Duration.ofSeconds(5)).build()
                    .send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new AssertionError("GET " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static List<Path> csvFiles() throws Exception {
        try (var files = Files.list(DATA)) {
            List<Path> csv = files.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
            assertFalse(csv.isEmpty(), "no CSV files in " + DATA);
            return csv;
        }
    }

    /** The same figures from the same files, computed by the venv's Python with its csv module, without Spark. */
    private static JsonObject expectedFromPythonsCsvModule() throws Exception {
        String script = """
                import csv, glob, json, sys
                rows = []
                for name in sorted(glob.glob(sys.argv[1] + "/*.csv")):
                    with open(name, newline="") as f:
                        rows.extend(csv.DictReader(f))
                revenue = {}
                for r in rows:
                    revenue[r["city"]] = revenue.get(r["city"], 0.0) + int(r["quantity"]) * float(r["unit_price"])
                print(json.dumps({"count": len(rows), "units": sum(int(r["quantity"]) for r in rows),
                                  "revenue": [f"{c} {v:.2f}" for c, v in sorted(revenue.items())]}))
                """;
        Process p = new ProcessBuilder(TestEngine.python(), "-c", script, DATA.toString()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        return JsonParser.parseString(out.strip()).getAsJsonObject();
    }

    private String run(String code, String kind) {
        return run(session, code, kind);
    }

    private String run(int id, String code, String kind) {
        return runJson(id, code, kind).getAsJsonObject("data").get("text/plain").getAsString();
    }

    private int post(String pysparkCode) {
        JsonObject body = new JsonObject();
        body.addProperty("code", pysparkCode);
        body.addProperty("kind", "pyspark");
        LivyClient.Response r = livy.post("/sessions/" + session + "/statements", body.toString());
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.json().get("id").getAsInt();
    }

    private JsonObject runJson(String code, String kind) {
        return runJson(session, code, kind);
    }

    private JsonObject runJson(int id, String code, String kind) {
        JsonObject body = new JsonObject();
        body.addProperty("code", code);
        body.addProperty("kind", kind);
        LivyClient.Response r = livy.post("/sessions/" + id + "/statements", body.toString());
        assertEquals(201, r.status(), String.valueOf(r.body()));
        JsonObject done = livy.awaitStatementDone(id, r.json().get("id").getAsInt(), STATEMENT);
        JsonObject out = done.getAsJsonObject("output");
        assertEquals("ok", out.get("status").getAsString(), done.toString());
        return out;
    }

    static String line(String text, String key) {
        return text.lines().filter(l -> l.startsWith(key + " ")).map(l -> l.substring(key.length() + 1)).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + key + "' line in " + text));
    }

    static boolean isDescendant(ProcessHandle p, ProcessHandle ancestor) {
        for (ProcessHandle h = p; h != null; h = h.parent().orElse(null)) {
            if (h.pid() == ancestor.pid()) {
                return true;
            }
        }
        return false;
    }
}
