package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An engine that never becomes ready: its session dies at the start timeout, says why, and leaves no process behind. */
class SessionStartTimeoutTest {

    @Test
    void anEngineThatNeverConnectsMakesItsSessionDeadAtTheTimeoutWithItsLogAndIsStopped(@TempDir Path dir)
            throws Exception {
        GatewayConfig config = TestConfig.of(StandInEngine.jar(dir), "python3")
                .with(Settings.START_TIMEOUT, "2s").with(Settings.STATE_DIR, dir.resolve("state")).build();
        try (Gateway gateway = Gateway.start(config)) {
            LivyClient livy = new LivyClient(gateway.baseUrl());
            int id = livy.post("/sessions", "{\"kind\": \"pyspark\"}").json().get("id").getAsInt();
            int sid = livy.post("/sessions/" + id + "/statements", "{\"code\": \"1\"}").json().get("id").getAsInt();
            ProcessHandle engine = awaitStandIn();
            List<ProcessHandle> family = new ArrayList<>(engine.descendants().toList());
            family.add(engine);

            JsonObject dead = livy.awaitJson("/sessions/" + id, s -> s.get("state").getAsString().equals("dead"),
                    Duration.ofSeconds(20));
            String log = dead.getAsJsonArray("log").toString();
            assertTrue(log.contains("did not become ready within 2 s"), log);
            assertTrue(log.contains("secret on stdin: true"), "the engine's own output is in the session log: " + log);

            JsonObject st = livy.get("/sessions/" + id + "/statements/" + sid).json();
            assertEquals("available", st.get("state").getAsString());
            JsonObject out = st.getAsJsonObject("output");
            assertEquals("error", out.get("status").getAsString());
            assertTrue(out.getAsJsonArray("traceback").toString().contains("secret on stdin: true"),
                    "the waiting statement's error quotes the engine log: " + out);

            awaitGone(family);
        }
    }

    private static ProcessHandle awaitStandIn() throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            var found = ProcessHandle.current().children()
                    .filter(p -> p.info().arguments().map(a -> String.join(" ", a)).orElse("").contains("stand-in"))
                    .filter(p -> p.children().findAny().isPresent())
                    .findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the stand-in engine did not start its child");
    }

    private static void awaitGone(List<ProcessHandle> family) throws InterruptedException {
        for (int i = 0; i < 200 && family.stream().anyMatch(ProcessHandle::isAlive); i++) {
            Thread.sleep(50);
        }
        for (ProcessHandle p : family) {
            assertFalse(p.isAlive(), "pid " + p.pid() + " outlived its dead session");
        }
    }
}
