package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.hearth.gateway.launch.SparkHome;
import io.hearth.gateway.yarn.YarnTestBed;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway whose sessions run on YARN (client deploy mode, the shared test bed) is killed with SIGKILL while a session
 * is idle, and again while it runs a statement; each time a new gateway on the same state directory gets the session
 * back from its engine, and the statement that ran through the second kill comes back with its complete output.
 */
class YarnGatewayRestartTest {

    private static final Duration RUN = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void aYarnSessionSurvivesGatewayKillsWhileIdleAndWhileRunningAStatement() throws Exception {
        YarnTestBed bed = YarnTestBed.shared();
        Path sparkHome = SparkHome.resolve(null, TestEngine.python()).orElseThrow();
        Map<String, String> env = TestEngine.gatewayEnv(dir.resolve("state"));
        env.put("HEARTH_ENGINE_RECONNECT_GRACE", "120s");
        env.put("HEARTH_SPARK_MASTER", "yarn");
        env.put("HEARTH_HADOOP_CONF_DIR", bed.hadoopConfDir().toString());
        env.put("HEARTH_SPARK_YARN_JARS", "local:" + sparkHome.resolve("jars") + "/*");
        GatewayProcess gateway = GatewayProcess.start(0, env, dir.resolve("gateway-1.log"), RUN);
        try {
            LivyClient livy = new LivyClient(gateway.baseUrl());
            int id = livy.post("/sessions", """
                    {"kind": "pyspark", "driverMemory": "512m", "executorMemory": "512m", "numExecutors": 1,
                     "conf": {"spark.yarn.am.memory": "256m"}}""").json().get("id").getAsInt();
            String appId = livy.awaitSessionState(id, "idle", YarnSessionTest.START).get("appId").getAsString();
            assertEquals("ok", run(livy, id, "x = sc.parallelize(range(10), 2).sum()\nprint('x', x)")
                    .get("status").getAsString());

            int port = gateway.port();
            gateway.kill();
            gateway = GatewayProcess.start(port, env, dir.resolve("gateway-2.log"), RUN);
            livy = new LivyClient(gateway.baseUrl());
            JsonObject back = livy.awaitSessionState(id, "idle", RUN);
            assertEquals(appId, back.get("appId").getAsString(), "the same YARN application: " + back);
            JsonObject after = run(livy, id, "print('x again', x)");
            assertTrue(after.getAsJsonObject("data").get("text/plain").getAsString().contains("x again 45"),
                    after.toString());

            JsonObject body = new JsonObject();
            body.addProperty("kind", "pyspark");
            body.addProperty("code", """
                    import time
                    print('before')
                    n = sc.parallelize(range(4), 2).map(lambda v: time.sleep(4) or v).count()
                    print('counted', n)""");
            int sid = livy.post("/sessions/" + id + "/statements", body.toString()).json().get("id").getAsInt();
            livy.awaitJson("/sessions/" + id + "/statements/" + sid,
                    st -> st.get("state").getAsString().equals("running"), RUN);
            gateway.kill();
            gateway = GatewayProcess.start(port, env, dir.resolve("gateway-3.log"), RUN);
            livy = new LivyClient(gateway.baseUrl());
            JsonObject done = livy.awaitStatementDone(id, sid, RUN);
            JsonObject out = done.getAsJsonObject("output");
            assertEquals("ok", out.get("status").getAsString(), done.toString());
            assertEquals("before\ncounted 4", out.getAsJsonObject("data").get("text/plain").getAsString().strip(),
                    done.toString());
            assertEquals("RUNNING", bed.application(appId).get("state").getAsString());
        } finally {
            gateway.stop();
        }
    }

    private static JsonObject run(LivyClient livy, int id, String code) {
        JsonObject body = new JsonObject();
        body.addProperty("kind", "pyspark");
        body.addProperty("code", code);
        int sid = livy.post("/sessions/" + id + "/statements", body.toString()).json().get("id").getAsInt();
        return livy.awaitStatementDone(id, sid, RUN).getAsJsonObject("output");
    }
}
