package io.hearth.engine.table;

import com.google.gson.JsonObject;
import org.apache.spark.sql.SparkSession;

/** How a Spark DataFrame that a Python cell ends with is shown: its first rows as HTML and text tables. */
public final class DataFrameView {

    static final String ROWS_CONF = "hearth.python.dataframeRows";
    static final int DEFAULT_ROWS = 20;

    private DataFrameView() {
    }

    /** The runtime conf, read per statement so {@code spark.conf.set} takes effect at once; bad values fall back. */
    public static int rows(SparkSession spark) {
        String text = spark.conf().get(ROWS_CONF, Integer.toString(DEFAULT_ROWS));
        try {
            return Math.max(0, Integer.parseInt(text.trim()));
        } catch (NumberFormatException e) {
            return DEFAULT_ROWS;
        }
    }

    public static JsonObject bundle(ResultTable table) {
        String note = table.truncated() ? "showing first " + table.limit() + " rows" : null;
        JsonObject data = new JsonObject();
        String text = TextTable.render(table, note);
        data.addProperty("text/plain", text.isEmpty() ? "DataFrame with no columns" : text);
        String html = HtmlTable.render(table, note);
        if (!html.isEmpty()) {
            data.addProperty("text/html", html);
        }
        return data;
    }
}
