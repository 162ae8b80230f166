package io.hearth.kernel.display;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a notebook shows of a SQL statement's result: its tables, without Livy's {@code application/json}
 * {@code {schema, data}}, which JupyterLab would render as a JSON tree above the table. The gateway's answer keeps
 * that JSON for Livy clients; only the notebook's view drops it.
 */
public final class SqlResults {

    private SqlResults() {
    }

    /**
     * The result without its {@code application/json}. A plain Livy server sends only that JSON: its rows then become
     * the HTML and text tables, so the cell still shows a table.
     */
    public static JsonObject shown(JsonObject result) {
        JsonObject bundle = result.deepCopy();
        Optional<SqlTable> table;
        try {
            table = SqlTable.from(result);
        } catch (RuntimeException unexpectedShape) {
            return bundle; // JSON of some other server's shape: shown as it came, rather than failing the cell
        }
        if (table.isEmpty()) {
            return bundle;
        }
        bundle.remove("application/json");
        if (!bundle.has("text/html")) {
            List<List<String>> cells = cells(table.get());
            List<List<String>> escaped = cells.stream().map(row -> row.stream().map(Html::escape).toList()).toList();
            bundle.addProperty("text/html", Html.table(table.get().columnNames(), escaped));
            if (!bundle.has("text/plain")) {
                bundle.addProperty("text/plain", TextTable.of(table.get().columnNames(), cells));
            }
        }
        return bundle;
    }

    private static List<List<String>> cells(SqlTable table) {
        int width = table.columns().size();
        List<List<String>> rows = new ArrayList<>();
        for (JsonArray row : table.rows()) {
            List<String> cells = new ArrayList<>(width);
            for (int i = 0; i < width; i++) {
                JsonElement value = i < row.size() ? row.get(i) : null;
                cells.add(value == null || value.isJsonNull() ? "null"
                        : value.isJsonPrimitive() ? value.getAsString() : value.toString());
            }
            rows.add(cells);
        }
        return rows;
    }
}
