package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.hearth.gateway.config.Settings;
import io.hearth.gateway.yarn.YarnTestBed;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A YARN that cannot give a session's ApplicationMaster a container (the test bed's queue {@code tiny}, 1 % of the
 * cluster): the start ends at the start timeout with YARN's own reason for the wait, and the application, which would
 * otherwise sit in the queue, is killed. Client deploy mode.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class YarnStartWithoutResourcesTest {

    /** Long enough for spark-submit, the engine JVM and the submission on a loaded 2-core machine. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(50);
    /** The timeout's own delay: a death follows the timer, the watch's last report and the engine's stop. */
    private static final Duration DEATH_SLACK = Duration.ofSeconds(10);

    private final YarnTestBed bed = YarnTestBed.shared();
    private Gateway gateway;
    private LivyClient livy;
    private String appId;

    @BeforeAll
    void startGateway() throws Exception {
        gateway = Gateway.start(YarnSessionTest.yarnGateway(bed)
                .with(Settings.START_TIMEOUT, START_TIMEOUT.toSeconds() + "s").build());
        livy = new LivyClient(gateway.baseUrl());
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        // A failed test must not leave its application in the shared bed's queue.
        if (appId != null && !ended(bed.application(appId).get("state").getAsString())) {
            bed.killApplication(appId);
        }
    }

    @Test
    void aQueueTooSmallForTheApplicationMasterEndsTheStartWithYarnsReasonAndTheApplicationIsKilled() {
        long createdAt = System.nanoTime();
        LivyClient.Response created = livy.post("/sessions", """
                {"kind": "pyspark", "driverMemory": "512m", "queue": "tiny",
                 "conf": {"spark.yarn.am.memory": "256m"}}""");
        assertEquals(201, created.status(), String.valueOf(created.body()));
        int id = created.json().get("id").getAsInt();

        // The gateway finds the application while it waits, before any engine could report it.
        JsonObject starting = livy.awaitJson("/sessions/" + id, j -> !j.get("appId").isJsonNull(), START_TIMEOUT);
        assertEquals("starting", starting.get("state").getAsString(), starting.toString());
        appId = starting.get("appId").getAsString();
        assertTrue(appId.matches("application_\\d+_\\d+"), starting.toString());

        // What YARN itself says of the wait, read from the ResourceManager independently of the gateway.
        JsonObject app = awaitApplication(a -> a.get("state").getAsString().equals("ACCEPTED")
                && !a.get("diagnostics").getAsString().isBlank(), START_TIMEOUT);
        String queue = app.get("queue").getAsString();
        String diagnostics = withoutTimestamp(app.get("diagnostics").getAsString());

        Duration left = START_TIMEOUT.plus(DEATH_SLACK).minusNanos(System.nanoTime() - createdAt);
        livy.awaitJson("/sessions/" + id, j -> j.get("state").getAsString().equals("dead"), left);
        Duration took = Duration.ofNanos(System.nanoTime() - createdAt);
        assertTrue(took.compareTo(START_TIMEOUT) >= 0, "dead only at the timeout, not before: " + took);

        String log = livyLog(id);
        LivyClient.Response refused = livy.post("/sessions/" + id + "/statements", "{\"code\": \"1\"}");
        assertEquals(400, refused.status(), String.valueOf(refused.body()));
        String error = refused.msg();
        for (String said : List.of(error, log)) {
            assertTrue(said.contains("did not become ready within " + START_TIMEOUT.toSeconds() + " s"), said);
            assertTrue(said.contains("the YARN application " + appId + " is ACCEPTED in queue " + queue), said);
            assertTrue(said.contains(diagnostics), "YARN's diagnostics '" + diagnostics + "' in: " + said);
        }

        JsonObject killed = awaitApplication(a -> ended(a.get("state").getAsString()), Duration.ofSeconds(20));
        assertEquals("KILLED", killed.get("state").getAsString(), killed.toString());
        String after = livyLog(id);
        assertTrue(after.contains("killing the YARN application " + appId), "the session log says so: " + after);
    }

    private String livyLog(int id) {
        return String.join("\n", livy.get("/sessions/" + id + "/log?size=-1").json().getAsJsonArray("log")
                .asList().stream().map(JsonElement::getAsString).toList());
    }

    /** The CapacityScheduler dates each diagnostics update ("[Thu Dec 03 ...] Application is ..."): the rest is stable. */
    private static String withoutTimestamp(String diagnostics) {
        return diagnostics.strip().replaceFirst("^\\[[^\\]]*\\]\\s*", "");
    }

    private JsonObject awaitApplication(java.util.function.Predicate<JsonObject> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonObject app = bed.application(appId);
        while (!condition.test(app)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("YARN's report of " + appId + " after " + timeout + ": " + app);
            }
            LivyClient.sleep(250);
            app = bed.application(appId);
        }
        return app;
    }

    private static boolean ended(String state) {
        return List.of("FINISHED", "FAILED", "KILLED").contains(state);
    }
}
