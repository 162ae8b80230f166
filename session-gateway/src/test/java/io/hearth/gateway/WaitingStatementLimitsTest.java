package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.config.Settings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One client cannot fill the gateway's heap with statements it never waits for: a session's waiting statements are
 * bounded in number and in code, past which a new one gets 429 naming the setting, until some end. The engine is a
 * stand-in that never connects, so every statement posted stays waiting for as long as the test needs.
 */
class WaitingStatementLimitsTest {

    @Test
    void pastTheWaitingCountOrCodeANewStatementIsRefusedUntilSomeEnd(@TempDir Path dir) throws Exception {
        GatewayConfig config = TestConfig.of(StandInEngine.jar(dir), "python3")
                .with(Settings.START_TIMEOUT, "120s").with(Settings.STATE_DIR, dir.resolve("state"))
                .with(Settings.MAX_WAITING_STATEMENTS, "3").with(Settings.MAX_WAITING_CODE, "100").build();
        try (Gateway gateway = Gateway.start(config)) {
            LivyClient livy = new LivyClient(gateway.baseUrl());
            int id = livy.post("/sessions", "{\"kind\": \"pyspark\"}").json().get("id").getAsInt();
            String statements = "/sessions/" + id + "/statements";

            assertEquals(201, livy.post(statements, "{\"code\": \"1\"}").status());
            LivyClient.Response tooMuchCode = livy.post(statements, "{\"code\": \"'" + "x".repeat(100) + "'\"}");
            assertEquals(429, tooMuchCode.status(), String.valueOf(tooMuchCode.body()));
            assertTrue(tooMuchCode.msg().contains("hearth.statement.max-waiting-code"), tooMuchCode.msg());
            assertEquals(201, livy.post(statements, "{\"code\": \"2\"}").status());
            assertEquals(201, livy.post(statements, "{\"code\": \"3\"}").status());
            LivyClient.Response tooMany = livy.post(statements, "{\"code\": \"4\"}");
            assertEquals(429, tooMany.status(), String.valueOf(tooMany.body()));
            assertTrue(tooMany.msg().contains("already has 3 statements waiting or running")
                    && tooMany.msg().contains("hearth.statement.max-waiting"), tooMany.msg());

            // Nothing was lost or renumbered: the refused ones never became statements.
            assertEquals(3, livy.get(statements).json().getAsJsonObject().get("total_statements").getAsInt());
            assertEquals(200, livy.post(statements + "/0/cancel", "{}").status());
            LivyClient.Response afterOneEnded = livy.post(statements, "{\"code\": \"4\"}");
            assertEquals(201, afterOneEnded.status(), String.valueOf(afterOneEnded.body()));
            assertEquals(3, afterOneEnded.json().get("id").getAsInt());

            // A session with nothing waiting takes one statement of any size the request limit allows.
            int other = livy.post("/sessions", "{\"kind\": \"pyspark\"}").json().get("id").getAsInt();
            assertEquals(201, livy.post("/sessions/" + other + "/statements",
                    "{\"code\": \"'" + "y".repeat(1000) + "'\"}").status());
        }
    }
}
