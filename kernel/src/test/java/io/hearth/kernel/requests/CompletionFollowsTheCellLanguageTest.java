package io.hearth.kernel.requests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.hearth.kernel.livy.StatementKind;
import io.hearth.kernel.testing.StubGateway;
import io.hearth.kernel.testing.WiredKernel;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tab and Shift-Tab ask the interpreter of the cell's language: a {@code %%sql} cell of a PySpark kernel completes SQL,
 * with the cursors moved between the cell and the magic's body. A stub gateway records what the kernel asks (see
 * StubGateway; test_kernel_execution.py completes a %%sql cell against a real engine).
 */
class CompletionFollowsTheCellLanguageTest {

    @Test
    void eachLanguageMagicsBodyIsCompletedAndInspectedByItsOwnInterpreter() throws Exception {
        try (StubGateway gateway = new StubGateway();
             WiredKernel kernel = new WiredKernel(gateway.url(), StatementKind.PYSPARK)) {
            kernel.execute("1"); // Tab never starts a session; this cell does

            assertCompletion(kernel, "spark.ra", 8, "pyspark:spark.ra@8", 8);
            assertCompletion(kernel, "%%sql\nSEL", 9, "sql:SEL@3", 9);
            assertCompletion(kernel, "%%sql -n 5\nSELECT * FROM bak", 28, "sql:SELECT * FROM bak@17", 28);
            assertCompletion(kernel, "%%scala\nspark.ra", 16, "spark:spark.ra@8", 16);
            assertCompletion(kernel, "%%java\nspark.ra", 15, "java:spark.ra@8", 15);
            // Cursors count code points: the emoji is one, though Java spends two chars on it.
            assertCompletion(kernel, "%%sql\nSELECT '\uD83D\uDE00', SEL", 20, "sql:SELECT '\uD83D\uDE00', SEL@14", 20);

            JsonObject onMagicLine = kernel.complete("%%sql\nSEL", 3);
            assertEquals(0, onMagicLine.getAsJsonArray("matches").size());
            JsonObject inInfo = kernel.complete("%%info", 6);
            assertEquals(0, inInfo.getAsJsonArray("matches").size());

            JsonObject inspected = kernel.inspect("%%java\nspark", 11);
            assertEquals("java:spark@4", inspected.getAsJsonObject("data").get("text/plain").getAsString());
            assertEquals(List.of("pyspark", "sql", "sql", "spark", "java", "sql", "java"),
                    gateway.requests().stream().filter(r -> r.path().endsWith("/completion") || r.path().endsWith("/inspect"))
                            .map(r -> r.json().get("kind").getAsString()).toList());
        }
    }

    private static void assertCompletion(WiredKernel kernel, String cell, int cursor, String candidate, int end)
            throws Exception {
        JsonObject reply = kernel.complete(cell, cursor);
        JsonArray matches = reply.getAsJsonArray("matches");
        assertEquals(1, matches.size(), reply.toString());
        assertEquals(candidate, matches.get(0).getAsString());
        assertEquals(end, reply.get("cursor_start").getAsInt());
        assertEquals(end, reply.get("cursor_end").getAsInt());
    }
}
