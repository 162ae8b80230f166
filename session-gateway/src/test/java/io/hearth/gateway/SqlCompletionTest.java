package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * SQL completion through {@code POST /sessions/{id}/completion} on one real {@code sql} session (local Spark). The
 * first test asks as soon as the session is idle, which is when the engine's first SQL completion used to outlast
 * the gateway's wait for it and Tab offered nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SqlCompletionTest {

    private Gateway gateway;
    private LivyClient livy;
    private int id;

    @BeforeAll
    void startSqlSession() throws Exception {
        gateway = Gateway.start(TestEngine.config());
        livy = new LivyClient(gateway.baseUrl());
        LivyClient.Response created = livy.post("/sessions", "{\"kind\": \"sql\", \"conf\": {\"spark.ui.enabled\": \"false\"}}");
        assertEquals(201, created.status(), String.valueOf(created.body()));
        id = created.json().get("id").getAsInt();
        livy.awaitSessionState(id, "idle", TestEngine.START);
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @Test
    @Order(1)
    void keywordsAreOfferedFromTheFirstTabOfANewSession() {
        JsonObject c = complete("{\"code\": \"SEL\", \"kind\": \"sql\", \"cursor\": 3}");
        assertEquals(List.of("SELECT"), strings(c.getAsJsonArray("candidates")));
        assertEquals(0, c.get("cursor_start").getAsInt());
        assertEquals(3, c.get("cursor_end").getAsInt());
        // The session's kind is sql, so a request without kind completes SQL too; lower case stays lower case.
        assertTrue(strings(complete("{\"code\": \"sel\", \"cursor\": 3}").getAsJsonArray("candidates")).contains("select"));
    }

    @Test
    @Order(2)
    void functionsTempViewsAndTheirColumnsAreOffered() {
        LivyClient.Response posted = livy.post("/sessions/" + id + "/statements", "{\"code\": \"CREATE OR REPLACE TEMP"
                + " VIEW bakery_orders AS SELECT * FROM VALUES ('rye', 3) AS t(loaf, quantity)\"}");
        assertEquals(201, posted.status(), String.valueOf(posted.body()));
        JsonObject done = livy.awaitStatementDone(id, posted.json().get("id").getAsInt(), Duration.ofSeconds(120));
        assertEquals("ok", done.getAsJsonObject("output").get("status").getAsString(), done.toString());

        assertTrue(candidates("SELECT * FROM bakery_o").contains("bakery_orders"));
        assertTrue(candidates("SELECT cou").contains("count"));
        // The named table's columns come first, then keywords and functions (QUALIFY, quarter).
        assertEquals("quantity", candidates("SELECT qua FROM bakery_orders", 10).get(0));
        assertEquals(List.of("bakery_orders.loaf"), candidates("SELECT bakery_orders.lo"));
    }

    private List<String> candidates(String code) {
        return candidates(code, code.codePointCount(0, code.length()));
    }

    private List<String> candidates(String code, int cursor) {
        JsonObject body = new JsonObject();
        body.addProperty("code", code);
        body.addProperty("kind", "sql");
        body.addProperty("cursor", cursor);
        return strings(complete(body.toString()).getAsJsonArray("candidates"));
    }

    private JsonObject complete(String body) {
        LivyClient.Response r = livy.post("/sessions/" + id + "/completion", body);
        assertEquals(200, r.status(), String.valueOf(r.body()));
        return r.json();
    }

    private static List<String> strings(JsonArray array) {
        return array.asList().stream().map(e -> ((JsonPrimitive) e).getAsString()).toList();
    }
}
