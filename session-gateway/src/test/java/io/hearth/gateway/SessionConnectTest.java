package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import io.hearth.gateway.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Livy's connect call over real HTTP; the engine jar is not a jar, as the session's engine is not needed here. */
class SessionConnectTest {

    @Test
    void connectAnswersTheSessionAsGetDoesAndAnUnknownOneIs404(@TempDir Path dir) throws Exception {
        Path brokenJar = Files.writeString(dir.resolve("broken-engine.jar"), "not a jar");
        try (Gateway gateway = Gateway.start(TestConfig.of(brokenJar, "python3")
                .with(Settings.STATE_DIR, dir.resolve("state")).build())) {
            LivyClient livy = new LivyClient(gateway.baseUrl());
            int id = livy.post("/sessions", "{\"kind\": \"pyspark\", \"name\": \"attach-me\"}").json().get("id").getAsInt();

            LivyClient.Response connected = livy.post("/sessions/attach-me/connect", "");
            assertEquals(200, connected.status());
            JsonObject session = connected.json();
            assertEquals(id, session.get("id").getAsInt());
            assertEquals("pyspark", session.get("kind").getAsString());
            assertEquals(0, session.get("numExecutors").getAsInt(), "Livy's counts are 0, not null, when not asked for");

            LivyClient.Response unknown = livy.post("/sessions/9999/connect", "");
            assertEquals(404, unknown.status());
            assertEquals("Session '9999' not found.", unknown.msg());
        }
    }
}
