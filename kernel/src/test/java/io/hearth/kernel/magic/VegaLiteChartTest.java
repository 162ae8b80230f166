package io.hearth.kernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.hearth.kernel.display.SqlTable;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Vega-Lite spec of {@code %%sql --chart}, from a SQL result as the gateway gives it. */
class VegaLiteChartTest {

    /** A result bundle in the engine's shape: Spark's schema JSON and rows as arrays. */
    private static SqlTable table(String schemaFields, String rows) {
        JsonObject bundle = JsonParser.parseString("{\"application/json\": {\"schema\": {\"type\": \"struct\", \"fields\": ["
                + schemaFields + "]}, \"data\": " + rows + ", \"truncated\": false}, \"text/plain\": \"...\"}").getAsJsonObject();
        return SqlTable.from(bundle).orElseThrow();
    }

    private static final SqlTable SALES = table(
            "{\"name\": \"city\", \"type\": \"string\", \"nullable\": true, \"metadata\": {}},"
                    + "{\"name\": \"loaves\", \"type\": \"long\", \"nullable\": false, \"metadata\": {}},"
                    + "{\"name\": \"price\", \"type\": \"decimal(10,2)\", \"nullable\": true, \"metadata\": {}}",
            "[[\"Lyon\", 12, 3.5], [\"Nantes\", 7, null]]");

    @Test
    void barChartHasTheRowsInlineAndTheFirstTwoColumnsAsXAndY() throws Exception {
        JsonObject spec = VegaLiteChart.spec(ChartType.BAR, SALES, Optional.empty(), Optional.empty());
        assertEquals("https://vega.github.io/schema/vega-lite/v5.json", spec.get("$schema").getAsString());
        assertEquals(JsonParser.parseString("[{\"city\": \"Lyon\", \"loaves\": 12, \"price\": 3.5},"
                + "{\"city\": \"Nantes\", \"loaves\": 7, \"price\": null}]"), spec.getAsJsonObject("data").get("values"));
        assertEquals("bar", spec.getAsJsonObject("mark").get("type").getAsString());
        assertEquals(JsonParser.parseString("{\"x\": {\"field\": \"city\", \"type\": \"nominal\"},"
                + "\"y\": {\"field\": \"loaves\", \"type\": \"quantitative\"}}"), spec.get("encoding"));
        assertEquals("bar chart of loaves by city (2 rows)", VegaLiteChart.describe(ChartType.BAR, spec));
    }

    @Test
    void xAndYChooseColumnsAndTheMarkFollowsTheChartType() throws Exception {
        JsonObject line = VegaLiteChart.spec(ChartType.LINE, SALES, Optional.of("loaves"), Optional.of("price"));
        assertEquals("line", line.getAsJsonObject("mark").get("type").getAsString());
        assertEquals(JsonParser.parseString("{\"x\": {\"field\": \"loaves\", \"type\": \"quantitative\"},"
                + "\"y\": {\"field\": \"price\", \"type\": \"quantitative\"}}"), line.get("encoding"));
        assertEquals("area", VegaLiteChart.spec(ChartType.AREA, SALES, Optional.empty(), Optional.empty())
                .getAsJsonObject("mark").get("type").getAsString());
        assertEquals("point", VegaLiteChart.spec(ChartType.SCATTER, SALES, Optional.of("price"), Optional.of("city"))
                .getAsJsonObject("mark").get("type").getAsString());
    }

    @Test
    void pieIsAnArcWithYAsThetaAndXAsColour() throws Exception {
        JsonObject pie = VegaLiteChart.spec(ChartType.PIE, SALES, Optional.empty(), Optional.empty());
        assertEquals("arc", pie.getAsJsonObject("mark").get("type").getAsString());
        assertEquals(JsonParser.parseString("{\"theta\": {\"field\": \"loaves\", \"type\": \"quantitative\"},"
                + "\"color\": {\"field\": \"city\", \"type\": \"nominal\"}}"), pie.get("encoding"));
    }

    @Test
    void datesAreTemporalAndDottedColumnNamesAreEscaped() throws Exception {
        SqlTable days = table("{\"name\": \"day\", \"type\": \"date\", \"nullable\": true, \"metadata\": {}},"
                + "{\"name\": \"avg.price\", \"type\": \"double\", \"nullable\": true, \"metadata\": {}}", "[[\"2026-11-30\", 1.5]]");
        JsonObject spec = VegaLiteChart.spec(ChartType.LINE, days, Optional.empty(), Optional.empty());
        assertEquals(JsonParser.parseString("{\"x\": {\"field\": \"day\", \"type\": \"temporal\"},"
                + "\"y\": {\"field\": \"avg\\\\.price\", \"type\": \"quantitative\"}}"), spec.get("encoding"));
    }

    @Test
    void columnsThatCannotBeDrawnAreRefusedNamingTheColumns() {
        assertEquals("-x 'town' is not a column of the result; columns: city, loaves, price",
                assertThrows(MagicSyntaxException.class,
                        () -> VegaLiteChart.spec(ChartType.BAR, SALES, Optional.of("town"), Optional.empty())).getMessage());
        assertTrue(assertThrows(MagicSyntaxException.class,
                () -> VegaLiteChart.spec(ChartType.BAR, SALES, Optional.of("loaves"), Optional.of("city"))).getMessage()
                .startsWith("a bar chart needs a numeric y column, and 'city' is string"));
        SqlTable one = table("{\"name\": \"n\", \"type\": \"integer\", \"nullable\": true, \"metadata\": {}}", "[[1]]");
        assertEquals("--chart needs two columns (x and y); the result has 1: n", assertThrows(MagicSyntaxException.class,
                () -> VegaLiteChart.spec(ChartType.BAR, one, Optional.empty(), Optional.empty())).getMessage());
        assertEquals("--chart must be one of bar|line|area|scatter|pie, not 'donut'",
                assertThrows(MagicSyntaxException.class, () -> ChartType.parse("donut")).getMessage());
    }

    @Test
    void theOutputVariableIsAPandasFrameBuiltFromTheShownRows() {
        assertEquals("top = __import__('pandas').DataFrame(__import__('json').loads(\"[[\\\"Lyon\\\",12,3.5],"
                        + "[\\\"Nantes\\\",7,null]]\"), columns=__import__('json').loads(\"[\\\"city\\\",\\\"loaves\\\",\\\"price\\\"]\"))",
                SqlMagic.pandasAssignment("top", SALES));
    }
}
