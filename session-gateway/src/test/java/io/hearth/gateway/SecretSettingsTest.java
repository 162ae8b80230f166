package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session's secret settings (an S3 secret key, a password) reach its engine and nobody else: the state store holds
 * them only encrypted, before and after a SIGKILL of the gateway, every answer shows them redacted, and the recovered
 * engine still has the real values. The engine's values are compared by their hashes, so no secret is ever printed.
 */
class SecretSettingsTest {

    private static final Duration RUN = Duration.ofSeconds(90);
    private static final String S3_KEY = "spark.hadoop.fs.s3a.secret.key";
    private static final String PASSWORD_KEY = "spark.hearth.test.password";
    private static final String REDACTED = "*********(redacted)";

    @TempDir
    Path dir;

    @Test
    void secretSettingsAreEncryptedAtRestRedactedInAnswersAndReachTheEngineAcrossARestart() throws Exception {
        String s3Secret = "s3-" + UUID.randomUUID();
        String password = "pw-" + UUID.randomUUID();
        Path state = dir.resolve("state");
        Map<String, String> env = TestEngine.gatewayEnv(state);
        env.put("HEARTH_ENGINE_RECONNECT_GRACE", "90s");
        GatewayProcess first = GatewayProcess.start(0, env, dir.resolve("gateway-1.log"), RUN);
        int id;
        try {
            LivyClient livy = new LivyClient(first.baseUrl());
            LivyClient.Response created = livy.post("/sessions", "{\"kind\": \"pyspark\", \"conf\": {"
                    + "\"spark.ui.enabled\": \"false\", \"" + S3_KEY + "\": \"" + s3Secret + "\", \"" + PASSWORD_KEY
                    + "\": \"" + password + "\"}}");
            assertEquals(201, created.status(), String.valueOf(created.body()));
            assertRedacted(created.json());
            id = created.json().get("id").getAsInt();
            livy.awaitSessionState(id, "idle", TestEngine.START);
            assertAnswersRedacted(livy, id, s3Secret, password);
            assertEngineHas(livy, id, 0, s3Secret, password);
            assertFalse(BatchRestartTest.rawStore(state).contains(s3Secret), "the S3 secret is stored encrypted");
            assertFalse(BatchRestartTest.rawStore(state).contains(password), "the password is stored encrypted");
        } finally {
            first.kill();
        }

        GatewayProcess second = GatewayProcess.start(0, env, dir.resolve("gateway-2.log"), RUN);
        try {
            LivyClient livy = new LivyClient(second.baseUrl());
            livy.awaitSessionState(id, "idle", RUN);
            assertAnswersRedacted(livy, id, s3Secret, password);
            assertEngineHas(livy, id, 1, s3Secret, password);
            String raw = BatchRestartTest.rawStore(state);
            assertFalse(raw.contains(s3Secret) || raw.contains(password), "still encrypted after the restart");
            assertTrue(raw.contains(S3_KEY), "the key names are there to look for");
            for (GatewayProcess g : new GatewayProcess[] {first, second}) {
                String log = g.output();
                assertFalse(log.contains(s3Secret) || log.contains(password), "the gateway's log holds no secret");
            }
        } finally {
            second.stop();
        }
    }

    private static void assertAnswersRedacted(LivyClient livy, int id, String... secrets) {
        JsonObject one = livy.get("/sessions/" + id).json();
        assertRedacted(one);
        JsonObject list = livy.get("/sessions").json();
        assertRedacted(list.getAsJsonArray("sessions").get(0).getAsJsonObject());
        for (String s : secrets) {
            assertFalse(one.toString().contains(s) || list.toString().contains(s), "an answer shows a secret");
        }
    }

    private static void assertRedacted(JsonObject session) {
        JsonObject conf = session.getAsJsonObject("conf");
        assertEquals(REDACTED, conf.get(S3_KEY).getAsString(), String.valueOf(conf));
        assertEquals(REDACTED, conf.get(PASSWORD_KEY).getAsString(), String.valueOf(conf));
        assertEquals("false", conf.get("spark.ui.enabled").getAsString(), "other settings are shown as set");
    }

    /** The engine's values of both settings, by their SHA-256, equal the real ones'. */
    private static void assertEngineHas(LivyClient livy, int id, int statement, String s3Secret, String password)
            throws Exception {
        LivyClient.Response posted = livy.post("/sessions/" + id + "/statements", "{\"code\": \"import hashlib\\n"
                + "print(hashlib.sha256(spark.sparkContext.getConf().get('" + S3_KEY + "').encode()).hexdigest(),"
                + " hashlib.sha256(spark.sparkContext.getConf().get('" + PASSWORD_KEY + "').encode()).hexdigest())\"}");
        assertEquals(201, posted.status(), String.valueOf(posted.body()));
        JsonObject st = livy.awaitStatementDone(id, statement, RUN);
        String out = st.getAsJsonObject("output").getAsJsonObject("data").get("text/plain").getAsString();
        assertEquals(sha256(s3Secret) + " " + sha256(password), out.strip(), String.valueOf(st));
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
