package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.hearth.gateway.config.Settings;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A standalone master that nothing listens at (a closed loopback port): the session is dead within seconds, its error
 * naming the cause as Spark's log would ("Failed to connect to master"), where Spark alone retried for over a minute and
 * then said only "Cannot call methods on a stopped SparkContext".
 */
class UnreachableMasterTest {

    @Test
    void aSessionOnAMasterNobodyListensAtIsDeadInSecondsAndSaysWhy() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String master = "spark://127.0.0.1:" + port;
        try (Gateway gateway = Gateway.start(TestEngine.settings().with(Settings.SPARK_MASTER, master)
                .with(Settings.LAUNCHER, "auto").build())) {
            LivyClient livy = new LivyClient(gateway.baseUrl());
            long start = System.nanoTime();
            LivyClient.Response created = livy.post("/sessions",
                    "{\"kind\": \"pyspark\", \"conf\": {\"spark.hearth.master.connectTimeout\": \"3s\"}}");
            assertEquals(201, created.status(), String.valueOf(created.body()));
            int id = created.json().get("id").getAsInt();

            JsonObject dead = livy.awaitJson("/sessions/" + id, s -> s.get("state").getAsString().equals("dead"),
                    TestEngine.START);
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            long seconds = millis / 1000;
            // docs/benchmarks.md quotes this line.
            System.out.println("unreachable master: session dead " + millis + " ms after POST /sessions");
            String log = dead.getAsJsonArray("log").toString();
            assertTrue(log.contains("is dead: the engine failed to start: Failed to connect to master " + master)
                    && log.contains("Connection refused") && log.contains("spark.hearth.master.connectTimeout"), log);
            // A spark-submit JVM's start plus the 3 s asked for; Spark's own retries took 70-79 s.
            assertTrue(seconds < 40, "dead after " + seconds + " s");

            LivyClient.Response refused = livy.post("/sessions/" + id + "/statements", "{\"code\": \"1\"}");
            assertTrue(refused.status() >= 400 && refused.status() < 500
                    && refused.msg().contains("Failed to connect to master"), String.valueOf(refused.body()));
        }
    }
}
