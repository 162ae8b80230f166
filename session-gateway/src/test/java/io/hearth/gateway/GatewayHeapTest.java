package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finished statements' outputs live in the state store, not in the gateway's heap (issue 11, "Gateway heap"). A real
 * gateway in a JVM of its own with a 64 MiB heap and one real session run {@value #STATEMENTS} statements that each
 * print nearly the output cap (1 MiB here): twice the heap in output, which a gateway holding every output could not
 * keep (it ran out of heap after about 40). Every one reads back exactly as printed: alone, in the paged list, as an
 * event-stream replay and through the long-poll; and again after a SIGKILL and a restart on the same small heap.
 */
class GatewayHeapTest {

    private static final String HEAP = "64m";
    private static final int STATEMENTS = 120;
    /** Characters each statement prints, under the 1 MiB cap set below. */
    private static final int CHARS = 1_000_000;
    private static final Duration RUN = Duration.ofMinutes(4);

    @TempDir
    Path dir;

    @Test
    void statementsAtTheOutputCapBeyondTheHeapStayReadable() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("HEARTH_ENGINE_JAR", TestEngine.jar().toString());
        env.put("HEARTH_PYTHON", TestEngine.python());
        env.put("HEARTH_STATE_DIR", dir.resolve("state").toString());
        env.put("HEARTH_STATEMENT_MAX_OUTPUT", "1m");
        env.put("HEARTH_STATEMENT_OUTPUT_CACHE_SIZE", "8m");
        env.put("HEARTH_ENGINE_RECONNECT_GRACE", "90s");
        GatewayProcess gateway = GatewayProcess.startWithHeap(HEAP, 0, env, dir.resolve("gateway-1.log"), RUN);
        try {
            LivyClient livy = new LivyClient(gateway.baseUrl());
            int session = livy.post("/sessions", "{\"kind\": \"pyspark\", \"conf\": {\"spark.ui.enabled\": \"false\"}}")
                    .json().get("id").getAsInt();
            livy.awaitSessionState(session, "idle", TestEngine.START);
            for (int n = 0; n < STATEMENTS; n++) {
                assertEquals(n, CappedStatements.submit(livy, session, n, CHARS));
            }
            CappedStatements.awaitDone(livy, gateway, session, STATEMENTS - 1, RUN);

            for (int n = 0; n < STATEMENTS; n++) {
                CappedStatements.check(livy.get("/sessions/" + session + "/statements/" + n).json(), n, CHARS);
            }
            checkList(livy, session, 0, STATEMENTS);
            checkReplay(gateway, session, 0);
            checkReplay(gateway, session, STATEMENTS - 1);
            // The long-poll's answer of a finished statement is rendered once and shared.
            CappedStatements.check(livy.get("/sessions/" + session + "/statements/7?wait=5s").json(), 7, CHARS);
            noOutOfMemory(gateway);

            // A restarted gateway reads the statements' summaries, not their outputs: the same heap suffices.
            gateway.kill();
            gateway = GatewayProcess.startWithHeap(HEAP, 0, env, dir.resolve("gateway-2.log"), RUN);
            livy = new LivyClient(gateway.baseUrl());
            livy.awaitSessionState(session, "idle", RUN);
            checkList(livy, session, STATEMENTS - 30, 30);
            checkReplay(gateway, session, STATEMENTS / 2);
            int next = CappedStatements.submit(livy, session, STATEMENTS, CHARS);
            CappedStatements.awaitDone(livy, gateway, session, next, RUN);
            CappedStatements.check(livy.get("/sessions/" + session + "/statements/" + next).json(), STATEMENTS, CHARS);
            noOutOfMemory(gateway);
        } finally {
            gateway.stop();
        }
    }

    private static void noOutOfMemory(GatewayProcess gateway) throws java.io.IOException {
        String log = gateway.output();
        assertFalse(log.contains("OutOfMemoryError"), () -> CappedStatements.tail(log));
    }

    /** Reads statements {@code from} to {@code from + count} with Livy's {@code from}/{@code size}, ten at a time. */
    private static void checkList(LivyClient livy, int session, int from, int count) {
        for (int first = from; first < from + count; first += 10) {
            JsonObject page = livy.get("/sessions/" + session + "/statements?from=" + first + "&size=10").json();
            JsonArray statements = page.getAsJsonArray("statements");
            assertTrue(page.get("total_statements").getAsInt() >= STATEMENTS);
            assertEquals(Math.min(10, from + count - first), statements.size());
            for (int i = 0; i < statements.size(); i++) {
                CappedStatements.check(statements.get(i).getAsJsonObject(), first + i, CHARS);
            }
        }
    }

    /** A finished statement's event stream from the start: its states, what it printed, and its result. */
    private static void checkReplay(GatewayProcess gateway, int session, int statement) throws Exception {
        List<EventStreamClient.Event> events;
        try (EventStreamClient c = EventStreamClient.open(gateway.baseUrl(),
                "/sessions/" + session + "/statements/" + statement + "/events", Optional.empty())) {
            assertEquals(200, c.status());
            events = c.readAll();
        }
        StringBuilder printed = new StringBuilder();
        for (int i = 0; i < events.size(); i++) {
            EventStreamClient.Event e = events.get(i);
            assertTrue(i == 0 || e.id() > events.get(i - 1).id(), "ids increase");
            if (e.type().equals("output")) {
                printed.append(e.data().getAsJsonObject().get("text").getAsString());
            }
        }
        assertEquals(JsonParser.parseString("{\"state\":\"waiting\"}"), events.get(0).data());
        assertEquals(CappedStatements.printed(statement, CHARS), printed.toString(), "statement " + statement);
        EventStreamClient.Event result = events.get(events.size() - 1);
        assertEquals("result", result.type());
        CappedStatements.check(result.data().getAsJsonObject(), statement, CHARS);
    }
}
