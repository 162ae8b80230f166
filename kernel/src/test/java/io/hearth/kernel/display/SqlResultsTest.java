package io.hearth.kernel.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a notebook shows of a SQL result: the tables, never Livy's application/json. */
class SqlResultsTest {

    private static final String LIVY_JSON = "{\"schema\": {\"type\": \"struct\", \"fields\": ["
            + "{\"name\": \"loaf\", \"type\": \"string\", \"nullable\": true, \"metadata\": {}},"
            + "{\"name\": \"n\", \"type\": \"long\", \"nullable\": true, \"metadata\": {}}]},"
            + " \"data\": [[\"rye <dark>\", 3], [\"spelt\", null]], \"truncated\": false}";

    @Test
    void aHearthResultKeepsItsOwnTablesAndLosesOnlyTheJson() {
        JsonObject result = JsonParser.parseString("{\"application/json\": " + LIVY_JSON
                + ", \"text/plain\": \"engine text\", \"text/html\": \"<table>engine</table>\"}").getAsJsonObject();
        JsonObject shown = SqlResults.shown(result);
        assertEquals(Set.of("text/plain", "text/html"), shown.keySet());
        assertEquals("engine text", shown.get("text/plain").getAsString());
        assertEquals("<table>engine</table>", shown.get("text/html").getAsString());
        assertTrue(result.has("application/json"), "the result itself is left as it was");
    }

    @Test
    void aPlainLivyResultWithOnlyJsonBecomesHtmlAndTextTables() {
        JsonObject shown = SqlResults.shown(JsonParser.parseString("{\"application/json\": " + LIVY_JSON + "}")
                .getAsJsonObject());
        assertEquals(Set.of("text/plain", "text/html"), shown.keySet());
        String html = shown.get("text/html").getAsString();
        assertTrue(html.contains("<th>loaf</th><th>n</th>"), html);
        assertTrue(html.contains("<td>rye &lt;dark&gt;</td><td>3</td>") && html.contains("<td>spelt</td><td>null</td>"),
                html);
        assertEquals("loaf        n\nrye <dark>  3\nspelt       null\n", shown.get("text/plain").getAsString());
    }

    @Test
    void aResultThatIsNotASqlTableIsShownAsItIs() {
        JsonObject result = JsonParser.parseString("{\"application/json\": {\"a\": [1, 2]}, \"text/plain\": \"x\"}")
                .getAsJsonObject();
        assertEquals(result, SqlResults.shown(result));
    }
}
