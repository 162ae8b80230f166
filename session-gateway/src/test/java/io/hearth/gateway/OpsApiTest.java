package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code /health} and {@code /metrics} of a real gateway with one real engine that has run statements. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpsApiTest {

    private Gateway gateway;
    private LivyClient livy;
    private int session;

    @BeforeAll
    void runSomeStatements() throws IOException {
        gateway = Gateway.start(TestEngine.config());
        livy = new LivyClient(gateway.baseUrl());
        session = livy.post("/sessions", "{\"kind\": \"pyspark\", \"conf\": {\"spark.ui.enabled\": \"false\"}}")
                .json().get("id").getAsInt();
        livy.awaitSessionState(session, "idle", TestEngine.START);
        for (String code : new String[] {"1+1", "1/0", "import time\ntime.sleep(0.3)"}) {
            JsonObject body = new JsonObject();
            body.addProperty("code", code);
            int sid = livy.post("/sessions/" + session + "/statements", body.toString()).json().get("id").getAsInt();
            livy.awaitStatementDone(session, sid, Duration.ofSeconds(60));
        }
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @Test
    void healthIsOkWithSessionsCountedByState() {
        LivyClient.Response r = livy.get("/health");
        assertEquals(200, r.status());
        JsonObject h = r.json();
        assertEquals("ok", h.get("status").getAsString());
        assertEquals(1, h.get("sessions").getAsInt());
        assertEquals(1, h.getAsJsonObject("sessionsByState").get("idle").getAsInt());
        assertTrue(h.get("uptimeSeconds").getAsLong() >= 0);
    }

    @Test
    void metricsArePrometheusTextWithSessionsStatementsLatenciesAndEngineStarts() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(gateway.baseUrl() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
        Map<String, Double> samples = samples(r.body());
        assertEquals(1.0, samples.get("hearth_sessions{state=\"idle\"}"));
        assertEquals(0.0, samples.get("hearth_sessions{state=\"dead\"}"));
        assertEquals(3.0, samples.get("hearth_statements_submitted_total"));
        assertEquals(3.0, samples.get("hearth_statements_started_total"));
        assertEquals(2.0, samples.get("hearth_statements_finished_total{state=\"available\",status=\"ok\"}"));
        assertEquals(1.0, samples.get("hearth_statements_finished_total{state=\"available\",status=\"error\"}"));
        assertEquals(3.0, samples.get("hearth_statement_duration_seconds_count"));
        assertTrue(samples.get("hearth_statement_duration_seconds_sum") >= 0.3, r.body());
        // The sleeping statement is above 0.25 s; the others are below.
        assertTrue(samples.get("hearth_statement_duration_seconds_bucket{le=\"0.25\"}") <= 2.0);
        assertEquals(1.0, samples.get("hearth_engine_launches_total"));
        assertEquals(1.0, samples.get("hearth_engine_start_duration_seconds_count"));
        assertTrue(samples.get("hearth_engine_start_duration_seconds_sum") > 1.0, "a Spark start takes seconds");
        assertEquals(3.0, samples.get(
                "hearth_http_request_duration_seconds_count{method=\"POST\",route=\"/sessions/{session}/statements\"}"), r.body());
        assertTrue(samples.get("hearth_http_request_duration_seconds_count{method=\"GET\","
                + "route=\"/sessions/{session}/statements/{statement}\"}") >= 3.0);
        // Every sample line parses, every family has HELP and TYPE, and histogram buckets never decrease.
        for (String line : r.body().split("\n")) {
            assertTrue(line.startsWith("# HELP ") || line.startsWith("# TYPE ") || SAMPLE.matcher(line).matches(), line);
        }
        assertTrue(samples.get("hearth_statement_duration_seconds_bucket{le=\"+Inf\"}")
                >= samples.get("hearth_statement_duration_seconds_bucket{le=\"0.001\"}"));
    }

    private static final Pattern SAMPLE = Pattern.compile("([a-z_]+(?:\\{.*\\})?) (\\S+)");

    private static Map<String, Double> samples(String text) {
        Map<String, Double> samples = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!line.startsWith("#") && m.matches()) {
                samples.put(m.group(1), Double.parseDouble(m.group(2)));
            }
        }
        return samples;
    }
}
