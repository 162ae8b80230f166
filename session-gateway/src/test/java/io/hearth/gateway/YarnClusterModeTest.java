package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.hearth.gateway.channel.SessionSecrets;
import io.hearth.gateway.launch.SparkHome;
import io.hearth.gateway.session.StateStore;
import io.hearth.gateway.store.ConfCipher;
import io.hearth.gateway.store.SqliteStateStore;
import io.hearth.gateway.yarn.YarnTestBed;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Sessions in YARN cluster deploy mode on the shared YARN/HDFS test bed: the engine runs as the Spark driver inside
 * the ApplicationMaster's container and dials back to a gateway (in a JVM of its own, so that it can be killed and
 * restarted). Two sessions serve every test: A (statements in four languages over HDFS, the S3 seed flow, links,
 * cancel, gateway restarts, then delete) and B (dynamic allocation, the code a user adds, then killed from outside
 * through the ResourceManager's REST API); a third is deleted while it starts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class YarnClusterModeTest {

    /** Submission, an AM container, the engine and an executor container, on a loaded 2-core machine. */
    private static final Duration START = TestEngine.START.plusSeconds(60);
    private static final Duration RUN = Duration.ofSeconds(120);
    private static final String ORDERS_DIR = "/hearth-yarn-cluster/orders";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private YarnTestBed bed;
    private Path dir;
    private Path state;
    private Map<String, String> gatewayEnv;
    private GatewayProcess gateway;
    private LivyClient livy;
    private int sessionA;
    private int sessionB;
    private Path sparkHome;
    private OrdersOnS3 s3;
    private UserLibraries libraries;

    @BeforeAll
    void startGatewayAndSessions() throws Exception {
        bed = YarnTestBed.shared();
        dir = Files.createTempDirectory("hearth-yarn-cluster-");
        state = dir.resolve("state");
        sparkHome = SparkHome.resolve(null, TestEngine.python()).orElseThrow();
        for (Path orders : ordersFiles()) {
            bed.put(ORDERS_DIR + "/" + orders.getFileName(), Files.readAllBytes(orders));
        }
        // In the same folder, not matching the glob: counted, it would change every figure.
        bed.put(ORDERS_DIR + "/notes.txt", "not,an,order\n1,2026-09-01,Nowhere,Ghost,999,9.99\n"
                .getBytes(StandardCharsets.UTF_8));

        gatewayEnv = new HashMap<>();
        gatewayEnv.put("HADOOP_CONF_DIR", bed.hadoopConfDir().toString());
        gatewayEnv.put("HEARTH_ENGINE_JAR", TestEngine.jar().toString());
        gatewayEnv.put("HEARTH_PYTHON", TestEngine.python());
        gatewayEnv.put("HEARTH_STATE_DIR", state.toString());
        gatewayEnv.put("HEARTH_SPARK_MASTER", "yarn");
        gatewayEnv.put("HEARTH_SPARK_DEPLOY_MODE", "cluster");
        gatewayEnv.put("HEARTH_SESSION_START_TIMEOUT", START.toSeconds() + "s");
        s3 = OrdersOnS3.start(dir);
        libraries = UserLibraries.build(dir, sparkHome.resolve("jars"));
        gatewayEnv.put("HEARTH_SESSION_ALLOWED_LOCAL_DIRS", libraries.dir().toString());
        gateway = GatewayProcess.start(0, gatewayEnv, dir.resolve("gateway-1.log"), RUN);
        livy = new LivyClient(gateway.baseUrl());
        sessionA = create("pyspark", s3.sessionConf());
        JsonObject elastic = new JsonObject();
        DynamicAllocationOnYarn.addConf(elastic);
        sessionB = create("sql", elastic, libraries);
        livy.awaitSessionState(sessionA, "idle", START);
        livy.awaitSessionState(sessionB, "idle", START);
    }

    @AfterAll
    void stopGateway() throws Exception {
        if (gateway != null) {
            // Sessions the tests did not end are stopped with the gateway (SIGTERM stops every engine).
            gateway.stop();
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
    void statementsInEveryLanguageReadTheHdfsOrdersAsPythonsCsvModuleDoes() throws Exception {
        JsonObject expected = JsonParser.parseString(pythonCsvFigures()).getAsJsonObject();
        String glob = bed.hdfsUri() + ORDERS_DIR + "/*.csv";
        JsonObject seen = JsonParser.parseString(text(sessionA, "pyspark", """
                import csv, json
                FIELDS = ["order_id", "date", "city", "product", "quantity", "unit_price"]
                def parse(line):
                    return next(csv.DictReader([line], fieldnames=FIELDS))
                orders = sc.textFile("%s").filter(lambda l: not l.startswith("order_id")).map(parse)
                revenue = orders.map(lambda o: (o["city"], int(o["quantity"]) * float(o["unit_price"]))) \\
                    .reduceByKey(lambda a, b: a + b).collect()
                df = (spark.read.option("header", True).option("inferSchema", True).option("escape", '"')
                      .csv("%s"))
                df.createOrReplaceTempView("orders")
                executors = sc._jsc.sc().statusTracker().getExecutorInfos()
                print(json.dumps({"count": orders.count(), "revenue_by_city": dict(revenue), "df_count": df.count(),
                                  "executors": len(executors)}))
                """.formatted(glob, glob))).getAsJsonObject();
        long count = expected.get("count").getAsLong();
        assertEquals(count, seen.get("count").getAsLong(), "the glob leaves notes.txt out: " + seen);
        assertEquals(count, seen.get("df_count").getAsLong(), seen.toString());
        assertTrue(seen.get("executors").getAsInt() >= 2, "the driver and an executor container: " + seen);
        JsonObject revenue = seen.getAsJsonObject("revenue_by_city");
        JsonObject expectedRevenue = expected.getAsJsonObject("revenue_by_city");
        assertEquals(expectedRevenue.keySet(), revenue.keySet());
        for (String city : expectedRevenue.keySet()) {
            assertEquals(expectedRevenue.get(city).getAsDouble(), revenue.get(city).getAsDouble(), 1e-6, city);
        }

        JsonObject sql = result(sessionA, "sql",
                "SELECT product, SUM(quantity) AS units FROM orders GROUP BY product ORDER BY product");
        JsonObject units = expected.getAsJsonObject("units_by_product");
        JsonArray rows = sql.getAsJsonObject("application/json").getAsJsonArray("data");
        assertEquals(units.size(), rows.size(), sql.toString());
        for (JsonElement row : rows) {
            String product = row.getAsJsonArray().get(0).getAsString();
            assertEquals(units.get(product).getAsLong(), row.getAsJsonArray().get(1).getAsLong(), product);
        }

        assertEquals("val n: Long = " + count, text(sessionA, "spark",
                "val n = sc.textFile(\"" + glob + "\").filter(!_.startsWith(\"order_id\")).count()"));
        assertEquals(expected.get("vienna").getAsString(), text(sessionA, "java",
                "long vienna = spark.table(\"orders\").filter(\"city = 'Vienna'\").count();\nvienna"));
    }

    @Test
    @Order(2)
    void theS3SeedFlowRunsFromTheDriverInItsContainerAndOnTheExecutorsAsPythonsCsvModuleReadsTheFiles()
            throws Exception {
        OrdersOnS3.assertSeedFlow(text(sessionA, "pyspark", OrdersOnS3.seedFlow(bed.hdfsUri() + ORDERS_DIR)));
    }

    @Test
    @Order(3)
    void dynamicAllocationTakesExecutorContainersFromYarnForAJobAndGivesThemBack() {
        String appId = livy.get("/sessions/" + sessionB).json().get("appId").getAsString();
        DynamicAllocationOnYarn.assertExecutorsFollowTheWork(bed, appId, code -> text(sessionB, "pyspark", code));
    }

    @Test
    @Order(4)
    void packagesJarsPyFilesFilesAndArchivesReachTheDriverInItsContainerAndTheExecutors() {
        UserLibraries.assertProbe(text(sessionB, "pyspark", UserLibraries.probe()));
    }

    @Test
    @Order(5)
    void theSessionNamesItsYarnApplicationAndLinksItsDriverLogAndUiAsTheResourceManagerDoes() throws Exception {
        JsonObject session = livy.get("/sessions/" + sessionA).json();
        String appId = session.get("appId").getAsString();
        assertTrue(appId.matches("application_\\d+_\\d+"), session.toString());
        JsonObject app = bed.application(appId);
        assertEquals("RUNNING", app.get("state").getAsString(), app.toString());
        JsonObject appInfo = session.getAsJsonObject("appInfo");
        assertEquals(app.get("amContainerLogs").getAsString(), appInfo.get("driverLogUrl").getAsString(),
                "the driver's log is the ApplicationMaster container's: " + app);
        assertEquals(app.get("trackingUrl").getAsString(), appInfo.get("sparkUiUrl").getAsString(),
                "the UI through the ResourceManager's proxy: " + app);
        assertTrue(get(appInfo.get("sparkUiUrl").getAsString() + "jobs/").contains("Spark Jobs"),
                "the proxied Spark UI answers");

        // The secret reached the driver without passing through anything YARN shows: not the RM's view of the
        // application, not the container's launch script served with its logs, not spark-submit's argv or environment.
        String secret = secretOf(sessionA);
        String launchScript = get(appInfo.get("driverLogUrl").getAsString() + "/launch_container.sh/?start=0");
        assertTrue(launchScript.contains("HEARTH_GATEWAY_PORT"), "the launch script is served: " + launchScript);
        assertFalse(launchScript.contains(secret), "the secret is not in the served launch script");
        assertFalse(app.toString().contains(secret), "nor in the ResourceManager's report");
        ProcessHandle submit = sparkSubmitOf(sessionA);
        assertFalse(String.join(" ", submit.info().arguments().orElseThrow()).contains(secret), "nor in argv");
        assertFalse(String.join("\n", TestProcesses.environment(submit)).contains(secret), "nor in its environment");
        assertFalse(livy.get("/sessions/" + sessionA + "/log?size=-1").body().toString().contains(secret));
    }

    @Test
    @Order(6)
    void cancellingARunningJobEndsTheStatementWithinTwoSeconds() {
        int running = post(sessionA, "pyspark",
                "import time\nsc.parallelize(range(2), 2).map(lambda x: time.sleep(600) or x).collect()");
        livy.awaitJson("/sessions/" + sessionA + "/statements/" + running, st -> {
            JsonArray jobs = st.getAsJsonObject("hearth").getAsJsonArray("jobs");
            return !jobs.isEmpty() && jobs.get(0).getAsJsonObject().get("active_tasks").getAsInt() > 0;
        }, RUN);
        long cancelAt = System.nanoTime();
        assertEquals(200, livy.post("/sessions/" + sessionA + "/statements/" + running + "/cancel", "{}").status());
        JsonObject done = livy.awaitJson("/sessions/" + sessionA + "/statements/" + running,
                st -> st.get("state").getAsString().equals("cancelled"), RUN);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cancelAt);
        assertTrue(millis <= 2000, "cancelled after " + millis + " ms: " + done);
        assertEquals("3", text(sessionA, "pyspark", "sc.parallelize(range(3)).count()"), "the session goes on");
    }

    @Test
    @Order(7)
    void theSessionComesBackAfterGatewayRestartsWhileIdleAndWhileAStatementRuns() throws Exception {
        text(sessionA, "pyspark", "kept = 41");
        gateway.kill();
        restartGateway("gateway-2.log");
        assertEquals("42", text(sessionA, "pyspark", "kept + 1"), "the same engine, its variables kept");

        int sleeping = post(sessionA, "pyspark", "import time\nprint('before', flush=True)\ntime.sleep(8)\n"
                + "print('after')\nkept * 10");
        livy.awaitJson("/sessions/" + sessionA + "/statements/" + sleeping,
                st -> st.toString().contains("before"), RUN);
        gateway.kill();
        restartGateway("gateway-3.log");
        JsonObject done = livy.awaitStatementDone(sessionA, sleeping, RUN);
        assertEquals("before\nafter\n410", done.getAsJsonObject("output").getAsJsonObject("data")
                .get("text/plain").getAsString(), done.toString());
    }

    @Test
    @Order(8)
    void killingTheApplicationInYarnMakesTheSessionDeadWithinTenSecondsWithYarnsReason() throws Exception {
        String appId = livy.get("/sessions/" + sessionB).json().get("appId").getAsString();
        long killedAt = System.nanoTime();
        // As an operator would (the RM's REST twin of `yarn application -kill`), under simple authentication.
        HttpResponse<String> kill = http.send(HttpRequest.newBuilder(URI.create(bed.resourceManagerWebUrl()
                        + "/ws/v1/cluster/apps/" + appId + "/state?user.name=" + System.getProperty("user.name")))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"state\": \"KILLED\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(kill.statusCode() == 200 || kill.statusCode() == 202, kill.body());
        JsonObject dead = livy.awaitJson("/sessions/" + sessionB, s -> s.get("state").getAsString().equals("dead"),
                Duration.ofSeconds(30));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        assertTrue(millis <= 10_000, "dead " + millis + " ms after the kill");
        String log = dead.getAsJsonArray("log").toString();
        assertTrue(log.contains("the YARN application " + appId + " ended KILLED") && log.contains("killed by user"),
                "the reason is YARN's: " + log);
    }

    @Test
    @Order(9)
    void deletingSessionsEndsTheirYarnApplicationsEvenOneStillStarting() throws Exception {
        String appA = livy.get("/sessions/" + sessionA).json().get("appId").getAsString();
        assertEquals(200, livy.delete("/sessions/" + sessionA).status());
        JsonObject endedA = awaitRmApp(appA, a -> a.get("state").getAsString().equals("FINISHED"));
        assertEquals("SUCCEEDED", endedA.get("finalStatus").getAsString(), "the engine ended itself: " + endedA);

        // A session deleted before its engine has dialled back: spark-submit's end alone would leave it in YARN.
        int starting = create("pyspark");
        JsonObject submitted = livy.awaitJson("/sessions/" + starting + "/log?size=-1",
                l -> l.toString().contains("Submitted application"), START);
        String appC = submitted.toString().replaceAll(".*Submitted application (application_\\d+_\\d+).*", "$1");
        assertEquals("starting", livy.get("/sessions/" + starting).json().get("state").getAsString());
        assertEquals(200, livy.delete("/sessions/" + starting).status());
        awaitRmApp(appC, a -> a.get("state").getAsString().equals("KILLED"));
    }

    private int create(String kind) {
        return create(kind, new JsonObject());
    }

    private int create(String kind, JsonObject conf) {
        return create(kind, conf, null);
    }

    private int create(String kind, JsonObject conf, UserLibraries added) {
        conf.addProperty("spark.yarn.jars", "local:" + sparkHome.resolve("jars") + "/*");
        // The test bed is loopback only: the driver and executors bind there too.
        conf.addProperty("spark.yarn.appMasterEnv.SPARK_LOCAL_IP", "127.0.0.1");
        conf.addProperty("spark.executorEnv.SPARK_LOCAL_IP", "127.0.0.1");
        JsonObject body = new JsonObject();
        body.addProperty("kind", kind);
        body.addProperty("driverMemory", "768m");
        body.addProperty("executorMemory", "512m");
        if (!conf.has("spark.dynamicAllocation.enabled")) {
            body.addProperty("numExecutors", 1);
        }
        body.add("conf", conf);
        if (added != null) {
            added.addTo(body);
        }
        LivyClient.Response r = livy.post("/sessions", body.toString());
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.json().get("id").getAsInt();
    }

    private void restartGateway(String logName) throws Exception {
        gateway = GatewayProcess.start(gateway.port(), gatewayEnv, dir.resolve(logName), RUN);
        livy = new LivyClient(gateway.baseUrl());
        livy.awaitSessionState(sessionA, "idle", RUN);
    }

    private int post(int session, String kind, String code) {
        JsonObject body = new JsonObject();
        body.addProperty("code", code);
        body.addProperty("kind", kind);
        LivyClient.Response r = livy.post("/sessions/" + session + "/statements", body.toString());
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.json().get("id").getAsInt();
    }

    private JsonObject result(int session, String kind, String code) {
        JsonObject done = livy.awaitStatementDone(session, post(session, kind, code), RUN);
        JsonObject output = done.getAsJsonObject("output");
        assertEquals("ok", output.get("status").getAsString(), done.toString());
        return output.getAsJsonObject("data");
    }

    private String text(int session, String kind, String code) {
        return result(session, kind, code).get("text/plain").getAsString();
    }

    /** The figures of the orders files as Python's csv module reads them, from the local copies. */
    private static String pythonCsvFigures() throws Exception {
        String script = """
                import csv, json, sys
                rows = []
                for name in sys.argv[1:]:
                    with open(name, newline="") as f:
                        rows += list(csv.DictReader(f))
                revenue, units = {}, {}
                for r in rows:
                    revenue[r["city"]] = revenue.get(r["city"], 0) + int(r["quantity"]) * float(r["unit_price"])
                    units[r["product"]] = units.get(r["product"], 0) + int(r["quantity"])
                print(json.dumps({"count": len(rows), "revenue_by_city": revenue, "units_by_product": units,
                                  "vienna": str(sum(1 for r in rows if r["city"] == "Vienna"))}))
                """;
        List<String> cmd = new ArrayList<>(List.of(TestEngine.python(), "-c", script));
        ordersFiles().forEach(p -> cmd.add(p.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    private static List<Path> ordersFiles() {
        Path data = Path.of(System.getProperty("user.dir")).getParent().resolve("notebooks/data");
        return List.of(data.resolve("bakery-orders-2026-09.csv"), data.resolve("bakery-orders-2026-10.csv"));
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

    /** The spark-submit process of a cluster-mode session: a child of the gateway, given the session's conf file. */
    private ProcessHandle sparkSubmitOf(int session) {
        String confDir = state.resolve("sessions").resolve(Integer.toString(session)) + "/hearth-conf-";
        return gateway.handle().children()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(confDir)).orElse(false))
                .findFirst().orElseThrow(() -> new AssertionError("no spark-submit under the gateway"));
    }

    private JsonObject awaitRmApp(String appId, java.util.function.Predicate<JsonObject> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonObject app = bed.application(appId);
        while (!done.test(app) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            app = bed.application(appId);
        }
        assertTrue(done.test(app), "YARN's application: " + app);
        return app;
    }

    private String get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url + ": " + r.body());
        return r.body();
    }
}
