package io.hearth.kernel.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.hearth.kernel.livy.RemoteSession;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One escaping rule for all HTML the kernel writes: Livy tables, SQL tables, the session card, magic tables. */
class HtmlTest {

    private static final String NASTY = "it's <b>\"bold\"</b> & more";
    private static final String ESCAPED = "it&#39;s &lt;b&gt;&quot;bold&quot;&lt;/b&gt; &amp; more";

    @Test
    void escapesTheFiveSpecialCharactersAndNullIsEmpty() {
        assertEquals(ESCAPED, Html.escape(NASTY));
        assertEquals("", Html.escape(null));
        assertEquals("javascript:alert(1)", Html.link("javascript:alert(1)", "label"), "only http(s) links are links");
        assertEquals("<a href=\"http://h/a?b=1&amp;c=&#39;2&#39;\" target=\"_blank\">l&amp;l</a>",
                Html.link("http://h/a?b=1&c='2'", "l&l"));
    }

    @Test
    void everyTableTheKernelDrawsEscapesTheSameWay() {
        JsonObject livy = JsonParser.parseString("{\"application/vnd.livy.table.v1+json\": {\"headers\": [{\"name\": \""
                + "col\"}], \"data\": [[" + new com.google.gson.Gson().toJson(NASTY) + "]]}}").getAsJsonObject();
        assertTrue(ResultBundles.showable(livy).get("text/html").getAsString().contains("<td>" + ESCAPED + "</td>"));

        JsonObject sql = JsonParser.parseString("{\"application/json\": {\"schema\": {\"fields\": [{\"name\": \"c\", "
                + "\"type\": \"string\"}]}, \"data\": [[" + new com.google.gson.Gson().toJson(NASTY) + "]]}}")
                .getAsJsonObject();
        assertTrue(SqlResults.shown(sql).get("text/html").getAsString().contains("<td>" + ESCAPED + "</td>"));

        RemoteSession session = new RemoteSession(4, null, null, "idle", "pyspark", NASTY, null, List.of(), null);
        assertTrue(SessionCard.of(session, "http://gw").get("text/html").getAsString().contains("<td>" + ESCAPED + "</td>"));
    }
}
