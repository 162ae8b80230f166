package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thousand cheap statements queued in one session, the gateway SIGKILLed while they run and started again: every
 * statement runs exactly once, in order, whether it ended before the kill, while no gateway ran, or after the
 * restart. (The engine once kept only its last 100 statements, so a resync sent the others again.)
 */
class GatewayRestartLongQueueTest {

    private static final int STATEMENTS = 1_000;
    /** Statement ids before the thousand: the set-up and the gate they wait behind. */
    private static final int FIRST = 2;
    private static final Duration RUN = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void everyQueuedStatementRunsExactlyOnceAcrossAKillDashNineOfTheGateway() throws Exception {
        long t0 = System.nanoTime();
        Map<String, String> env = TestEngine.gatewayEnv(dir.resolve("state"));
        env.put("HEARTH_ENGINE_RECONNECT_GRACE", "90s");
        Path gate = dir.resolve("gate");
        GatewayProcess gateway = GatewayProcess.start(0, env, dir.resolve("gateway-1.log"), RUN);
        List<ProcessHandle> engines = List.of();
        try {
            LivyClient livy = new LivyClient(gateway.baseUrl());
            int id = livy.post("/sessions", "{\"kind\": \"pyspark\", \"conf\": {\"spark.ui.enabled\": \"false\"}}")
                    .json().get("id").getAsInt();
            livy.awaitSessionState(id, "idle", TestEngine.START);
            engines = TestProcesses.engines(gateway.handle());
            long ready = System.nanoTime();

            post(livy, id, "import os, time\ndone = []");
            // Holds the queue until all thousand are posted, so that the kill finds most of them unfinished.
            post(livy, id, "while not os.path.exists(" + pythonString(gate) + "):\n    time.sleep(0.01)");
            for (int i = 0; i < STATEMENTS; i++) {
                assertEquals(FIRST + i, post(livy, id, "done.append(" + i + ")"));
            }
            Files.createFile(gate);
            livy.awaitJson("/sessions/" + id + "/statements/" + (FIRST + 100),
                    st -> st.get("state").getAsString().equals("available"), RUN);
            gateway.kill();
            long killed = System.nanoTime();
            Thread.sleep(1500); // statements go on ending with no gateway to hear of it

            gateway = GatewayProcess.start(gateway.port(), env, dir.resolve("gateway-2.log"), RUN);
            livy = new LivyClient(gateway.baseUrl());
            livy.awaitSessionState(id, "idle", RUN);
            for (int i = 0; i < STATEMENTS; i++) {
                JsonObject st = livy.get("/sessions/" + id + "/statements/" + (FIRST + i)).json();
                assertEquals("available", st.get("state").getAsString(), st.toString());
                assertEquals("ok", st.getAsJsonObject("output").get("status").getAsString(), st.toString());
            }
            int check = post(livy, id, "(len(done), len(set(done)), done == list(range(" + STATEMENTS + ")))");
            JsonObject out = livy.awaitStatementDone(id, check, RUN).getAsJsonObject("output");
            assertEquals("(" + STATEMENTS + ", " + STATEMENTS + ", True)",
                    out.getAsJsonObject("data").get("text/plain").getAsString(),
                    "statements that ran, distinct ones, and whether they ran in order");
            String log = livy.get("/sessions/" + id + "/log?size=-1").body().toString();
            assertTrue(log.contains("the engine reconnected after the gateway restarted"), log);
            System.out.printf("1,000 statements across a gateway SIGKILL: %d ms from ready to the kill, %d ms from "
                    + "the kill to all checked, %d ms in all%n", Duration.ofNanos(killed - ready).toMillis(),
                    Duration.ofNanos(System.nanoTime() - killed).toMillis(),
                    Duration.ofNanos(System.nanoTime() - t0).toMillis());
            assertEquals(200, livy.delete("/sessions/" + id).status());
        } finally {
            gateway.kill();
            for (ProcessHandle engine : engines) {
                engine.descendants().forEach(ProcessHandle::destroyForcibly);
                engine.destroyForcibly();
            }
        }
    }

    private static int post(LivyClient livy, int session, String code) {
        JsonObject body = new JsonObject();
        body.addProperty("code", code);
        LivyClient.Response r = livy.post("/sessions/" + session + "/statements", body.toString());
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.json().get("id").getAsInt();
    }

    private static String pythonString(Path path) {
        return "'" + path.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
