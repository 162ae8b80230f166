package io.hearth.engine.table;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Renders a {@link ResultTable} as Livy's SQL result, {@code {"schema": <Spark's schema JSON>, "data": [[...]]}},
 * plus {@code "truncated"}, true when rows were left out, so a client can never mistake a cut result for the whole.
 */
public final class JsonTable {

    private JsonTable() {
    }

    public static JsonObject render(ResultTable table) {
        JsonObject o = new JsonObject();
        o.add("schema", JsonParser.parseString(table.schema().json()));
        JsonArray data = new JsonArray();
        for (List<Object> row : table.rows()) {
            JsonArray values = new JsonArray();
            row.forEach(v -> values.add(value(v)));
            data.add(values);
        }
        o.add("data", data);
        o.addProperty("truncated", table.truncated());
        if (table.truncated()) {
            o.addProperty("limit", table.limit());
        }
        return o;
    }

    /** Numbers and booleans stay JSON's; structs become objects, arrays arrays, maps objects; the rest strings. */
    static JsonElement value(Object v) {
        if (v == null) {
            return JsonNull.INSTANCE;
        }
        if (v instanceof Boolean b) {
            return new JsonPrimitive(b);
        }
        if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
            return new JsonPrimitive(d.toString()); // JSON has no NaN or Infinity
        }
        if (v instanceof Float f && (f.isNaN() || f.isInfinite())) {
            return new JsonPrimitive(f.toString());
        }
        if (v instanceof Number n) {
            return new JsonPrimitive(n);
        }
        if (v instanceof byte[] bytes) {
            return new JsonPrimitive(CellText.base64(bytes));
        }
        if (v instanceof Row row) {
            StructType schema = row.schema();
            if (schema == null) {
                JsonArray a = new JsonArray();
                for (int i = 0; i < row.length(); i++) {
                    a.add(value(row.get(i)));
                }
                return a;
            }
            JsonObject o = new JsonObject();
            for (int i = 0; i < row.length(); i++) {
                o.add(schema.fields()[i].name(), value(row.get(i)));
            }
            return o;
        }
        if (v instanceof scala.collection.Map<?, ?> map) {
            JsonObject o = new JsonObject();
            for (Map.Entry<?, ?> e : CollectionConverters.asJava(map).entrySet()) {
                o.add(CellText.of(e.getKey()), value(e.getValue()));
            }
            return o;
        }
        if (v instanceof scala.collection.Iterable<?> seq) {
            JsonArray a = new JsonArray();
            for (Object o : CollectionConverters.asJava(seq)) {
                a.add(value(o));
            }
            return a;
        }
        return new JsonPrimitive(CellText.of(v));
    }
}
