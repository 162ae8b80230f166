package io.hearth.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hearth.gateway.Gateway;
import io.hearth.gateway.TestConfig;
import io.hearth.gateway.config.AuthSettings;
import io.hearth.gateway.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Livy's CSRF protection over real HTTP: requests that change something need {@code X-Requested-By}; reads do not. No
 * Spark: the engine jar is not a jar, and sessions here only need to exist.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CsrfTest {

    private static final Map<String, String> REQUESTED_BY = Map.of("X-Requested-By", "sparkmagic");

    private Gateway protectedGateway;
    private Gateway unprotectedGateway;
    private Http http;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        Path brokenJar = Files.writeString(dir.resolve("broken-engine.jar"), "not a jar");
        TestConfig config = TestConfig.of(brokenJar, "python3");
        protectedGateway = Gateway.start(config.with(Settings.STATE_DIR, dir.resolve("protected-state"))
                .withAuth(new AuthSettings(Set.of(), null, null, Set.of(), true, false)).build());
        unprotectedGateway = Gateway.start(config.with(Settings.STATE_DIR, dir.resolve("unprotected-state")).build());
        http = new Http(protectedGateway.baseUrl());
    }

    @AfterAll
    void stop() {
        protectedGateway.close();
        unprotectedGateway.close();
    }

    @Test
    void aChangeWithoutXRequestedByIs400WithLivysMessage() {
        int id = http.post("/sessions", REQUESTED_BY, "{}").json().get("id").getAsInt();
        for (Http.Reply r : new Http.Reply[] {
                http.post("/sessions", Map.of(), "{}"),
                http.post("/sessions/" + id + "/statements", Map.of(), "{\"code\": \"1\"}"),
                http.post("/sessions/" + id + "/statements/0/cancel", Map.of(), ""),
                http.send("PUT", "/sessions", Map.of(), "{}"),
                http.delete("/sessions/" + id, Map.of())}) {
            assertEquals(400, r.status(), String.valueOf(r.body()));
            assertEquals("Missing Required Header for CSRF protection.", r.msg());
        }
        // Refused requests changed nothing: the session is still there, and only one was made.
        assertEquals(1, http.get("/sessions", Map.of()).json().get("total").getAsInt());
        assertEquals(200, http.delete("/sessions/" + id, REQUESTED_BY).status());
    }

    @Test
    void readsNeedNoHeaderAndAnyValueOfItWillDo() {
        assertEquals(200, http.get("/sessions", Map.of()).status());
        assertEquals(200, http.send("HEAD", "/sessions", Map.of(), null).status());
        assertEquals(201, http.post("/sessions", Map.of("X-Requested-By", ""), "{}").status());
    }

    @Test
    void offByDefault() {
        assertEquals(201, new Http(unprotectedGateway.baseUrl()).post("/sessions", Map.of(), "{}").status());
    }
}
