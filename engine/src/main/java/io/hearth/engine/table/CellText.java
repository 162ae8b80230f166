package io.hearth.engine.table;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import scala.jdk.javaapi.CollectionConverters;

/** How one cell value reads in a text or HTML table, close to what {@code Dataset.show} prints. */
final class CellText {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private CellText() {
    }

    static String of(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof byte[] bytes) {
            return "[" + HexFormat.ofDelimiter(" ").withUpperCase().formatHex(bytes) + "]";
        }
        if (value instanceof Row row) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < row.length(); i++) {
                parts.add(of(row.get(i)));
            }
            return "{" + String.join(", ", parts) + "}";
        }
        if (value instanceof scala.collection.Map<?, ?> map) {
            List<String> parts = new ArrayList<>();
            for (Map.Entry<?, ?> e : CollectionConverters.asJava(map).entrySet()) {
                parts.add(of(e.getKey()) + " -> " + of(e.getValue()));
            }
            return "{" + String.join(", ", parts) + "}";
        }
        if (value instanceof scala.collection.Iterable<?> seq) {
            List<String> parts = new ArrayList<>();
            for (Object o : CollectionConverters.asJava(seq)) {
                parts.add(of(o));
            }
            return "[" + String.join(", ", parts) + "]";
        }
        if (value instanceof java.math.BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof java.sql.Timestamp ts) {
            return timestamp(ts);
        }
        return value.toString();
    }

    /** As Spark shows it: "2024-01-02 03:04:05", where Timestamp.toString says "2024-01-02 03:04:05.0". */
    private static String timestamp(java.sql.Timestamp ts) {
        String text = ts.toLocalDateTime().format(SECONDS);
        int nanos = ts.getNanos();
        if (nanos == 0) {
            return text;
        }
        String fraction = String.format("%09d", nanos).replaceAll("0+$", "");
        return text + "." + fraction;
    }

    /** Base64, for JSON: bytes have no JSON type. */
    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
