package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import io.hearth.gateway.config.Settings;
import io.hearth.gateway.launch.SparkHome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Standalone cluster deploy mode on a real Master and Worker on 127.0.0.1 (the venv's pyspark distribution), where the
 * gateway has to stop a driver itself: a session deleted while its driver waits in the Master for room (it asks for
 * more memory than the Worker has, so no engine will ever dial back) has that driver killed through the Master. An
 * engine running as a Worker's driver on another host (its secret, the channel over TLS, its death) is
 * test_node_engine.py's, on the separate-hosts bed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandaloneClusterModeTest {

    /** spark-submit's start and its submission to the Master, on a loaded 2-core machine. */
    private static final Duration SUBMIT = Duration.ofSeconds(120);
    /** The gateway's stop, then the standalone client that kills the driver (a JVM of its own). */
    private static final Duration KILLED = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private StandaloneCluster cluster;
    private Gateway gateway;
    private LivyClient livy;

    @BeforeAll
    void startClusterAndGateway(@TempDir Path dir) throws Exception {
        Path sparkHome = SparkHome.resolve(null, TestEngine.python())
                .orElseThrow(() -> new AssertionError("the venv's pyspark is a Spark distribution; not found"));
        cluster = StandaloneCluster.start(sparkHome, dir, 1, "1g");
        gateway = Gateway.start(TestEngine.settings()
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
    void aSessionDeletedWhileItsDriverWaitsForRoomHasItsDriverKilledThroughTheMaster() throws Exception {
        // More memory than the Worker has: the Master keeps the driver waiting, and no engine will ever dial back.
        LivyClient.Response created = livy.post("/sessions", """
                {"kind": "pyspark", "driverMemory": "2g", "conf": {"spark.ui.enabled": "false"}}""");
        assertEquals(201, created.status(), created.body().toString());
        int id = created.body().getAsJsonObject().get("id").getAsInt();
        String driverId = livy.awaitJson("/sessions/" + id + "/log?size=-1", l -> l.toString()
                .contains("Driver successfully submitted as"), SUBMIT).toString()
                .replaceAll("(?s).*Driver successfully submitted as (driver-[\\w-]+).*", "$1");

        assertEquals(200, livy.delete("/sessions/" + id).status());
        // Left alone it would wait in the Master for good; spark-submit's end alone does not remove it.
        awaitMasterSays(driverId, "KILLED");
    }

    private void awaitMasterSays(String driverId, String driverState) throws Exception {
        long deadline = System.nanoTime() + KILLED.toNanos();
        String json = "";
        while (System.nanoTime() < deadline) {
            json = http.send(HttpRequest.newBuilder(URI.create(cluster.webUi() + "/json/")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            JsonArray done = JsonParser.parseString(json).getAsJsonObject()
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
}
