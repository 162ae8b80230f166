package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.config.Settings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The messages bad input gets, over real HTTP: each names what to fix. The engine jar is not a jar (no Spark is
 * needed): a request that got past validation would show up as a new session, which the tests check never happens.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InputValidationTest {

    private Gateway gateway;
    private LivyClient livy;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        Path brokenJar = Files.writeString(dir.resolve("broken-engine.jar"), "not a jar");
        Map<String, String> cli = Map.of(Settings.ENGINE_JAR.key(), brokenJar.toString(), Settings.PORT.key(), "0",
                Settings.POOL_SIZE.key(), "0", Settings.MAX_MEMORY.key(), "8g", Settings.MAX_CORES.key(), "4", Settings.MAX_EXECUTORS.key(), "10",
                Settings.STATE_DIR.key(), TestEngine.stateDir().toString());
        gateway = Gateway.start(GatewayConfig.resolve(cli, Map.of(), new Properties()));
        livy = new LivyClient(gateway.baseUrl());
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @Test
    void absurdResourcesAreRefusedNamingTheFieldAndTheOperatorsLimit() {
        assertRefused("{\"driverMemory\": \"999999t\"}", "'driverMemory' asks for 999999t", "8192m",
                "hearth.session.max-memory");
        assertRefused("{\"executorMemory\": \"99999999999999999999g\"}", "'executorMemory'", "hearth.session.max-memory");
        assertRefused("{\"numExecutors\": 1000000000}", "'numExecutors' asks for 1000000000", "limit of 10",
                "hearth.session.max-executors");
        assertRefused("{\"driverCores\": 1000000}", "'driverCores' asks for 1000000", "hearth.session.max-cores");
        assertRefused("{\"driverCores\": -1}", "'driverCores' must be positive");
        assertRefused("{\"conf\": {\"spark.executor.instances\": \"11\"}}", "'conf.spark.executor.instances' asks for 11");
        assertRefused("{\"conf\": {\"spark.executor.cores\": \"many\"}}", "'conf.spark.executor.cores' must be a whole number");
        assertRefused("{\"conf\": {\"spark.driver.memory\": \"0\"}}", "at least 1m");
        assertEquals(0, livy.get("/sessions").json().get("total").getAsInt());
    }

    @Test
    void resourcesWithinTheLimitsAreAccepted() {
        LivyClient.Response r = livy.post("/sessions", "{\"driverMemory\": \"8g\", \"executorCores\": 4,"
                + " \"numExecutors\": 10, \"name\": \"within-limits\"}");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        assertEquals(200, livy.delete("/sessions/within-limits").status());
    }

    @Test
    void unknownFieldsAreNamed() {
        assertRefused("{\"kidn\": \"pyspark\"}", "unknown field 'kidn'", "kind");
    }

    @Test
    void negativeOrUnreadablePagingIs400ButTheLogKeepsLivysNegativeSentinels() {
        assertEquals("'from' must not be negative, not -1", livy.get("/sessions?from=-1").msg());
        assertEquals("'size' must be an integer, not '\u0663'", livy.get("/sessions?size=%D9%A3").msg());
        assertEquals("'size' must be an integer, not '99999999999'", livy.get("/sessions?size=99999999999").msg());
        LivyClient.Response created = livy.post("/sessions", "{\"name\": \"paging\"}");
        assertEquals(201, created.status());
        assertEquals(400, livy.get("/sessions/paging/statements?size=-2").status());
        assertTrue(livy.get("/sessions/paging/statements?order=sideways").msg().contains("asc or desc"));
        assertEquals(200, livy.get("/sessions/paging/log?from=-1&size=-1").status());
        assertEquals(200, livy.delete("/sessions/paging").status());
    }

    @Test
    void aQueryParameterWithBrokenPercentEncodingIs400NotIgnored() throws Exception {
        // Raw HTTP: java.net.URI refuses to build such a request at all.
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gateway.port())) {
            socket.getOutputStream().write(("GET /sessions?from=%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close"
                    + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            assertTrue(answer.contains("{\"msg\":\"'from' has a broken percent-encoding: '%zz'\"}"), answer);
        }
    }

    @Test
    void aJsonBodyIsReadAsJsonWhateverContentTypeItCameWith() throws Exception {
        // curl -d sends application/x-www-form-urlencoded unless told otherwise; Livy reads bodies as JSON.
        for (String type : new String[] {"application/x-www-form-urlencoded", "text/plain", null}) {
            HttpResponse<String> refused = send(post("/sessions", type, "{\"driverMemory\": \"999999t\"}"));
            assertEquals(400, refused.statusCode(), type + ": " + refused.body());
            assertTrue(refused.body().contains("'driverMemory' asks for 999999t"), type + ": " + refused.body());
        }
        HttpResponse<String> created = send(post("/sessions", "application/x-www-form-urlencoded",
                "{\"name\": \"sent-as-a-form\"}"));
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("sent-as-a-form", livy.get("/sessions/sent-as-a-form").json().get("name").getAsString());
        assertEquals(200, livy.delete("/sessions/sent-as-a-form").status());
    }

    @Test
    void aBodyThatIsNotJsonUnderAnotherContentTypeIs415SayingToSendJson() throws Exception {
        HttpResponse<String> r = send(post("/sessions", "application/x-www-form-urlencoded", "kind=pyspark"));
        assertEquals(415, r.statusCode(), r.body());
        assertTrue(r.body().contains("Content-Type: application/json"), r.body());
        assertTrue(r.body().contains("application/x-www-form-urlencoded"), r.body());
        HttpResponse<String> declaredJson = send(post("/sessions", "application/json", "kind=pyspark"));
        assertEquals(400, declaredJson.statusCode(), declaredJson.body());
        assertTrue(declaredJson.body().contains("malformed JSON"), declaredJson.body());
        assertEquals(0, livy.get("/sessions").json().get("total").getAsInt());
    }

    @Test
    void pathsJettyCannotServeStillAnswerJsonAndCloseTheConnection() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/sessions/%00")).GET());
        assertEquals(400, r.statusCode());
        assertTrue(r.body().startsWith("{\"msg\":\"the request cannot be served"), r.body());
        assertEquals("close", r.headers().firstValue("Connection").orElse(""));
    }

    @Test
    void anotherScriptsDigitsAreNotASessionOrStatementNumber() {
        LivyClient.Response created = livy.post("/sessions", "{\"name\": \"digits\"}");
        int id = created.json().get("id").getAsInt();
        String arabicIndic = new String(Character.toChars(0x0660 + id));
        assertEquals(404, livy.get("/sessions/" + java.net.URLEncoder.encode(arabicIndic,
                java.nio.charset.StandardCharsets.UTF_8)).status());
        assertEquals(200, livy.delete("/sessions/" + id).status());
    }

    private void assertRefused(String body, String... mentioned) {
        LivyClient.Response r = livy.post("/sessions", body);
        assertEquals(400, r.status(), body + " -> " + r.body());
        for (String m : mentioned) {
            assertTrue(r.msg().contains(m), "'" + r.msg() + "' should mention " + m);
        }
    }

    /** A POST with the given Content-Type, or none at all when {@code type} is null. */
    private HttpRequest.Builder post(String path, String type, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return type == null ? b : b.header("Content-Type", type);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
