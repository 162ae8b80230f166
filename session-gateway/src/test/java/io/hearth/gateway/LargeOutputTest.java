package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A statement's output at the default limit ({@code hearth.statement.max-output}, 64 MiB) through a real gateway from a
 * real engine: byte-exact in Livy's JSON, the long-poll and the event stream up to the limit, an {@code OutputTooLarge}
 * error one byte past it, and a result larger than a channel message could once be. One session for all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargeOutputTest {

    private static final Duration RUN = Duration.ofMinutes(5);
    private static final int LIMIT = 64 * 1024 * 1024;
    /** Lines of 100 bytes: digits, a tab and quotes (which JSON escapes), then filler. */
    private static final int LINES = LIMIT / 100;

    private Gateway gateway;
    private LivyClient livy;
    private int session;
    private String lines;

    @BeforeAll
    void startSession() throws Exception {
        gateway = Gateway.start(TestEngine.config());
        livy = new LivyClient(gateway.baseUrl());
        session = livy.post("/sessions", "{\"kind\": \"pyspark\", \"conf\": {\"spark.ui.enabled\": \"false\"}}")
                .json().get("id").getAsInt();
        livy.awaitSessionState(session, "idle", TestEngine.START);
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    private static String code(String code) {
        JsonObject o = new JsonObject();
        o.addProperty("code", code);
        return o.toString();
    }

    /** Prints the lines, then {@code tail} bytes of 'z'; it has no value, whose result ({@code {}}) is 2 bytes. */
    private static String printing(int tail) {
        return "import sys\n"
                + "for b in range(0, " + LINES + ", 10000):\n"
                + "    _ = sys.stdout.write(''.join('%08d\\t\"q\" %s\\n' % (i, 'y' * 86) for i in range(b, min(b + 10000, "
                + LINES + "))))\n"
                + "_ = sys.stdout.write('z' * " + tail + ")";
    }

    /** What {@link #printing} prints. */
    private String expected(int tail) {
        if (lines == null) {
            StringBuilder text = new StringBuilder(LINES * 100);
            String filler = "y".repeat(86);
            for (int i = 0; i < LINES; i++) {
                String n = Integer.toString(i);
                text.append("00000000", n.length(), 8).append(n).append("\t\"q\" ").append(filler).append('\n');
            }
            lines = text.toString();
        }
        return lines + "z".repeat(tail);
    }

    @Test
    void outputOfExactlyTheLimitArrivesByteExactInLivysJsonTheLongPollAndTheEventStream() throws Exception {
        int tail = LIMIT - 2 - LINES * 100;
        String expected = expected(tail);
        int id = livy.post("/sessions/" + session + "/statements", code(printing(tail))).json()
                .get("id").getAsInt();
        String path = "/sessions/" + session + "/statements/" + id;

        JsonObject longPolled = livy.get(path + "?wait=60s").json();
        JsonObject done = "available".equals(longPolled.get("state").getAsString()) ? longPolled
                : livy.awaitStatementDone(session, id, RUN);
        assertEquals("ok", done.getAsJsonObject("output").get("status").getAsString(), String.valueOf(
                done.getAsJsonObject("output").get("evalue")));
        assertEquals(expected, done.getAsJsonObject("output").getAsJsonObject("data").get("text/plain").getAsString());
        JsonArray streams = done.getAsJsonObject("hearth").getAsJsonArray("streams");
        assertEquals(1, streams.size(), "stdout only: nothing was cut");
        assertEquals(expected, streams.get(0).getAsJsonObject().get("text").getAsString());
        done = null;
        streams = null;

        assertEquals(expected, livy.get(path + "?wait=1s").json().getAsJsonObject("output").getAsJsonObject("data")
                .get("text/plain").getAsString(), "a finished statement's long-poll answers at once, whole");

        try (EventStreamClient events = EventStreamClient.open(gateway.baseUrl(), path + "/events", Optional.empty())) {
            StringBuilder printed = new StringBuilder(LIMIT);
            JsonObject result = null;
            for (EventStreamClient.Event e : events.readAll()) {
                if (e.type().equals("output")) {
                    printed.append(e.data().getAsJsonObject().get("text").getAsString());
                } else if (e.type().equals("result")) {
                    result = e.data().getAsJsonObject();
                }
            }
            assertEquals(expected, printed.toString());
            assertEquals(expected, result.getAsJsonObject("output").getAsJsonObject("data").get("text/plain")
                    .getAsString());
        }
    }

    @Test
    void printingPastTheLimitEndsTheStatementOutputTooLargeAndLivyGetsNoPartialText() {
        int tail = LIMIT - LINES * 100 + 1; // one byte more printed than the limit, then the result's 2
        int fitted = LIMIT - LINES * 100;
        int id = livy.post("/sessions/" + session + "/statements", code(printing(tail))).json()
                .get("id").getAsInt();
        JsonObject done = livy.awaitStatementDone(session, id, RUN);
        assertEquals("available", done.get("state").getAsString());
        JsonObject output = done.getAsJsonObject("output");
        assertEquals("error", output.get("status").getAsString());
        assertFalse(output.has("data"), "no text for a Livy client to take for the whole");
        assertEquals("OutputTooLarge", output.get("ename").getAsString());
        assertEquals("The statement returned 67,108,867 bytes (64.0 MiB) of output (printed text, shown values and"
                + " its result), more than the 67,108,864 bytes (64 MiB) one statement may return. Return less (write a"
                + " large result to a file or a table, or fetch it in parts), or raise the gateway's"
                + " hearth.statement.max-output (environment variable HEARTH_STATEMENT_MAX_OUTPUT).",
                output.get("evalue").getAsString());
        JsonArray streams = done.getAsJsonObject("hearth").getAsJsonArray("streams");
        assertEquals(expected(fitted), streams.get(0).getAsJsonObject().get("text").getAsString(),
                "the kernel shows what fitted, the limit's worth");
        assertTrue(streams.get(1).getAsJsonObject().get("text").getAsString().contains("[output cut after"
                + " 67,108,864 bytes (64 MiB)"), String.valueOf(streams.get(1)));
        assertEquals(List.of("stdout", "stderr"), List.of(streams.get(0).getAsJsonObject().get("name").getAsString(),
                streams.get(1).getAsJsonObject().get("name").getAsString()));
    }

    @Test
    void aResultLargerThanAChannelMessageCouldOnceBeArrivesWhole() {
        String statements = "/sessions/" + session + "/statements";
        int set = livy.post(statements, "{\"kind\": \"sql\", \"code\": \"SET hearth.sql.maxRows=300000\"}").json()
                .get("id").getAsInt();
        livy.awaitStatementDone(session, set, RUN);
        // Its JSON, text and HTML tables together are about 30 MB in one message; the channel once took 16 Mi chars.
        int id = livy.post(statements, "{\"kind\": \"sql\", \"code\": \"SELECT id, concat('loaf-', id) AS name FROM"
                + " range(300000)\"}").json().get("id").getAsInt();
        JsonObject done = livy.awaitStatementDone(session, id, RUN);
        int reset = livy.post(statements, "{\"kind\": \"sql\", \"code\": \"SET hearth.sql.maxRows=1000\"}").json()
                .get("id").getAsInt();
        JsonObject output = done.getAsJsonObject("output");
        assertEquals("ok", output.get("status").getAsString(), String.valueOf(output.get("evalue")));
        JsonObject table = output.getAsJsonObject("data").getAsJsonObject("application/json");
        JsonArray rows = table.getAsJsonArray("data");
        assertEquals(300000, rows.size());
        assertEquals("[299999,\"loaf-299999\"]", rows.get(299999).toString());
        assertFalse(table.get("truncated").getAsBoolean());
        assertTrue(output.getAsJsonObject("data").toString().length() > 16 * 1024 * 1024,
                "larger than the old limit: " + output.getAsJsonObject("data").toString().length());
        livy.awaitStatementDone(session, reset, RUN);
    }
}
