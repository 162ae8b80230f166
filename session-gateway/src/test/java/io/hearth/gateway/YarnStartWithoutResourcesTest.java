package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.hearth.gateway.config.Settings;
import io.hearth.gateway.yarn.YarnTestBed;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A YARN that cannot give a session's ApplicationMaster a container (the test bed's queue {@code tiny}, 1 % of the
 * cluster): the start ends at the start timeout with YARN's own reason for the wait, and the application, which would
 * otherwise sit in the queue, is killed. One session in each deploy mode, started side by side so that both wait
 * through the same timeout, and one deleted while it waits; meanwhile, on a second gateway, one left waiting when that
 * gateway stops.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class YarnStartWithoutResourcesTest {

    /**
     * Long enough for spark-submit, the engine JVM and the submission on a loaded 2-core machine: three sessions
     * start side by side here, and 50 s were too short for them under CI's load.
     */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(75);
    /** The timeout's own delay: a death follows the timer, the watch's last report and the engine's stop. */
    private static final Duration DEATH_SLACK = Duration.ofSeconds(10);

    private final YarnTestBed bed = YarnTestBed.shared();
    private Gateway gateway;
    private LivyClient livy;
    /** Stopped by a test while its one session waits. */
    private Gateway stopping;
    private LivyClient stoppingLivy;
    private int leftWaiting = -1;
    private Watched clientMode;
    private Watched clusterMode;
    private int deleted;
    private String deletedAppId;
    private long deletedAt;
    private Duration killedAfterDelete;
    private String stoppedWithGatewayAppId;

    @BeforeAll
    void startSessionsAndWatchThemWait() throws Exception {
        // Client mode by default; the cluster-mode session asks for its deploy mode.
        gateway = Gateway.start(YarnSessionTest.yarnGateway(bed)
                .with(Settings.START_TIMEOUT, START_TIMEOUT.toSeconds() + "s")
                .with(Settings.ALLOW_MASTER_OVERRIDE, "true").build());
        livy = new LivyClient(gateway.baseUrl());
        // The default start timeout: its session still waits when the gateway stops.
        stopping = Gateway.start(YarnSessionTest.yarnGateway(bed).build());
        stoppingLivy = new LivyClient(stopping.baseUrl());
        long createdAt = System.nanoTime();
        clientMode = new Watched(create(livy, "{}"));
        clusterMode = new Watched(create(livy, "{\"spark.submit.deployMode\": \"cluster\"}"));
        deleted = create(livy, "{}");
        long deadline = createdAt + START_TIMEOUT.plus(DEATH_SLACK).toNanos();
        while (!clientMode.dead() || !clusterMode.dead() || killedAfterDelete == null) {
            if (System.nanoTime() > deadline) {
                break; // each test says what it lacks
            }
            clientMode.look(createdAt);
            clusterMode.look(createdAt);
            deleteOnceWaiting();
            if (leftWaiting < 0 && clientMode.appId != null && clusterMode.appId != null) {
                // Not beside the three others: a fourth start at once would slow every submission.
                leftWaiting = create(stoppingLivy, "{}");
            }
            LivyClient.sleep(250);
        }
    }

    /** Deletes the third session as soon as its application is known, then notes when YARN has it killed. */
    private void deleteOnceWaiting() {
        if (deletedAppId == null) {
            JsonElement appId = livy.get("/sessions/" + deleted).json().get("appId");
            if (!appId.isJsonNull()) {
                deletedAppId = appId.getAsString();
                deletedAt = System.nanoTime();
                assertEquals(200, livy.delete("/sessions/" + deleted).status());
            }
        } else if (killedAfterDelete == null && ended(bed.application(deletedAppId).get("state").getAsString())) {
            killedAfterDelete = Duration.ofNanos(System.nanoTime() - deletedAt);
        }
    }

    private static int create(LivyClient livy, String conf) {
        JsonObject body = JsonParser.parseString("""
                {"kind": "pyspark", "driverMemory": "512m", "queue": "tiny"}""").getAsJsonObject();
        JsonObject c = JsonParser.parseString(conf).getAsJsonObject();
        c.addProperty("spark.yarn.am.memory", "256m");
        body.add("conf", c);
        LivyClient.Response created = livy.post("/sessions", body.toString());
        assertEquals(201, created.status(), String.valueOf(created.body()));
        return created.json().get("id").getAsInt();
    }

    @AfterAll
    void stop() {
        for (Gateway g : new Gateway[] {gateway, stopping}) {
            if (g != null) {
                g.close();
            }
        }
        // A failed test must not leave its application in the shared bed's queue.
        Stream.concat(Stream.of(clientMode, clusterMode).filter(Objects::nonNull).map(w -> w.appId),
                        Stream.of(deletedAppId, stoppedWithGatewayAppId))
                .filter(Objects::nonNull)
                .filter(appId -> !ended(bed.application(appId).get("state").getAsString()))
                .forEach(bed::killApplication);
    }

    @Test
    @Order(1)
    void inClientModeTheStartEndsWithYarnsReasonAndTheApplicationIsKilled() {
        endedWithYarnsReasonAndWasKilled(clientMode);
    }

    @Test
    @Order(2)
    void inClusterModeTheStartEndsWithYarnsReasonAndTheApplicationIsKilled() {
        endedWithYarnsReasonAndWasKilled(clusterMode);
    }

    @Test
    @Order(3)
    void deletingASessionWhoseApplicationWaitsKillsTheApplication() {
        assertTrue(deletedAppId != null, "session " + deleted + " showed its application while starting");
        assertTrue(killedAfterDelete != null && killedAfterDelete.compareTo(Duration.ofSeconds(10)) <= 0,
                "the application ended within 10 s of the delete: " + killedAfterDelete + ", "
                        + bed.application(deletedAppId));
        assertEquals("KILLED", bed.application(deletedAppId).get("state").getAsString());
    }

    @Test
    @Order(4)
    void stoppingTheGatewayKillsTheApplicationsThatWaitForItsStartingSessions() {
        if (leftWaiting < 0) { // the others never showed their applications: their tests say why
            leftWaiting = create(stoppingLivy, "{}");
        }
        JsonObject waiting = stoppingLivy.awaitJson("/sessions/" + leftWaiting, j -> !j.get("appId").isJsonNull(),
                START_TIMEOUT);
        assertEquals("starting", waiting.get("state").getAsString(), waiting.toString());
        stoppedWithGatewayAppId = waiting.get("appId").getAsString();
        assertEquals("ACCEPTED", bed.application(stoppedWithGatewayAppId).get("state").getAsString());
        stopping.close();
        stopping = null;
        JsonObject app = awaitApplication(stoppedWithGatewayAppId, a -> ended(a.get("state").getAsString()),
                Duration.ofSeconds(20));
        assertEquals("KILLED", app.get("state").getAsString(), app.toString());
    }

    private void endedWithYarnsReasonAndWasKilled(Watched session) {
        int id = session.id;
        // The gateway found the application while it waited, before any engine could report it.
        assertTrue(session.appId != null && session.appId.matches("application_\\d+_\\d+"),
                "session " + id + " showed its application's id while starting: " + session.appId);
        assertEquals("starting", session.stateWhenAppIdShown, "session " + id);
        assertFalse(session.diagnostics.isEmpty(), "YARN had the application " + session.appId + " waiting");
        assertTrue(session.deadAfter != null, "session " + id + " dead within the start timeout and " + DEATH_SLACK
                + ": " + livy.get("/sessions/" + id).body());
        assertTrue(session.deadAfter.compareTo(START_TIMEOUT) >= 0, "dead only at the timeout: " + session.deadAfter);

        String log = sessionLog(id);
        LivyClient.Response refused = livy.post("/sessions/" + id + "/statements", "{\"code\": \"1\"}");
        assertEquals(400, refused.status(), String.valueOf(refused.body()));
        for (String said : List.of(refused.msg(), log)) {
            assertTrue(said.contains("did not become ready within " + START_TIMEOUT.toSeconds() + " s"), said);
            assertTrue(said.contains("the YARN application " + session.appId + " is ACCEPTED in queue "
                    + session.queue), said);
            assertTrue(session.diagnostics.stream().anyMatch(said::contains),
                    "YARN's diagnostics (one of " + session.diagnostics + ") in: " + said);
        }

        JsonObject killed = awaitApplication(session.appId, a -> ended(a.get("state").getAsString()),
                Duration.ofSeconds(20));
        assertEquals("KILLED", killed.get("state").getAsString(), killed.toString());
        String after = sessionLog(id);
        assertTrue(after.contains("killing the YARN application " + session.appId), "the session log says so: "
                + after);
    }

    /**
     * What the test saw of one session while it started: its application's id as the gateway showed it, and what YARN
     * itself said of the application's wait, read from the ResourceManager independently of the gateway until the
     * session died (the scheduler rewrites it: a second application in a queue is activated once the first is gone).
     */
    private final class Watched {
        final int id;
        String appId;
        String stateWhenAppIdShown;
        String queue;
        final Set<String> diagnostics = new LinkedHashSet<>();
        Duration deadAfter;

        Watched(int id) {
            this.id = id;
        }

        boolean dead() {
            return deadAfter != null;
        }

        void look(long createdAt) {
            if (dead()) {
                return;
            }
            JsonObject s = livy.get("/sessions/" + id).json();
            if (appId == null && !s.get("appId").isJsonNull()) {
                appId = s.get("appId").getAsString();
                stateWhenAppIdShown = s.get("state").getAsString();
            }
            if (appId != null) {
                JsonObject app = bed.application(appId);
                String said = withoutTimestamp(app.get("diagnostics").getAsString());
                if (app.get("state").getAsString().equals("ACCEPTED") && !said.isEmpty()) {
                    queue = app.get("queue").getAsString();
                    diagnostics.add(said);
                }
            }
            if (s.get("state").getAsString().equals("dead")) {
                deadAfter = Duration.ofNanos(System.nanoTime() - createdAt);
            }
        }
    }

    private String sessionLog(int id) {
        return String.join("\n", livy.get("/sessions/" + id + "/log?size=-1").json().getAsJsonArray("log")
                .asList().stream().map(JsonElement::getAsString).toList());
    }

    /** The CapacityScheduler dates each diagnostics update ("[Thu Dec 03 ...] Application is ..."): the rest is stable. */
    private static String withoutTimestamp(String diagnostics) {
        return diagnostics.strip().replaceFirst("^\\[[^\\]]*\\]\\s*", "");
    }

    private JsonObject awaitApplication(String appId, Predicate<JsonObject> condition, Duration timeout) {
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
