package io.hearth.gateway;

import com.google.gson.JsonObject;
import io.hearth.gateway.launch.SparkHome;
import io.hearth.gateway.yarn.YarnTestBed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The session start benchmark on YARN (not a test: skipped unless asked for). On the shared YARN/HDFS test bed, one
 * gateway per deploy mode (client: the engine beside the gateway; cluster: the engine in the ApplicationMaster's
 * container) starts sessions one after another, each timed from {@code POST /sessions} to {@code idle} as a client
 * polling every 100 ms sees it, then deleted. Spark's jars come from the distribution on the node
 * ({@code spark.yarn.jars=local:...}). Run: {@code bin/hearth bench yarn-start}.
 */
@EnabledIfSystemProperty(named = "hearth.bench", matches = "true")
class YarnStartBenchmark {

    private static final int STARTS = Integer.getInteger("hearth.bench.runs", 5);
    private static final Duration WAIT = Duration.ofMinutes(5);

    @Test
    void sessionStartOnYarnInClientAndClusterDeployMode() throws Exception {
        YarnTestBed bed = YarnTestBed.shared();
        Path sparkHome = SparkHome.resolve(null, TestEngine.python()).orElseThrow();
        for (String mode : List.of("client", "cluster")) {
            Path dir = Files.createTempDirectory("hearth-yarn-bench-" + mode + "-");
            Map<String, String> env = new HashMap<>();
            env.put("HADOOP_CONF_DIR", bed.hadoopConfDir().toString());
            env.put("HEARTH_ENGINE_JAR", TestEngine.jar().toString());
            env.put("HEARTH_PYTHON", TestEngine.python());
            env.put("HEARTH_STATE_DIR", dir.resolve("state").toString());
            env.put("HEARTH_SPARK_MASTER", "yarn");
            env.put("HEARTH_SPARK_DEPLOY_MODE", mode);
            env.put("HEARTH_SESSION_START_TIMEOUT", WAIT.toSeconds() + "s");
            GatewayProcess gateway = GatewayProcess.start(0, env, dir.resolve("gateway.log"), Duration.ofMinutes(2));
            try {
                LivyClient livy = new LivyClient(gateway.baseUrl());
                List<Double> seconds = new ArrayList<>();
                for (int i = 0; i < STARTS; i++) {
                    long t0 = System.nanoTime();
                    int id = livy.post("/sessions", body(sparkHome, mode)).json().get("id").getAsInt();
                    livy.awaitSessionState(id, "idle", WAIT);
                    seconds.add((System.nanoTime() - t0) / 1e9);
                    livy.delete("/sessions/" + id);
                }
                List<Double> sorted = seconds.stream().sorted().toList();
                System.out.println(String.format(Locale.ROOT,
                        "HEARTH-BENCH yarn %-7s session start (POST to idle), %d starts: median %.1f s, min %.1f s,"
                                + " max %.1f s; each: %s", mode, STARTS, sorted.get(sorted.size() / 2), sorted.get(0),
                        sorted.get(sorted.size() - 1), seconds.stream()
                                .map(s -> String.format(Locale.ROOT, "%.1f", s)).toList()));
            } finally {
                gateway.stop();
            }
        }
    }

    private static String body(Path sparkHome, String mode) {
        JsonObject conf = new JsonObject();
        conf.addProperty("spark.yarn.jars", "local:" + sparkHome.resolve("jars") + "/*");
        conf.addProperty("spark.ui.enabled", "false");
        // The test bed is loopback only: every Spark process binds there.
        conf.addProperty("spark.yarn.appMasterEnv.SPARK_LOCAL_IP", "127.0.0.1");
        conf.addProperty("spark.executorEnv.SPARK_LOCAL_IP", "127.0.0.1");
        if (mode.equals("client")) {
            conf.addProperty("spark.driver.host", "127.0.0.1");
            conf.addProperty("spark.driver.bindAddress", "127.0.0.1");
        }
        JsonObject body = new JsonObject();
        body.addProperty("kind", "pyspark");
        body.addProperty("driverMemory", "768m");
        body.addProperty("executorMemory", "512m");
        body.addProperty("numExecutors", 1);
        body.add("conf", conf);
        return body.toString();
    }
}
