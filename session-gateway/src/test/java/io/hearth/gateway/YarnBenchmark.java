package io.hearth.gateway;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.hearth.gateway.launch.SparkHome;
import io.hearth.gateway.yarn.YarnTestBed;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The YARN benchmark (not a test: skipped unless asked for), on the shared YARN/HDFS test bed, one gateway per deploy
 * mode (client: the engine beside the gateway; cluster: the engine in the ApplicationMaster's container). Session start:
 * fresh pyspark sessions one after another, each timed from {@code POST /sessions} to {@code idle} as a client polling
 * every 100 ms sees it, each deleted before the next but the last. Cancel: in that last session, a pyspark job whose
 * two tasks sleep in an executor's YARN container, timed from just before {@code POST .../cancel} to the statement's
 * final state in the client's hands (long-poll). Spark's jars come from the distribution on the node
 * ({@code spark.yarn.jars=local:...}). Run: {@code bin/hearth bench yarn}.
 */
@EnabledIfSystemProperty(named = "hearth.bench", matches = "true")
class YarnBenchmark {

    private static final int STARTS = Integer.getInteger("hearth.bench.starts", 5);
    private static final int CANCELS = Integer.getInteger("hearth.bench.runs", 5);
    private static final Duration WAIT = Duration.ofMinutes(5);

    @Test
    void sessionStartAndCancelOnYarnInClientAndClusterDeployMode() throws Exception {
        YarnTestBed bed = YarnTestBed.shared();
        Path sparkHome = SparkHome.resolve(null, TestEngine.python()).orElseThrow();
        List<String> rows = new ArrayList<>();
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        for (String mode : List.of("client", "cluster")) {
            Path dir = Files.createTempDirectory("hearth-yarn-bench-" + mode + "-");
            Map<String, String> env = new HashMap<>();
            env.put("HADOOP_CONF_DIR", bed.hadoopConfDir().toString());
            env.put("HEARTH_ENGINE_JAR", TestEngine.jar().toString());
            env.put("HEARTH_PYTHON", TestEngine.python());
            env.put("HEARTH_STATE_DIR", dir.resolve("state").toString());
            env.put("HEARTH_SPARK_MASTER", "yarn");
            env.put("HEARTH_SPARK_DEPLOY_MODE", mode);
            env.put("HEARTH_SPARK_YARN_JARS", "local:" + sparkHome.resolve("jars") + "/*");
            env.put("HEARTH_SESSION_START_TIMEOUT", WAIT.toSeconds() + "s");
            GatewayProcess gateway = GatewayProcess.start(0, env, dir.resolve("gateway.log"), Duration.ofMinutes(2));
            try {
                LivyClient livy = new LivyClient(gateway.baseUrl());
                List<Double> starts = new ArrayList<>();
                int session = -1;
                for (int i = 0; i < STARTS; i++) {
                    if (session >= 0) {
                        livy.delete("/sessions/" + session);
                    }
                    long t0 = System.nanoTime();
                    session = livy.post("/sessions", body()).json().get("id").getAsInt();
                    livy.awaitSessionState(session, "idle", WAIT);
                    starts.add((System.nanoTime() - t0) / 1e6);
                }
                List<Double> cancels = cancels(livy, "/sessions/" + session + "/statements");
                livy.delete("/sessions/" + session);
                rows.add(row(mode + " mode: session start, POST /sessions -> idle", starts));
                rows.add(row(mode + " mode: cancel of a running pyspark job, POST .../cancel -> cancelled", cancels));
            } finally {
                gateway.stop();
            }
        }
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        System.out.println(String.format(Locale.ROOT, "HEARTH-BENCH load average %.1f before, %.1f after", loadBefore,
                loadAfter));
        System.out.println("HEARTH-BENCH | YARN (test bed) | runs | median | min | max | all (ms, in order) |");
        System.out.println("HEARTH-BENCH |---|---|---|---|---|---|");
        rows.forEach(r -> System.out.println("HEARTH-BENCH " + r));
    }

    private static List<Double> cancels(LivyClient livy, String statements) {
        expect(livy.get(statements + "/" + post(livy, statements, "sc.parallelize(range(4), 2).count()")
                + "?wait=300s").json(), "4");
        List<Double> cancels = new ArrayList<>();
        for (int i = 0; i < CANCELS; i++) {
            int sid = post(livy, statements,
                    "import time\nsc.parallelize(range(2), 2).map(lambda x: time.sleep(600) or x).count()");
            String path = statements + "/" + sid;
            livy.awaitJson(path, st -> activeTasks(st) == 2, WAIT);
            long t0 = System.nanoTime();
            LivyClient.Response r = livy.post(path + "/cancel", "");
            if (r.status() != 200) {
                throw new AssertionError("cancel answered " + r.status() + ": " + r.body());
            }
            JsonObject st = livy.get(path + "?wait=60s").json();
            cancels.add((System.nanoTime() - t0) / 1e6);
            if (!"cancelled".equals(st.get("state").getAsString())) {
                throw new AssertionError("the cancelled statement ended " + st);
            }
        }
        return cancels;
    }

    /** One executor with two cores, so that both tasks of a cancelled job run at once; small containers. */
    private static String body() {
        JsonObject conf = new JsonObject();
        conf.addProperty("spark.yarn.am.memory", "256m");
        // The test bed is loopback only: every Spark process binds there.
        conf.addProperty("spark.yarn.appMasterEnv.SPARK_LOCAL_IP", "127.0.0.1");
        conf.addProperty("spark.executorEnv.SPARK_LOCAL_IP", "127.0.0.1");
        JsonObject body = new JsonObject();
        body.addProperty("kind", "pyspark");
        body.addProperty("driverMemory", "768m");
        body.addProperty("executorMemory", "512m");
        body.addProperty("executorCores", 2);
        body.addProperty("numExecutors", 1);
        body.add("conf", conf);
        return body.toString();
    }

    private static int activeTasks(JsonObject statement) {
        JsonArray jobs = statement.getAsJsonObject("hearth").getAsJsonArray("jobs");
        int active = 0;
        for (var j : jobs) {
            active += j.getAsJsonObject().get("active_tasks").getAsInt();
        }
        return active;
    }

    private static void expect(JsonObject statement, String expected) {
        JsonObject data = statement.getAsJsonObject("hearth").getAsJsonObject("data");
        String text = data == null || !data.has("text/plain") ? null : data.get("text/plain").getAsString();
        if (!"available".equals(statement.get("state").getAsString()) || text == null || !text.endsWith(expected)) {
            throw new AssertionError("expected " + expected + ", got " + statement);
        }
    }

    private static int post(LivyClient livy, String statements, String code) {
        JsonObject body = new JsonObject();
        body.addProperty("kind", "pyspark");
        body.addProperty("code", code);
        LivyClient.Response r = livy.post(statements, body.toString());
        if (r.status() != 201) {
            throw new AssertionError("POST " + statements + " answered " + r.status() + ": " + r.body());
        }
        return r.json().get("id").getAsInt();
    }

    private static String row(String name, List<Double> millis) {
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        List<String> all = millis.stream().map(m -> String.format(Locale.ROOT, "%.0f", m)).toList();
        return String.format(Locale.ROOT, "| %s | %d | %.0f ms | %.0f ms | %.0f ms | %s |", name, sorted.size(),
                sorted.get((sorted.size() - 1) / 2), sorted.get(0), sorted.get(sorted.size() - 1),
                String.join(", ", all));
    }
}
