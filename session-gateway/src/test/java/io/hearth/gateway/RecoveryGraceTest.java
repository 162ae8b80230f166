package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restarted gateway waits for an engine only for the reconnect grace: a session whose engine does not dial back
 * becomes dead with the reason, its engine (still running, but not answering) is killed by pid, and the ended session
 * stays visible with its statements through later restarts until it is deleted.
 */
class RecoveryGraceTest {

    private static final Duration RUN = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aSessionWhoseEngineDoesNotReconnectDiesAtTheGraceAndItsEngineIsKilled() throws Exception {
        Map<String, String> env = TestEngine.gatewayEnv(dir.resolve("state"));
        env.put("HEARTH_ENGINE_RECONNECT_GRACE", "3s");
        GatewayProcess gateway = GatewayProcess.start(0, env, dir.resolve("gateway-1.log"), RUN);
        ProcessHandle engine = null;
        try {
            LivyClient livy = new LivyClient(gateway.baseUrl());
            int id = livy.post("/sessions", "{\"kind\": \"pyspark\", \"conf\": {\"spark.ui.enabled\": \"false\"}}")
                    .json().get("id").getAsInt();
            livy.awaitSessionState(id, "idle", TestEngine.START);
            livy.post("/sessions/" + id + "/statements", "{\"code\": \"6 * 7\"}");
            assertEquals("42", text(livy.awaitStatementDone(id, 0, RUN)));
            engine = TestProcesses.engines(gateway.handle()).get(0);

            // A frozen engine is alive but cannot reconnect: the one fault here that needs a signal to cause.
            signal("STOP", engine);
            gateway.kill();
            gateway = GatewayProcess.start(gateway.port(), env, dir.resolve("gateway-2.log"), RUN);
            livy = new LivyClient(gateway.baseUrl());
            assertEquals("recovering", livy.get("/sessions/" + id).json().get("state").getAsString());
            JsonObject dead = livy.awaitJson("/sessions/" + id, s -> s.get("state").getAsString().equals("dead"),
                    RUN);
            String log = dead.getAsJsonArray("log").toString();
            assertTrue(log.contains("did not reconnect within 3 s"), log);
            ProcessHandle frozen = engine;
            livy.awaitJson("/sessions/" + id, s -> !frozen.isAlive(), RUN);
            assertEquals("42", text(livy.get("/sessions/" + id + "/statements/0").json()));

            gateway.stop();
            gateway = GatewayProcess.start(gateway.port(), env, dir.resolve("gateway-3.log"), RUN);
            livy = new LivyClient(gateway.baseUrl());
            JsonObject again = livy.get("/sessions/" + id).json();
            assertEquals("dead", again.get("state").getAsString(), "an ended session stays as it ended");
            assertEquals("42", text(livy.get("/sessions/" + id + "/statements/0").json()));
            JsonObject refused = livy.post("/sessions/" + id + "/statements", "{\"code\": \"1\"}").json();
            assertTrue(refused.get("msg").getAsString().contains("did not reconnect"), refused.toString());
            assertEquals(1, livy.post("/sessions", "{\"kind\": \"sql\"}").json().get("id").getAsInt(),
                    "session ids go on from where they were");
            assertEquals(200, livy.delete("/sessions/" + id).status());
            assertEquals(200, livy.delete("/sessions/1").status());
            gateway.stop();
            gateway = GatewayProcess.start(gateway.port(), env, dir.resolve("gateway-4.log"), RUN);
            assertEquals(List.of(), List.of(new LivyClient(gateway.baseUrl()).get("/sessions").json()
                    .getAsJsonArray("sessions").asList().toArray()), "deleted sessions stay deleted");
        } finally {
            gateway.kill();
            if (engine != null && engine.isAlive()) {
                engine.descendants().forEach(ProcessHandle::destroyForcibly);
                engine.destroyForcibly();
            }
        }
    }

    private static String text(JsonObject statement) {
        return statement.getAsJsonObject("output").getAsJsonObject("data").get("text/plain").getAsString();
    }

    private static void signal(String name, ProcessHandle process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
    }
}
