package io.hearth.kernel.display;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A SQL statement's result as the gateway gives it under {@code application/json}: {@code {schema, data, truncated}},
 * with Spark's schema JSON.
 */
public record SqlTable(List<Column> columns, List<JsonArray> rows, boolean truncated) {

    /** One column: its name and Spark type ({@code integer}, {@code string}, {@code decimal(10,2)}, a struct...). */
    public record Column(String name, String type) {

        /** True for Spark's numeric types. */
        public boolean isNumeric() {
            String t = type.toLowerCase(Locale.ROOT);
            return t.equals("byte") || t.equals("short") || t.equals("integer") || t.equals("long")
                    || t.equals("float") || t.equals("double") || t.startsWith("decimal");
        }

        /** True for dates and timestamps. */
        public boolean isTemporal() {
            String t = type.toLowerCase(Locale.ROOT);
            return t.equals("date") || t.startsWith("timestamp");
        }
    }

    /** Copies the lists so the record stays immutable. */
    public SqlTable {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    /** The table in a statement's result bundle, empty when the bundle has no Livy SQL result. */
    public static Optional<SqlTable> from(JsonObject bundle) {
        JsonElement json = bundle.get("application/json");
        if (json == null || !json.isJsonObject()) {
            return Optional.empty();
        }
        JsonObject o = json.getAsJsonObject();
        if (!o.has("schema") || !o.get("schema").isJsonObject() || !o.has("data") || !o.get("data").isJsonArray()) {
            return Optional.empty();
        }
        List<Column> columns = new ArrayList<>();
        JsonElement fields = o.getAsJsonObject("schema").get("fields");
        if (fields != null && fields.isJsonArray()) {
            for (JsonElement f : fields.getAsJsonArray()) {
                JsonObject field = f.getAsJsonObject();
                JsonElement type = field.get("type");
                String typeName = type != null && type.isJsonPrimitive() ? type.getAsString()
                        : type != null && type.isJsonObject() && type.getAsJsonObject().has("type")
                        ? type.getAsJsonObject().get("type").getAsString() : "unknown";
                columns.add(new Column(field.get("name").getAsString(), typeName));
            }
        }
        List<JsonArray> rows = new ArrayList<>();
        for (JsonElement row : o.getAsJsonArray("data")) {
            rows.add(row.isJsonArray() ? row.getAsJsonArray() : new JsonArray());
        }
        boolean truncated = o.has("truncated") && o.get("truncated").isJsonPrimitive() && o.get("truncated").getAsBoolean();
        return Optional.of(new SqlTable(columns, rows, truncated));
    }

    /** The column called {@code name}. */
    public Optional<Column> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The column names, in order. */
    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }

    /** Each row as an object from column name to value: Vega-Lite's inline data, and records for pandas. */
    public JsonArray records() {
        JsonArray records = new JsonArray();
        for (JsonArray row : rows) {
            JsonObject record = new JsonObject();
            for (int i = 0; i < columns.size(); i++) {
                record.add(columns.get(i).name(), i < row.size() ? row.get(i) : com.google.gson.JsonNull.INSTANCE);
            }
            records.add(record);
        }
        return records;
    }
}
