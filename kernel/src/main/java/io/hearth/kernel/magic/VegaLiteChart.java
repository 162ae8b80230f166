package io.hearth.kernel.magic;

import com.google.gson.JsonObject;
import io.hearth.kernel.display.SqlTable;
import java.util.List;
import java.util.Optional;

/**
 * Builds the Vega-Lite v5 spec of {@code %%sql --chart}: the result rows inline, the mark from the chart type, x and y
 * from {@code -x}/{@code -y} or else the first two columns; a pie is an arc with y as theta and x as colour.
 */
public final class VegaLiteChart {

    /** The MIME type JupyterLab renders natively. */
    public static final String MIME = "application/vnd.vegalite.v5+json";
    private static final String SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

    private VegaLiteChart() {
    }

    /** The spec; throws when the columns asked for do not exist or cannot be drawn that way. */
    public static JsonObject spec(ChartType type, SqlTable table, Optional<String> x, Optional<String> y)
            throws MagicSyntaxException {
        List<SqlTable.Column> columns = table.columns();
        if ((x.isEmpty() || y.isEmpty()) && columns.size() < 2) {
            throw new MagicSyntaxException("--chart needs two columns (x and y); the result has " + columns.size()
                    + (columns.isEmpty() ? "" : ": " + String.join(", ", table.columnNames())));
        }
        SqlTable.Column xColumn = pick(table, "-x", x.orElse(columns.get(0).name()));
        SqlTable.Column yColumn = pick(table, "-y", y.orElse(columns.get(1).name()));
        if (type != ChartType.SCATTER && !yColumn.isNumeric()) {
            throw new MagicSyntaxException("a " + type.label() + " chart needs a numeric y column, and '" + yColumn.name()
                    + "' is " + yColumn.type() + "; choose one with -y (columns: " + String.join(", ", table.columnNames()) + ")");
        }
        JsonObject spec = new JsonObject();
        spec.addProperty("$schema", SCHEMA);
        JsonObject data = new JsonObject();
        data.add("values", table.records());
        spec.add("data", data);
        JsonObject mark = new JsonObject();
        mark.addProperty("type", type.mark());
        mark.addProperty("tooltip", true);
        spec.add("mark", mark);
        JsonObject encoding = new JsonObject();
        if (type == ChartType.PIE) {
            encoding.add("theta", channel(yColumn, "quantitative"));
            encoding.add("color", channel(xColumn, "nominal"));
        } else {
            // Bars stand on categories, so their x is nominal even for numbers; other charts keep the column's scale.
            encoding.add("x", channel(xColumn, type == ChartType.BAR && !xColumn.isTemporal() ? "nominal" : measure(xColumn)));
            encoding.add("y", channel(yColumn, measure(yColumn)));
        }
        spec.add("encoding", encoding);
        return spec;
    }

    /** A short text for frontends that cannot draw the chart. */
    public static String describe(ChartType type, JsonObject spec) {
        JsonObject encoding = spec.getAsJsonObject("encoding");
        String first = encoding.has("x") ? field(encoding, "x") : field(encoding, "color");
        String second = encoding.has("y") ? field(encoding, "y") : field(encoding, "theta");
        int rows = spec.getAsJsonObject("data").getAsJsonArray("values").size();
        return type.label() + " chart of " + second + " by " + first + " (" + rows + " rows)";
    }

    private static String field(JsonObject encoding, String channel) {
        return encoding.getAsJsonObject(channel).get("field").getAsString().replace("\\", "");
    }

    private static SqlTable.Column pick(SqlTable table, String option, String name) throws MagicSyntaxException {
        return table.column(name).orElseThrow(() -> new MagicSyntaxException(option + " '" + name
                + "' is not a column of the result; columns: " + String.join(", ", table.columnNames())));
    }

    private static String measure(SqlTable.Column column) {
        if (column.isNumeric()) {
            return "quantitative";
        }
        return column.isTemporal() ? "temporal" : "nominal";
    }

    private static JsonObject channel(SqlTable.Column column, String type) {
        JsonObject channel = new JsonObject();
        channel.addProperty("field", escapeField(column.name()));
        channel.addProperty("type", type);
        return channel;
    }

    /** Vega-Lite reads {@code .} and {@code [ ]} in a field as nested access; a column name means itself. */
    static String escapeField(String name) {
        return name.replace("\\", "\\\\").replace(".", "\\.").replace("[", "\\[").replace("]", "\\]");
    }
}
