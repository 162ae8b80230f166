package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.hearth.gateway.config.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST surface that needs no running Spark: Livy's shapes, 404s and 400s, over real HTTP. The gateway's engine jar
 * here is not a jar at all, so every engine fails at start the way a broken installation would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestApiTest {

    private Gateway gateway;
    private LivyClient livy;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        Path brokenJar = Files.writeString(dir.resolve("broken-engine.jar"), "not a jar");
        gateway = Gateway.start(TestConfig.of(brokenJar, "python3")
                .with(Settings.STATE_DIR, dir.resolve("state")).build());
        livy = new LivyClient(gateway.baseUrl());
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @Test
    void unknownSessionsStatementsAndBatchesAre404WithLivysMessage() {
        // Livy's words, quotes and full stop included: "Session '7' not found." on every route under a session.
        for (String path : new String[] {"/sessions/7", "/sessions/7/state", "/sessions/7/log",
                "/sessions/7/statements", "/sessions/7/statements/0"}) {
            LivyClient.Response r = livy.get(path);
            assertEquals(404, r.status(), path);
            assertEquals("Session '7' not found.", r.msg(), path);
        }
        assertEquals("Session 'nobody' not found.", livy.get("/sessions/nobody").msg());
        Map<String, String> posts = Map.of("/sessions/7/statements", "{\"code\": \"1\"}",
                "/sessions/7/completion", "{\"code\": \"1\", \"cursor\": 1}", "/sessions/7/connect", "",
                "/sessions/7/statements/0/cancel", "");
        posts.forEach((path, body) -> {
            LivyClient.Response r = livy.post(path, body);
            assertEquals(404, r.status(), path + " " + r.body());
            assertEquals("Session '7' not found.", r.msg(), path);
        });
        LivyClient.Response deleted = livy.delete("/sessions/7");
        assertEquals(404, deleted.status());
        assertEquals("Session '7' not found.", deleted.msg());
        assertEquals("Batch '7' not found.", livy.get("/batches/7").msg());
        assertEquals("Batch '7' not found.", livy.delete("/batches/7").msg());

        int id = createSession("{\"kind\": \"pyspark\"}").get("id").getAsInt();
        LivyClient.Response st = livy.get("/sessions/" + id + "/statements/3");
        assertEquals(404, st.status());
        assertEquals("Statement 3 not found in session '" + id + "'.", st.msg());
        assertEquals(404, livy.post("/sessions/" + id + "/statements/3/cancel", "").status());
        assertEquals(404, livy.get("/sessions/" + id + "/statements/x").status());
    }

    @Test
    void badRequestsAre400WithAMessageAndNever500() {
        assertBadRequest("/sessions", "{\"kind\": ", "malformed JSON");
        assertBadRequest("/sessions", "not json", "malformed JSON");
        assertBadRequest("/sessions", "{\"driverMemory\": 4}", "driverMemory");
        assertBadRequest("/sessions", "{\"conf\": {\"spark.master\": \"yarn\"}}", "spark.master");
        assertBadRequest("/sessions", "{\"conf\": {\"spark.submit.deployMode\": \"cluster\"}}", "deployMode");
        assertBadRequest("/sessions", "{\"kind\": \"fortran\"}", "fortran");
        assertEquals(400, livy.get("/sessions?from=abc").status());
    }

    @Test
    void versionIsLivysAnswerWithThisBuildsVersionCommitAndBranch() {
        LivyClient.Response r = livy.get("/version");
        assertEquals(200, r.status(), String.valueOf(r.body()));
        JsonObject v = r.json();
        assertEquals(Set.of("version", "gitCommit", "revision", "branch", "date", "user", "url", "hearth"), v.keySet());
        String built = System.getProperty("hearth.project.version");
        assertTrue(built != null && !built.isBlank(), "surefire passes the Maven project version");
        JsonObject hearth = v.getAsJsonObject("hearth");
        assertEquals(built, hearth.get("version").getAsString());
        assertEquals("0.9.0", hearth.get("livyApi").getAsString());
        // pylivy and Zeppelin read the leading x.y.z as the Livy release whose API the server speaks.
        assertEquals("0.9.0-hearth-" + built, v.get("version").getAsString());
        String commit = git("rev-parse", "HEAD");
        assertTrue(commit.equals("unknown") || commit.matches("[0-9a-f]{40}"), commit);
        assertEquals(commit, v.get("revision").getAsString());
        assertEquals(commit, v.get("gitCommit").getAsString());
        assertEquals(git("rev-parse", "--abbrev-ref", "HEAD"), v.get("branch").getAsString());
        assertEquals(git("config", "--get", "remote.origin.url").replaceFirst("//[^/@]*@", "//"),
                v.get("url").getAsString(), "the remote, without any credentials in it");
        assertEquals(System.getProperty("user.name"), v.get("user").getAsString());
        Instant date = Instant.parse(v.get("date").getAsString());
        assertTrue(!date.isAfter(Instant.now()), date.toString());
    }

    /** What git answers in this checkout, or "unknown" outside one (or without git), as the build records it. */
    private static String git(String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor() == 0 && !out.isEmpty() ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anUnknownRouteAnswersJsonToo() {
        LivyClient.Response r = livy.get("/no/such/thing");
        assertEquals(404, r.status());
        assertTrue(r.msg().contains("not found"), r.msg());
    }

    @Test
    void aSessionWhoseEngineCannotStartIsDeadWithTheEngineOutputAndRefusesStatements() {
        LivyClient.Response created = livy.post("/sessions", "{\"kind\": \"pyspark\", \"name\": \"broken\"}");
        assertEquals(201, created.status());
        int id = created.json().get("id").getAsInt();
        assertEquals("/sessions/" + id, created.location().orElseThrow());

        JsonObject dead = livy.awaitJson("/sessions/broken", s -> s.get("state").getAsString().equals("dead"),
                Duration.ofSeconds(20));
        String log = dead.getAsJsonArray("log").toString();
        // The java launcher's own complaint, copied from the engine process's output into the session log.
        assertTrue(log.contains("jarfile"), log);
        assertTrue(log.contains("exited with code"), log);

        LivyClient.Response refused = livy.post("/sessions/broken/statements", "{\"code\": \"1 + 1\"}");
        assertEquals(400, refused.status());
        assertTrue(refused.msg().contains("dead"), refused.msg());

        JsonObject logPage = livy.get("/sessions/" + id + "/log?from=0&size=2").json();
        assertEquals(id, logPage.get("id").getAsInt());
        assertEquals(0, logPage.get("from").getAsInt());
        assertTrue(logPage.get("total").getAsInt() >= 2);
        assertEquals(2, logPage.getAsJsonArray("log").size());
    }

    @Test
    void aSessionsSecretSettingsAreNeverShownBackInItsJsonTheListOrItsLog() {
        JsonObject created = createSession("""
                {"kind": "pyspark", "conf": {"spark.hadoop.fs.s3a.access.key": "AKIA-hearth-test",
                 "spark.hadoop.fs.s3a.secret.key": "storage-secret-91",
                 "spark.hadoop.fs.s3a.bucket.logs.session.token": "session-token-92",
                 "spark.ssl.keyStorePassword": "store-password-93", "spark.hadoop.fs.s3a.endpoint": "http://s3.example"}}""");
        int id = created.get("id").getAsInt();
        livy.awaitJson("/sessions/" + id, s -> s.get("state").getAsString().equals("dead"), Duration.ofSeconds(20));
        List<String> answers = List.of(created.toString(), livy.get("/sessions/" + id).body().toString(),
                livy.get("/sessions").body().toString(), livy.get("/sessions/" + id + "/log?size=-1").body().toString());
        for (String answer : answers) {
            for (String secret : List.of("AKIA-hearth-test", "storage-secret-91", "session-token-92",
                    "store-password-93")) {
                assertFalse(answer.contains(secret), secret + " shown in " + answer);
            }
        }
        JsonObject conf = livy.get("/sessions/" + id).json().getAsJsonObject("conf");
        assertEquals("*********(redacted)", conf.get("spark.hadoop.fs.s3a.secret.key").getAsString());
        assertEquals("http://s3.example", conf.get("spark.hadoop.fs.s3a.endpoint").getAsString(),
                "other settings are shown as given");
    }

    @Test
    void sessionNamesAreUniqueAndReachTheSameSessionAsItsId() {
        JsonObject s = createSession("{\"name\": \"unique-one\"}");
        assertEquals(s.get("id"), livy.get("/sessions/unique-one").json().get("id"));
        LivyClient.Response dup = livy.post("/sessions", "{\"name\": \"unique-one\"}");
        assertEquals(400, dup.status());
        assertTrue(dup.msg().contains("unique-one"), dup.msg());
    }

    @Test
    void theSessionListIsLivysFromTotalSessionsPage() {
        createSession("{}");
        createSession("{}");
        JsonObject all = livy.get("/sessions").json();
        int total = all.get("total").getAsInt();
        assertTrue(total >= 2);
        assertEquals(0, all.get("from").getAsInt());
        assertEquals(total, all.getAsJsonArray("sessions").size());

        JsonObject page = livy.get("/sessions?from=1&size=1").json();
        assertEquals(1, page.get("from").getAsInt());
        assertEquals(total, page.get("total").getAsInt());
        assertEquals(1, page.getAsJsonArray("sessions").size());
        assertEquals(all.getAsJsonArray("sessions").get(1).getAsJsonObject().get("id"),
                page.getAsJsonArray("sessions").get(0).getAsJsonObject().get("id"));
    }

    @Test
    void aDeletedSessionLeavesTheListAndASecondDeleteIs404() {
        int id = createSession("{}").get("id").getAsInt();
        LivyClient.Response deleted = livy.delete("/sessions/" + id);
        assertEquals(200, deleted.status());
        assertEquals("deleted", deleted.msg());
        assertEquals(404, livy.get("/sessions/" + id).status());
        assertEquals(404, livy.delete("/sessions/" + id).status());
        livy.get("/sessions").json().getAsJsonArray("sessions")
                .forEach(s -> assertTrue(s.getAsJsonObject().get("id").getAsInt() != id));
    }

    private JsonObject createSession(String body) {
        LivyClient.Response r = livy.post("/sessions", body);
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.json();
    }

    private void assertBadRequest(String path, String body, String mentioned) {
        LivyClient.Response r = livy.post(path, body);
        assertEquals(400, r.status(), body + " -> " + r.body());
        assertTrue(r.msg().contains(mentioned), "'" + r.msg() + "' should mention " + mentioned);
    }
}
